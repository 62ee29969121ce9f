/**
 * "Run now": a job's requests through messages.create instead of the Batches API, a few at a
 * time, each answer written as a results line in the same format the batch results use.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { costOf } from '../anthropic/cost';
import { liveComplete } from '../anthropic/liveness';
import type { ModelEntry } from '../anthropic/modelTypes';
import { mapLimit } from '../util/concurrency';
import { errorMessage } from '../util/errors';
import { errorText, resultLine } from './ingest';
import type { BatchJob, JobRequest } from './model';
import { countOutcomes } from './model';
import type { BatchFs } from './ports';
import type { BatchRequestParams } from './requests';

export interface RunNowProgress {
  readonly done: number;
  readonly total: number;
}

export interface RunNowDeps {
  readonly client: Anthropic;
  readonly fs: BatchFs;
  readonly resultsDir: string;
  readonly resultsFile: string;
  /** The job's model, for the cost of each answer; undefined leaves costs at 0. */
  readonly model: ModelEntry | undefined;
  /** The job changed (an answer came in). */
  readonly changed: () => void;
  /** The liveness rule's stall timeout (src/core/anthropic/liveness.ts); the setting's default when absent. */
  readonly stallTimeoutMs?: number;
}

const RUN_NOW_STALL_MS = 60_000;

/**
 * Sends the job's requests (built one at a time by `request`, so they are never all in memory),
 * `limit` at a time, and records each answer on its request: outcome, where its results line
 * is, error and cost. Abort stops new requests; requests never sent keep no outcome.
 */
export async function runRequestsNow(
  job: BatchJob,
  request: (index: number) => BatchRequestParams,
  limit: number,
  deps: RunNowDeps,
  signal?: AbortSignal,
  onProgress?: (progress: RunNowProgress) => void,
): Promise<void> {
  await deps.fs.mkdir(deps.resultsDir);
  const writer = await deps.fs.createWriter(deps.resultsFile);
  const total = job.requests.length;
  let offset = 0;
  let done = 0;
  // Answers arrive in any order; lines are written one after the other.
  let chain = Promise.resolve();
  const record = (index: number, item: MessageBatchIndividualResponse): Promise<void> => {
    chain = chain.then(async () => {
      const entry = job.requests[index];
      if (entry === undefined) return;
      const line = resultLine(item);
      await writer.write(line);
      // On disk before it is counted or shown: a crash from here on keeps this paid answer.
      await writer.sync?.();
      entry.outcome = item.result.type;
      entry.offset = offset;
      entry.length = Buffer.byteLength(line, 'utf8');
      offset += entry.length;
      job.costUsd += applyResult(entry, item, deps.model);
      job.counts = countOutcomes(job.requests, 'processing');
      onProgress?.({ done: ++done, total });
      deps.changed();
    });
    return chain;
  };
  try {
    await mapLimit(job.requests, limit, async (_, index) => {
      const built = request(index);
      try {
        const message = await liveComplete(deps.client, built.params, { stallTimeoutMs: deps.stallTimeoutMs ?? RUN_NOW_STALL_MS, ...(signal ? { signal } : {}) });
        await record(index, { custom_id: built.custom_id, result: { type: 'succeeded', message } });
      } catch (error) {
        if (signal?.aborted) return;
        await record(index, { custom_id: built.custom_id, result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: errorMessage(error) }, request_id: null } } as never });
      }
    }, signal).catch(() => undefined);
    await chain;
  } finally {
    await writer.close();
  }
}

/** Records one result on its request (outcome, error, cost); returns the cost it adds. */
function applyResult(entry: JobRequest, item: MessageBatchIndividualResponse, model: ModelEntry | undefined): number {
  entry.outcome = item.result.type;
  const error = errorText(item.result);
  if (error !== undefined) entry.error = error;
  if (item.result.type !== 'succeeded' || model === undefined) return 0;
  const cost = costOf(item.result.message.usage, model, { batch: false }).total;
  entry.costUsd = cost;
  return cost;
}

/**
 * Rebuilds a Run now job from its results file after a crash: each complete line (its custom_id
 * tells the request, its position the offset) is kept; a torn last line and requests without a
 * line are marked interrupted (outcome canceled) so Retry Failed runs exactly those again.
 */
export function recoverRunNow(job: BatchJob, text: string, model: ModelEntry | undefined): void {
  const byId = new Map(job.requests.map((r) => [r.customId, r]));
  for (const request of job.requests) {
    delete request.outcome;
    delete request.offset;
    delete request.length;
    delete request.costUsd;
    delete request.error;
  }
  job.costUsd = 0;
  let offset = 0;
  const total = Buffer.byteLength(text, 'utf8');
  for (const line of text.split('\n')) {
    const length = Buffer.byteLength(line, 'utf8') + 1;
    const start = offset;
    offset += length;
    if (offset > total) break; // the last line has no newline: torn
    let item: MessageBatchIndividualResponse;
    try {
      item = JSON.parse(line) as MessageBatchIndividualResponse;
    } catch {
      continue;
    }
    const entry = typeof item?.custom_id === 'string' ? byId.get(item.custom_id) : undefined;
    if (entry === undefined || entry.outcome !== undefined || typeof item.result?.type !== 'string') continue;
    job.costUsd += applyResult(entry, item, model);
    entry.offset = start;
    entry.length = length;
  }
  for (const request of job.requests) if (request.outcome === undefined) request.interrupted = true;
  job.counts = countOutcomes(job.requests, 'canceled');
}
