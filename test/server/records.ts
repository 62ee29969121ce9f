import type { IncomingHttpHeaders } from 'node:http';
import type { RequestRecord } from './types';

const SECRET_HEADERS = new Set(['x-api-key', 'authorization']);

export function safeHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Which header carried a key, for tests of what a client sends (the values are never recorded). */
export function authVia(headers: IncomingHttpHeaders): RequestRecord['authVia'] {
  const apiKey = typeof headers['x-api-key'] === 'string' && headers['x-api-key'] !== '';
  const bearer = /^Bearer\s+\S/i.test(headers['authorization'] ?? '');
  return apiKey && bearer ? 'both' : apiKey ? 'x-api-key' : bearer ? 'bearer' : 'none';
}

/** Every API request, in arrival order; records are updated in place as responses finish. */
export class RecordLog {
  private readonly list: RequestRecord[] = [];
  private seq = 0;

  add(record: Omit<RequestRecord, 'seq'>): RequestRecord {
    const full: RequestRecord = { seq: ++this.seq, ...record };
    this.list.push(full);
    return full;
  }

  get all(): readonly RequestRecord[] {
    return this.list;
  }

  clear(): void {
    this.list.length = 0;
  }

  byPath(method: string, path: string | RegExp): RequestRecord[] {
    return this.list.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }
}
