import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SEND_CHARS, parseSlashCommand, parseWebviewMessage } from '../../../src/shared/protocol';

describe('parseWebviewMessage', () => {
  it('accepts every well-formed message', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'resync', extra: 1 }), { type: 'resync' });
    assert.deepEqual(parseWebviewMessage({ type: 'send', text: 'hi', requestId: 'r1', extra: 1 }), { type: 'send', text: 'hi', requestId: 'r1' });
    assert.deepEqual(parseWebviewMessage({ type: 'runAction', action: 'setApiKey' }), { type: 'runAction', action: 'setApiKey' });
    assert.deepEqual(parseWebviewMessage({ type: 'insertCode', code: 'x' }), { type: 'insertCode', code: 'x' });
    assert.deepEqual(parseWebviewMessage({ type: 'applyCode', code: 'y' }), { type: 'applyCode', code: 'y' });
    assert.deepEqual(parseWebviewMessage({ type: 'draftChanged', text: 'dr' }), { type: 'draftChanged', text: 'dr' });
    assert.deepEqual(parseWebviewMessage({ type: 'editMessage', turnId: 't', text: 'new' }), { type: 'editMessage', turnId: 't', text: 'new' });
    assert.deepEqual(parseWebviewMessage({ type: 'switchBranch', turnId: 't', direction: -1 }), { type: 'switchBranch', turnId: 't', direction: -1 });
    assert.deepEqual(parseWebviewMessage({ type: 'continueAnswer', turnId: 't' }), { type: 'continueAnswer', turnId: 't' });
    assert.deepEqual(parseWebviewMessage({ type: 'regenerate', turnId: 't', chooseModel: true }), { type: 'regenerate', turnId: 't', chooseModel: true });
    assert.deepEqual(parseWebviewMessage({ type: 'regenerate', turnId: 't' }), { type: 'regenerate', turnId: 't', chooseModel: false });
    assert.deepEqual(parseWebviewMessage({ type: 'applyFiles', turnId: 't', files: ['../x'] }), { type: 'applyFiles', turnId: 't' });
  });

  it('rejects unknown types, wrong field types, oversized text and unknown actions', () => {
    for (const bad of [
      null, 'send', [], {}, { type: 'eval', code: '1' }, { type: 'send', text: 5, requestId: 'r' },
      { type: 'send', text: 'x'.repeat(MAX_SEND_CHARS + 1), requestId: 'r' }, { type: 'runAction', action: 'rm -rf' },
      { type: 'openLink' }, { type: 'retry', turnId: {} }, { type: 'editMessage', turnId: 't', text: '  ' },
      { type: 'switchBranch', turnId: 't', direction: 2 }, { type: 'regenerate', turnId: 't', chooseModel: 'yes' }, { type: 'regenerate' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 60));
    }
  });

  it('validates the context messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'removeContext', id: 'file:a.ts' }), { type: 'removeContext', id: 'file:a.ts' });
    assert.deepEqual(parseWebviewMessage({ type: 'openContext', id: 'x' }), { type: 'openContext', id: 'x' });
    assert.deepEqual(parseWebviewMessage({ type: 'searchFiles', query: 'inv', requestId: 'q1' }), { type: 'searchFiles', query: 'inv', requestId: 'q1' });
    assert.deepEqual(parseWebviewMessage({ type: 'addContextFile', path: 'src/a.ts' }), { type: 'addContextFile', path: 'src/a.ts' });
    assert.deepEqual(parseWebviewMessage({ type: 'addSuggestion', extra: 1 }), { type: 'addSuggestion' });
    for (const bad of [
      { type: 'removeContext', id: '' }, { type: 'openContext' }, { type: 'searchFiles', query: 'x'.repeat(501), requestId: 'q' },
      { type: 'searchFiles', query: 'a' }, { type: 'addContextFile', path: 7 }, { type: 'addContextFile', path: '' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('runRecipe and slash commands', () => {
  it('parseWebviewMessage accepts a well-formed runRecipe and rejects bad commands', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'runRecipe', command: 'personas', text: '' }), { type: 'runRecipe', command: 'personas', text: '' });
    assert.equal(parseWebviewMessage({ type: 'runRecipe', command: 'Bad Command', text: '' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runRecipe', command: 'x'.repeat(41), text: '' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runRecipe', command: 'cot' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runRecipe', command: 'cot', text: 'x'.repeat(200_001) }), undefined);
  });

  it('parseSlashCommand splits the command word from the rest', () => {
    assert.deepEqual(parseSlashCommand('  /cot why?\nand more '), { command: 'cot', text: 'why?\nand more' });
    assert.deepEqual(parseSlashCommand('/refine'), { command: 'refine', text: '' });
    assert.equal(parseSlashCommand('/a/b'), undefined);
    assert.equal(parseSlashCommand('hello /cot'), undefined);
    assert.equal(parseSlashCommand('/Cot'), undefined);
  });
});
