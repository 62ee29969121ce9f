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
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    // No prototype: a `__proto__` key (JSON.parse makes it an own key) stays a plain member.
    const sorted = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
    return sorted;
  });
}
