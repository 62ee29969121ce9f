/**
 * Search-as-you-type without piling up work or showing stale answers: a query runs only after
 * the typing pauses (debounce), a newer query aborts the one running (its reads stop), and only
 * the newest query's result is delivered, so a slow older search can never replace a newer one.
 */
import type { Clock } from '../util/clock';
import type { Disposable } from '../util/emitter';

export interface LatestSearchHandlers<T> {
  /** The search itself; should stop early when `signal` aborts. */
  run(query: string, signal: AbortSignal): Promise<T>;
  /** The result of the newest query, and only of it. */
  deliver(query: string, result: T): void;
  /** The newest query failed (an aborted one is never reported). */
  fail?(query: string, error: unknown): void;
  /** True while a query waits or runs, for a busy indicator. */
  busy?(busy: boolean): void;
}

export class LatestSearch<T> implements Disposable {
  private generation = 0;
  private timer: Disposable | undefined;
  private running: AbortController | undefined;

  constructor(private readonly handlers: LatestSearchHandlers<T>, private readonly clock: Clock, private readonly debounceMs = 200) {}

  /** A new query, run once the typing pauses; whatever earlier query is waiting or running is dropped. */
  schedule(query: string): void {
    const generation = this.cancel();
    this.handlers.busy?.(true);
    this.timer = this.clock.setTimer(() => void this.start(generation, query), this.debounceMs);
  }

  /** Runs `query` at once (the first list when the picker opens), dropping any earlier one. */
  runNow(query: string): Promise<void> {
    const generation = this.cancel();
    this.handlers.busy?.(true);
    return this.start(generation, query);
  }

  dispose(): void {
    this.cancel();
  }

  /** Drops the waiting and the running query; returns the generation of the next one. */
  private cancel(): number {
    this.timer?.dispose();
    this.timer = undefined;
    this.running?.abort();
    this.running = undefined;
    return ++this.generation;
  }

  private async start(generation: number, query: string): Promise<void> {
    if (generation !== this.generation) return;
    const controller = new AbortController();
    this.running = controller;
    try {
      const result = await this.handlers.run(query, controller.signal);
      if (generation !== this.generation || controller.signal.aborted) return;
      this.handlers.deliver(query, result);
    } catch (error) {
      if (generation !== this.generation || controller.signal.aborted) return;
      this.handlers.fail?.(query, error);
    } finally {
      if (generation === this.generation) {
        this.running = undefined;
        this.handlers.busy?.(false);
      }
    }
  }
}
