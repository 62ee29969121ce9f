import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { RequestOptions } from '../../../../src/core/chat/requestBuilder';
import { buildRequest, buildRequestWithPlan, transcriptMessages } from '../../../../src/core/chat/requestBuilder';
import { activePath } from '../../../../src/core/chat/conversation';

const options: RequestOptions = { model: 'claude-sonnet-5-5', maxTokens: 1000, cacheTtl: '5m' };
/** These conversations are tiny; a minimum of 1 token lets them show where the breakpoints go. */
const anySize: RequestOptions = { ...options, minCacheableTokens: 1 };

function conversationWith(...exchanges: Array<[string, string | undefined]>) {
  const conversation = createConversation(['You are helpful.'], 0);
  for (const [question, answer] of exchanges) {
    const user = appendUserTurn(conversation, question, 0);
    if (answer !== undefined) {
      const assistant = appendAssistantTurn(conversation, user.id, options.model, 0);
      assistant.text = answer;
      assistant.status = 'done';
    }
  }
  return conversation;
}

describe('buildRequest', () => {
  it('sends system, then alternating turns, with breakpoints at the end of system and of the newest user turn', () => {
    const params = buildRequest(conversationWith(['one', 'uno'], ['two', undefined]), anySize);
    assert.deepEqual(params.system, [{ type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(params.messages, [
      { role: 'user', content: [{ type: 'text', text: 'one' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'uno' }] },
      { role: 'user', content: [{ type: 'text', text: 'two', cache_control: { type: 'ephemeral' } }] },
    ]);
    assert.equal(params.stream, true);
    assert.equal('temperature' in params, false);
  });

  it('keeps every earlier byte identical from one turn to the next (apart from the moving breakpoint)', () => {
    const conversation = conversationWith(['one', 'uno'], ['two', undefined]);
    const first = JSON.stringify(buildRequest(conversation, options).messages.slice(0, 2));
    const user = [...conversation.turns.values()].at(-1);
    assert.ok(user);
    const assistant = appendAssistantTurn(conversation, user.id, options.model, 0);
    assistant.text = 'dos';
    assistant.status = 'done';
    appendUserTurn(conversation, 'three', 0);
    const second = JSON.stringify(buildRequest(conversation, options).messages.slice(0, 2));
    assert.equal(second, first);
  });

  it('places no breakpoint on a prompt under the model\'s minimum cacheable length (1024 for Sonnet 5.5)', () => {
    const { params, cachePlan } = buildRequestWithPlan(conversationWith(['one', 'uno'], ['two', undefined]), options);
    assert.equal(JSON.stringify(params).includes('cache_control'), false);
    assert.deepEqual(cachePlan.skipped.map((s) => s.why), ['belowMinimum', 'belowMinimum']);
  });

  it('auto TTL: 1h on a large system prompt when the user pauses long, 5m on the newest turn', () => {
    const conversation = createConversation(['x'.repeat(40_000)], 0);
    appendUserTurn(conversation, 'question', 0);
    const { params, cachePlan } = buildRequestWithPlan(conversation, { ...options, cacheTtl: 'auto', gapHintMs: 10 * 60_000 });
    assert.ok(Array.isArray(params.system));
    assert.deepEqual(params.system[0]?.cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.deepEqual(params.messages[0]?.content, [{ type: 'text', text: 'question', cache_control: { type: 'ephemeral' } }]);
    assert.equal(cachePlan.ttl, 'mixed');
  });

  it('uses the 1h TTL when asked', () => {
    const params = buildRequest(conversationWith(['one', undefined]), { ...anySize, cacheTtl: '1h' });
    assert.deepEqual(params.system?.[0], { type: 'text', text: 'You are helpful.', cache_control: { type: 'ephemeral', ttl: '1h' } });
  });

  it('maps thinking settings to the API shape and never sends temperature', () => {
    const enabled = buildRequest(conversationWith(['q', undefined]), { ...options, maxTokens: 4000, thinking: { mode: 'enabled', budgetTokens: 2048 } });
    assert.deepEqual(enabled.thinking, { type: 'enabled', budget_tokens: 2048 });
    const adaptive = buildRequest(conversationWith(['q', undefined]), { ...options, thinking: { mode: 'adaptive', budgetTokens: 0 }, effort: 'high' });
    assert.deepEqual(adaptive.thinking, { type: 'adaptive' });
    assert.deepEqual(adaptive.output_config, { effort: 'high' });
  });
});

describe('transcriptMessages', () => {
  it('leaves out an answer that failed before writing anything and merges the user turns around it', () => {
    const conversation = createConversation([], 0);
    const first = appendUserTurn(conversation, 'first', 0);
    const failed = appendAssistantTurn(conversation, first.id, 'm', 0);
    failed.status = 'error';
    appendUserTurn(conversation, 'second', 0);
    assert.deepEqual(transcriptMessages(activePath(conversation)), [
      { role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }] },
    ]);
  });

  it('sends a stopped answer as far as it got, without trailing white space', () => {
    const conversation = createConversation([], 0);
    const first = appendUserTurn(conversation, 'first', 0);
    const stopped = appendAssistantTurn(conversation, first.id, 'm', 0);
    stopped.text = 'partial answer \n';
    stopped.status = 'stopped';
    appendUserTurn(conversation, 'go on', 0);
    const messages = transcriptMessages(activePath(conversation));
    assert.deepEqual(messages[1], { role: 'assistant', content: [{ type: 'text', text: 'partial answer' }] });
  });
});
