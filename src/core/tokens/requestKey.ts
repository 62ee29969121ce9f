import { createHash } from 'node:crypto';

/**
 * The identity of a request's content: sha256 of its canonical JSON (keys sorted, undefined
 * dropped), so two requests that would be counted the same share one key whatever order their
 * properties were built in.
 */
export function requestKey(params: unknown): string {
  return createHash('sha256').update(canonicalJson(params)).digest('hex');
}

/** JSON with sorted object keys; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => sortedKeys(item));
}

function sortedKeys(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  // No prototype: a `__proto__` key (JSON.parse makes it an own key) stays a plain member.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
  return sorted;
}

/** Strings at least this long (attached files, long turns) are hashed once and then stood in for by their digest. */
export const DIGEST_MIN_CHARS = 4096;
/** Digests kept, and the characters of the strings they stand for (least recently used dropped first). */
const MAX_DIGESTS = 128;
const MAX_DIGEST_CHARS = 32 * 1024 * 1024;
/** Starts a digest stand-in; a short string that starts with it is escaped by doubling it. */
const MARK = '\u0000';

/**
 * {@link requestKey} for a request that changes a little at a time (a keystroke in the draft).
 * Hashing a 1 MB file on every keystroke costs more than a frame, so each long string is hashed
 * once and replaced by `MARK + sha256` before the canonical JSON is hashed; a keystroke then only
 * re-hashes the small rest. Strings that start with MARK are escaped, so the stand-in never equals
 * a string that was really sent: two keys are equal only when every string is (up to sha256).
 * The memo is keyed by the string itself (a Map compares content, at pointer speed when the
 * caller reuses the same string), so an edited file is a new entry, never a stale digest.
 * Its keys are not {@link requestKey}'s: use one keyer's keys only with each other.
 */
export class RequestKeyer {
  private readonly digests = new Map<string, string>();
  private chars = 0;
  /** How many long strings have been hashed whole (each once while it stays in the memo); for tests. */
  hashedStrings = 0;

  keyOf(params: unknown): string {
    const json = JSON.stringify(params, (_key, item: unknown) => (typeof item === 'string' ? this.standIn(item) : sortedKeys(item)));
    return createHash('sha256').update(json).digest('hex');
  }

  private standIn(text: string): string {
    if (text.length < DIGEST_MIN_CHARS) return text.startsWith(MARK) ? MARK + text : text;
    let digest = this.digests.get(text);
    if (digest !== undefined) {
      // Refresh its place in the LRU order: it is in use.
      this.digests.delete(text);
    } else {
      digest = createHash('sha256').update(text).digest('hex');
      this.hashedStrings++;
      this.chars += text.length;
    }
    this.digests.set(text, digest);
    this.evict();
    return MARK + digest;
  }

  private evict(): void {
    while (this.digests.size > MAX_DIGESTS || (this.chars > MAX_DIGEST_CHARS && this.digests.size > 1)) {
      const oldest = this.digests.keys().next().value;
      if (oldest === undefined) break;
      this.digests.delete(oldest);
      this.chars -= oldest.length;
    }
  }
}
