/** The subset of `Headers` we read, so plain objects work in tests too. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Reads how long the server asked us to wait, in milliseconds.
 *
 * Honours `retry-after-ms` (which the SDK also reads) before the standard
 * `retry-after`, which is either delay-seconds or an HTTP-date. Returns
 * `undefined` when there is no usable value or the date is already past.
 */
export function parseRetryAfter(headers: HeaderReader | null | undefined, now: number): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value > 0) return Math.round(value);
  }
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) {
    const seconds = Number(raw);
    return seconds > 0 ? Math.round(seconds * 1000) : undefined;
  }
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  const delay = at - now;
  return delay > 0 ? delay : undefined;
}
