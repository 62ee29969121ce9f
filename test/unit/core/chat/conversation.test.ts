import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activePath, appendAssistantTurn, appendUserTurn, createConversation, forkUserTurn, titleFrom } from '../../../../src/core/chat/conversation';
import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { Conversation } from '../../../../src/core/chat/conversation';
import { nextRequestParams, nextRequestSize } from '../../../../src/core/chat/nextRequestSize';
import { buildRequest } from '../../../../src/core/chat/requestBuilder';
import { estimateTokens, formatTokens } from '../../../../src/core/tokens/estimate';

describe('conversation', () => {
  it('follows parent links from the active leaf, so forks keep their own history', () => {
    const conversation = createConversation([], 0);
    const question = appendUserTurn(conversation, 'q', 0);
    const answer = appendAssistantTurn(conversation, question.id, 'm', 0);
    conversation.leafId = undefined;
    const other = appendUserTurn(conversation, 'another start', 0);
    assert.deepEqual(activePath(conversation).map((turn) => turn.id), [other.id]);
    conversation.leafId = answer.id;
    assert.deepEqual(activePath(conversation).map((turn) => turn.id), [question.id, answer.id]);
  });

  it('does not fork on a blank edit, which the API would refuse as whitespace-only text', () => {
    const conversation = createConversation([], 0);
    const user = appendUserTurn(conversation, 'Question', 1);
    assert.equal(forkUserTurn(conversation, user.id, ' \n ', 2), undefined);
    assert.equal(conversation.leafId, user.id);
    assert.equal(forkUserTurn(conversation, user.id, 'Better question', 3)?.text, 'Better question');
  });

  it('titles a conversation from its first message', () => {
    assert.equal(titleFrom('  Why does\nthis fail?'), 'Why does');
    assert.equal(titleFrom(''), 'New chat');
    const long = titleFrom('word '.repeat(40));
    assert.ok(long.endsWith('…') && long.length <= 61);
  });
});

describe('nextRequestSize', () => {
  const usage = {
    input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 30,
    cache_creation: null, inference_geo: null, server_tool_use: null, service_tier: 'standard', output_tokens_details: null,
  } as unknown as Usage;

  function answered(): Conversation {
    const conversation = createConversation(['system'], 0);
    const question = appendUserTurn(conversation, 'question', 0);
    const answer = appendAssistantTurn(conversation, question.id, 'm', 5_000);
    answer.status = 'done';
    answer.text = 'answer';
    answer.usage = usage;
    return conversation;
  }

  it('is exact from the last answer\'s usage and estimates only the draft on top', () => {
    const conversation = answered();
    const size = nextRequestSize(conversation, '');
    assert.equal(size.tokens, 1060);
    assert.equal(size.exact, true);
    assert.deepEqual(size.parts, [{ kind: 'system', tokens: 2 }, { kind: 'history', tokens: 1058 }]);
    assert.deepEqual(size.cachedPrefix, { tokens: 1030, ttl: '5m', sentAt: 5_000 });
    const withDraft = nextRequestSize(conversation, 'x'.repeat(38));
    assert.deepEqual({ tokens: withDraft.tokens, exact: withDraft.exact }, { tokens: 1070, exact: false });
    assert.deepEqual(withDraft.parts.at(-1), { kind: 'draft', tokens: 10 });
  });

  it('estimates everything before the first answer', () => {
    const conversation = createConversation(['s'.repeat(38)], 0);
    assert.deepEqual(nextRequestSize(conversation, ''), { tokens: 10, exact: false, parts: [{ kind: 'system', tokens: 10 }, { kind: 'history', tokens: 0 }] });
  });

  it('stands in a preview for the system prompt of a conversation not yet started', () => {
    const conversation = createConversation([], 0);
    assert.equal(nextRequestSize(conversation, 'x'.repeat(38), { pendingSystem: ['s'.repeat(76)] }).tokens, 30);
  });
});

describe('nextRequestParams', () => {
  const options = { model: 'claude-sonnet-5-5', maxTokens: 1024, stopSequences: ['STOP'], cacheTtl: '5m', effort: 'high' } as const;

  it('is the request sending the draft would make, in count_tokens form, without touching the conversation', () => {
    const conversation = createConversation(['system'], 0);
    appendUserTurn(conversation, 'first question', 0);
    const leaf = conversation.leafId;
    const params = nextRequestParams(conversation, 'next question', options);
    assert.equal(conversation.turns.size, 1);
    assert.equal(conversation.leafId, leaf);
    assert.deepEqual(params, {
      model: 'claude-sonnet-5-5',
      system: [{ type: 'text', text: 'system' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'first question' }, { type: 'text', text: 'next question' }] }],
      output_config: { effort: 'high' },
    });
    const sent = buildRequest(conversation, options) as unknown as Record<string, unknown>;
    for (const key of ['max_tokens', 'stream', 'stop_sequences']) assert.ok(key in sent && !(key in params), key);
  });

  it('leaves out cache_control, which adds no tokens, so moving breakpoints do not change the key', () => {
    const conversation = createConversation(['s'.repeat(8000)], 0);
    appendUserTurn(conversation, 'q'.repeat(8000), 0);
    assert.ok(JSON.stringify(buildRequest(conversation, options)).includes('cache_control'));
    assert.ok(!JSON.stringify(nextRequestParams(conversation, 'draft', options)).includes('cache_control'));
  });

  it('adds no user turn for an empty draft, and uses the preview system prompt of a new conversation', () => {
    const conversation = createConversation([], 0);
    const params = nextRequestParams(conversation, 'hello', options, { pendingSystem: ['preview'] });
    assert.deepEqual(params.system, [{ type: 'text', text: 'preview' }]);
    appendUserTurn(conversation, 'q', 0);
    assert.equal(nextRequestParams(conversation, '  ', options).messages.length, 1);
  });
});

describe('token formatting', () => {
  it('is compact', () => {
    assert.equal(formatTokens(950), '950');
    assert.equal(formatTokens(1234), '1.23k');
    assert.equal(formatTokens(41_200), '41.2k');
    assert.equal(formatTokens(1_250_000), '1.25M');
    assert.equal(estimateTokens(''), 0);
  });
});
