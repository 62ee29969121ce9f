/** Figures the webview benchmarks (bench/longChat.ts, bench/render.ts) report. */

/** The middle value; the mean of the two middle ones for an even count; 0 for none. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
