import * as l10n from '@vscode/l10n';
/**
 * The batch job model: what the journal stores for one job (a Message Batch, or a "run now" job
 * that produces the same shape of results). Pure data, JSON-serialisable.
 */
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type { BatchFile, BatchSpec, RequestTemplate } from './requests';

/** How one request ended (the API's result types). */
export type RequestOutcome = 'succeeded' | 'errored' | 'canceled' | 'expired';

/**
 * pending-create: written before `batches.create`; the batch may or may not exist on the server.
 * created: the server answered with a batch id; polling until it ends.
 * ended: the batch ended; results not (fully) downloaded yet.
 * ingested: results are in local storage (downloaded once, never again).
 * failed: the create was rejected (nothing exists on the server).
 */
export type JobState = 'pending-create' | 'created' | 'ended' | 'ingested' | 'failed';

export interface RequestCounts {
  processing: number;
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
}

/** One request of a job: its custom_id and the file it came from (the id table, not an encoding). */
export interface JobRequest {
  readonly customId: string;
  /** The file, as a URI string (empty for imported jobs, whose files are unknown). */
  readonly file: string;
  /** A short label (workspace-relative path) for the tree. */
  readonly label: string;
  outcome?: RequestOutcome;
  /** Where this request's result line sits in the job's results.jsonl. */
  offset?: number;
  length?: number;
  /** Error message for errored results. */
  error?: string;
  costUsd?: number;
  /** Never finished: a Run now stopped by a crash or a restart. Retry Failed offers it again. */
  interrupted?: boolean;
}

export interface BatchJob {
  /** Local id, also the journal file name. */
  readonly key: string;
  readonly name: string;
  readonly mode: 'batch' | 'now' | 'imported';
  state: JobState;
  /** Local time the job was made. */
  readonly createdAt: number;
  /** Local time the create request was about to be sent (for reconciling after a crash). */
  createAttemptAt?: number;
  batchId?: string;
  processingStatus?: 'in_progress' | 'canceling' | 'ended';
  /** The server's created_at (ISO). */
  serverCreatedAt?: string;
  endedAt?: string;
  counts: RequestCounts;
  readonly model: string;
  readonly maxTokens: number;
  readonly prompt: string;
  /** Set when each file's request follows a template (a recipe) rather than the plain prompt. */
  readonly template?: RequestTemplate;
  /**
   * A job of prepared requests (built by the caller, e.g. a recipe's first stage) rather than
   * one request per file: its requests have no file, and the requests themselves are stored
   * next to its results so a crash or a retry can resend them.
   */
  readonly prepared?: boolean;
  /** The recipe a job came from, for how its results are shown. */
  readonly recipe?: { readonly id: string; readonly name: string; readonly kind: string };
  readonly requests: JobRequest[];
  estimatedCostUsd: number;
  costUsd: number;
  /** Why the create or the download failed, for the tree's tooltip. */
  error?: string;
  /** The job this one retries. */
  readonly retryOf?: string;
  /** Set when the user was told the job ended (so a restart does not notify twice). */
  notified?: boolean;
  /** The journal's revision of this record (bumped by every write; a stale write is refused). */
  rev?: number;
}

export function emptyCounts(processing = 0): RequestCounts {
  return { processing, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
}

export function totalOf(counts: RequestCounts): number {
  return counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired;
}

/** True while the job still needs the poller (or a download). */
export function isActive(job: BatchJob): boolean {
  return job.mode !== 'now' && (job.state === 'pending-create' || job.state === 'created' || job.state === 'ended');
}

/** The requests a "retry failed" job resends: errored, expired and interrupted ones. */
export function retryableRequests(job: BatchJob): JobRequest[] {
  return job.requests.filter((r) => r.outcome === 'errored' || r.outcome === 'expired' || r.interrupted === true);
}

/** Summary like "3/3" or "2/3, 1 errored" for the tree. */
export function describeCounts(counts: RequestCounts): string {
  const total = totalOf(counts);
  const done = total - counts.processing;
  const parts = [l10n.t('{0}/{1} succeeded', counts.succeeded, total)];
  if (counts.errored) parts.push(l10n.t('{0} errored', counts.errored));
  if (counts.canceled) parts.push(l10n.t('{0} canceled', counts.canceled));
  if (counts.expired) parts.push(l10n.t('{0} expired', counts.expired));
  if (counts.processing && done > 0) parts.push(l10n.t('{0} running', counts.processing));
  return parts.join(', ');
}

/**
 * The counts of a job's requests from their outcomes; requests with none yet count as `missing`
 * (and, unless that is `processing`, are given it as their outcome).
 */
export function countOutcomes(requests: readonly JobRequest[], missing: RequestOutcome | 'processing'): BatchJob['counts'] {
  const counts = emptyCounts();
  for (const request of requests) {
    if (request.outcome !== undefined) counts[request.outcome]++;
    else {
      counts[missing]++;
      if (missing !== 'processing') request.outcome = missing;
    }
  }
  return counts;
}

/** What a new job is called, and the job it retries, if any. */
export interface CreateOptions {
  readonly name: string;
  readonly retryOf?: string;
}

/** A new job record, pending create, with one request per file under the given custom_ids. */
export function newJob(createdAt: number, key: string, name: string, mode: BatchJob['mode'], spec: BatchSpec, files: readonly BatchFile[], ids: readonly string[], retryOf?: string): BatchJob {
  return {
    key,
    name,
    mode,
    state: 'pending-create',
    createdAt,
    counts: emptyCounts(files.length),
    model: spec.model,
    maxTokens: spec.maxTokens,
    prompt: spec.prompt,
    ...(spec.template !== undefined ? { template: spec.template } : {}),
    requests: files.map((file, i) => ({ customId: ids[i] ?? String(i), file: file.uri, label: file.label })),
    estimatedCostUsd: 0,
    costUsd: 0,
    ...(retryOf !== undefined ? { retryOf } : {}),
  };
}

/** The job now is this batch on the server: created, with the batch's state applied. */
export function adoptBatch(job: BatchJob, batch: MessageBatch): void {
  job.batchId = batch.id;
  job.serverCreatedAt = batch.created_at;
  job.state = 'created';
  delete job.error;
  applyBatch(job, batch);
}

/** Applies a retrieved batch to the job; true when something changed. */
export function applyBatch(job: BatchJob, batch: MessageBatch): boolean {
  const before = JSON.stringify([job.counts, job.processingStatus, job.state]);
  job.processingStatus = batch.processing_status;
  job.counts = { ...batch.request_counts };
  if (batch.ended_at) job.endedAt = batch.ended_at;
  if (batch.processing_status === 'ended' && job.state === 'created') job.state = 'ended';
  return before !== JSON.stringify([job.counts, job.processingStatus, job.state]);
}

/** The spec a job was made with (its prompt, model, max tokens and template, if any). */
export function specOf(job: BatchJob): BatchSpec {
  return { prompt: job.prompt, model: job.model, maxTokens: job.maxTokens, ...(job.template !== undefined ? { template: job.template } : {}) };
}
