import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activePath, appendAssistantTurn, appendUserTurn, createConversation, titleFrom } from '../../../../src/core/chat/conversation';
import { nextRequestSize } from '../../../../src/core/chat/nextRequestSize';
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

  it('titles a conversation from its first message', () => {
    assert.equal(titleFrom('  Why does\nthis fail?'), 'Why does');
    assert.equal(titleFrom(''), 'New chat');
    const long = titleFrom('word '.repeat(40));
    assert.ok(long.endsWith('…') && long.length <= 61);
  });
});

describe('nextRequestSize', () => {
  it('is exact from the last answer\'s usage and estimates only the draft on top', () => {
    const conversation = createConversation(['system'], 0);
    const question = appendUserTurn(conversation, 'question', 0);
    const answer = appendAssistantTurn(conversation, question.id, 'm', 0);
    answer.status = 'done';
    answer.usage = {
      input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 1000, cache_creation_input_tokens: 30,
      cache_creation: null, inference_geo: null, server_tool_use: null, service_tier: 'standard', output_tokens_details: null,
    } as unknown as NonNullable<typeof answer.usage>;
    assert.deepEqual(nextRequestSize(conversation, ''), { tokens: 1060, exact: true });
    const withDraft = nextRequestSize(conversation, 'x'.repeat(38));
    assert.deepEqual(withDraft, { tokens: 1070, exact: false });
  });

  it('estimates everything before the first answer', () => {
    const conversation = createConversation(['s'.repeat(38)], 0);
    assert.deepEqual(nextRequestSize(conversation, ''), { tokens: 10, exact: false });
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
