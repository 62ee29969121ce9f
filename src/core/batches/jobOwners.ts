import type { Clock } from '../util/clock';
import type { Disposable } from '../util/emitter';
import { FileLocks, memoryLockFs } from '../util/fileLock';
import type { FileLockOptions, LockFs } from '../util/fileLock';

/** The lock that makes one window the owner of a job: it alone creates, reconciles, polls and downloads it. */
const ownerLock = (key: string): string => `own-${key}`;

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

  /** Whether this window holds the job now (no disk access). */
  holds(key: string): boolean {
    return this.locks.holds(ownerLock(key));
  }

  dispose(): void {
    this.locks.dispose();
  }
}
