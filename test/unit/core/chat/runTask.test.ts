import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { ChatSessionDeps } from '../../../../src/core/chat/chatSession';
import { ChatSession } from '../../../../src/core/chat/chatSession';
import { sumUsages } from '../../../../src/core/chat/usageLedger';
import type { AssistantTurn } from '../../../../src/core/chat/conversation';
import { assistantView } from '../../../../src/core/chat/turnViews';

const usage = (input: number, read: number): Usage => ({
  input_tokens: input, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: read, cache_creation: null,
  inference_geo: null, output_tokens_details: null, server_tool_use: null, service_tier: null, speed: null,
});

function session(): ChatSession {
  const deps: ChatSessionDeps = {
    getClient: () => Promise.reject(new Error('no client in this test')),
    getOptions: () => ({ model: 'claude-sonnet-5-5', maxTokens: 1024, cacheTtl: '5m', stallTimeoutMs: 1000, maxRetries: 0 }),
    describeError: (error) => ({ kind: 'unknown', message: error instanceof Error ? error.message : String(error), retryable: false }),
    price: (u) => ({ costUsd: u.input_tokens / 1000, savedUsd: (u.cache_read_input_tokens ?? 0) / 10_000 }),
    now: () => 1,
  };
  return new ChatSession(deps);
}

describe('ChatSession.runTask (recipe runs in the transcript)', () => {
  it('adds a user turn and an answer with its steps; usage is the sum, cost the sum of step prices', async () => {
    const chat = session();
    const busy: boolean[] = [];
    const updates: number[] = [];
    chat.onDidChangeBusy((b) => busy.push(b));
    chat.onDidUpdateTurn((turn) => updates.push(turn.recipe?.steps.length ?? -1));
    await chat.runTask('Recipe: X on a.ts:1-2', 'X', async (turn, _signal, update) => {
      turn.recipe = { name: 'X', steps: [{ title: 'one', status: 'done', text: 'a', usage: usage(1000, 0) }] };
      update();
      turn.recipe = { name: 'X', steps: [...turn.recipe.steps, { title: 'two', status: 'done', text: 'b', usage: usage(2000, 500) }] };
      update();
      return { text: 'final' };
    });
    const [user, answer] = chat.turns();
    assert.equal(user?.kind === 'user' && user.text, 'Recipe: X on a.ts:1-2');
    assert.ok(answer?.kind === 'assistant');
    assert.equal(answer.text, 'final');
    assert.equal(answer.status, 'done');
    assert.equal(answer.usage?.input_tokens, 3000);
    assert.equal(answer.usage?.cache_read_input_tokens, 500);
    assert.deepEqual(busy, [true, false]);
    assert.deepEqual(updates, [1, 2, 2]);
    assert.equal(chat.totals.costUsd, 3);
    const view = assistantView(answer as AssistantTurn, (u) => ({ costUsd: u.input_tokens / 1000, savedUsd: 0 }));
    assert.equal(view.recipe?.steps.length, 2);
    assert.equal(view.recipe?.steps[1]?.usage?.costUsd, 2);
    assert.equal(view.usage?.costUsd, 3);
  });

  it('a result error marks the turn without losing the answer; a thrown error is described', async () => {
    const chat = session();
    await chat.runTask('r', 'X', async () => ({ text: '```json\n{}\n```', error: 'does not match the schema' }));
    const answer = chat.turns().at(-1);
    assert.ok(answer?.kind === 'assistant');
    assert.equal(answer.status, 'error');
    assert.equal(answer.text, '```json\n{}\n```');
    assert.equal(answer.error?.message, 'does not match the schema');
    await chat.runTask('r2', 'X', async () => {
      throw new Error('boom');
    });
    const failed = chat.turns().at(-1);
    assert.ok(failed?.kind === 'assistant');
    assert.equal(failed.error?.message, 'boom');
  });

  it('Retry on a recipe answer runs the recipe again under the same user turn', async () => {
    const chat = session();
    let runs = 0;
    await chat.runTask('r', 'X', async () => {
      runs++;
      if (runs === 1) throw new Error('overloaded');
      return { text: 'second time lucky' };
    });
    const failed = chat.turns().at(-1);
    assert.ok(failed?.kind === 'assistant' && failed.status === 'error');
    await chat.retry(failed.id);
    assert.equal(runs, 2);
    const turns = chat.turns();
    assert.equal(turns.length, 2);
    const answer = turns[1];
    assert.ok(answer?.kind === 'assistant');
    assert.equal(answer.text, 'second time lucky');
    assert.equal(answer.recipe?.name, 'X');
    assert.equal(answer.parentId, turns[0]?.id);
  });

  it('Stop aborts the run and keeps the steps so far', async () => {
    const chat = session();
    const running = chat.runTask('r', 'X', (turn, signal) => {
      turn.recipe = { name: 'X', steps: [{ title: 'one', status: 'done', text: 'a', usage: usage(1000, 0) }] };
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    assert.equal(chat.busy, true);
    await chat.stop();
    await running;
    const answer = chat.turns().at(-1);
    assert.ok(answer?.kind === 'assistant');
    assert.equal(answer.status, 'stopped');
    assert.equal(answer.recipe?.steps.length, 1);
    assert.equal(chat.totals.costUsd, 1, 'what was spent is still counted');
  });

  it('sumUsages adds every counter', () => {
    const total = sumUsages([usage(1, 2), usage(3, 4)]);
    assert.equal(total.input_tokens, 4);
    assert.equal(total.output_tokens, 20);
    assert.equal(total.cache_read_input_tokens, 6);
  });
});
