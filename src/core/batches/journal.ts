/**
 * The local journal of batch jobs: one JSON file per job, written atomically through the injected
 * fs, so a crash leaves either the old or the new state of a job, never half of one. A job is
 * written in state pending-create BEFORE `batches.create` is sent and updated right after, which
 * is what lets a restart reconcile instead of losing or doubling the job.
 */
import type { BatchJob } from './model';
import type { BatchFs } from './ports';
import { isNotFound } from './ports';
import { errorMessage } from '../util/errors';

export class BatchJournal {
  private readonly jobs = new Map<string, BatchJob>();
  private writes = new Map<string, Promise<void>>();

  constructor(private readonly fs: BatchFs, private readonly dir: string) {}

  jobsDir(): string {
    return `${this.dir}/jobs`;
  }

  resultsDir(key: string): string {
    return `${this.dir}/results/${key}`;
  }

  /** Where a prepared job keeps its requests (removed with its results). */
  preparedFile(key: string): string {
    return `${this.resultsDir(key)}/requests.json`;
  }

  resultsFile(key: string): string {
    return `${this.resultsDir(key)}/results.jsonl`;
  }

  /** Loads every job; unreadable files are reported and skipped, never deleted. */
  async load(onProblem: (file: string, message: string) => void = () => undefined): Promise<BatchJob[]> {
    let names: string[] = [];
    try {
      names = await this.fs.readdir(this.jobsDir());
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const job = JSON.parse(await this.fs.readFile(`${this.jobsDir()}/${name}`)) as BatchJob;
        if (typeof job.key !== 'string' || !Array.isArray(job.requests) || typeof job.state !== 'string') throw new Error('not a batch job');
        this.jobs.set(job.key, job);
      } catch (error) {
        onProblem(name, errorMessage(error));
      }
    }
    return this.all();
  }

  /** Newest first. */
  all(): BatchJob[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt - a.createdAt || b.key.localeCompare(a.key));
  }

  get(key: string): BatchJob | undefined {
    return this.jobs.get(key);
  }

  byBatchId(batchId: string): BatchJob | undefined {
    for (const job of this.jobs.values()) if (job.batchId === batchId) return job;
    return undefined;
  }

  /** Writes the job (serialised per job, so writes land in order). */
  save(job: BatchJob): Promise<void> {
    this.jobs.set(job.key, job);
    const text = JSON.stringify(job);
    const previous = this.writes.get(job.key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      await this.fs.mkdir(this.jobsDir());
      await this.fs.writeFileAtomic(`${this.jobsDir()}/${job.key}.json`, text);
    });
    this.writes.set(job.key, next);
    return next;
  }

  async delete(key: string): Promise<void> {
    await (this.writes.get(key) ?? Promise.resolve()).catch(() => undefined);
    this.jobs.delete(key);
    this.writes.delete(key);
    await this.fs.remove(`${this.jobsDir()}/${key}.json`);
    await this.fs.remove(this.resultsDir(key));
  }
}
