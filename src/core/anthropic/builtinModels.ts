import { EFFORT_LEVELS } from './modelTypes';
import type { EffortLevel, ModelCapabilities, ModelEntry, ModelPricing, PriceSource, TokenPrices } from './modelTypes';

/**
 * The built-in catalog: what we use when the Models API cannot be reached, and
 * the only source of prices (the API publishes none).
 *
 * Sources, read November 2026 (USD per million tokens):
 * - pricingPage = https://platform.claude.com/docs/en/about-claude/pricing
 *   ("Model pricing" table). The stored copy we could read ends at Opus 5, so
 *   later models are priced from their own pages.
 * - modelPage = https://platform.claude.com/docs/en/models/<model>/overview
 *   ("Pricing" block, and context window / max output / thinking / effort).
 * - Minimum cacheable lengths: the prompt caching page
 *   (https://platform.claude.com/docs/en/build-with-claude/prompt-caching):
 *   512 for Opus 5 / Fable 5 / Mythos 5, 1024 for Opus 4.8 / Sonnet 5 /
 *   Sonnet 4.6 / Sonnet 4.5, 2048 for Opus 4.7, 4096 for Opus 4.6 / Opus 4.5 /
 *   Haiku 4.5. Newer models are not listed there; they take their line's
 *   figure, as noted on each entry.
 * - Lifecycle: the SDK's DEPRECATED_MODELS table and the model deprecations page.
 *
 * Order matters: newest first, as the SDK's `Model` union lists them. The
 * first priced model of a line is "the line's newest known model".
 */

/** The Message Batches API halves every token price; caching multipliers stack with it. */
export const BATCH_DISCOUNT = 0.5;

function prices(input: number, output: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number): TokenPrices {
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

function pricing(p: TokenPrices, source: PriceSource, longPrompt?: ModelPricing['longPrompt']): ModelPricing {
  return {
    ...p,
    batchDiscount: BATCH_DISCOUNT,
    estimated: source === 'lineFallback',
    source,
    ...(longPrompt ? { longPrompt } : {}),
  };
}

const ALL_EFFORT: readonly EffortLevel[] = EFFORT_LEVELS;
const EFFORT_NO_XHIGH: readonly EffortLevel[] = ['low', 'medium', 'high', 'max'];

/** Adaptive thinking only: manual `enabled` thinking returns a 400. */
const ADAPTIVE_ONLY: ModelCapabilities = {
  thinkingEnabled: false,
  thinkingAdaptive: true,
  effortLevels: ALL_EFFORT,
  structuredOutputs: true,
};

const ONE_MILLION = 1_000_000;
const K128 = 128_000;

const FABLE_5_1 = prices(10, 50, 12.5, 20, 0.25);
const FABLE_5 = prices(10, 50, 12.5, 20, 1);
const OPUS_4_5_TO_5 = prices(5, 25, 6.25, 10, 0.5);
const SONNET_4_X = prices(3, 15, 3.75, 6, 0.3);

type Base = Omit<ModelEntry, 'origin' | 'availability' | 'lifecycle'> &
  Partial<Pick<ModelEntry, 'availability' | 'lifecycle'>>;

function entry(base: Base): ModelEntry {
  return { availability: 'general', lifecycle: { status: 'active' }, origin: 'builtin', ...base };
}

/** A dated snapshot id that names the same model as its alias. */
function snapshot(of: ModelEntry, id: string): ModelEntry {
  return { ...of, id, aliasOf: of.id };
}

const sonnet45 = entry({
  id: 'claude-sonnet-4-5',
  displayName: 'Claude Sonnet 4.5',
  line: 'sonnet',
  contextWindow: 200_000,
  maxOutputTokens: 64_000,
  pricing: pricing(SONNET_4_X, 'pricingPage'),
  minCacheableTokens: 1024,
  capabilities: { thinkingEnabled: true, thinkingAdaptive: false, effortLevels: [], structuredOutputs: true },
  // Retired on November 30, 2026: SDK 1.15 dropped it from the Model type and DEPRECATED_MODELS.
  lifecycle: { status: 'retired', endOfLife: '2026-11-30' },
});

const haiku45 = entry({
  id: 'claude-haiku-4-5',
  displayName: 'Claude Haiku 4.5',
  line: 'haiku',
  contextWindow: 200_000,
  maxOutputTokens: 64_000,
  pricing: pricing(prices(1, 5, 1.25, 2, 0.1), 'pricingPage'),
  minCacheableTokens: 4096,
  capabilities: { thinkingEnabled: true, thinkingAdaptive: false, effortLevels: [], structuredOutputs: true },
});

const opus45 = entry({
  id: 'claude-opus-4-5',
  displayName: 'Claude Opus 4.5',
  line: 'opus',
  contextWindow: 200_000,
  maxOutputTokens: 64_000,
  pricing: pricing(OPUS_4_5_TO_5, 'pricingPage'),
  minCacheableTokens: 4096,
  capabilities: { thinkingEnabled: true, thinkingAdaptive: false, effortLevels: ['low', 'medium', 'high'], structuredOutputs: true },
  // SDK 1.13+ DEPRECATED_MODELS: end of life January 22, 2027.
  lifecycle: { status: 'deprecated', endOfLife: '2027-01-22' },
});

const mythos51Pricing = pricing(FABLE_5_1, 'pricingPage');

/** Every model the SDK's `Model` type names, newest first. */
export const BUILTIN_MODELS: readonly ModelEntry[] = [
  entry({
    id: 'claude-fable-5-2',
    displayName: 'Claude Fable 5.2',
    line: 'fable',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    // Not on any Anthropic page we could read; $8/$40, writes $10/$16, reads
    // $0.20 as reported by several third parties quoting the pricing page.
    pricing: pricing(prices(8, 40, 10, 16, 0.2), 'thirdParty'),
    // Not listed on the caching page; Fable line figure.
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-mythos-5-2',
    displayName: 'Claude Mythos 5.2',
    line: 'mythos',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    // No published price found: the Mythos line's newest priced model (5.1).
    // Earlier Mythos releases always matched their Fable twin, so the real
    // price is probably Fable 5.2's.
    pricing: { ...mythos51Pricing, estimated: true, source: 'lineFallback' },
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
    availability: 'limited',
  }),
  entry({
    id: 'claude-haiku-5-5',
    displayName: 'Claude Haiku 5.5',
    line: 'haiku',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    // Model page: two tiers split at a 100,000-token prompt. The cache-read
    // figures ($0.01 / $0.05) come from third-party reports; the page excerpt
    // we could read stops before them.
    pricing: pricing(prices(0.1, 0.5, 0.125, 0.2, 0.01), 'modelPage', {
      thresholdTokens: 100_000,
      prices: prices(0.5, 2.5, 0.625, 1, 0.05),
    }),
    // Not listed on the caching page; Haiku line figure (Haiku 4.5).
    minCacheableTokens: 4096,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-sonnet-5-5',
    displayName: 'Claude Sonnet 5.5',
    line: 'sonnet',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    // Model page: $2/$10, writes $2.50/$4. Cache reads were $0.20 at launch and
    // cut to $0.10 on 2026-10-07 (third-party reports; we take the cut).
    pricing: pricing(prices(2, 10, 2.5, 4, 0.1), 'modelPage'),
    // Not listed on the caching page; Sonnet line figure (Sonnet 5).
    minCacheableTokens: 1024,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-fable-5-1',
    displayName: 'Claude Fable 5.1',
    line: 'fable',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(FABLE_5_1, 'pricingPage'),
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-opus-5-5',
    displayName: 'Claude Opus 5.5',
    line: 'opus',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(prices(4, 20, 5, 8, 0.2), 'modelPage'),
    // Not listed on the caching page; Opus line figure (Opus 5).
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-mythos-5-1',
    displayName: 'Claude Mythos 5.1',
    line: 'mythos',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: mythos51Pricing,
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
    availability: 'limited',
  }),
  entry({
    id: 'claude-sonnet-5',
    displayName: 'Claude Sonnet 5',
    line: 'sonnet',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    // Model page; the increase to $3/$15 announced for 2026-09-01 was cancelled.
    pricing: pricing(prices(2, 10, 2.5, 4, 0.2), 'modelPage'),
    minCacheableTokens: 1024,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-fable-5',
    displayName: 'Claude Fable 5',
    line: 'fable',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(FABLE_5, 'pricingPage'),
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-mythos-5',
    displayName: 'Claude Mythos 5',
    line: 'mythos',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(FABLE_5, 'pricingPage'),
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
    availability: 'limited',
  }),
  entry({
    id: 'claude-opus-5',
    displayName: 'Claude Opus 5',
    line: 'opus',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(OPUS_4_5_TO_5, 'pricingPage'),
    minCacheableTokens: 512,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-opus-4-8',
    displayName: 'Claude Opus 4.8',
    line: 'opus',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(OPUS_4_5_TO_5, 'pricingPage'),
    minCacheableTokens: 1024,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-opus-4-7',
    displayName: 'Claude Opus 4.7',
    line: 'opus',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(OPUS_4_5_TO_5, 'pricingPage'),
    minCacheableTokens: 2048,
    capabilities: ADAPTIVE_ONLY,
  }),
  entry({
    id: 'claude-mythos-preview',
    displayName: 'Claude Mythos Preview',
    line: 'mythos',
    // Limits and price not found: Mythos line figures (Mythos 5.1).
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: { ...mythos51Pricing, estimated: true, source: 'lineFallback' },
    minCacheableTokens: 512,
    capabilities: { thinkingEnabled: true, thinkingAdaptive: true, effortLevels: EFFORT_NO_XHIGH, structuredOutputs: true },
    // The SDK lists an end of life of June 30, 2026, which has passed.
    lifecycle: { status: 'retired', endOfLife: '2026-06-30' },
    availability: 'limited',
  }),
  entry({
    id: 'claude-opus-4-6',
    displayName: 'Claude Opus 4.6',
    line: 'opus',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(OPUS_4_5_TO_5, 'pricingPage'),
    minCacheableTokens: 4096,
    // `enabled` still works but the SDK warns; adaptive is recommended.
    capabilities: { thinkingEnabled: true, thinkingAdaptive: true, effortLevels: EFFORT_NO_XHIGH, structuredOutputs: true },
  }),
  entry({
    id: 'claude-sonnet-4-6',
    displayName: 'Claude Sonnet 4.6',
    line: 'sonnet',
    contextWindow: ONE_MILLION,
    maxOutputTokens: K128,
    pricing: pricing(SONNET_4_X, 'pricingPage'),
    minCacheableTokens: 1024,
    capabilities: { thinkingEnabled: true, thinkingAdaptive: true, effortLevels: ['low', 'medium', 'high'], structuredOutputs: true },
  }),
  haiku45,
  snapshot(haiku45, 'claude-haiku-4-5-20251001'),
  opus45,
  snapshot(opus45, 'claude-opus-4-5-20251101'),
  sonnet45,
  snapshot(sonnet45, 'claude-sonnet-4-5-20250929'),
];
