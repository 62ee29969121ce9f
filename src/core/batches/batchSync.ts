import * as l10n from '@vscode/l10n';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { errorMessage } from '../util/errors';
import { newId } from '../util/ids';
import type { ReconcileOutcome } from './batchManager';
import { BatchPart } from './batchPart';
import type { BatchPartHooks } from './batchPart';
import { ingestResults } from './ingest';
import { StaleJobError } from './journal';
import type { BatchJob, JobRequest } from './model';
import { adoptBatch, applyBatch, isActive, newJob } from './model';
import type { PollResult } from './poller';

/** What the sync calls back into the manager for. */
export interface BatchSyncHooks extends BatchPartHooks {
  /** Finds or resends a job left pending-create (the manager's: it may send the create). */
  reconcile(job: BatchJob): Promise<ReconcileOutcome>;
  /** A batch runs: the poller (re)starts. */
  startPolling(): void;
  /** A job ended and its results are stored: the listeners hear it once per job, across restarts. */
  notifyEnded(job: BatchJob): Promise<void>;
}

/**
 * Keeps the journal in step with batches that exist on the server: polls the jobs this window
 * owns, downloads each ended job's results once, cancels, deletes, imports the API's list and
 * reads stored results. Creating a batch is the manager's (batchManager.ts).
 */
export class BatchSync extends BatchPart<BatchSyncHooks> {
  private readonly ingesting = new Map<string, Promise<void>>();

  /** One round of polling; what the poller calls. */
  async pollOnce(): Promise<PollResult> {
    // Other windows' new jobs, progress and deletions show here too.
    let changed = await this.journal.refresh().catch(() => false);
    const client = await this.deps.getClient();
    for (const job of this.journal.all()) {
      if (isActive(job) && !(await this.owners.own(job.key))) continue;
      if (job.state === 'pending-create') {
        if (this.owners.sending.has(job.key)) continue;
        const outcome = await this.hooks.reconcile(job).catch((error: unknown) => {
          this.log(`Batch job ${job.name}: ${errorMessage(error)}`);
          return 'failed' as const;
        });
        changed ||= outcome === 'adopted' || outcome === 'resent';
        continue;
      }
      if (job.state !== 'created' || job.batchId === undefined) continue;
      try {
        const batch = await client.messages.batches.retrieve(job.batchId);
        if (applyBatch(job, batch)) {
          changed = true;
          await this.journal.save(job);
        }
      } catch (error) {
        if (error instanceof StaleJobError) changed = true;
        this.log(`Batch ${job.batchId}: ${errorMessage(error)}`);
      }
    }
    for (const job of this.journal.all()) {
      if (job.state === 'ended' && this.owners.holds(job.key)) {
        await this.download(job).catch((error: unknown) => this.log(`Batch ${job.batchId ?? job.key}: results not downloaded: ${errorMessage(error)}`));
        changed = true;
      }
    }
    if (changed) this.changed();
    return { active: this.journal.all().some(isActive), changed };
  }

  /** Downloads an ended job's results once (concurrent calls share one download). */
  download(job: BatchJob): Promise<void> {
    const running = this.ingesting.get(job.key);
    if (running) return running;
    const work = (async () => {
      if (job.state !== 'ended' || job.batchId === undefined) return;
      const client = await this.deps.getClient();
      const results = await client.messages.batches.results(job.batchId);
      await this.deps.fs.mkdir(this.journal.resultsDir(job.key));
      const writer = await this.deps.fs.createWriter(this.journal.resultsFile(job.key));
      try {
        await ingestResults(job, results, writer, this.deps.model(job.model));
      } finally {
        await writer.close();
      }
      job.state = 'ingested';
      delete job.error;
      try {
        await this.journal.save(job);
      } catch (error) {
        if (!(error instanceof StaleJobError && error.deleted)) throw error;
        // Deleted in another window while this one downloaded: its results go too, as with any delete.
        await this.deps.fs.remove(this.journal.resultsDir(job.key));
        await this.owners.disown(job.key);
        this.changed();
        return;
      }
      await this.owners.disown(job.key);
      this.changed();
      await this.hooks.notifyEnded(job);
    })().finally(() => this.ingesting.delete(job.key));
    this.ingesting.set(job.key, work);
    return work;
  }

  async cancel(job: BatchJob): Promise<void> {
    if (job.batchId === undefined || job.state !== 'created') return;
    const client = await this.deps.getClient();
    const batch = await client.messages.batches.cancel(job.batchId);
    applyBatch(job, batch);
    try {
      await this.journal.save(job);
    } catch (error) {
      if (!(error instanceof StaleJobError) || error.deleted) throw error;
      // Another window wrote the job meanwhile: apply the canceled batch to its newer record.
      const latest = this.journal.get(job.key) ?? job;
      applyBatch(latest, batch);
      await this.journal.save(latest);
    }
    this.changed();
    this.hooks.startPolling();
  }

  /** Deletes the job locally and, when it has ended, on the server too. Running jobs must be canceled first. */
  async delete(job: BatchJob): Promise<void> {
    if (job.state === 'created' || job.state === 'pending-create') {
      throw new Error(l10n.t('"{0}" is still running. Cancel it first, then delete it.', job.name));
    }
    if (job.batchId !== undefined && job.mode !== 'now') {
      try {
        const client = await this.deps.getClient();
        await client.messages.batches.delete(job.batchId);
      } catch (error) {
        this.log(`Batch ${job.batchId} not deleted on the server: ${errorMessage(error)}`);
      }
    }
    await this.journal.delete(job.key);
    await this.owners.disown(job.key);
    this.changed();
  }

  /** Adds batches from the API's list that this machine does not know. Returns how many. */
  async importFromApi(): Promise<number> {
    const client = await this.deps.getClient();
    const added = await this.owners.adoptingBatches(async () => {
      // What other windows imported or adopted meanwhile.
      await this.journal.refresh();
      let count = 0;
      for await (const batch of client.messages.batches.list({ limit: 100 })) {
        if (this.journal.byBatchId(batch.id) !== undefined) continue;
        // Known to the server only: no files, prompt or model of ours; nothing to notify about.
        const createdAt = Date.parse(batch.created_at) || this.deps.clock.now();
        const job: BatchJob = { ...newJob(createdAt, newId('job'), `Imported ${batch.id}`, 'imported', { prompt: '', model: '', maxTokens: 0 }, [], []), notified: true };
        adoptBatch(job, batch);
        await this.journal.save(job);
        count++;
      }
      return count;
    });
    if (added > 0) {
      this.changed();
      this.hooks.startPolling();
    }
    return added;
  }

  /** The stored result line of one request, or undefined before results are in. */
  async readResult(job: BatchJob, request: JobRequest): Promise<MessageBatchIndividualResponse | undefined> {
    if (request.offset === undefined || request.length === undefined) return undefined;
    const line = await this.deps.fs.readRange(this.journal.resultsFile(job.key), request.offset, request.length);
    return JSON.parse(line) as MessageBatchIndividualResponse;
  }

  resultsFile(job: BatchJob): string {
    return this.journal.resultsFile(job.key);
  }
}
