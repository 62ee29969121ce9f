import type { AssistantTurn, Conversation, Turn } from '../chat/conversation';
import type { Disposable, Event } from '../util/emitter';
import type { HistoryRecorder } from './historyRecorder';
import type { HistoryStore } from './historyStore';

/** The parts of ChatSession that history listens to (structural, so tests need no API client). */
export interface RecordableSession {
  readonly current: Conversation;
  readonly onDidAppendTurn: Event<Turn>;
  readonly onDidStreamDelta: Event<{ readonly turnId: string; readonly text?: string; readonly thinking?: string }>;
  readonly onDidUpdateTurn: Event<AssistantTurn>;
  readonly onDidReset: Event<Conversation>;
  /** An edit forked the conversation or another branch was chosen. */
  readonly onDidChangeActivePath?: Event<Conversation>;
  /** A turn was dropped (a failed answer replaced by Retry). */
  readonly onDidRemoveTurn?: Event<string>;
}

/** A running recording of a session; dispose it to stop (it flushes first). */
export interface SessionRecording extends Disposable {
  /** Resolves when everything the session did so far is on disk. */
  flush(): Promise<void>;
}

/**
 * Saves a session's conversations as they happen. A conversation gets its log with its first
 * turn, so an empty "New chat" never clutters the list; a conversation the store has loaded is
 * recorded from the moment the session switches to it (onDidReset).
 */
export function recordSession(session: RecordableSession, store: HistoryStore, onError: (error: unknown) => void = () => undefined): SessionRecording {
  let conversation = session.current;
  let recorder: HistoryRecorder | undefined;
  /** Answer per user turn: lets a Retry's replaced answer be logged as removed (see below). */
  let answers = new Map<string, string>();

  const adopt = (next: Conversation): void => {
    void recorder?.dispose().catch(onError);
    recorder = undefined;
    conversation = next;
    answers = new Map();
    for (const turn of next.turns.values()) if (turn.kind === 'assistant') answers.set(turn.parentId, turn.id);
    if (store.has(next.id)) {
      recorder = store.recorder(next);
      store.setOpen(next.id).catch(onError);
    }
  };

  /** User turns already written, so an edit's new turn is written exactly once. */
  const recordedUserTurns = new Set<string>();

  const subscriptions: Disposable[] = [
    session.onDidAppendTurn((turn) => {
      if (turn.kind === 'user') recordedUserTurns.add(turn.id);
      if (turn.kind === 'assistant') {
        // ChatSession.retry() deletes the old answer without an event; infer it until it fires one.
        const replaced = answers.get(turn.parentId);
        if (session.onDidRemoveTurn === undefined && replaced !== undefined && !conversation.turns.has(replaced)) recorder?.turnRemoved(replaced);
        answers.set(turn.parentId, turn.id);
      }
      if (recorder !== undefined) return recorder.turnAppended(turn);
      // First turn: the snapshot already holds it, so the recorder starts after it.
      store.create(conversation).catch(onError);
      recorder = store.recorder(conversation);
      store.setOpen(conversation.id).catch(onError);
    }),
    session.onDidStreamDelta((delta) => recorder?.delta(delta.turnId, delta)),
    session.onDidUpdateTurn((turn) => recorder?.turnFinal(turn)),
    ...(session.onDidChangeActivePath
      ? [
          session.onDidChangeActivePath((changed) => {
            // An edit's new user turn arrives this way (the webview gets a snapshot, not an append).
            const leaf = changed.leafId !== undefined ? changed.turns.get(changed.leafId) : undefined;
            if (leaf !== undefined && !recordedUserTurns.has(leaf.id) && leaf.kind === 'user') {
              recordedUserTurns.add(leaf.id);
              recorder?.turnAppended(leaf);
            }
            recorder?.leafChanged(changed.leafId);
          }),
        ]
      : []),
    ...(session.onDidRemoveTurn ? [session.onDidRemoveTurn((id) => recorder?.turnRemoved(id))] : []),
    session.onDidReset((next) => {
      adopt(next);
      // New Chat: nothing to restore until it has a turn (not done at start, before the host restored).
      if (!store.has(next.id)) store.setOpen(undefined).catch(onError);
    }),
  ];
  adopt(session.current);

  return {
    flush: () => recorder?.flush() ?? Promise.resolve(),
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
      void recorder?.dispose().catch(onError);
      recorder = undefined;
    },
  };
}
