/** Server time = base clock + an offset that only tests move, so TTLs and batches can be fast-forwarded. */
export interface ServerClock {
  now(): number;
  /** Moves the clock forward and returns the new time. */
  advance(ms: number): number;
  readonly manual: boolean;
}

export function createClock(base: (() => number) | undefined, manual: boolean): ServerClock {
  const frozen = (base ?? Date.now)();
  const read = manual ? () => frozen : (base ?? Date.now);
  let offset = 0;
  return {
    manual,
    now: () => read() + offset,
    advance(ms: number): number {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a non-negative number, got ${ms}`);
      offset += ms;
      return read() + offset;
    },
  };
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Resolves after `ms`, or early (without throwing) when the signal aborts, so shutdown never waits on a timer. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Never resolves on its own: used to hold a stalled stream open until the client or the server gives up. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
