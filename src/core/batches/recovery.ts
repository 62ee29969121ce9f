import * as l10n from '@vscode/l10n';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { errorMessage } from '../util/errors';
import type { ReconcileOutcome } from './batchManager';
import { BatchPart } from './batchPart';
import type { BatchPartHooks } from './batchPart';
import type { BatchSyncHooks } from './batchSync';
import type { BatchJob } from './model';
import { adoptBatch, totalOf } from './model';
import type { BatchRequestParams } from './requests';
import { recoverRunNow } from './runNow';

/** How far apart the local clock and the server's created_at may be when reconciling. */
export const RECONCILE_SKEW_MS = 10 * 60_000;

/** What recovery calls back into the manager for. */
export interface RecoveryHooks extends BatchPartHooks, Pick<BatchSyncHooks, 'notifyEnded'> {
  /** Journals the attempt, sends create, journals the answer. */
  send(job: BatchJob, requests: readonly BatchRequestParams[]): Promise<void>;
  /** The job's requests built again from its stored requests or its files; undefined when they cannot be read. */
  rebuild(job: BatchJob): Promise<BatchRequestParams[] | undefined>;
}

/**
 * Takes over what a crash, a lost answer or a closed window left: a create that may or may not
 * have reached the server is adopted or sent again (never both), and a stopped Run now job keeps
 * every result on disk.
 */
export class JobRecovery extends BatchPart<RecoveryHooks> {
  /**
   * Loads the journal and takes over what no live window owns: creates that were interrupted are
   * reconciled, Run now jobs that a crash stopped keep every result on disk.
   */
  async takeOver(): Promise<void> {
    await this.journal.load((file, message) => this.log(`Batch journal ${file} skipped: ${message}`));
    for (const job of this.journal.all()) {
      if (job.state === 'pending-create') {
        try {
          await this.reconcile(job);
        } catch (error) {
          this.log(`Could not reconcile batch job ${job.name}: ${errorMessage(error)}`);
        }
      }
      if (job.mode === 'now' && job.state === 'created' && (await this.owners.own(job.key))) {
        try {
          await this.recoverNow(job);
        } catch (error) {
          this.log(`Could not recover Run now job ${job.name}: ${errorMessage(error)}`);
        }
      }
    }
  }

  /**
   * A job left in pending-create by a crash or a lost answer: finds its batch in the API's list
   * (created no earlier than the attempt, same request count, claimed by no other job). Found:
   * adopted, no second create. Not found: the create never reached the server, so it is sent now.
   */
  async reconcile(job: BatchJob): Promise<ReconcileOutcome> {
    if (this.owners.sending.has(job.key)) return 'busy';
    // Another window is creating (or polling) it: never reconcile under it, that could double it.
    if (!(await this.owners.own(job.key))) return 'busy';
    const client = await this.deps.getClient();
    // One claimer at a time across windows: two reconciling at once could take the same batch.
    const adopted = await this.owners.adoptingBatches(async () => {
      // What other windows adopted meanwhile (their batches must not be claimed twice).
      await this.journal.refresh();
      job = this.journal.get(job.key) ?? job;
      if (job.state !== 'pending-create') return true;
      const since = (job.createAttemptAt ?? job.createdAt) - RECONCILE_SKEW_MS;
      const total = job.requests.length;
      let found: MessageBatch | undefined;
      for await (const batch of client.messages.batches.list({ limit: 100 })) {
        if (Date.parse(batch.created_at) < since) break;
        if (this.journal.byBatchId(batch.id) !== undefined) continue;
        if (totalOf(batch.request_counts) !== total) continue;
        found = batch; // newest first: keep going to take the oldest match after the attempt
      }
      if (found === undefined) return false;
      adoptBatch(job, found);
      await this.journal.save(job);
      this.log(`Batch job ${job.name}: found its batch ${found.id} after a restart`);
      return true;
    });
    if (adopted) {
      this.changed();
      return 'adopted';
    }
    const files = await this.hooks.rebuild(job);
    if (files === undefined) {
      job.state = 'failed';
      job.error = l10n.t('The job was interrupted before it reached the server and its files can no longer be read.');
      await this.journal.save(job);
      await this.owners.disown(job.key);
      this.changed();
      return 'failed';
    }
    await this.hooks.send(job, files);
    // send() changed the state; the narrowing above does not know.
    return (job.state as BatchJob['state']) === 'created' ? 'resent' : 'failed';
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
    await this.owners.disown(job.key);
    await this.hooks.notifyEnded(job);
  }
}
