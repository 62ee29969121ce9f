/** Figures the benchmarks report, and the timing loop the Node-side ones share. */

import { performance } from 'node:perf_hooks';

/** The middle value; the mean of the two middle ones for an even count; 0 for none. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** What timed functions return is summed here, so their work cannot be optimised away. */
let sink = 0;
export const timingSink = (): number => sink;

/** The median wall time of `runs` calls of `fn`, after `warmup` calls that are not timed. */
export async function medianTime(fn: () => Promise<number> | number, runs: number, warmup: number): Promise<number> {
  for (let i = 0; i < warmup; i++) sink += await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    sink += await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}
