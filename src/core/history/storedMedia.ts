import type { MediaType } from '../media/mediaFacts';
import type { Disposable } from '../util/emitter';
import { LockBusyError } from '../util/fileLock';
import type { FileLocks } from '../util/fileLock';
import type { MediaStash } from './historyMedia';
import { mediaFileName } from './historyMedia';
import type { HistoryClock, HistoryFs } from './historyPorts';
import { fileExists } from './historyPorts';
import { collectMedia, MEDIA_GC_STARTUP_DELAY_MS, MEDIA_LOCK } from './mediaCollector';
import type { WriteQueues } from './writeQueues';

const MEDIA_QUEUE = '#media';

export interface StoredMediaDeps {
  readonly fs: HistoryFs;
  readonly clock: HistoryClock;
  /** The history folder; the files go in its `media/`. */
  readonly dir: string;
  readonly logsDir: string;
  /** The history store's cross-window locks and per-file write queues. */
  readonly locks: FileLocks;
  readonly queues: WriteQueues;
  /** A collection that failed for another reason than a lock another window holds. */
  readonly onCollectError: (error: unknown) => void;
}

/**
 * History's images and PDFs as files of their own (`media/<sha256>.<ext>`, see historyMedia):
 * where each is, writing the ones a log line names, and removing the ones no log names any more
 * (see mediaCollector), all under the one media lock.
 */
export class StoredMedia {
  /** The media collection under way, if any (one at a time per window). */
  private collecting: Promise<number> | undefined;

  constructor(private readonly deps: StoredMediaDeps) {}

  /** Whether images and PDFs are kept as files of their own (the file system can write bytes). */
  get enabled(): boolean {
    return this.deps.fs.writeBytesAtomic !== undefined && this.deps.fs.readBytes !== undefined;
  }

  private get dir(): string {
    return `${this.deps.dir}/media`;
  }

  /** Where a stored image or PDF is. */
  path(sha256: string, mediaType: MediaType): string {
    return `${this.dir}/${mediaFileName(sha256, mediaType)}`;
  }

  /**
   * Writes the media a log line names, each once: a file already there has these very bytes (its
   * name is their hash) and is touched instead, under the media lock, so that a collector in any
   * window sees it as new until the line naming it is written (see history/mediaCollector).
   */
  async write(stash: MediaStash | undefined): Promise<void> {
    const { fs, clock } = this.deps;
    const write = fs.writeBytesAtomic?.bind(fs);
    if (stash === undefined || stash.size === 0 || write === undefined) return;
    await fs.mkdir(this.dir);
    await this.withLock(async () => {
      for (const [sha256, { bytes, mediaType }] of stash) {
        const path = this.path(sha256, mediaType);
        if (!(await fileExists(fs, path))) await write(path, bytes);
        else if (fs.touch !== undefined) await fs.touch(path, clock.now()).catch(() => write(path, bytes));
      }
    });
  }

  /**
   * Removes the stored images and PDFs that no conversation names any more and that are over an
   * hour old (see history/mediaCollector). Skipped while another window holds the media lock;
   * resolves to how many files were removed.
   */
  collect(): Promise<number> {
    const { fs, clock } = this.deps;
    const stat = fs.stat?.bind(fs);
    if (!this.enabled || stat === undefined || fs.touch === undefined) return Promise.resolve(0);
    this.collecting ??= collectMedia({
      fs,
      stat,
      clock,
      mediaDir: this.dir,
      logsDir: this.deps.logsDir,
      // Not waited for: a window writing media holds it for a moment, and the next collection comes.
      withMediaLock: (work) => this.withLock(work, 0),
    }).catch((error: unknown) => {
      if (!(error instanceof LockBusyError)) this.deps.onCollectError(error);
      return 0;
    }).finally(() => {
      this.collecting = undefined;
    });
    return this.collecting;
  }

  /** Collects once, `delayMs` after now (2 minutes unless a test says otherwise). */
  schedule(delayMs = MEDIA_GC_STARTUP_DELAY_MS): Disposable {
    return this.deps.clock.setTimer(() => void this.collect(), delayMs);
  }

  /** The media lock, also taken in turn within this window (a lock this window holds would not exclude its own work). */
  private withLock<T>(work: () => Promise<T>, waitMs?: number): Promise<T> {
    return this.deps.queues.run(MEDIA_QUEUE, () => this.deps.locks.withLock(MEDIA_LOCK, work, waitMs));
  }
}
