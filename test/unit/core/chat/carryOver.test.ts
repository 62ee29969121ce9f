import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatSessionDeps } from '../../../../src/core/chat/chatSession';
import { ChatSession } from '../../../../src/core/chat/chatSession';

/** A session whose prompt is composed as the extension does; no client, so answers fail (not needed here). */
function session(): ChatSession {
  const deps: ChatSessionDeps = {
    getClient: () => Promise.reject(new Error('no client in this test')),
    getOptions: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, cacheTtl: '5m', stallTimeoutMs: 1000, maxRetries: 0 }),
    describeError: (error) => ({ kind: 'unknown', message: error instanceof Error ? error.message : String(error), retryable: false }),
    price: () => ({ costUsd: 0, savedUsd: 0 }),
    now: () => 1,
    composeSystem: async () => ['Composed today.'],
  };
  return new ChatSession(deps);
}

describe('ChatSession system prompt across a carry-over', () => {
  it('a new chat composes its prompt at the first message', async () => {
    const chat = session();
    await chat.send('hello');
    assert.deepEqual(chat.current.system, ['Composed today.']);
  });

  it('a chat carried over with a summary keeps the summary when its first message is sent', async () => {
    const chat = session();
    await chat.send('a long conversation');
    await chat.carryOver([], 'SUMMARY of the earlier chat');
    await chat.send('carry on');
    assert.deepEqual(chat.current.system, ['Composed today.', 'SUMMARY of the earlier chat']);
    assert.deepEqual(chat.turns().map((turn) => turn.kind === 'user' && turn.text).filter(Boolean), ['carry on']);
  });

  it('New Chat after a carry-over composes afresh', async () => {
    const chat = session();
    await chat.send('first');
    await chat.carryOver([], 'SUMMARY');
    await chat.reset([]);
    await chat.send('second');
    assert.deepEqual(chat.current.system, ['Composed today.']);
  });
});
