/**
 * Prompt caching simulated by the documented rules (platform.claude.com, "Prompt caching"):
 *
 * - The prompt is one prefix in the order tools -> system -> messages; each block boundary is a
 *   candidate position. Prefix identity is a hash chain over the canonical JSON of each block
 *   (without `cache_control`), seeded with the model, so any earlier byte change or another model
 *   misses. `thinking` and `tool_choice` are chained in where the messages start: changing them
 *   invalidates message breakpoints but keeps tools/system ones (the documented tiers).
 * - A breakpoint is a block with `cache_control: {type:'ephemeral', ttl?: '5m'|'1h'}`; a top-level
 *   `cache_control` (automatic caching) puts one on the last block.
 * - For each breakpoint the longest live entry at a block boundary at or before it is looked for,
 *   at most `lookbackBlocks` (20) boundaries back; an entry further back is not found.
 * - The furthest hit over all breakpoints is read: its tokens are `cache_read_input_tokens`, and
 *   the read refreshes that entry's TTL (as do reads of live entries at earlier breakpoints).
 * - Every breakpoint after the hit whose prefix has at least the model's minimum cacheable tokens
 *   writes an entry; the tokens between the previous cached point and it are written with that
 *   breakpoint's TTL (`cache_creation.ephemeral_5m/1h_input_tokens`, summed in
 *   `cache_creation_input_tokens`). A breakpoint under the minimum writes nothing; its tokens go
 *   to the next eligible breakpoint, or to `input_tokens`.
 * - Tokens after the last written/read point are `input_tokens`.
 * - Entries expire `ttl` after their last write or read, on the server clock.
 * - An entry can be read only by a request that arrived after the response of the request that
 *   wrote it had begun (the documented reason to send parallel requests after the first one).
 *   Arrivals and response starts are stamped from one counter (`arrive()`, `commit()`), not the
 *   clock, so this holds with a manual clock and with no processing delay: requests that overlap
 *   the writer miss and write their own copy. `account` arrives and commits at once.
 * - Validation (elsewhere) rejects more than 4 breakpoints and a 1h breakpoint after a 5m one.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, flattenPrompt } from './tokens';
import type { PromptBlock } from './tokens';
import type { CacheTtl, PromptRequest } from './types';

export const CACHE_TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

interface CacheEntry {
  ttl: CacheTtl;
  expiresAt: number;
  tokens: number;
  /** Stamp of the writer's response start; undefined while it has not begun (not readable). */
  visibleFrom: number | undefined;
}

export interface PromptCacheOptions {
  now: () => number;
  lookbackBlocks: number;
  minTokens: (model: string) => number;
}

function sha(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}

export function breakpointTtl(cacheControl: unknown): CacheTtl {
  const ttl = typeof cacheControl === 'object' && cacheControl !== null ? (cacheControl as { ttl?: unknown }).ttl : undefined;
  return ttl === '1h' ? '1h' : '5m';
}

/** Block index -> TTL for every breakpoint, including the automatic one. */
export function breakpointsOf(req: PromptRequest, blocks: readonly PromptBlock[]): Map<number, CacheTtl> {
  const points = new Map<number, CacheTtl>();
  blocks.forEach((block, i) => {
    if (block.cacheControl !== undefined) points.set(i, breakpointTtl(block.cacheControl));
  });
  const last = blocks.length - 1;
  if (req.cache_control && last >= 0 && !points.has(last)) points.set(last, breakpointTtl(req.cache_control));
  return points;
}

/** Hash of the prefix ending at each block. */
export function prefixHashes(req: PromptRequest, blocks: readonly PromptBlock[]): string[] {
  let hash = sha(`model:${req.model}`);
  let inMessages = false;
  return blocks.map((block) => {
    if (block.section === 'messages' && !inMessages) {
      inMessages = true;
      hash = sha(`${hash}\nsettings:${canonicalJson({ thinking: req.thinking ?? null, tool_choice: req.tool_choice ?? null })}`);
    }
    hash = sha(`${hash}\n${block.canonical}`);
    return hash;
  });
}

export class PromptCache {
  private readonly entries = new Map<string, CacheEntry>();
  private stamp = 0;

  constructor(private readonly options: PromptCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Stamps a request's arrival: it can read what was committed before this. */
  arrive(): number {
    return ++this.stamp;
  }

  private live(hash: string, now: number, arrival: number): CacheEntry | undefined {
    const entry = this.entries.get(hash);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry?.visibleFrom !== undefined && entry.visibleFrom < arrival ? entry : undefined;
  }

  /** Accounts one request that arrives now and whose response begins at once. */
  account(req: PromptRequest): CacheUsage {
    const { usage, commit } = this.accountPending(req, this.arrive());
    commit();
    return usage;
  }

  /**
   * Accounts one request that arrived at `arrival` (from `arrive()`) and whose response has not
   * begun: its writes become readable, to requests arriving later, when `commit()` is called.
   */
  accountPending(req: PromptRequest, arrival: number): { usage: CacheUsage; commit: () => void } {
    const written: string[] = [];
    const commit = (): void => {
      const stamp = ++this.stamp;
      for (const hash of written) {
        const entry = this.entries.get(hash);
        if (entry && entry.visibleFrom === undefined) entry.visibleFrom = stamp;
      }
    };
    return { usage: this.accountInto(req, arrival, written), commit };
  }

  private accountInto(req: PromptRequest, arrival: number, writes: string[]): CacheUsage {
    const blocks = flattenPrompt(req);
    const cumulative: number[] = [];
    blocks.reduce((sum, block, i) => (cumulative[i] = sum + block.tokens), 0);
    const total = cumulative[cumulative.length - 1] ?? 0;
    const usage: CacheUsage = {
      input_tokens: total,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    };
    const points = breakpointsOf(req, blocks);
    if (points.size === 0) return usage;

    const now = this.options.now();
    const hashes = prefixHashes(req, blocks);
    const at = (i: number): number => cumulative[i] ?? 0;
    const hashAt = (i: number): string => hashes[i] ?? '';

    let hit = -1;
    for (const point of points.keys()) {
      const floor = Math.max(0, point - this.options.lookbackBlocks);
      for (let j = point; j >= floor && j > hit; j--) {
        if (this.live(hashAt(j), now, arrival)) {
          hit = j;
          break;
        }
      }
    }

    let cursor = 0;
    if (hit >= 0) {
      cursor = at(hit);
      usage.cache_read_input_tokens = cursor;
      for (const point of [...points.keys(), hit]) {
        const entry = point <= hit ? this.live(hashAt(point), now, arrival) : undefined;
        if (entry) entry.expiresAt = now + CACHE_TTL_MS[entry.ttl];
      }
    }

    const minimum = this.options.minTokens(req.model);
    for (const [point, ttl] of points) {
      if (point <= hit || at(point) < minimum) continue;
      const written = at(point) - cursor;
      if (ttl === '1h') usage.cache_creation.ephemeral_1h_input_tokens += written;
      else usage.cache_creation.ephemeral_5m_input_tokens += written;
      usage.cache_creation_input_tokens += written;
      const hash = hashAt(point);
      const existing = this.entries.get(hash);
      // A copy this request could not see (written by an overlapping request) stays readable for
      // later ones; it is only refreshed.
      if (existing && existing.expiresAt > now) existing.expiresAt = Math.max(existing.expiresAt, now + CACHE_TTL_MS[ttl]);
      else this.entries.set(hash, { ttl, tokens: at(point), expiresAt: now + CACHE_TTL_MS[ttl], visibleFrom: undefined });
      writes.push(hash);
      cursor = at(point);
    }
    usage.input_tokens = total - cursor;
    return usage;
  }
}
