/**
 * Batch jobs end to end, with no VS Code in sight: create (journal first), reconcile after a
 * crash, poll, download results once, cancel, retry failed, delete, import from the API's list,
 * and "run now" with a concurrency limit (runNow.ts). The job record and how a batch from the API
 * updates it are in model.ts. The extension adapts it to a tree and commands.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatch, MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { ModelEntry } from '../anthropic/modelTypes';
import { Emitter } from '../util/emitter';
import type { Disposable, Event } from '../util/emitter';
import { newId } from '../util/ids';
import { ingestResults } from './ingest';
import type { BatchJob, CreateOptions, JobRequest } from './model';
import { adoptBatch, applyBatch, countOutcomes, isActive, newJob, retryableRequests, specOf, totalOf } from './model';
import { PreparedTooLargeError, parsePreparedRequests, type PreparedJobOptions, type PreparedRequest } from './prepared';
import { runRequestsNow, type RunNowProgress } from './runNow';
import type { BatchClock, BatchFs } from './ports';
import { BatchJournal } from './journal';
import { BatchPoller } from './poller';
import type { PollResult } from './poller';
import type { BatchFile, BatchRequestParams, BatchSpec } from './requests';
import { buildRequest, customIdFor, estimateCost, estimatePreparedCost, fileRequestBytes, jobTagOf, requestBytes, splitByLimits, MAX_BYTES_PER_BATCH, MAX_REQUESTS_PER_BATCH } from './requests';
import { errorMessage } from '../util/errors';
import { FileLocks, memoryLockFs } from '../util/fileLock';
import type { FileLockOptions, LockFs } from '../util/fileLock';
import { StaleJobError } from './journal';
import { recoverRunNow } from './runNow';

export { PreparedTooLargeError, type PreparedJobOptions, type PreparedRequest } from './prepared';
export type { CreateOptions } from './model';
export type { RunNowProgress } from './runNow';

/** How far apart the local clock and the server's created_at may be when reconciling. */
export const RECONCILE_SKEW_MS = 10 * 60_000;

export interface BatchManagerDeps {
  readonly fs: BatchFs;
  /** The storage folder (global storage). */
  readonly dir: string;
  readonly getClient: () => Promise<Anthropic>;
  readonly clock: BatchClock;
  readonly model: (id: string) => ModelEntry | undefined;
  readonly pollIntervals: () => { minMs: number; maxMs: number };
  readonly log?: (message: string) => void;
  /** Limits per batch; the API's by default (tests shrink them). */
  readonly limits?: { maxCount: number; maxBytes: number };
  /** Run now's stall timeout (the liveness rule every request follows). */
  readonly stallTimeoutMs?: () => number;
  /**
   * Cross-window locks in the storage folder. Every window shares global storage, so the
   * extension passes node's; without it the locks only exclude this process (unit tests).
   */
  readonly lockFs?: LockFs;
  readonly lockOptions?: FileLockOptions;
}

/** The lock that makes one window the owner of a job: it alone creates, reconciles, polls and downloads it. */
const ownerLock = (key: string): string => `own-${key}`;

export class BatchManager implements Disposable {
  readonly journal: BatchJournal;
  private readonly poller: BatchPoller;
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this._onDidChange.event;
  private readonly _onDidEnd = new Emitter<BatchJob>();
  /** A job ended and its results are stored (fires once per job, across restarts). */
  readonly onDidEnd: Event<BatchJob> = this._onDidEnd.event;
  private readonly ingesting = new Map<string, Promise<void>>();
  /** Jobs whose create is in flight in this process: never reconciled meanwhile (that could double it). */
  private readonly sending = new Set<string>();
  private readonly locks: FileLocks;

  constructor(private readonly deps: BatchManagerDeps) {
    this.locks = new FileLocks(deps.lockFs ?? memoryLockFs(), `${deps.dir}/locks`, deps.clock, deps.lockOptions);
    this.journal = new BatchJournal(deps.fs, deps.dir, this.locks);
    this.poller = new BatchPoller(deps.clock, () => this.pollOnce(), deps.pollIntervals, (error) => this.log(`Batch poll failed: ${errorMessage(error)}`));
  }

  get jobs(): BatchJob[] {
    return this.journal.all();
  }

  get pollerScheduled(): boolean {
    return this.poller.scheduled;
  }

  get pollDelays(): readonly number[] {
    return this.poller.history;
  }

  /** Limits per batch: the API's unless the deps shrink them. */
  private get limits(): { maxCount: number; maxBytes: number } {
    return this.deps.limits ?? { maxCount: MAX_REQUESTS_PER_BATCH, maxBytes: MAX_BYTES_PER_BATCH };
  }

  /** This window owns the job (taking it over when its owner is gone); false while another window works on it. */
  private own(key: string): Promise<boolean> {
    return this.locks.tryAcquire(ownerLock(key));
  }

  /** The job needs no owner any more (ended and downloaded, failed, deleted). */
  private disown(key: string): Promise<void> {
    return this.locks.release(ownerLock(key)).catch(() => undefined);
  }

  /**
   * Loads the journal and takes over what no live window owns: creates that were interrupted are
   * reconciled, Run now jobs that a crash stopped keep every result on disk. Resumes polling.
   */
  async init(): Promise<void> {
    await this.journal.load((file, message) => this.log(`Batch journal ${file} skipped: ${message}`));
    for (const job of this.journal.all()) {
      if (job.state === 'pending-create') {
        try {
          await this.reconcile(job);
        } catch (error) {
          this.log(`Could not reconcile batch job ${job.name}: ${errorMessage(error)}`);
        }
      }
      if (job.mode === 'now' && job.state === 'created' && (await this.own(job.key))) {
        try {
          await this.recoverNow(job);
        } catch (error) {
          this.log(`Could not recover Run now job ${job.name}: ${errorMessage(error)}`);
        }
      }
    }
    this.changed();
    if (this.jobs.some(isActive)) this.poller.start();
  }

  /** Builds and journals one job per chunk (within the API limits), then creates them. */
  async create(spec: BatchSpec, files: readonly BatchFile[], options: CreateOptions): Promise<{ jobs: BatchJob[]; tooLarge: BatchFile[] }> {
    const key = newId('job');
    const tag = jobTagOf(key);
    // Only ids and files are kept; each chunk's requests are built right before it is sent, so a
    // large job never holds every built request (a second copy of every file) at once.
    const entries = files.map((file, i) => ({ file, customId: customIdFor(tag, i) }));
    const { chunks, tooLarge } = splitByLimits(entries, (e) => fileRequestBytes(spec, e.customId, e.file), this.limits);
    const jobs: BatchJob[] = [];
    for (const [index, chunk] of chunks.entries()) {
      await this.own(chunks.length === 1 ? key : `${key}_${index + 1}`);
      const job = newJob(this.deps.clock.now(), chunks.length === 1 ? key : `${key}_${index + 1}`, chunks.length === 1 ? options.name : `${options.name} (${index + 1}/${chunks.length})`, 'batch', spec, chunk.map((c) => c.file), chunk.map((c) => c.customId), options.retryOf);
      job.estimatedCostUsd = this.estimate(spec, chunk.map((c) => c.file));
      job.state = 'pending-create';
      await this.journal.save(job);
      jobs.push(job);
    }
    this.changed();
    for (const [index, job] of jobs.entries()) {
      await this.send(job, (chunks[index] ?? []).map((c) => buildRequest(spec, c.customId, c.file)));
    }
    this.poller.start();
    return { jobs, tooLarge: tooLarge.map((t) => t.file) };
  }

  /**
   * One job of requests the caller built (no files): stored, journaled pending-create, then
   * created, the same crash-safe path as `create`. Results ingest and notify like any job.
   */
  async createPrepared(requests: readonly PreparedRequest[], options: PreparedJobOptions): Promise<BatchJob> {
    const first = requests[0];
    if (first === undefined) throw new Error('A batch needs at least one request.');
    const key = newId('job');
    const tag = jobTagOf(key);
    const built: BatchRequestParams[] = requests.map((r, i) => ({ custom_id: customIdFor(tag, i), params: r.params }));
    const limits = this.limits;
    const bytes = built.reduce((sum, r) => sum + requestBytes(r), 64);
    if (built.length > limits.maxCount || bytes > limits.maxBytes) {
      throw new PreparedTooLargeError(`These ${built.length} requests (${bytes} bytes) do not fit in one batch.`);
    }
    const spec: BatchSpec = { prompt: options.prompt, model: first.params.model, maxTokens: Math.max(...requests.map((r) => r.params.max_tokens)) };
    const job: BatchJob = {
      ...newJob(this.deps.clock.now(), key, options.name, 'batch', spec, requests.map((r) => ({ uri: '', label: r.label, text: '' })), built.map((r) => r.custom_id), options.retryOf),
      prepared: true,
      ...(options.recipe !== undefined ? { recipe: options.recipe } : {}),
    };
    const model = this.deps.model(spec.model);
    job.estimatedCostUsd = model === undefined ? 0 : estimatePreparedCost(requests.map((r) => r.params), model, true).inputUsd;
    await this.own(key);
    // The requests are stored before the job is journaled, so a journaled job can always be resent.
    await this.deps.fs.mkdir(this.journal.resultsDir(key));
    await this.deps.fs.writeFileAtomic(this.journal.preparedFile(key), JSON.stringify(built));
    await this.journal.save(job);
    this.changed();
    await this.send(job, built);
    this.poller.start();
    return job;
  }

  /** The stored requests of a prepared job, or undefined when they cannot be read. */
  private async preparedRequests(job: BatchJob): Promise<BatchRequestParams[] | undefined> {
    try {
      return parsePreparedRequests(await this.deps.fs.readFile(this.journal.preparedFile(job.key)));
    } catch (error) {
      this.log(`Batch job ${job.name}: stored requests unreadable: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private estimate(spec: BatchSpec, files: readonly BatchFile[], batch = true): number {
    const model = this.deps.model(spec.model);
    if (model === undefined) return 0;
    const estimate = estimateCost(spec, files, model, batch);
    return estimate.inputUsd;
  }

  /** Journals the attempt, sends create, journals the answer. */
  private async send(job: BatchJob, requests: readonly BatchRequestParams[]): Promise<void> {
    this.sending.add(job.key);
    try {
      await this.sendOnce(job, requests);
    } finally {
      this.sending.delete(job.key);
    }
  }

  private async sendOnce(job: BatchJob, requests: readonly BatchRequestParams[]): Promise<void> {
    job.createAttemptAt = this.deps.clock.now();
    await this.journal.save(job);
    // Checked right before the create: a window that lost the job to another must not send it too.
    if (!(await this.locks.verify(ownerLock(job.key)))) return;
    try {
      const client = await this.deps.getClient();
      // Never retried by the SDK: a retry after a dropped answer could create a second batch.
      // A lost answer leaves the job pending-create, and reconciling finds the batch instead.
      const batch = await client.messages.batches.create({ requests: requests as BatchRequestParams[] }, { maxRetries: 0 });
      adoptBatch(job, batch);
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429) {
        // The server refused it: nothing exists there.
        job.state = 'failed';
        job.error = errorMessage(error);
      } else {
        // The request may or may not have reached the server: stay pending-create, reconcile later.
        job.error = errorMessage(error);
      }
    }
    await this.journal.save(job);
    this.changed();
  }

  /**
   * A job left in pending-create by a crash or a lost answer: finds its batch in the API's list
   * (created no earlier than the attempt, same request count, claimed by no other job). Found:
   * adopted, no second create. Not found: the create never reached the server, so it is sent now.
   */
  async reconcile(job: BatchJob): Promise<'adopted' | 'resent' | 'failed' | 'busy'> {
    if (this.sending.has(job.key)) return 'busy';
    // Another window is creating (or polling) it: never reconcile under it, that could double it.
    if (!(await this.own(job.key))) return 'busy';
    // What other windows adopted meanwhile (their batches must not be claimed twice).
    await this.journal.refresh();
    job = this.journal.get(job.key) ?? job;
    if (job.state !== 'pending-create') return 'adopted';
    const client = await this.deps.getClient();
    const since = (job.createAttemptAt ?? job.createdAt) - RECONCILE_SKEW_MS;
    const total = job.requests.length;
    let found: MessageBatch | undefined;
    for await (const batch of client.messages.batches.list({ limit: 100 })) {
      if (Date.parse(batch.created_at) < since) break;
      if (this.journal.byBatchId(batch.id) !== undefined) continue;
      if (totalOf(batch.request_counts) !== total) continue;
      found = batch; // newest first: keep going to take the oldest match after the attempt
    }
    if (found !== undefined) {
      adoptBatch(job, found);
      await this.journal.save(job);
      this.log(`Batch job ${job.name}: found its batch ${found.id} after a restart`);
      this.changed();
      return 'adopted';
    }
    const files = await this.rebuild(job);
    if (files === undefined) {
      job.state = 'failed';
      job.error = 'The job was interrupted before it reached the server and its files can no longer be read.';
      await this.journal.save(job);
      await this.disown(job.key);
      this.changed();
      return 'failed';
    }
    await this.send(job, files);
    // send() changed the state; the narrowing above does not know.
    return (job.state as BatchJob['state']) === 'created' ? 'resent' : 'failed';
  }

  /** Set by the host: rereads a job's files to rebuild its requests (resend, retry). */
  readFiles: (requests: readonly JobRequest[]) => Promise<BatchFile[] | undefined> = async () => undefined;

  private async rebuild(job: BatchJob): Promise<BatchRequestParams[] | undefined> {
    if (job.prepared) {
      const stored = await this.preparedRequests(job);
      return stored !== undefined && stored.length === job.requests.length ? stored : undefined;
    }
    const files = await this.readFiles(job.requests);
    if (files === undefined || files.length !== job.requests.length) return undefined;
    const spec = specOf(job);
    return files.map((file, i) => buildRequest(spec, job.requests[i]?.customId ?? customIdFor(jobTagOf(job.key), i), file));
  }

  /** One round of polling; what the poller calls. */
  async pollOnce(): Promise<PollResult> {
    // Other windows' new jobs, progress and deletions show here too.
    let changed = await this.journal.refresh().catch(() => false);
    const client = await this.deps.getClient();
    for (const job of this.journal.all()) {
      if (isActive(job) && !(await this.own(job.key))) continue;
      if (job.state === 'pending-create') {
        if (this.sending.has(job.key)) continue;
        const outcome = await this.reconcile(job).catch((error: unknown) => {
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
      if (job.state === 'ended' && this.locks.holds(ownerLock(job.key))) {
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
      await this.journal.save(job);
      await this.disown(job.key);
      this.changed();
      if (!job.notified) {
        job.notified = true;
        await this.journal.save(job);
        this._onDidEnd.fire(job);
      }
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
    this.poller.start();
  }

  /** Deletes the job locally and, when it has ended, on the server too. Running jobs must be canceled first. */
  async delete(job: BatchJob): Promise<void> {
    if (job.state === 'created' || job.state === 'pending-create') {
      throw new Error(`"${job.name}" is still running. Cancel it first, then delete it.`);
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
    await this.disown(job.key);
    this.changed();
  }

  /** A new job with only the errored and expired requests of `job`. */
  async retryFailed(job: BatchJob): Promise<BatchJob[]> {
    const failed = retryableRequests(job);
    if (failed.length === 0) return [];
    const name = `Retry of ${job.name}`;
    if (job.prepared) {
      const stored = await this.preparedRequests(job);
      const byId = new Map((stored ?? []).map((r) => [r.custom_id, r.params]));
      const again = failed.flatMap((r) => {
        const params = byId.get(r.customId);
        return params ? [{ label: r.label, params }] : [];
      });
      if (again.length !== failed.length) throw new Error('The failed requests of this job can no longer be read.');
      return [await this.createPrepared(again, { name, retryOf: job.key, prompt: job.prompt, ...(job.recipe ? { recipe: job.recipe } : {}) })];
    }
    const files = await this.readFiles(failed);
    if (files === undefined) throw new Error('The files of the failed requests can no longer be read.');
    const spec = specOf(job);
    if (job.mode === 'now') return [await this.runNow(spec, files, { name, retryOf: job.key }, 4)];
    return (await this.create(spec, files, { name, retryOf: job.key })).jobs;
  }

  /** Adds batches from the API's list that this machine does not know. Returns how many. */
  async importFromApi(): Promise<number> {
    const client = await this.deps.getClient();
    let added = 0;
    for await (const batch of client.messages.batches.list({ limit: 100 })) {
      if (this.journal.byBatchId(batch.id) !== undefined) continue;
      // Known to the server only: no files, prompt or model of ours; nothing to notify about.
      const createdAt = Date.parse(batch.created_at) || this.deps.clock.now();
      const job: BatchJob = { ...newJob(createdAt, newId('job'), `Imported ${batch.id}`, 'imported', { prompt: '', model: '', maxTokens: 0 }, [], []), notified: true };
      adoptBatch(job, batch);
      await this.journal.save(job);
      added++;
    }
    if (added > 0) {
      this.changed();
      this.poller.start();
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

  /**
   * "Run now": the same requests through messages.create, `limit` at a time, results into the
   * same storage so the tree, open, apply and export work alike. Abort stops new requests; the
   * ones not run end `canceled`.
   */
  async runNow(spec: BatchSpec, files: readonly BatchFile[], options: CreateOptions, limit: number, signal?: AbortSignal, onProgress?: (p: RunNowProgress) => void): Promise<BatchJob> {
    const key = newId('job');
    const tag = jobTagOf(key);
    const ids = files.map((_, i) => customIdFor(tag, i));
    const job = newJob(this.deps.clock.now(), key, options.name, 'now', spec, files, ids, options.retryOf);
    // Owned while it runs, so another window starting meanwhile does not take it for a crashed one.
    await this.own(key);
    job.state = 'created';
    job.processingStatus = 'in_progress';
    job.estimatedCostUsd = this.estimate(spec, files, false);
    await this.journal.save(job);
    this.changed();
    await runRequestsNow(job, (index) => buildRequest(spec, ids[index] ?? String(index), files[index] as BatchFile), limit, {
      client: await this.deps.getClient(),
      fs: this.deps.fs,
      resultsDir: this.journal.resultsDir(key),
      resultsFile: this.journal.resultsFile(key),
      model: this.deps.model(spec.model),
      changed: () => this.changed(),
      ...(this.deps.stallTimeoutMs ? { stallTimeoutMs: this.deps.stallTimeoutMs() } : {}),
    }, signal, onProgress);
    job.counts = countOutcomes(job.requests, 'canceled');
    job.state = 'ingested';
    job.processingStatus = 'ended';
    job.endedAt = new Date(this.deps.clock.now()).toISOString();
    job.notified = true;
    await this.journal.save(job);
    await this.disown(key);
    this.changed();
    return job;
  }

  /**
   * A Run now job that a crash or a closed window stopped: every answer written to its results
   * file is kept (they were paid for), the requests that never finished are marked interrupted
   * and Retry Failed offers only those. The user hears about it once.
   */
  private async recoverNow(job: BatchJob): Promise<void> {
    let text = '';
    try {
      text = await this.deps.fs.readFile(this.journal.resultsFile(job.key));
    } catch {
      // No results file: nothing finished before the crash.
    }
    recoverRunNow(job, text, this.deps.model(job.model));
    job.state = 'ingested';
    job.processingStatus = 'ended';
    job.endedAt ??= new Date(this.deps.clock.now()).toISOString();
    await this.journal.save(job);
    await this.disown(job.key);
    if (!job.notified) {
      job.notified = true;
      await this.journal.save(job);
      this._onDidEnd.fire(job);
    }
  }

  private changed(): void {
    this._onDidChange.fire();
  }

  private log(message: string): void {
    this.deps.log?.(message);
  }

  dispose(): void {
    this.poller.dispose();
    this.locks.dispose();
    this._onDidChange.dispose();
    this._onDidEnd.dispose();
  }
}


