/**
 * Batch jobs end to end, with no VS Code in sight: create (journal first), reconcile after a
 * crash, poll, download results once, cancel, retry failed, delete, import from the API's list,
 * and "run now" with a concurrency limit (runNow.ts). The job record and how a batch from the API
 * updates it are in model.ts; which window owns a job in jobOwners.ts; reconciling after a crash in
 * recovery.ts; polling, downloading and the calls on batches that exist in batchSync.ts. This class
 * creates jobs and wires the parts together. The extension adapts it to a tree and commands.
 */
import * as l10n from '@vscode/l10n';
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import type { ModelEntry } from '../anthropic/modelTypes';
import { CREATE_ONCE } from '../anthropic/retryPolicy';
import { Emitter } from '../util/emitter';
import type { Disposable, Event } from '../util/emitter';
import { newId } from '../util/ids';
import { BatchSync } from './batchSync';
import { JobRecovery } from './recovery';
import type { BatchJob, CreateOptions, JobRequest } from './model';
import { adoptBatch, countOutcomes, isActive, newJob, retryableRequests, specOf } from './model';
import { PreparedTooLargeError, parsePreparedRequests, type PreparedJobOptions, type PreparedRequest } from './prepared';
import { runRequestsNow, type RunNowProgress } from './runNow';
import type { BatchClock, BatchFs } from './ports';
import { BatchJournal } from './journal';
import { JobOwners } from './jobOwners';
import { BatchPoller } from './poller';
import type { PollResult } from './poller';
import type { BatchFile, BatchRequestParams, BatchSpec } from './requests';
import { buildRequest, customIdFor, estimateCost, estimatePreparedCost, fileRequestBytes, jobTagOf, requestBytes, splitByLimits, MAX_BYTES_PER_BATCH, MAX_REQUESTS_PER_BATCH } from './requests';
import { errorMessage } from '../util/errors';
import type { FileLockOptions, LockFs } from '../util/fileLock';

export { PreparedTooLargeError, type PreparedJobOptions, type PreparedRequest } from './prepared';
export type { CreateOptions } from './model';
export type { RunNowProgress } from './runNow';
export { RECONCILE_SKEW_MS } from './recovery';

export interface BatchManagerDeps {
  readonly fs: BatchFs;
  /** The storage folder (global storage). */
  readonly dir: string;
  /** The client for the Message Batches API (it may refuse where the provider has none). */
  readonly getClient: () => Promise<Anthropic>;
  /** The client for Run Now's plain Messages requests; `getClient` when absent. */
  readonly getMessagesClient?: () => Promise<Anthropic>;
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

/** What reconciling a job left pending-create came to. */
export type ReconcileOutcome = 'adopted' | 'resent' | 'failed' | 'busy';

export class BatchManager implements Disposable {
  readonly journal: BatchJournal;
  private readonly poller: BatchPoller;
  private readonly _onDidChange = new Emitter<void>();
  readonly onDidChange: Event<void> = this._onDidChange.event;
  private readonly _onDidEnd = new Emitter<BatchJob>();
  /** A job ended and its results are stored (fires once per job, across restarts). */
  readonly onDidEnd: Event<BatchJob> = this._onDidEnd.event;
  private readonly owners: JobOwners;
  private readonly sync: BatchSync;
  private readonly recovery: JobRecovery;

  constructor(private readonly deps: BatchManagerDeps) {
    this.owners = new JobOwners(deps.lockFs, deps.dir, deps.clock, deps.lockOptions);
    this.journal = new BatchJournal(deps.fs, deps.dir, this.owners.locks);
    this.poller = new BatchPoller(deps.clock, () => this.pollOnce(), deps.pollIntervals, (error) => this.log(`Batch poll failed: ${errorMessage(error)}`));
    const hooks = {
      reconcile: (job: BatchJob) => this.reconcile(job),
      send: (job: BatchJob, requests: readonly BatchRequestParams[]) => this.send(job, requests),
      rebuild: (job: BatchJob) => this.rebuild(job),
      changed: () => this.changed(),
      log: (message: string) => this.log(message),
      startPolling: () => this.poller.start(),
      notifyEnded: (job: BatchJob) => this.notifyEnded(job),
    };
    this.sync = new BatchSync(deps, this.journal, this.owners, hooks);
    this.recovery = new JobRecovery(deps, this.journal, this.owners, hooks);
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

  /** See {@link JobOwners.own}. */
  private own(key: string): Promise<boolean> {
    return this.owners.own(key);
  }

  private disown(key: string): Promise<void> {
    return this.owners.disown(key);
  }

  /**
   * Loads the journal and takes over what no live window owns: creates that were interrupted are
   * reconciled, Run now jobs that a crash stopped keep every result on disk. Resumes polling.
   */
  async init(): Promise<void> {
    await this.recovery.takeOver();
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
    if (first === undefined) throw new Error(l10n.t('A batch needs at least one request.'));
    const key = newId('job');
    const tag = jobTagOf(key);
    const built: BatchRequestParams[] = requests.map((r, i) => ({ custom_id: customIdFor(tag, i), params: r.params }));
    const limits = this.limits;
    const bytes = built.reduce((sum, r) => sum + requestBytes(r), 64);
    if (built.length > limits.maxCount || bytes > limits.maxBytes) {
      throw new PreparedTooLargeError(l10n.t('These {0} requests ({1} bytes) do not fit in one batch.', built.length, bytes));
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
    this.owners.sending.add(job.key);
    try {
      await this.sendOnce(job, requests);
    } finally {
      this.owners.sending.delete(job.key);
    }
  }

  private async sendOnce(job: BatchJob, requests: readonly BatchRequestParams[]): Promise<void> {
    job.createAttemptAt = this.deps.clock.now();
    await this.journal.save(job);
    // Checked right before the create: a window that lost the job to another must not send it too.
    if (!(await this.owners.verify(job.key))) return;
    try {
      const client = await this.deps.getClient();
      // Never resent by the SDK (retryPolicy): a resend after a lost answer could create a second
      // batch. A lost answer leaves the job pending-create, and reconciling finds the batch instead.
      const batch = await client.messages.batches.create({ requests: requests as BatchRequestParams[] }, CREATE_ONCE);
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
   * A job left in pending-create by a crash or a lost answer: adopted when its batch exists,
   * otherwise sent now (see {@link JobRecovery.reconcile}).
   */
  reconcile(job: BatchJob): Promise<ReconcileOutcome> {
    return this.recovery.reconcile(job);
  }

  /** Set by the host: rereads a job's files to rebuild its requests (resend, retry). */
  readFiles: (requests: readonly JobRequest[]) => Promise<BatchFile[] | undefined> = async () => undefined;

  /** One round of polling; what the poller calls. */
  pollOnce(): Promise<PollResult> {
    return this.sync.pollOnce();
  }

  /** Downloads an ended job's results once (concurrent calls share one download). */
  download(job: BatchJob): Promise<void> {
    return this.sync.download(job);
  }

  cancel(job: BatchJob): Promise<void> {
    return this.sync.cancel(job);
  }

  /** Deletes the job locally and, when it has ended, on the server too. Running jobs must be canceled first. */
  delete(job: BatchJob): Promise<void> {
    return this.sync.delete(job);
  }

  /** Adds batches from the API's list that this machine does not know. Returns how many. */
  importFromApi(): Promise<number> {
    return this.sync.importFromApi();
  }

  /** The stored result line of one request, or undefined before results are in. */
  readResult(job: BatchJob, request: JobRequest): Promise<MessageBatchIndividualResponse | undefined> {
    return this.sync.readResult(job, request);
  }

  resultsFile(job: BatchJob): string {
    return this.sync.resultsFile(job);
  }

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
      if (again.length !== failed.length) throw new Error(l10n.t('The failed requests of this job can no longer be read.'));
      return [await this.createPrepared(again, { name, retryOf: job.key, prompt: job.prompt, ...(job.recipe ? { recipe: job.recipe } : {}) })];
    }
    const files = await this.readFiles(failed);
    if (files === undefined) throw new Error(l10n.t('The files of the failed requests can no longer be read.'));
    const spec = specOf(job);
    if (job.mode === 'now') return [await this.runNow(spec, files, { name, retryOf: job.key }, 4)];
    return (await this.create(spec, files, { name, retryOf: job.key })).jobs;
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
      client: await (this.deps.getMessagesClient ?? this.deps.getClient)(),
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

  /** A job ended and its results are stored: the listeners hear it once per job, across restarts. */
  private async notifyEnded(job: BatchJob): Promise<void> {
    if (job.notified) return;
    job.notified = true;
    await this.journal.save(job);
    this._onDidEnd.fire(job);
  }

  private changed(): void {
    this._onDidChange.fire();
  }

  private log(message: string): void {
    this.deps.log?.(message);
  }

  dispose(): void {
    this.poller.dispose();
    this.owners.dispose();
    this._onDidChange.dispose();
    this._onDidEnd.dispose();
  }
}
