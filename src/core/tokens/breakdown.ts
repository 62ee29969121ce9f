import { costOf } from '../anthropic/cost';
import type { UsageLike } from '../anthropic/cost';
import type { ModelEntry } from '../anthropic/modelTypes';

/**
 * The parts of a request, oldest first as they are sent. `context` (attached files and
 * selections) has its place already; a caller that has none simply leaves it out.
 */
export type RequestPartKind = 'system' | 'context' | 'history' | 'draft';

export interface RequestPart {
  readonly kind: RequestPartKind;
  readonly tokens: number;
}

/** Newest first: the part that changed most recently is the one an estimate is least sure of. */
const ADJUST_ORDER: readonly RequestPartKind[] = ['draft', 'context', 'history', 'system'];

/**
 * Makes the parts add up to `total` (an exact figure, or an anchored estimate). The split itself
 * is local, so the difference goes to the newest parts, never below zero: with history exact
 * from usage, an exact count leaves the draft with exactly what it added.
 */
export function fitParts(parts: readonly RequestPart[], total: number): RequestPart[] {
  const fitted = parts.map((part) => ({ ...part }));
  let difference = total - fitted.reduce((sum, part) => sum + part.tokens, 0);
  for (const kind of ADJUST_ORDER) {
    if (difference === 0) break;
    const part = fitted.find((candidate) => candidate.kind === kind);
    if (part === undefined) continue;
    const next = Math.max(0, part.tokens + difference);
    difference -= next - part.tokens;
    part.tokens = next;
  }
  return fitted;
}

/** Past this share of the context window the figure is shown as a warning. */
export const WARNING_SHARE = 0.8;

export type SizeLevel = 'ok' | 'warning' | 'error';

/** `error` once the request no longer fits the window; `warning` when it is close. */
export function sizeLevel(tokens: number, contextWindow: number): SizeLevel {
  if (contextWindow <= 0) return 'ok';
  if (tokens > contextWindow) return 'error';
  return tokens >= contextWindow * WARNING_SHARE ? 'warning' : 'ok';
}

/** What the last request left in the prompt cache. */
export interface CachedPrefix {
  readonly tokens: number;
  readonly ttl: '5m' | '1h';
  /** When that request was sent (epoch ms); entries live `ttl` from their last use. */
  readonly sentAt: number;
}

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

/** The cache a response's usage says it read or wrote, or undefined when it used none. */
export function cachedPrefixOf(usage: UsageLike, sentAt: number): CachedPrefix | undefined {
  const tokens = (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
  if (tokens <= 0) return undefined;
  const ttl = (usage.cache_creation?.ephemeral_1h_input_tokens ?? 0) > 0 ? '1h' : '5m';
  return { tokens, ttl, sentAt };
}

export interface RequestCost {
  /** Input only: the answer's length is not known before it is written. */
  readonly costUsd: number;
  /** Read back from the prompt cache, at the cache-read rate. */
  readonly cachedTokens: number;
  /** Sent afresh: written to the cache (when the request is big enough to cache) or plain input. */
  readonly newTokens: number;
  readonly cacheWrite: boolean;
  /** The cached tokens' share of `costUsd`, and the new tokens' (for pricing parts). */
  readonly cachedUsd: number;
  readonly newUsd: number;
  /** True when the model's prices are a guess. */
  readonly estimatedPrice: boolean;
}

/**
 * The input cost of sending `totalTokens` now. The request builder puts a breakpoint at the end
 * of the newest user turn, so what the previous request sent is read from the cache while its
 * entry lives, and the rest is written to it once the request clears the model's minimum.
 */
export function nextRequestCost(
  totalTokens: number,
  prefix: CachedPrefix | undefined,
  model: Pick<ModelEntry, 'pricing' | 'minCacheableTokens'>,
  now: number,
): RequestCost {
  const alive = prefix !== undefined && now - prefix.sentAt < TTL_MS[prefix.ttl];
  const cachedTokens = alive ? Math.min(prefix.tokens, totalTokens) : 0;
  const newTokens = Math.max(0, totalTokens - cachedTokens);
  const cacheWrite = totalTokens >= model.minCacheableTokens;
  const ttl = prefix?.ttl ?? '5m';
  const written = cacheWrite ? newTokens : 0;
  const cost = costOf(
    {
      input_tokens: cacheWrite ? 0 : newTokens,
      output_tokens: 0,
      cache_read_input_tokens: cachedTokens,
      cache_creation_input_tokens: written,
      cache_creation: { ephemeral_5m_input_tokens: ttl === '5m' ? written : 0, ephemeral_1h_input_tokens: ttl === '1h' ? written : 0 },
    },
    model,
  );
  return {
    costUsd: cost.total,
    cachedTokens,
    newTokens,
    cacheWrite,
    cachedUsd: cost.cacheRead,
    newUsd: cost.input + cost.cacheWrite,
    estimatedPrice: cost.estimated,
  };
}

export interface PricedPart extends RequestPart {
  /** Of its tokens, how many are read from the cache. */
  readonly cachedTokens: number;
  readonly costUsd: number;
}

/**
 * Splits the request's cost over its parts. The cache holds a prefix, so the cached tokens are
 * the oldest parts' (system first); each token is priced at its class's average rate.
 */
export function priceParts(parts: readonly RequestPart[], cost: RequestCost): PricedPart[] {
  const readRate = cost.cachedTokens > 0 ? cost.cachedUsd / cost.cachedTokens : 0;
  const newRate = cost.newTokens > 0 ? cost.newUsd / cost.newTokens : 0;
  let cachedLeft = cost.cachedTokens;
  return parts.map((part) => {
    const cachedTokens = Math.min(part.tokens, cachedLeft);
    cachedLeft -= cachedTokens;
    return { ...part, cachedTokens, costUsd: cachedTokens * readRate + (part.tokens - cachedTokens) * newRate };
  });
}

/** How well the prompt cache served a session. */
export interface CacheStats {
  /** Responses with usage. */
  readonly requests: number;
  /** Of those, how many read from the cache. */
  readonly hits: number;
  readonly readTokens: number;
}

export function cacheStats(usages: Iterable<UsageLike>): CacheStats {
  let requests = 0;
  let hits = 0;
  let readTokens = 0;
  for (const usage of usages) {
    requests++;
    const read = usage.cache_read_input_tokens ?? 0;
    if (read > 0) hits++;
    readTokens += read;
  }
  return { requests, hits, readTokens };
}
