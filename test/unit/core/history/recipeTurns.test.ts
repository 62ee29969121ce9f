import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurn } from '../../../../src/core/chat/conversation';
import { readTurn } from '../../../../src/core/history/historyRecords';
import { usage } from './fixtures';

const base: AssistantTurn = { kind: 'assistant', id: 't_a1', parentId: 't_u1', model: 'claude-sonnet-5-5', text: 'final', thinking: '', status: 'done', createdAt: 1 };

describe('history: recipe turns', () => {
  it('keeps a recipe turn\'s steps, with their usage, across a save and a load', () => {
    const turn: AssistantTurn = { ...base, recipe: { name: 'Multi-persona analysis', steps: [
      { title: 'Security reviewer', status: 'done', text: 'view', usage: usage(100, 10) },
      { title: 'Synthesis', status: 'error', text: '', error: 'overloaded' },
    ] } };
    assert.deepEqual(readTurn(JSON.parse(JSON.stringify(turn))), turn);
  });

  it('drops a malformed recipe part but keeps the turn', () => {
    const bad = { ...base, recipe: { name: 'X', steps: [{ title: 'a', status: 'exploded', text: '' }] } };
    assert.deepEqual(readTurn(JSON.parse(JSON.stringify(bad))), base);
    const foreign = { ...base, recipe: { name: 'X', steps: 'nope' } };
    assert.deepEqual(readTurn(foreign), base);
  });

  it('keeps the model a response named (it prices an answer from a deployment) and refuses a non-string one', () => {
    const turn: AssistantTurn = { ...base, model: 'team-sonnet', usage: usage(10, 5), answeredBy: 'claude-sonnet-4-6' };
    assert.deepEqual(readTurn(JSON.parse(JSON.stringify(turn))), turn);
    assert.equal(readTurn({ ...turn, answeredBy: { id: 'x' } }), undefined);
  });
});
