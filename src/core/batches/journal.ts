/**
 * The local journal of batch jobs: one JSON file per job, written atomically through the injected
 * fs, so a crash leaves either the old or the new state of a job, never half of one. A job is
 * written in state pending-create BEFORE `batches.create` is sent and updated right after, which
 * is what lets a restart reconcile instead of losing or doubling the job.
 *
 * The folder is shared by every VS Code window. Each record carries a revision (`rev`); a write
 * re-reads the file under a short cross-window lock and is refused when another window wrote a
 * newer revision since this one read it (the newer record replaces the stale one in memory). A
 * deleted job leaves a tombstone, so a window still holding it cannot write it back.
 */
import * as l10n from '@vscode/l10n';
import { FileLocks, memoryLockFs } from '../util/fileLock';
import { systemClock } from '../util/clock';
import type { BatchJob } from './model';
import type { BatchFs } from './ports';
import { isNotFound } from './ports';
import { errorMessage } from '../util/errors';

/** What a job key looks like (newId('job'), with a chunk suffix): it becomes file and folder names. */
const JOB_KEY = /^job_[A-Za-z0-9_-]{1,64}$/;

export function isJobKey(value: unknown): value is string {
  return typeof value === 'string' && JOB_KEY.test(value);
}

function checkKey(key: string): string {
  if (!isJobKey(key)) throw new Error(`Not a batch job key: ${String(key).slice(0, 80)}`);
  return key;
}

/** A write refused because another window changed or deleted the job first. */
export class StaleJobError extends Error {
  constructor(readonly key: string, readonly deleted: boolean) {
    super(deleted ? l10n.t('This batch job was deleted in another window.') : l10n.t('This batch job was changed in another window; it now shows that change.'));
    this.name = 'StaleJobError';
  }
}

interface Tombstone {
  readonly key: string;
  readonly deleted: true;
  readonly rev: number;
  readonly batchId?: string;
}

type Record = { kind: 'job'; job: BatchJob } | { kind: 'tombstone'; tombstone: Tombstone };

/** Validates a journal file (another window or a crash may have left anything there). */
function parseRecord(text: string, key: string): Record {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('not a batch job');
  const record = value as { [k: string]: unknown };
  if (record.key !== key) throw new Error('its key does not match its file name');
  if (record.deleted === true && typeof record.rev === 'number') return { kind: 'tombstone', tombstone: value as Tombstone };
  if (!Array.isArray(record.requests) || typeof record.state !== 'string') throw new Error('not a batch job');
  return { kind: 'job', job: value as BatchJob };
}

export class BatchJournal {
  private readonly jobs = new Map<string, BatchJob>();
  private readonly tombstones = new Map<string, Tombstone>();
  /** The revision of each job this window last read or wrote. */
  private readonly revs = new Map<string, number>();
  private writes = new Map<string, Promise<void>>();

  /** Without `locks` the journal only guards against writers in this process. */
  constructor(private readonly fs: BatchFs, private readonly dir: string, private readonly locks: FileLocks = new FileLocks(memoryLockFs(), `${dir}/locks`, systemClock)) {}

  jobsDir(): string {
    return `${this.dir}/jobs`;
  }

  resultsDir(key: string): string {
    return `${this.dir}/results/${checkKey(key)}`;
  }

  /** Where a prepared job keeps its requests (removed with its results). */
  preparedFile(key: string): string {
    return `${this.resultsDir(key)}/requests.json`;
  }

  resultsFile(key: string): string {
    return `${this.resultsDir(key)}/results.jsonl`;
  }

  private jobFile(key: string): string {
    return `${this.jobsDir()}/${checkKey(key)}.json`;
  }

  /** Loads every job; unreadable files are reported and skipped, never deleted. Crashed writers' temps are removed first. */
  async load(onProblem: (file: string, message: string) => void = () => undefined): Promise<BatchJob[]> {
    await this.fs.cleanTemps?.(this.dir).catch(() => undefined);
    await this.refresh(onProblem);
    return this.all();
  }

  /** Re-reads the folder: other windows' new jobs, newer revisions and deletions. True when anything changed. */
  async refresh(onProblem: (file: string, message: string) => void = () => undefined): Promise<boolean> {
    let names: string[] = [];
    try {
      names = await this.fs.readdir(this.jobsDir());
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    let changed = false;
    for (const name of names) {
      const key = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      if (!isJobKey(key)) {
        if (name.endsWith('.json')) onProblem(name, 'not a batch job file name');
        continue;
      }
      const known = this.revs.get(key);
      let record: Record;
      try {
        record = parseRecord(await this.fs.readFile(`${this.jobsDir()}/${name}`), key);
      } catch (error) {
        if (!isNotFound(error)) onProblem(name, errorMessage(error));
        continue;
      }
      changed = this.adopt(key, record, known) || changed;
    }
    return changed;
  }

  /** Takes a record read from disk unless this window already has that revision. */
  private adopt(key: string, record: Record, known: number | undefined): boolean {
    const rev = record.kind === 'job' ? (record.job.rev ?? 0) : record.tombstone.rev;
    if (known !== undefined && rev === known && (record.kind === 'job') === this.jobs.has(key)) return false;
    this.revs.set(key, rev);
    if (record.kind === 'tombstone') {
      this.tombstones.set(key, record.tombstone);
      return this.jobs.delete(key);
    }
    this.jobs.set(key, record.job);
    return true;
  }

  /** Newest first. */
  all(): BatchJob[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt - a.createdAt || b.key.localeCompare(a.key));
  }

  get(key: string): BatchJob | undefined {
    return this.jobs.get(key);
  }

  /** The job (or deleted job) that owns this batch: a batch a deleted job had is never adopted again. */
  byBatchId(batchId: string): BatchJob | Tombstone | undefined {
    for (const job of this.jobs.values()) if (job.batchId === batchId) return job;
    for (const tombstone of this.tombstones.values()) if (tombstone.batchId === batchId) return tombstone;
    return undefined;
  }

  /** True when the job was deleted (here or in another window). */
  isDeleted(key: string): boolean {
    return this.tombstones.has(key);
  }

  /**
   * Writes the job (serialised per job, so writes land in order). Rejects with StaleJobError,
   * writing nothing, when another window wrote or deleted the job since this window read it;
   * the journal then holds the newer record.
   */
  async save(job: BatchJob): Promise<void> {
    const key = checkKey(job.key);
    if (this.tombstones.has(key)) throw new StaleJobError(key, true);
    this.jobs.set(key, job);
    const text = JSON.stringify(job);
    return this.queue(key, () => this.locks.withLock(`w-${key}`, async () => {
      const disk = await this.readRecord(key);
      const diskRev = disk === undefined ? 0 : disk.kind === 'job' ? (disk.job.rev ?? 0) : disk.tombstone.rev;
      if (disk !== undefined && (disk.kind === 'tombstone' || diskRev !== (this.revs.get(key) ?? 0))) {
        this.adopt(key, disk, undefined);
        throw new StaleJobError(key, disk.kind === 'tombstone');
      }
      const rev = diskRev + 1;
      await this.fs.mkdir(this.jobsDir());
      await this.fs.writeFileAtomic(this.jobFile(key), JSON.stringify({ ...(JSON.parse(text) as BatchJob), rev }));
      this.revs.set(key, rev);
      job.rev = rev;
    }));
  }

  /** Deletes the job for every window: a tombstone replaces its record, its results go. */
  async delete(key: string): Promise<void> {
    checkKey(key);
    const batchId = this.jobs.get(key)?.batchId;
    await this.queue(key, () => this.locks.withLock(`w-${key}`, async () => {
      const disk = await this.readRecord(key);
      const rev = (disk === undefined ? 0 : disk.kind === 'job' ? (disk.job.rev ?? 0) : disk.tombstone.rev) + 1;
      const tombstone: Tombstone = { key, deleted: true, rev, ...(batchId !== undefined ? { batchId } : {}) };
      await this.fs.mkdir(this.jobsDir());
      await this.fs.writeFileAtomic(this.jobFile(key), JSON.stringify(tombstone));
      this.adopt(key, { kind: 'tombstone', tombstone }, undefined);
    }));
    await this.fs.remove(this.resultsDir(key));
  }

  private async readRecord(key: string): Promise<Record | undefined> {
    let text: string;
    try {
      text = await this.fs.readFile(this.jobFile(key));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    try {
      return parseRecord(text, key);
    } catch {
      // Unreadable on disk: this window's copy is the better one to write.
      return undefined;
    }
  }

  private queue(key: string, work: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.writes.set(key, next);
    return next;
  }
}
