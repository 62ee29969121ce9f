import type { CounterClock } from '../../../../src/core/tokens/tokenCounter';

/** A clock whose timers run only when the test advances it. */
export class FakeClock implements CounterClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time on, running due timers in order; then lets settled promises run their callbacks. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      await flush();
    }
    this.time = until;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** A count_tokens stand-in: records each call and answers when the test says so. */
export class FakeCount<P> {
  readonly calls: { params: P; signal: AbortSignal; resolve(tokens: number): void; reject(error: unknown): void }[] = [];
  /** When set, calls answer at once with this function's value (or throw what it throws). */
  auto?: (params: P) => number;

  readonly count = (params: P, signal: AbortSignal): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      this.calls.push({ params, signal, resolve, reject });
      if (this.auto !== undefined) {
        try {
          resolve(this.auto(params));
        } catch (error) {
          reject(error);
        }
      }
    });
}
