/**
 * Polls while jobs run: the first poll comes after `minMs`, each poll without progress waits
 * longer (x1.5, capped at `maxMs`), progress or a new job brings it back to `minMs`, and it stops
 * when `tick` reports that nothing is active. `start()` after a restart resumes it.
 */
import type { Disposable } from '../util/emitter';
import type { BatchClock } from './ports';

export interface PollResult {
  /** Some job still needs polling. */
  readonly active: boolean;
  /** Something changed since the last poll (counts, states). */
  readonly changed: boolean;
}

export class BatchPoller implements Disposable {
  private timer: Disposable | undefined;
  private delay: number;
  private running = false;
  private disposed = false;
  /** Delays actually used, newest last (for tests and diagnostics). */
  readonly history: number[] = [];

  constructor(
    private readonly clock: BatchClock,
    private readonly tick: () => Promise<PollResult>,
    private readonly intervals: () => { minMs: number; maxMs: number },
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.delay = intervals().minMs;
  }

  get scheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Polls soon (at the shortest interval). */
  start(): void {
    if (this.disposed) return;
    this.delay = this.intervals().minMs;
    this.schedule(this.delay);
  }

  private schedule(ms: number): void {
    this.timer?.dispose();
    this.history.push(ms);
    this.timer = this.clock.setTimer(() => void this.run(), ms);
  }

  /** Runs one poll now (also what the timer calls). */
  async run(): Promise<void> {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.running || this.disposed) return;
    this.running = true;
    let result: PollResult;
    try {
      result = await this.tick();
    } catch (error) {
      this.onError(error);
      result = { active: true, changed: false };
    } finally {
      this.running = false;
    }
    if (this.disposed || !result.active) return;
    const { minMs, maxMs } = this.intervals();
    this.delay = result.changed ? minMs : Math.min(maxMs, Math.max(minMs, Math.round(this.delay * 1.5)));
    this.schedule(this.delay);
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
    this.timer = undefined;
  }
}
