import type { BatchManagerDeps } from './batchManager';
import type { BatchJournal } from './journal';
import type { JobOwners } from './jobOwners';

/** What every part calls back into the batch manager for. */
export interface BatchPartHooks {
  changed(): void;
  log(message: string): void;
}

/** A part of the batch manager (batchSync.ts, recovery.ts): the manager's deps, journal, job owners and hooks. */
export abstract class BatchPart<Hooks extends BatchPartHooks> {
  constructor(
    protected readonly deps: Pick<BatchManagerDeps, 'fs' | 'getClient' | 'clock' | 'model'>,
    protected readonly journal: BatchJournal,
    protected readonly owners: JobOwners,
    protected readonly hooks: Hooks,
  ) {}

  protected changed(): void {
    this.hooks.changed();
  }

  protected log(message: string): void {
    this.hooks.log(message);
  }
}
