import type { CacheControlEphemeral, ContentBlockParam, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';

/**
 * Where the prompt cache breakpoints go. A pure function, so it is unit-tested without a server and
 * replayed by `bench/cache.ts`. Facts it relies on (platform.claude.com, "Prompt caching"; modelled
 * the same way by test/server/cache.ts):
 * - The prompt is one prefix, tools -> system -> messages; a breakpoint caches everything up to and
 *   including its block, and only if that prefix has the model's minimum cacheable tokens.
 * - At most 4 breakpoints; a 1h breakpoint may not follow a 5m one.
 * - A breakpoint finds an earlier entry only at block boundaries at most 20 blocks before it.
 * - `cache_control` is not part of the prefix match: the documented automatic caching moves its one
 *   breakpoint to the newest block every turn and still reuses the earlier turns, which could not
 *   work otherwise. So markers move between turns while every other byte stays identical.
 */

export type CacheTtlChoice = '5m' | '1h' | 'auto';
export type CacheTtl = '5m' | '1h';
export type PlannableBlock = TextBlockParam | ContentBlockParam;
export type BreakpointReason = 'system' | 'context' | 'tail' | 'lookback';

/** A message block; `message` indexes `messages`, `block` its content array. */
export interface MessageBlockRef {
  readonly message: number;
  readonly block: number;
}
export type BlockRef = { readonly section: 'system'; readonly block: number } | ({ readonly section: 'messages' } & MessageBlockRef);

export type CacheRequest = { readonly system: readonly TextBlockParam[]; readonly messages: readonly MessageParam[] };

export interface CachePlanOptions {
  readonly ttl: CacheTtlChoice;
  readonly minCacheableTokens: number;
  /** Tokens of one block; an estimate is fine (it only decides eligibility and the TTL policy). */
  readonly countTokens: (block: PlannableBlock) => number;
  /** Typical pause between the user's turns; only `auto` reads it. */
  readonly gapHintMs?: number;
  /** Where the previous request's newest breakpoint was; by default the end of the previous user message. */
  readonly previousBreakpoint?: MessageBlockRef;
  /** How far back the API looks for an earlier entry. Default 20 (the documented window). */
  readonly lookbackBlocks?: number;
  /** A block at least this big counts as attached context (a file) rather than typed text. Default 256. */
  readonly contextBlockTokens?: number;
}

export interface PlannedBreakpoint {
  readonly ref: BlockRef;
  /** Position in the flattened prompt, as the API counts blocks for the lookback. */
  readonly index: number;
  readonly prefixTokens: number;
  readonly ttl: CacheTtl;
  readonly reasons: readonly BreakpointReason[];
}

export interface SkippedBreakpoint {
  readonly ref: BlockRef;
  readonly prefixTokens: number;
  readonly reason: BreakpointReason;
  readonly why: 'belowMinimum' | 'overLimit';
}

export interface CachePlan {
  /** In prompt order. */
  readonly breakpoints: readonly PlannedBreakpoint[];
  readonly skipped: readonly SkippedBreakpoint[];
  /** Estimated tokens up to the last breakpoint: what the next turn can read back. */
  readonly cacheablePrefixTokens: number;
  readonly totalTokens: number;
  readonly ttl: CacheTtl | 'mixed';
  readonly ttlReason: string;
  /** Pass as `previousBreakpoint` when planning the next turn. */
  readonly tail?: MessageBlockRef;
}

export type PlannedRequest = { readonly request: { system: TextBlockParam[]; messages: MessageParam[] }; readonly plan: CachePlan };

export const MAX_CACHE_BREAKPOINTS = 4;
export const CACHE_LOOKBACK_BLOCKS = 20;
const CONTEXT_BLOCK_TOKENS = 256;
/** A pause shorter than this leaves a 5m entry alive; a longer one needs the 1h TTL. */
export const AUTO_LONG_GAP_MS = 4 * 60_000;
/** Past an hour even 1h entries are gone, so paying the 1h write price buys nothing. */
const AUTO_MAX_GAP_MS = 60 * 60_000;
/** 1h writes cost 2x input (5m: 1.25x); only a prefix this large makes the difference worth it. */
export const AUTO_1H_MIN_PREFIX_TOKENS = 8192;
const AUTO_1H_MIN_FACTOR = 4;

/** One block of the flattened prompt; `cumulative` counts tokens up to and including it. */
type Slot = {
  readonly ref: BlockRef;
  readonly role: MessageParam['role'];
  readonly tokens: number;
  readonly cumulative: number;
  readonly markable: boolean;
  /** An image or PDF block: attached context whatever its size. */
  readonly media: boolean;
};

/** `priority`: lower is kept first when more than four want a place. */
type Candidate = { readonly index: number; readonly reason: BreakpointReason; readonly priority: number };

type MutableRequest = PlannedRequest['request'];

function stripMarker<T extends PlannableBlock>(block: T): T {
  if (!('cache_control' in block)) return block;
  const copy: Record<string, unknown> = { ...block };
  delete copy['cache_control'];
  return copy as T;
}

function asBlocks<T extends PlannableBlock>(content: string | readonly T[]): (T | TextBlockParam)[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content.map(stripMarker);
}

/**
 * Copies the request without any `cache_control`, so the planner owns every marker. String content
 * becomes its single text block: the API renders both the same, and only a block can carry a
 * marker. Done always, so a message's shape never flips between turns.
 */
function normalized(request: CacheRequest): MutableRequest {
  const messages = request.messages.map(
    (m): MessageParam => (m.role === 'system' ? { role: m.role, content: asBlocks(m.content) } : { role: m.role, content: asBlocks(m.content) }),
  );
  return { system: request.system.map(stripMarker), messages };
}

const blocksOf = (message: MessageParam | undefined): readonly PlannableBlock[] =>
  message === undefined || typeof message.content === 'string' ? [] : message.content;

/** Thinking blocks take no marker, and the API rejects one on an empty text block. */
function canMark(block: PlannableBlock): boolean {
  if (block.type === 'thinking' || block.type === 'redacted_thinking') return false;
  return block.type !== 'text' || block.text !== '';
}

function flatten(request: MutableRequest, countTokens: CachePlanOptions['countTokens']): Slot[] {
  // Tools, once the extension sends any, come first and must be counted here too.
  const slots: Slot[] = [];
  let cumulative = 0;
  const push = (ref: BlockRef, role: Slot['role'], block: PlannableBlock): void => {
    const tokens = countTokens(block);
    cumulative += tokens;
    slots.push({ ref, role, tokens, cumulative, markable: canMark(block), media: block.type === 'image' || block.type === 'document' });
  };
  request.system.forEach((block, i) => push({ section: 'system', block: i }, 'system', block));
  request.messages.forEach((message, m) => {
    blocksOf(message).forEach((block, b) => push({ section: 'messages', message: m, block: b }, message.role, block));
  });
  return slots;
}

function lastMarkable(slots: readonly Slot[], accept: (slot: Slot) => boolean): number {
  for (let i = slots.length - 1; i >= 0; i--) {
    const slot = slots[i];
    if (slot && slot.markable && accept(slot)) return i;
  }
  return -1;
}

const inMessage = (slot: Slot, message: number): boolean => slot.ref.section === 'messages' && slot.ref.message === message;

/** Ends of runs of attached context (big consecutive blocks of one user message) over the minimum. */
function contextRunEnds(slots: readonly Slot[], minTokens: number, blockTokens: number): number[] {
  const ends: number[] = [];
  let runTokens = 0;
  let runEnd = -1;
  let runMessage = -1;
  const close = (): void => {
    if (runEnd >= 0 && runTokens >= minTokens) ends.push(runEnd);
    runTokens = 0;
    runEnd = -1;
  };
  slots.forEach((slot, i) => {
    const message = slot.ref.section === 'messages' ? slot.ref.message : -1;
    // An image or PDF, and the caption naming it just before, belong to the run whatever their size.
    const next = slots[i + 1];
    const caption = next !== undefined && next.media && next.ref.section === slot.ref.section && (next.ref.section !== 'messages' || inMessage(next, message));
    const big = slot.role === 'user' && slot.markable && (slot.tokens >= blockTokens || slot.media || caption);
    if (!big || message !== runMessage) close();
    runMessage = message;
    if (big) {
      runTokens += slot.tokens;
      runEnd = i;
    }
  });
  close();
  return ends;
}

function resolvePrevious(slots: readonly Slot[], tail: number, request: MutableRequest, options: CachePlanOptions): number {
  const given = options.previousBreakpoint;
  if (given !== undefined) {
    const index = slots.findIndex((s) => s.ref.section === 'messages' && s.ref.message === given.message && s.ref.block === given.block);
    return index >= 0 && index < tail ? index : -1;
  }
  const tailSlot = slots[tail];
  if (tailSlot?.ref.section !== 'messages') return -1;
  const previousUser = lastUserMessage(request, tailSlot.ref.message);
  return previousUser >= 0 ? lastMarkable(slots, (s) => inMessage(s, previousUser)) : -1;
}

function chooseCandidates(slots: readonly Slot[], request: MutableRequest, options: CachePlanOptions): Candidate[] {
  const lookback = options.lookbackBlocks ?? CACHE_LOOKBACK_BLOCKS;
  const candidates: Candidate[] = [];
  // (c) The newest user turn's last block: the whole prompt, which the next turn reads back.
  const newestUser = lastUserMessage(request, request.messages.length);
  const tail = newestUser >= 0 ? lastMarkable(slots, (s) => inMessage(s, newestUser)) : -1;
  if (tail >= 0) candidates.push({ index: tail, reason: 'tail', priority: 0 });
  // (a) End of system: shared by every conversation with the same system prompt.
  const system = lastMarkable(slots, (s) => s.ref.section === 'system');
  if (system >= 0) candidates.push({ index: system, reason: 'system', priority: 2 });
  // (b) End of attached context, newest first: it stays cached even when the turns after it change
  // (an edited question, a fork, a long pause with the 1h TTL while the tail is only 5m).
  const runs = contextRunEnds(slots, options.minCacheableTokens, options.contextBlockTokens ?? CONTEXT_BLOCK_TOKENS).reverse();
  runs.forEach((index, k) => candidates.push({ index, reason: 'context', priority: 3 + k }));
  // (d) The tail finds the previous request's entry only if it lies within the lookback window. When
  // this turn added more blocks than that, a breakpoint on the previous position reads it instead,
  // unless the newest context breakpoint (always kept) already sits within reach of it.
  const previous = tail >= 0 ? resolvePrevious(slots, tail, request, options) : -1;
  const bridged = (at: number): boolean => at >= previous && at - previous <= lookback;
  if (previous >= 0 && tail - previous > lookback && !(runs[0] !== undefined && bridged(runs[0]))) {
    candidates.push({ index: previous, reason: 'lookback', priority: 1 });
  }
  return candidates;
}

/** Index of the last user message before `before`, or -1. */
function lastUserMessage(request: MutableRequest, before: number): number {
  for (let m = before - 1; m >= 0; m--) if (request.messages[m]?.role === 'user') return m;
  return -1;
}

function chooseTtl(options: CachePlanOptions, stablePrefixTokens: number): { ttl: CacheTtl; reason: string } {
  if (options.ttl !== 'auto') return { ttl: options.ttl, reason: `set to ${options.ttl}` };
  const gap = options.gapHintMs;
  const needed = Math.max(AUTO_1H_MIN_PREFIX_TOKENS, AUTO_1H_MIN_FACTOR * options.minCacheableTokens);
  if (gap === undefined || gap <= AUTO_LONG_GAP_MS) return { ttl: '5m', reason: 'pauses between turns are short enough for 5m' };
  if (gap >= AUTO_MAX_GAP_MS) return { ttl: '5m', reason: 'pauses outlast even the 1h TTL' };
  if (stablePrefixTokens < needed) return { ttl: '5m', reason: `stable prefix ${stablePrefixTokens} < ${needed} tokens` };
  return { ttl: '1h', reason: `long pauses and a stable prefix of ${stablePrefixTokens} tokens` };
}

const marker = (ttl: CacheTtl): CacheControlEphemeral => (ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' });

function withMarker<T extends PlannableBlock>(list: T[], at: number, ttl: CacheTtl): void {
  const block = list[at];
  if (block !== undefined) list[at] = { ...block, cache_control: marker(ttl) };
}

function mark(request: MutableRequest, ref: BlockRef, ttl: CacheTtl): void {
  if (ref.section === 'system') return withMarker(request.system, ref.block, ttl);
  const message = request.messages[ref.message];
  if (message === undefined || typeof message.content === 'string') return;
  // Split by role only for the types: a system-role message holds text blocks alone.
  if (message.role === 'system') withMarker(message.content, ref.block, ttl);
  else withMarker(message.content, ref.block, ttl);
}

/**
 * Places the cache breakpoints on a copy of the request and says where and why. Rules, in the
 * order they keep a place under the limit of four: (c) tail, (d) lookback bridge, (a) end of
 * system, (b) end of the newest attached context, then older context ends. A candidate whose prefix
 * is under the minimum is dropped: the API would cache nothing there and the slot would be wasted.
 */
export function planCache(request: CacheRequest, options: CachePlanOptions): PlannedRequest {
  const copy = normalized(request);
  const slots = flatten(copy, options.countTokens);
  const skipped: SkippedBreakpoint[] = [];
  const prefixAt = (index: number): number => slots[index]?.cumulative ?? 0;

  const merged = new Map<number, { priority: number; reasons: BreakpointReason[] }>();
  for (const candidate of chooseCandidates(slots, copy, options)) {
    const ref = slots[candidate.index]?.ref;
    if (ref === undefined) continue;
    if (prefixAt(candidate.index) < options.minCacheableTokens) {
      skipped.push({ ref, prefixTokens: prefixAt(candidate.index), reason: candidate.reason, why: 'belowMinimum' });
      continue;
    }
    const entry = merged.get(candidate.index) ?? { priority: candidate.priority, reasons: [] };
    entry.priority = Math.min(entry.priority, candidate.priority);
    entry.reasons.push(candidate.reason);
    merged.set(candidate.index, entry);
  }
  const ranked = [...merged.entries()].sort((a, b) => a[1].priority - b[1].priority);
  for (const [index, entry] of ranked.slice(MAX_CACHE_BREAKPOINTS)) {
    const ref = slots[index]?.ref;
    for (const reason of entry.reasons) if (ref) skipped.push({ ref, prefixTokens: prefixAt(index), reason, why: 'overLimit' });
  }
  const kept = ranked.slice(0, MAX_CACHE_BREAKPOINTS).sort((a, b) => a[0] - b[0]);

  // The stable part (system and attached context) may take 1h; everything up to its end must then
  // be 1h too, since the API rejects a 1h breakpoint after a 5m one.
  const stableEnd = kept.reduce((end, [index, entry]) => (entry.reasons.some((r) => r === 'system' || r === 'context') ? index : end), -1);
  const policy = chooseTtl(options, stableEnd >= 0 ? prefixAt(stableEnd) : 0);
  const ttlAt = (index: number): CacheTtl => (options.ttl === 'auto' && index > stableEnd ? '5m' : policy.ttl);

  const breakpoints = kept.flatMap(([index, entry]): PlannedBreakpoint[] => {
    const slot = slots[index];
    if (slot === undefined) return [];
    mark(copy, slot.ref, ttlAt(index));
    return [{ ref: slot.ref, index, prefixTokens: slot.cumulative, ttl: ttlAt(index), reasons: entry.reasons }];
  });
  const ttls = new Set(breakpoints.map((b) => b.ttl));
  const tail = breakpoints.find((b) => b.reasons.includes('tail'))?.ref;
  return {
    request: copy,
    plan: {
      breakpoints,
      skipped,
      cacheablePrefixTokens: breakpoints.at(-1)?.prefixTokens ?? 0,
      totalTokens: slots.at(-1)?.cumulative ?? 0,
      ttl: ttls.size > 1 ? 'mixed' : (breakpoints[0]?.ttl ?? policy.ttl),
      ttlReason: policy.reason,
      ...(tail?.section === 'messages' ? { tail: { message: tail.message, block: tail.block } } : {}),
    },
  };
}
