/**
 * The host's mirror of what the webview holds of each turn: a final update leaves out a text or
 * thinking the webview already has, exactly, and sends it whenever the webview's copy could
 * differ (a retry that replaced the text, a turn the webview never got, a new snapshot).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnTextMirror } from '../../../src/chat/turnTextMirror';
import type { AssistantTurnView, ChatSnapshot, ToWebview } from '../../../src/shared/protocol';

const turn = (text: string, thinking = '', status: AssistantTurnView['status'] = 'done'): AssistantTurnView => ({ id: 'a1', role: 'assistant', text, thinking, status });
const snapshot = (turns: ChatSnapshot['turns']): ChatSnapshot => ({
  conversationId: 'c', title: 't', busy: false, model: 'm', models: [], turns,
  totals: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, savedUsd: 0 },
});
const update = (view: AssistantTurnView): ToWebview.DidUpdateTurn => ({ type: 'didUpdateTurn', turn: view });

describe('TurnTextMirror', () => {
  it('leaves out of the final update the text and thinking the deltas already delivered', () => {
    const mirror = new TurnTextMirror();
    mirror.outgoing({ type: 'didAppendTurn', turn: turn('', '', 'streaming') });
    mirror.outgoing({ type: 'didStreamDelta', turnId: 'a1', thinking: 'Hmm, ' });
    mirror.outgoing({ type: 'didStreamDelta', turnId: 'a1', thinking: 'yes.', text: 'Hello ' });
    mirror.outgoing({ type: 'didStreamDelta', turnId: 'a1', text: 'world' });
    const sent = mirror.outgoing(update(turn('Hello world', 'Hmm, yes.')));
    assert.deepEqual(sent, { type: 'didUpdateTurn', turn: turn('', ''), keptText: 11, keptThinking: 9 });
  });

  it('sends the text when it is not what the webview has, and only what differs', () => {
    const mirror = new TurnTextMirror();
    mirror.outgoing({ type: 'didAppendTurn', turn: turn('', '', 'streaming') });
    mirror.outgoing({ type: 'didStreamDelta', turnId: 'a1', text: 'partial', thinking: 'plan' });
    // A retry started over: the host's text is not the streamed one.
    assert.deepEqual(mirror.outgoing(update(turn('other', 'plan'))), { type: 'didUpdateTurn', turn: turn('other', ''), keptThinking: 4 });
    // The update is now what the webview holds: the same text again is left out.
    assert.deepEqual(mirror.outgoing(update(turn('other', 'plan', 'error'))), { type: 'didUpdateTurn', turn: turn('', '', 'error'), keptText: 5, keptThinking: 4 });
  });

  it('sends everything for a turn the webview never got, an empty text, or after the turn was removed', () => {
    const mirror = new TurnTextMirror();
    const unknown = update(turn('text'));
    assert.equal(mirror.outgoing(unknown), unknown);
    const empty = update(turn(''));
    assert.equal(mirror.outgoing(empty), empty);
    mirror.outgoing({ type: 'didRemoveTurn', turnId: 'a1' });
    const again = update(turn(''));
    assert.equal(mirror.outgoing(again), again);
    // A delta for a turn the webview does not have builds nothing.
    mirror.outgoing({ type: 'didRemoveTurn', turnId: 'a1' });
    mirror.outgoing({ type: 'didStreamDelta', turnId: 'a1', text: 'text' });
    const afterDelta = update(turn('text'));
    assert.equal(mirror.outgoing(afterDelta), afterDelta);
  });

  it('a snapshot sets what the webview holds: its turns, and nothing else', () => {
    const mirror = new TurnTextMirror();
    mirror.outgoing({ type: 'didAppendTurn', turn: { ...turn('old'), id: 'gone' } });
    mirror.outgoing({ type: 'didLoad', snapshot: snapshot([{ id: 'u1', role: 'user', text: 'q' }, turn('Partial', '', 'streaming')]) });
    mirror.outgoing({ type: 'didStreamDelta', turnId: 'a1', text: ' answer' });
    assert.deepEqual(mirror.outgoing(update(turn('Partial answer'))), { type: 'didUpdateTurn', turn: turn(''), keptText: 14 });
    const gone = update({ ...turn('old'), id: 'gone' });
    assert.equal(mirror.outgoing(gone), gone);
  });

  it('passes every other message through untouched', () => {
    const mirror = new TurnTextMirror();
    const busy: ToWebview.Message = { type: 'didChangeBusy', busy: true };
    assert.equal(mirror.outgoing(busy), busy);
  });
});
