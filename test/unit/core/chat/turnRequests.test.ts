import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatSessionDeps } from '../../../../src/core/chat/chatSession';
import { ChatSession } from '../../../../src/core/chat/chatSession';
import type { AssistantStatus, AssistantTurn, Conversation, UserTurn } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation, forkUserTurn } from '../../../../src/core/chat/conversation';
import { checkTurnRequest, describeRefusal, turnRequestRefusals } from '../../../../src/core/chat/turnRequests';

function answer(conversation: Conversation, user: UserTurn, status: AssistantStatus, stopReason?: string): AssistantTurn {
  const turn = appendAssistantTurn(conversation, user.id, 'm', 0);
  turn.text = 'answer';
  turn.status = status;
  if (stopReason !== undefined) turn.stopReason = stopReason;
  return turn;
}

/** first question -> good answer -> second question -> `last` answer. */
function chat(last: AssistantStatus = 'done', stopReason?: string): { conversation: Conversation; q1: UserTurn; a1: AssistantTurn; q2: UserTurn; a2: AssistantTurn } {
  const conversation = createConversation([], 0);
  const q1 = appendUserTurn(conversation, 'one', 0);
  const a1 = answer(conversation, q1, 'done');
  const q2 = appendUserTurn(conversation, 'two', 0);
  const a2 = answer(conversation, q2, last, stopReason);
  return { conversation, q1, a1, q2, a2 };
}

describe('checkTurnRequest (what the chat view may change)', () => {
  it('retries only a failed, stopped or interrupted answer at the tip of its branch', () => {
    for (const status of ['error', 'stopped', 'interrupted'] as const) {
      const { conversation, a2 } = chat(status);
      assert.deepEqual(checkTurnRequest(conversation, false, { type: 'retry', turnId: a2.id }), { ok: true }, status);
    }
    const { conversation, a1, a2 } = chat('done');
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'retry', turnId: a2.id }), { ok: false, reason: turnRequestRefusals.retryNotEnded('done') });
    assert.equal(checkTurnRequest(conversation, false, { type: 'retry', turnId: a1.id }).ok, false);
  });

  it('refuses to retry an earlier failed answer that later turns build on', () => {
    const conversation = createConversation([], 0);
    const q1 = appendUserTurn(conversation, 'one', 0);
    const failed = answer(conversation, q1, 'error');
    appendUserTurn(conversation, 'asked anyway', 0);
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'retry', turnId: failed.id }), { ok: false, reason: turnRequestRefusals.retryNotTip });
  });

  it('retries an unanswered user message only when it is the last turn', () => {
    const conversation = createConversation([], 0);
    const q1 = appendUserTurn(conversation, 'one', 0);
    assert.equal(checkTurnRequest(conversation, false, { type: 'retry', turnId: q1.id }).ok, true);
    answer(conversation, q1, 'done');
    assert.equal(checkTurnRequest(conversation, false, { type: 'retry', turnId: q1.id }).ok, false);
  });

  it('refuses unknown turns, turns off the shown branch, and a retry while streaming', () => {
    const { conversation, q1, a2 } = chat('error');
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'retry', turnId: 'nope' }), { ok: false, reason: turnRequestRefusals.unknownTurn('nope') });
    assert.deepEqual(checkTurnRequest(conversation, true, { type: 'retry', turnId: a2.id }), { ok: false, reason: turnRequestRefusals.busy });
    forkUserTurn(conversation, q1.id, 'one, edited', 0);
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'retry', turnId: a2.id }), { ok: false, reason: turnRequestRefusals.offPath(a2.id) });
  });

  it('edits only a user message, with text, even while an answer streams', () => {
    const { conversation, q2, a2 } = chat('streaming');
    assert.equal(checkTurnRequest(conversation, true, { type: 'editMessage', turnId: q2.id, text: 'new' }).ok, true);
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'editMessage', turnId: a2.id, text: 'new' }), { ok: false, reason: turnRequestRefusals.editNotUser });
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'editMessage', turnId: q2.id, text: ' \n' }), { ok: false, reason: turnRequestRefusals.editEmpty });
  });

  it('continues the newest answer an error cut short after some text, not one with no text', () => {
    const cut = chat('error');
    cut.a2.error = { kind: 'connection', message: 'lost', retryable: true };
    assert.deepEqual(checkTurnRequest(cut.conversation, false, { type: 'continueAnswer', turnId: cut.a2.id }), { ok: true });
    cut.a2.text = '';
    assert.deepEqual(checkTurnRequest(cut.conversation, false, { type: 'continueAnswer', turnId: cut.a2.id }), { ok: false, reason: turnRequestRefusals.continueNotCutOff });
  });

  it('continues only the newest answer cut off by max_tokens', () => {
    const cut = chat('done', 'max_tokens');
    assert.equal(checkTurnRequest(cut.conversation, false, { type: 'continueAnswer', turnId: cut.a2.id }).ok, true);
    assert.equal(checkTurnRequest(cut.conversation, true, { type: 'continueAnswer', turnId: cut.a2.id }).ok, false);
    const whole = chat('done', 'end_turn');
    assert.deepEqual(checkTurnRequest(whole.conversation, false, { type: 'continueAnswer', turnId: whole.a2.id }), { ok: false, reason: turnRequestRefusals.continueNotCutOff });
    assert.equal(checkTurnRequest(whole.conversation, false, { type: 'continueAnswer', turnId: whole.q2.id }).ok, false);
    const early = chat('done');
    early.a1.stopReason = 'max_tokens';
    assert.deepEqual(checkTurnRequest(early.conversation, false, { type: 'continueAnswer', turnId: early.a1.id }), { ok: false, reason: turnRequestRefusals.continueNotTip });
  });

  it('switches only between versions of a user message that exist', () => {
    const { conversation, q1 } = chat();
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'switchBranch', turnId: q1.id, direction: 1 }), { ok: false, reason: turnRequestRefusals.switchNoVersions });
    const edited = forkUserTurn(conversation, q1.id, 'edited', 0);
    assert.ok(edited);
    assert.equal(checkTurnRequest(conversation, false, { type: 'switchBranch', turnId: edited.id, direction: -1 }).ok, true);
    assert.equal(checkTurnRequest(conversation, false, { type: 'switchBranch', turnId: edited.id, direction: 1 }).ok, false);
  });
});

describe('checkTurnRequest: regenerate', () => {
  it('regenerates any ended answer on the shown branch, the newest or an earlier one', () => {
    for (const status of ['done', 'error', 'stopped', 'interrupted'] as const) {
      const { conversation, a1, a2 } = chat(status);
      assert.deepEqual(checkTurnRequest(conversation, false, { type: 'regenerate', turnId: a2.id }), { ok: true }, status);
      assert.deepEqual(checkTurnRequest(conversation, false, { type: 'regenerate', turnId: a1.id }), { ok: true }, `earlier, ${status}`);
    }
  });

  it('refuses a user message, a streaming answer, any regenerate while busy, and an answer off the shown branch', () => {
    const { conversation, q1, a1, a2 } = chat('streaming');
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'regenerate', turnId: q1.id }), { ok: false, reason: turnRequestRefusals.regenerateNotAnswer });
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'regenerate', turnId: a2.id }), { ok: false, reason: turnRequestRefusals.regenerateNotEnded });
    assert.deepEqual(checkTurnRequest(conversation, true, { type: 'regenerate', turnId: a1.id }), { ok: false, reason: turnRequestRefusals.busy });
    forkUserTurn(conversation, q1.id, 'edited', 0);
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'regenerate', turnId: a1.id }), { ok: false, reason: turnRequestRefusals.offPath(a1.id) });
  });

  it('switches between the versions of a regenerated answer', () => {
    const { conversation, q2, a2 } = chat();
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'switchBranch', turnId: a2.id, direction: -1 }), { ok: false, reason: turnRequestRefusals.switchNoVersions });
    const again = answer(conversation, q2, 'done');
    assert.equal(checkTurnRequest(conversation, false, { type: 'switchBranch', turnId: again.id, direction: -1 }).ok, true);
    assert.deepEqual(checkTurnRequest(conversation, false, { type: 'switchBranch', turnId: again.id, direction: 1 }), { ok: false, reason: turnRequestRefusals.noSibling });
  });
});

describe('ChatSession refuses what checkTurnRequest refuses', () => {
  function session(onRefused?: ChatSessionDeps['onRefused']): ChatSession {
    const deps: ChatSessionDeps = {
      getClient: () => Promise.reject(new Error('no client in this test')),
      getOptions: () => ({ model: 'm', maxTokens: 1024, cacheTtl: '5m', stallTimeoutMs: 1000, maxRetries: 0 }),
      describeError: (error) => ({ kind: 'unknown', message: String(error), retryable: false }),
      price: () => ({ costUsd: 0, savedUsd: 0 }),
      now: () => 0,
      ...(onRefused !== undefined ? { onRefused } : {}),
    };
    return new ChatSession(deps);
  }

  it('a retry of an earlier successful answer deletes nothing and records no removal', async () => {
    const chatSession = session();
    const { conversation, a1 } = chat('done');
    await chatSession.open(conversation);
    const removed: string[] = [];
    const appended: string[] = [];
    chatSession.onDidRemoveTurn((id) => removed.push(id));
    chatSession.onDidAppendTurn((turn) => appended.push(turn.id));
    const before = chatSession.turns().map((turn) => turn.id);
    await chatSession.retry(a1.id);
    assert.deepEqual(removed, []);
    assert.deepEqual(appended, []);
    assert.deepEqual(chatSession.turns().map((turn) => turn.id), before);
    assert.equal(chatSession.current.turns.size, 4);
  });

  it('regenerates an earlier answer as a new version: the old one and what followed stay on their branch', async () => {
    const asked: (string | undefined)[] = [];
    const deps: ChatSessionDeps = {
      getClient: () => Promise.reject(new Error('no client in this test')),
      getOptions: (model) => {
        asked.push(model);
        return { model: model ?? 'm', maxTokens: 1024, cacheTtl: '5m', stallTimeoutMs: 1000, maxRetries: 0 };
      },
      describeError: (error) => ({ kind: 'unknown', message: String(error), retryable: false }),
      price: () => ({ costUsd: 0, savedUsd: 0 }),
      now: () => 0,
    };
    const chatSession = new ChatSession(deps);
    const { conversation, q1, a1, q2, a2 } = chat('done');
    await chatSession.open(conversation);
    const paths: number[] = [];
    chatSession.onDidChangeActivePath(() => paths.push(chatSession.turns().length));
    await chatSession.regenerate(a1.id, 'other-model');
    const shown = chatSession.turns();
    assert.deepEqual(shown.slice(0, 1).map((turn) => turn.id), [q1.id]);
    const again = shown[1];
    assert.ok(again?.kind === 'assistant' && again.id !== a1.id);
    assert.equal(again.parentId, q1.id);
    assert.equal(again.model, 'other-model', 'the chosen model answers');
    assert.ok(asked.includes('other-model'), 'the options were fitted to the chosen model');
    assert.deepEqual(paths, [1], 'the view was told the path now ends at the question');
    assert.equal(chatSession.current.turns.size, 5, 'nothing was deleted');
    chatSession.switchBranch(again.id, -1);
    assert.deepEqual(chatSession.turns().map((turn) => turn.id), [q1.id, a1.id, q2.id, a2.id], 'the old branch comes back whole');
  });

  it('continue, edit and switch on the wrong turn change nothing', async () => {
    const chatSession = session();
    const { conversation, a1, a2 } = chat('done');
    await chatSession.open(conversation);
    const leaf = chatSession.current.leafId;
    await chatSession.continueAnswer(a1.id);
    await chatSession.edit(a2.id, 'not a user turn');
    chatSession.switchBranch(a2.id, -1);
    assert.equal(chatSession.current.leafId, leaf);
    assert.equal(chatSession.current.turns.size, 4);
  });

  it('every refused request is reported (for the log) with its reason; nothing is acted on', async () => {
    const refused: string[] = [];
    const chatSession = session((request, reason) => refused.push(describeRefusal(request, reason)));
    const { conversation, q1, a1, a2 } = chat('done');
    await chatSession.open(conversation);
    await chatSession.retry(a1.id);
    await chatSession.retry(a2.id);
    await chatSession.edit(a2.id, 'not a user turn');
    await chatSession.continueAnswer(a1.id);
    chatSession.switchBranch(q1.id, 1);
    await chatSession.retry('t_missing');
    await chatSession.regenerate(q1.id);
    assert.equal(chatSession.allow({ type: 'applyFiles', turnId: q1.id }), false);
    assert.deepEqual(refused, [
      `Chat view asked to retry turn ${a1.id}; refused: ${turnRequestRefusals.retryNotEnded('done')}.`,
      `Chat view asked to retry turn ${a2.id}; refused: ${turnRequestRefusals.retryNotEnded('done')}.`,
      `Chat view asked to editMessage turn ${a2.id}; refused: ${turnRequestRefusals.editNotUser}.`,
      `Chat view asked to continueAnswer turn ${a1.id}; refused: ${turnRequestRefusals.continueNotCutOff}.`,
      `Chat view asked to switchBranch turn ${q1.id}; refused: ${turnRequestRefusals.switchNoVersions}.`,
      `Chat view asked to retry turn t_missing; refused: ${turnRequestRefusals.unknownTurn('t_missing')}.`,
      `Chat view asked to regenerate turn ${q1.id}; refused: ${turnRequestRefusals.regenerateNotAnswer}.`,
      `Chat view asked to applyFiles turn ${q1.id}; refused: ${turnRequestRefusals.applyNotFinished}.`,
    ]);
    assert.equal(chatSession.current.turns.size, 4);
  });
});
