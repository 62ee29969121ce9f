import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages';
import { createConversation } from '../../../../src/core/chat/conversation';
import { nextRequestParams, nextRequestSize } from '../../../../src/core/chat/nextRequestSize';
import { ContextSet, createContextItem } from '../../../../src/core/context';
import { DIGEST_MIN_CHARS, RequestKeyer } from '../../../../src/core/tokens/requestKey';
import { COUNT_DEBOUNCE_MS, TokenCounter } from '../../../../src/core/tokens/tokenCounter';
import { FakeClock, FakeCount, flush } from './fakes';

const big = (seed: string, chars = 200_000): string => `${seed}\n${'const total = order.items.reduce((sum, item) => sum + item.price, 0);\n'.repeat(chars / 70)}`;
const request = (file: string, draft: string): unknown => ({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: file }, { type: 'text', text: draft }] }] });

describe('RequestKeyer', () => {
  it('is the same for the same content in any property order, and differs for any change', () => {
    const keyer = new RequestKeyer();
    const file = big('a');
    const a = keyer.keyOf({ model: 'm', system: undefined, messages: [{ role: 'user', content: file }] });
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.equal(a, keyer.keyOf({ messages: [{ content: `${file}`, role: 'user' }], model: 'm' }), 'a copy of the string has the same key');
    assert.equal(a, new RequestKeyer().keyOf({ messages: [{ content: file, role: 'user' }], model: 'm' }), 'another keyer agrees');
    assert.notEqual(a, keyer.keyOf({ model: 'm', messages: [{ role: 'user', content: `${file} ` }] }));
    assert.notEqual(keyer.keyOf({ messages: ['a', 'b'] }), keyer.keyOf({ messages: ['b', 'a'] }), 'array order is content');
  });

  it('hashes a long string once while only the draft changes', () => {
    const keyer = new RequestKeyer();
    const file = big('a');
    const keys = new Set<string>();
    for (let n = 0; n < 50; n++) keys.add(keyer.keyOf(request(file, `draft${'x'.repeat(n)}`)));
    assert.equal(keys.size, 50, 'every draft is its own content');
    assert.equal(keyer.hashedStrings, 1);
  });

  it('an edited file (same length, one character changed) gets a new key, not the old digest', () => {
    const keyer = new RequestKeyer();
    const file = big('a');
    const edited = big('b');
    assert.equal(edited.length, file.length);
    const before = keyer.keyOf(request(file, 'hi'));
    const after = keyer.keyOf(request(edited, 'hi'));
    assert.notEqual(after, before);
    assert.equal(keyer.hashedStrings, 2);
    assert.equal(keyer.keyOf(request(file, 'hi')), before, 'undo gives the first key back');
  });

  it('a stand-in never equals a string that was really sent', () => {
    const keyer = new RequestKeyer();
    const file = big('a');
    const standIn = `\u0000${createHash('sha256').update(file).digest('hex')}`;
    assert.ok(standIn.length < DIGEST_MIN_CHARS);
    assert.notEqual(keyer.keyOf({ text: standIn }), keyer.keyOf({ text: file }));
    assert.notEqual(keyer.keyOf({ text: `\u0000${standIn}` }), keyer.keyOf({ text: standIn }));
    assert.notEqual(keyer.keyOf({ text: '\u0000' }), keyer.keyOf({ text: '' }));
  });

  it('stays right when its memo overflows: older strings are hashed again', () => {
    const keyer = new RequestKeyer();
    const first = keyer.keyOf(request(big('0', 10_000), ''));
    for (let n = 1; n <= 200; n++) keyer.keyOf(request(big(String(n), 10_000), ''));
    const hashed = keyer.hashedStrings;
    assert.equal(keyer.keyOf(request(big('0', 10_000), '')), first);
    assert.equal(keyer.hashedStrings, hashed + 1, 'the first string was dropped from the memo and hashed again');
  });
});

describe('the token count with a big file attached', () => {
  it('never reuses a count after the attached file changed, and reuses it when it changes back', async () => {
    const clock = new FakeClock();
    const api = new FakeCount<MessageCountTokensParams>();
    api.auto = (params) => JSON.stringify(params).length;
    const counter = new TokenCounter<MessageCountTokensParams>({ count: api.count, classify: () => undefined, clock });
    const set = new ContextSet();
    const item = createContextItem({ kind: 'file', path: 'src/big.ts', languageId: 'typescript', content: big('a') });
    set.add(item);
    const conversation = createConversation(['You are helpful.'], 0);
    const options = { model: 'claude-sonnet-4-5', maxTokens: 1024, cacheTtl: '5m' as const };
    const keystroke = (draft: string) => {
      const next = { pendingContext: set.pendingBlocks() };
      const size = nextRequestSize(conversation, draft, next);
      return counter.update({ params: nextRequestParams(conversation, draft, options, next), estimate: size.tokens, exactFromUsage: size.exact, base: conversation.id });
    };
    keystroke('why?');
    await clock.advance(COUNT_DEBOUNCE_MS);
    const counted = counter.reading;
    assert.equal(counted.source, 'count');
    assert.equal(keystroke('why?').source, 'count', 'the same content: the count stands');

    set.updateContent(item.id, big('b'));
    const changed = keystroke('why?');
    assert.equal(changed.source, 'estimate', 'an edited file is new content');
    await clock.advance(COUNT_DEBOUNCE_MS);
    assert.equal(api.calls.length, 2);
    assert.notEqual(counter.reading.tokens, 0);

    set.updateContent(item.id, big('a'));
    assert.deepEqual(keystroke('why?'), counted, 'back to the first content: its count is reused');
    await flush();
    assert.equal(api.calls.length, 2);
    counter.dispose();
  });

  it('the pending blocks are the same strings while nothing changed, so their hash is reused', () => {
    const set = new ContextSet();
    const item = createContextItem({ kind: 'file', path: 'src/big.ts', languageId: 'typescript', content: big('a') });
    set.add(item);
    const [first] = set.pendingBlocks();
    assert.equal(set.pendingBlocks()[0], first);
    set.updateContent(item.id, big('b'));
    const [edited] = set.pendingBlocks();
    assert.notEqual(edited, first);
    assert.notEqual(edited?.text, first?.text);
    set.takeBlocks();
    assert.deepEqual(set.pendingBlocks(), [], 'a sent item is not pending');
  });
});
