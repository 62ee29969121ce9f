import type { AssistantTurn, Conversation, Turn } from '../chat/conversation';
import type { Disposable } from '../util/emitter';
import type { ConversationSummary } from './historyIndex';
import { previewOf } from './historyIndex';
import type { BodyRecord } from './historyRecords';
import { encodeRecord } from './historyRecords';
import type { MediaStash } from './historyMedia';
import type { HistoryClock } from './historyPorts';

/** Streamed characters for one answer, as ChatSession's onDidStreamDelta carries them. */
export interface HistoryDelta {
  readonly text?: string;
  readonly thinking?: string;
}

/**
 * Saves one conversation's changes as they happen. Every method is O(1) in the conversation's
 * size: it appends a line or two and never rewrites anything. Methods return at once; writes are
 * queued in order and failures reach the store's `onError`.
 */
export interface HistoryRecorder {
  /** A user turn, or an answer as it starts (status 'streaming', no text yet). Moves the leaf to it. */
  turnAppended(turn: Turn): void;
  /** Streamed characters; buffered and checkpointed about once a second. */
  delta(turnId: string, delta: HistoryDelta): void;
  /** An answer's final state (done, stopped or error); supersedes its checkpoints. */
  turnFinal(turn: AssistantTurn): void;
  /** The active branch moved without a new turn (Retry, switching forks). */
  leafChanged(id: string | undefined): void;
  titleChanged(title: string): void;
  /** A turn was dropped, e.g. the failed answer a Retry replaces. */
  turnRemoved(id: string): void;
  /** Writes buffered checkpoints now; resolves when everything recorded so far is on disk. */
  flush(): Promise<void>;
  /** Flushes, then ignores further calls. */
  dispose(): Promise<void>;
}

/** What a recorder needs from the store: ordered appends to the log and to the index. */
export interface RecorderSink {
  /** Appends to the log, after writing `media` (images and PDFs the text names by hash) as files. */
  appendLog(text: string, media?: MediaStash): void;
  /** Whether the store keeps media as files: records then name them instead of holding their bytes. */
  readonly storesMedia?: boolean;
  appendSummary(summary: ConversationSummary): void;
  /** Resolves when every write queued so far has settled. */
  idle(): Promise<void>;
  /** Called once on dispose, so the store stops tracking this recorder. */
  released(): void;
}

/** How often streamed characters are checkpointed: a crash loses at most this much of an answer. */
export const DEFAULT_CHECKPOINT_MS = 1000;

/** The store's implementation; create it with `HistoryStore.recorder()`. */
export class ConversationRecorder implements HistoryRecorder {
  private readonly pending = new Map<string, { text: string; thinking: string }>();
  private timer: Disposable | undefined;
  private disposed = false;
  private loggedTitle: string;
  private turnCount: number;
  private preview = '';

  constructor(
    private readonly conversation: Conversation,
    private readonly sink: RecorderSink,
    private readonly clock: HistoryClock,
    private readonly checkpointMs = DEFAULT_CHECKPOINT_MS,
  ) {
    // The log is in step with the conversation when a recorder starts (after create() or load()).
    this.loggedTitle = conversation.title;
    this.turnCount = conversation.turns.size;
    for (const turn of conversation.turns.values()) if (turn.kind === 'user') this.preview = turn.text;
    this.preview = previewOf(this.preview);
  }

  turnAppended(turn: Turn): void {
    if (this.disposed) return;
    this.turnCount++;
    if (turn.kind === 'user') this.preview = previewOf(turn.text);
    // appendUserTurn retitles "New chat" silently; catching it here needs no event from the session.
    const retitled = this.conversation.title !== this.loggedTitle;
    if (retitled) this.loggedTitle = this.conversation.title;
    this.write(retitled ? [{ t: 'turn', turn }, { t: 'title', title: this.loggedTitle }] : [{ t: 'turn', turn }]);
  }

  delta(turnId: string, delta: HistoryDelta): void {
    if (this.disposed || (!delta.text && !delta.thinking)) return;
    const buffer = this.pending.get(turnId) ?? { text: '', thinking: '' };
    buffer.text += delta.text ?? '';
    buffer.thinking += delta.thinking ?? '';
    this.pending.set(turnId, buffer);
    // Armed by the first delta after a checkpoint, so there is at most one checkpoint per interval.
    this.timer ??= this.clock.setTimer(() => {
      this.timer = undefined;
      this.writeCheckpoints();
    }, this.checkpointMs);
  }

  turnFinal(turn: AssistantTurn): void {
    if (this.disposed) return;
    // The final state holds every character, so its unwritten checkpoint would only repeat them.
    this.pending.delete(turn.id);
    this.write([{ t: 'final', turn }]);
  }

  leafChanged(id: string | undefined): void {
    if (this.disposed) return;
    this.write([{ t: 'leaf', id: id ?? null }]);
  }

  titleChanged(title: string): void {
    if (this.disposed) return;
    this.loggedTitle = title;
    this.write([{ t: 'title', title }]);
  }

  turnRemoved(id: string): void {
    if (this.disposed) return;
    this.pending.delete(id);
    this.turnCount = Math.max(0, this.turnCount - 1);
    this.write([{ t: 'removed', id }]);
  }

  flush(): Promise<void> {
    if (!this.disposed) this.writeCheckpoints();
    return this.sink.idle();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return this.sink.idle();
    const done = this.flush();
    this.disposed = true;
    this.sink.released();
    return done;
  }

  /** Drops buffered text without writing it: the conversation was deleted. */
  abandon(): void {
    this.pending.clear();
    this.timer?.dispose();
    this.timer = undefined;
    this.disposed = true;
  }

  /**
   * Appends records (serialized now: the session keeps mutating its turns) after any buffered
   * checkpoints, so the log stays in the order things happened, then refreshes the index entry.
   */
  private write(records: BodyRecord[]): void {
    const stash: MediaStash | undefined = this.sink.storesMedia === true ? new Map() : undefined;
    const text = this.checkpointText() + records.map((record) => encodeRecord(record, stash)).join('');
    this.sink.appendLog(text, stash !== undefined && stash.size > 0 ? stash : undefined);
    this.sink.appendSummary({
      id: this.conversation.id,
      title: this.loggedTitle,
      createdAt: this.conversation.createdAt,
      updatedAt: this.clock.now(),
      turnCount: this.turnCount,
      preview: this.preview,
    });
  }

  private writeCheckpoints(): void {
    const text = this.checkpointText();
    if (text !== '') this.sink.appendLog(text);
  }

  /** Encodes and clears the buffered checkpoints. */
  private checkpointText(): string {
    this.timer?.dispose();
    this.timer = undefined;
    let text = '';
    for (const [id, buffer] of this.pending) {
      text += encodeRecord({
        t: 'delta',
        id,
        ...(buffer.text !== '' ? { text: buffer.text } : {}),
        ...(buffer.thinking !== '' ? { thinking: buffer.thinking } : {}),
      });
    }
    this.pending.clear();
    return text;
  }
}
