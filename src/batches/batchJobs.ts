/**
 * How other features reach the Batch Jobs view (a recipe sent as a batch): registered by
 * registerBatches, absent until then (and in a window where batches are not set up).
 */
import type { BatchJob } from '../core/batches/model';
import type { PreparedJobOptions, PreparedRequest } from '../core/batches/batchManager';

export interface BatchJobsApi {
  /**
   * Sends prepared requests as one batch job in the Batch Jobs tree (journaled before create);
   * undefined when the user declined (an untrusted workspace asks first).
   */
  submitPrepared(requests: readonly PreparedRequest[], options: PreparedJobOptions): Promise<BatchJob | undefined>;
}

let current: BatchJobsApi | undefined;

export function setBatchJobs(api: BatchJobsApi | undefined): void {
  current = api;
}

export function batchJobs(): BatchJobsApi | undefined {
  return current;
}
