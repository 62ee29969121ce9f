import { pathToFileURL } from 'node:url';
import type { Conversation } from '../chat/conversation';
import type { ConversationSummary, IndexState } from './historyIndex';
import { encodeDeleted, encodeSummary, indexFileName, indexGeneration, lastActivity, mergeIndex, needsCompaction, summarize } from './historyIndex';
import type { HistoryProblem } from './historyLog';
import { replayText, snapshotLines } from './historyLog';
import { historyMessages as msg } from './historyMessages';
import type { HistoryClock, HistoryFs } from './historyPorts';
import { fileExists, ignoreNotFound, isNotFound, readdirOrEmpty, systemClock } from './historyPorts';
import type { HistoryRecorder } from './historyRecorder';
import { ConversationRecorder, DEFAULT_CHECKPOINT_MS } from './historyRecorder';
import { isConversationId } from './historyRecords';
import type { MarkdownExportOptions } from './markdownExport';
import { exportMarkdown } from './markdownExport';
import { searchLogs } from './historySearch';
import { HistorySearchIndex } from './searchIndex';
import { OpenConversationFile } from './openConversation';
import { WriteQueues } from './writeQueues';
import type { MediaStash } from './historyMedia';
import { loadMedia } from './historyMedia';
import { StoredMedia } from './storedMedia';
import type { MediaType } from '../media/mediaFacts';
import { FileLocks, memoryLockFs } from '../util/fileLock';
import type { LockFs } from '../util/fileLock';
import type { Disposable } from '../util/emitter';
import { newId } from '../util/ids';

/** Why a store operation failed; `message` is user-visible. */
export class HistoryError extends Error {
  constructor(message: string, readonly code: 'notFound' | 'badId' | 'alreadyExists' | 'unreadable' | 'writeFailed' | 'inUse', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HistoryError';
  }
}

/** Options for {@link HistoryStore}. */
export interface HistoryStoreOptions {
  readonly fs: HistoryFs;
  /** The folder that holds the history (the extension's globalStorage/history). */
  readonly dir: string;
  readonly clock?: HistoryClock;
  /** How often streamed text is checkpointed; 1000 ms unless a test says otherwise. */
  readonly checkpointMs?: number;
  /** Hears write failures of recorders, whose methods return before anything is written. */
  readonly onError?: (error: HistoryError) => void;
  /**
   * Where this window keeps the id of its open conversation (its own folder, so two windows do
   * not restore the same one); the history folder unless given.
   */
  readonly openDir?: string;
  /**
   * Cross-window locks in the history folder: one window at a time writes a conversation. The
   * extension passes node's; without it the locks only exclude this process.
   */
  readonly lockFs?: LockFs;
}

/** A conversation read back from its log, and the lines that had to be skipped. */
export interface LoadResult {
  readonly conversation: Conversation;
  readonly problems: HistoryProblem[];
}

const INDEX = '#index';

/**
 * Conversation history on disk: one append-only JSONL log per conversation (see historyLog.ts),
 * an append-only index for listing (see historyIndex.ts) and a tiny file naming the open one.
 * Writes are queued per file, so records never interleave and always land in call order.
 */
export class HistoryStore {
  private readonly fs: HistoryFs;
  private readonly clock: HistoryClock;
  private readonly queues = new WriteQueues();
  /** Logs this store created or loaded: the only ones a recorder may append to. */
  private readonly known = new Set<string>();
  /** Logs that may end in a torn line; the next append starts with a newline to fence it off. */
  private readonly torn = new Set<string>();
  private readonly recorders = new Map<string, Set<ConversationRecorder>>();
  private readonly summaries = new Map<string, ConversationSummary>();
  private readonly pendingSummaries = new Map<string, ConversationSummary>();
  private generation: Promise<number> | undefined;
  private readonly open: OpenConversationFile;
  private readonly locks: FileLocks;
  /** Images and PDFs as files of their own. */
  private readonly media: StoredMedia;
  /** Words of every log searched so far; without `stat` nothing tells a changed log, so searches read them all. */
  private readonly searchIndex: HistorySearchIndex | undefined;

  constructor(private readonly options: HistoryStoreOptions) {
    this.fs = options.fs;
    this.clock = options.clock ?? systemClock;
    this.open = new OpenConversationFile(this.fs, options.openDir ?? options.dir, this.queues);
    // Heartbeats in real time (unref'd timers): a test's fake clock paces checkpoints, not locks.
    this.locks = new FileLocks(options.lockFs ?? memoryLockFs(), `${options.dir}/locks`, systemClock);
    this.media = new StoredMedia({
      fs: this.fs,
      clock: this.clock,
      dir: options.dir,
      logsDir: this.logsDir,
      locks: this.locks,
      queues: this.queues,
      onCollectError: (error) => options.onError?.(new HistoryError(msg.mediaCollectionFailed(), 'writeFailed', { cause: error })),
    });
    // On start: a log created by a window that died mid-write may have left its temp.
    void this.fs.cleanTemps?.(options.dir).catch(() => undefined);
    const stat = this.fs.stat?.bind(this.fs);
    this.searchIndex = stat === undefined ? undefined : new HistorySearchIndex({
      stat: (id) => stat(this.logPath(id)),
      // In turn with appends, and stat first: a change after the stat makes the next stat differ.
      read: (id) => this.queues.run(id, async () => {
        const { size, mtimeMs } = await stat(this.logPath(id));
        return { text: await this.fs.readFile(this.logPath(id)), size, mtimeMs };
      }),
    });
  }

  /**
   * Makes this window the one that writes the conversation; false while another window has it
   * open (open a copy then: two windows appending to one log would merge their turns).
   */
  claim(id: string): Promise<boolean> {
    return this.locks.tryAcquire(lockName(checkId(id)));
  }

  /**
   * Loads a conversation to show it in this window: the conversation itself when this window can
   * claim it, otherwise a copy (saved with its first new turn) and `copied` set, to tell the user.
   */
  async loadToOpen(id: string): Promise<LoadResult & { readonly copied: boolean }> {
    const loaded = await this.load(id);
    if (await this.claim(id)) return { ...loaded, copied: false };
    return { conversation: this.copyOf(loaded.conversation), problems: loaded.problems, copied: true };
  }

  /** Gives up this window's claims on conversations (another window may then write them). */
  dispose(): void {
    this.locks.dispose();
  }

  /** A copy of a conversation under a new id, to continue one that another window has open. */
  copyOf(conversation: Conversation): Conversation {
    return { ...conversation, id: newId('c'), title: msg.copyTitle(conversation.title), system: [...conversation.system], turns: new Map(conversation.turns) };
  }

  private get logsDir(): string {
    return `${this.options.dir}/conversations`;
  }

  private logPath(id: string): string {
    return `${this.logsDir}/${id}.jsonl`;
  }

  /** Starts a log for a conversation, saving whatever it already holds. */
  async create(conversation: Conversation): Promise<void> {
    const id = checkId(conversation.id);
    if (this.known.has(id)) throw new HistoryError(msg.alreadyExists(id), 'alreadyExists');
    this.known.add(id);
    // Serialized and queued before anything is awaited: the session goes on changing the
    // conversation, and the recorder's first append (queued behind this) must find the log made.
    const stash: MediaStash | undefined = this.media.enabled ? new Map() : undefined;
    const text = snapshotLines(conversation, stash);
    // Queued now so the recorder's later summaries land after it; dropped if the create fails.
    this.writeSummary(summarize(conversation, this.clock.now()));
    await this.queues.run(id, async () => {
      // A new id: no other window can hold it, so this only fails on a broken lock folder.
      await this.claim(id).catch(() => false);
      await this.fs.mkdir(this.logsDir);
      if (await fileExists(this.fs, this.logPath(id))) throw new HistoryError(msg.alreadyExists(id), 'alreadyExists');
      await this.media.write(stash);
      if (this.fs.writeFileAtomic !== undefined) await this.fs.writeFileAtomic(this.logPath(id), text);
      else await this.fs.appendFile(this.logPath(id), text);
    }).catch((error: unknown) => {
      this.known.delete(id);
      throw error instanceof HistoryError ? error : new HistoryError(msg.writeFailed(id), 'writeFailed', { cause: error });
    });
  }

  /** A recorder for a conversation this store has created or loaded. */
  recorder(conversation: Conversation): HistoryRecorder {
    const id = checkId(conversation.id);
    if (!this.known.has(id)) throw new HistoryError(msg.notFound(id), 'notFound');
    const set = this.recorders.get(id) ?? new Set<ConversationRecorder>();
    this.recorders.set(id, set);
    const recorder: ConversationRecorder = new ConversationRecorder(conversation, {
      appendLog: (text, media) => this.appendLog(id, text, media),
      storesMedia: this.media.enabled,
      appendSummary: (summary) => this.writeSummary(summary),
      idle: () => Promise.all([this.queues.idle(id), this.queues.idle(INDEX)]).then(() => undefined),
      released: () => {
        set.delete(recorder);
        if (set.size === 0) void this.locks.release(lockName(id)).catch(() => undefined);
      },
    }, this.clock, this.options.checkpointMs ?? DEFAULT_CHECKPOINT_MS);
    set.add(recorder);
    return recorder;
  }

  /** Every saved conversation, most recently changed first, from the index (no log bodies read). */
  async list(): Promise<ConversationSummary[]> {
    await this.queues.idle(INDEX);
    const [state, names] = await Promise.all([this.readIndex(), readdirOrEmpty(this.fs, this.logsDir)]);
    const result: ConversationSummary[] = [];
    for (const name of names) {
      const id = name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : '';
      if (!isConversationId(id)) continue;
      // A log the index does not know (a crash between the two writes): read it once and index it.
      const summary = state.summaries.get(id) ?? (await this.reindex(id));
      if (summary !== undefined) result.push(summary);
    }
    this.summaries.clear();
    for (const summary of result) this.summaries.set(summary.id, summary);
    if (needsCompaction(state)) await this.compactIndex(result);
    return result.sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  }

  /** Reads a conversation back. Rejects with a HistoryError when it is missing or unusable. */
  async load(id: string): Promise<LoadResult> {
    checkId(id);
    await this.queues.idle(id);
    const text = await this.fs.readFile(this.logPath(id)).catch((error: unknown) => {
      throw new HistoryError(msg.notFound(id), isNotFound(error) ? 'notFound' : 'unreadable', { cause: error });
    });
    const { conversation, problems } = replayText(text);
    if (conversation === undefined) throw new HistoryError(problems.map((p) => p.message).join(' '), 'unreadable');
    const readBytes = this.fs.readBytes?.bind(this.fs);
    problems.push(...(await loadMedia(conversation, (sha256, mediaType) => (readBytes !== undefined ? readBytes(this.media.path(sha256, mediaType)) : Promise.reject(new Error('no media store'))))));
    let result: Conversation = conversation;
    if (conversation.id !== id) {
      problems.unshift({ line: 1, message: msg.idMismatch(id, conversation.id) });
      result = { ...conversation, id };
    }
    this.known.add(id);
    if (text !== '' && !text.endsWith('\n')) this.torn.add(id);
    // Heal an index entry a crash left behind, now that the log has been read anyway.
    const cached = this.summaries.get(id);
    if (cached !== undefined && (cached.turnCount !== result.turns.size || cached.title !== result.title)) {
      this.writeSummary(summarize(result, Math.max(cached.updatedAt, lastActivity(result))));
    }
    return { conversation: result, problems };
  }

  /** Deletes a conversation's log, drops its index entry, and forgets it as the open one. */
  async delete(id: string): Promise<void> {
    checkId(id);
    const held = this.locks.holds(lockName(id));
    if (!held && !(await this.claim(id))) throw new HistoryError(msg.inUse(id), 'inUse');
    for (const recorder of this.recorders.get(id) ?? []) recorder.abandon();
    this.recorders.delete(id);
    this.known.delete(id);
    this.summaries.delete(id);
    this.searchIndex?.forget(id);
    await this.queues.run(id, () => this.fs.unlink(this.logPath(id)).catch(ignoreNotFound));
    await this.queues.run(INDEX, async () => {
      await this.fs.appendFile(await this.indexPath(), encodeDeleted(id, this.clock.now()));
    });
    if ((await this.getOpen()) === id) await this.setOpen(undefined);
    await this.locks.release(lockName(id));
    // Its images and PDFs may now be named by no conversation.
    void this.collectMedia().catch(() => undefined);
  }

  /** Removes the stored images and PDFs no conversation names any more (see {@link StoredMedia.collect}). */
  collectMedia(): Promise<number> {
    return this.media.collect();
  }

  /** Collects media once, `delayMs` after now (2 minutes unless a test says otherwise). */
  scheduleMediaCollection(delayMs?: number): Disposable {
    return this.media.schedule(delayMs);
  }

  /** Conversations whose title, questions or answers contain `query`, ignoring case; `signal` stops the reading. */
  async search(query: string, signal?: AbortSignal): Promise<ConversationSummary[]> {
    const summaries = await this.list();
    if (this.searchIndex !== undefined) return this.searchIndex.search(query, summaries, signal);
    return searchLogs(query, summaries, (id) => this.fs.readFile(this.logPath(id)), signal);
  }

  /** The active branch of a conversation as Markdown. */
  exportMarkdown(conversation: Conversation, options?: MarkdownExportOptions): string {
    const mediaLink = this.media.enabled ? (media: { sha256: string; mediaType: MediaType }): string => pathToFileURL(this.media.path(media.sha256, media.mediaType)).href : undefined;
    return exportMarkdown(conversation, { ...(mediaLink !== undefined ? { mediaLink } : {}), ...options });
  }

  /** Remembers which conversation is open, so reopening VS Code can restore it. */
  async setOpen(id: string | undefined): Promise<void> {
    if (id !== undefined) checkId(id);
    await this.open.set(id);
  }

  /** The conversation that was open last, if any. */
  getOpen(): Promise<string | undefined> {
    return this.open.get();
  }

  /** True when this store created or loaded the conversation, so it can record it. */
  has(id: string): boolean {
    return this.known.has(id);
  }

  /** Writes every buffered checkpoint and waits for all queued writes. */
  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].flatMap((set) => [...set].map((recorder) => recorder.flush())));
    await this.queues.idleAll();
  }

  private appendLog(id: string, text: string, media?: MediaStash): void {
    void this.queues.run(id, async () => {
      if (!this.known.has(id)) return; // deleted while the write waited
      // Never two writers on one log: a conversation another window holds is not written here.
      if (!(await this.claim(id).catch(() => false))) {
        this.options.onError?.(new HistoryError(msg.inUse(id), 'inUse'));
        return;
      }
      const fence = this.torn.has(id) ? '\n' : '';
      try {
        // The files first: a line never names media that is not on disk.
        await this.media.write(media);
        await this.fs.appendFile(this.logPath(id), fence + text);
        this.torn.delete(id);
        await this.indexAppend(id, text);
      } catch (error) {
        // The write may have stopped mid-line; fence it off so the next record stays readable.
        this.torn.add(id);
        this.searchIndex?.forget(id);
        this.options.onError?.(new HistoryError(msg.writeFailed(id), 'writeFailed', { cause: error }));
      }
    });
  }

  /** Keeps the search index of a log current with what this store just appended to it. */
  private async indexAppend(id: string, text: string): Promise<void> {
    if (this.searchIndex?.tracks(id) !== true || this.fs.stat === undefined) return;
    const stat = await this.fs.stat(this.logPath(id)).catch(() => undefined);
    if (stat === undefined) this.searchIndex.forget(id);
    else this.searchIndex.appended(id, text, stat);
  }

  /** Queues an index line; summaries that pile up behind a slow write go out as one append. */
  private writeSummary(summary: ConversationSummary): void {
    this.summaries.set(summary.id, summary);
    const alreadyQueued = this.pendingSummaries.size > 0;
    this.pendingSummaries.set(summary.id, summary);
    if (alreadyQueued) return;
    void this.queues.run(INDEX, async () => {
      const batch = [...this.pendingSummaries.values()].filter((s) => this.known.has(s.id));
      this.pendingSummaries.clear();
      if (batch.length > 0) await this.fs.appendFile(await this.indexPath(), batch.map(encodeSummary).join(''));
    }).catch((error: unknown) => this.options.onError?.(new HistoryError(msg.writeFailed(summary.id), 'writeFailed', { cause: error })));
  }

  /** The index generation appended to; found once, from the folder listing. */
  private currentGeneration(): Promise<number> {
    this.generation ??= this.fs.mkdir(this.options.dir).then(async () => {
      const generations = (await readdirOrEmpty(this.fs, this.options.dir)).map(indexGeneration).filter((g) => g !== undefined);
      return Math.max(0, ...generations);
    });
    return this.generation;
  }

  private async indexPath(): Promise<string> {
    return `${this.options.dir}/${indexFileName(await this.currentGeneration())}`;
  }

  private async readIndex(): Promise<IndexState> {
    const names = await readdirOrEmpty(this.fs, this.options.dir);
    const texts = await Promise.all(
      names.flatMap((name) => (indexGeneration(name) === undefined ? [] : [this.fs.readFile(`${this.options.dir}/${name}`).catch(() => '')])),
    );
    return mergeIndex(texts);
  }

  private async reindex(id: string): Promise<ConversationSummary | undefined> {
    const text = await this.fs.readFile(this.logPath(id)).catch(() => '');
    const { conversation } = replayText(text);
    if (conversation === undefined) return undefined;
    const stat = await this.fs.stat?.(this.logPath(id)).catch(() => undefined);
    const summary = summarize({ ...conversation, id }, stat?.mtimeMs ?? lastActivity(conversation));
    this.known.add(id);
    if (text !== '' && !text.endsWith('\n')) this.torn.add(id);
    this.writeSummary(summary);
    return summary;
  }

  /** Rewrites the live summaries into the next generation, then drops the older ones. */
  private async compactIndex(live: readonly ConversationSummary[]): Promise<void> {
    await this.queues.run(INDEX, async () => {
      const next = (await this.currentGeneration()) + 1;
      await this.fs.appendFile(`${this.options.dir}/${indexFileName(next)}`, live.map(encodeSummary).join(''));
      this.generation = Promise.resolve(next);
      for (const name of await readdirOrEmpty(this.fs, this.options.dir)) {
        const generation = indexGeneration(name);
        if (generation !== undefined && generation < next) await this.fs.unlink(`${this.options.dir}/${name}`).catch(ignoreNotFound);
      }
    });
  }
}

const lockName = (id: string): string => `c-${id}`;

function checkId(id: string): string {
  if (!isConversationId(id)) throw new HistoryError(msg.badId(String(id).slice(0, 80)), 'badId');
  return id;
}
