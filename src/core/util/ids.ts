import { randomUUID } from 'node:crypto';

/** A short, unique, URL-safe id with a readable prefix (`t_…` for turns, `c_…` for conversations). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}
