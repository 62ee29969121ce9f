import type { Clock } from '../util/clock';
import type { Disposable } from '../util/emitter';
import { FileLocks, memoryLockFs } from '../util/fileLock';
import type { FileLockOptions, LockFs } from '../util/fileLock';

/** The lock that makes one window the owner of a job: it alone creates, reconciles, polls and downloads it. */
const ownerLock = (key: string): string => `own-${key}`;
/** The lock held while batches from the API's list are claimed by jobs (reconcile, import). */
const ADOPT_LOCK = 'adopt-batches';
/** How long claiming waits for another window's: a listing of many batches takes a while. */
const ADOPT_WAIT_MS = 60_000;

/**
 * Which window works on which job. Every window shares global storage, so a job's owner holds a
 * cross-window lock in the storage folder (taken over when its owner is gone); within this
 * process, the jobs whose create is in flight.
 */
export class JobOwners implements Disposable {
  /** This window's locks in the storage folder (the journal's record locks too). */
  readonly locks: FileLocks;
  /** Jobs whose create is in flight in this process: never reconciled meanwhile (that could double it). */
  readonly sending = new Set<string>();
  private adopting: Promise<unknown> = Promise.resolve();

  /** Without `lockFs` the locks only exclude this process (unit tests). */
  constructor(lockFs: LockFs | undefined, dir: string, clock: Clock, options?: FileLockOptions) {
    this.locks = new FileLocks(lockFs ?? memoryLockFs(), `${dir}/locks`, clock, options);
  }

  /** This window owns the job (taking it over when its owner is gone); false while another window works on it. */
  own(key: string): Promise<boolean> {
    return this.locks.tryAcquire(ownerLock(key));
  }

  /** The job needs no owner any more (ended and downloaded, failed, deleted). */
  disown(key: string): Promise<void> {
    return this.locks.release(ownerLock(key)).catch(() => undefined);
  }

  /** Still the owner, checked on disk: a window that lost the job to another must not act on it. */
  verify(key: string): Promise<boolean> {
    return this.locks.verify(ownerLock(key));
  }

  /**
   * Runs `work` as the only claimer of batches from the API's list, across windows and within
   * this one: two claimers at once could each take the same unclaimed batch (two jobs tracking
   * one batch, and one job's own batch left untracked). `work` re-reads the journal first.
   */
  adoptingBatches<T>(work: () => Promise<T>): Promise<T> {
    const run = this.adopting.catch(() => undefined).then(() => this.locks.withLock(ADOPT_LOCK, work, ADOPT_WAIT_MS));
    this.adopting = run;
    return run;
  }

  /** Whether this window holds the job now (no disk access). */
  holds(key: string): boolean {
    return this.locks.holds(ownerLock(key));
  }

  dispose(): void {
    this.locks.dispose();
  }
}
