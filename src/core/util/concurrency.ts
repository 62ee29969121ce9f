/**
 * Runs `work` over `items` with at most `limit` in flight, in input order of start. Results come
 * back in input order. Stops starting new items once `signal` aborts (items already running are
 * left to settle; their own signal handling ends them) and then rejects with the abort reason.
 * A failing item does not stop the others: each result says how its item ended.
 */
export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<Settled<R>[]> {
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length || 1));
  const results: Settled<R>[] = new Array<Settled<R>>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      if (signal?.aborted) return;
      const index = next++;
      try {
        results[index] = { ok: true, value: await work(items[index] as T, index) };
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  return results;
}
