import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurn, Conversation, Turn } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { RecordableSession } from '../../../../src/core/history/sessionRecording';
import { recordSession } from '../../../../src/core/history/sessionRecording';
import { Emitter } from '../../../../src/core/util/emitter';
import { newStore } from './fixtures';

/** Fires the events ChatSession fires, in the same order, without an API client. */
class FakeSession implements RecordableSession {
  current: Conversation = createConversation(['sys'], 0);
  readonly appended = new Emitter<Turn>();
  readonly streamed = new Emitter<{ turnId: string; text?: string }>();
  readonly updated = new Emitter<AssistantTurn>();
  readonly reset = new Emitter<Conversation>();
  readonly onDidAppendTurn = this.appended.event;
  readonly onDidStreamDelta = this.streamed.event;
  readonly onDidUpdateTurn = this.updated.event;
  readonly onDidReset = this.reset.event;

  exchange(text: string, answer: string, status: AssistantTurn['status'] = 'done'): AssistantTurn {
    const user = appendUserTurn(this.current, text, 0);
    this.appended.fire(user);
    return this.answer(user.id, answer, status);
  }

  answer(parentId: string, answer: string, status: AssistantTurn['status']): AssistantTurn {
    const turn = appendAssistantTurn(this.current, parentId, 'm', 0);
    this.appended.fire(turn);
    turn.text = answer;
    this.streamed.fire({ turnId: turn.id, text: answer });
    turn.status = status;
    this.updated.fire(turn);
    return turn;
  }

  retry(turn: AssistantTurn, answer: string): AssistantTurn {
    this.current.turns.delete(turn.id);
    this.current.leafId = turn.parentId;
    return this.answer(turn.parentId, answer, 'done');
  }
}

describe('recordSession', () => {
  it('saves a chat from its first turn, follows retries, and restores it after a restart', async () => {
    const { store, fs, clock } = newStore();
    const session = new FakeSession();
    const recording = recordSession(session, store);
    assert.deepEqual(await store.list(), []);
    session.exchange('First', 'One');
    const failed = session.exchange('Second', 'Boom', 'error');
    session.retry(failed, 'Two');
    await recording.flush();
    recording.dispose();

    const { store: restarted } = newStore(fs, clock);
    const open = await restarted.getOpen();
    assert.equal(open, session.current.id);
    const { conversation, problems } = await restarted.load(open ?? '');
    assert.deepEqual(problems, []);
    assert.deepEqual(conversation, session.current);
    assert.deepEqual([...conversation.turns.keys()], [...session.current.turns.keys()]);

    // Reopened: the session adopts the loaded conversation and keeps recording into the same log.
    const next = new FakeSession();
    const again = recordSession(next, restarted);
    next.current = conversation;
    next.reset.fire(conversation);
    next.exchange('Third', 'Three');
    await again.flush();
    assert.equal((await restarted.load(conversation.id)).conversation.turns.size, 6);
    assert.equal((await restarted.list()).length, 1);

    // New Chat: nothing is saved until it has a turn, and nothing is marked open.
    next.current = createConversation([], 0);
    next.reset.fire(next.current);
    await again.flush();
    await restarted.flush();
    assert.equal(await restarted.getOpen(), undefined);
    assert.equal((await restarted.list()).length, 1);
    again.dispose();
  });
});
