/**
 * Shapes of the model catalog. Kept apart from the data and the functions so
 * that the config module and the UI can import the types without pulling the
 * whole built-in table.
 */

/** A model line as the Models API names it; more lines may appear later. */
export type ModelLine = 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos' | (string & {});

/** The `output_config.effort` levels the Messages API knows. */
export type EffortLevel = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** Every effort level, lowest first. */
export const EFFORT_LEVELS: readonly EffortLevel[] = ['low', 'medium', 'high', 'xhigh', 'max'];

/** Prices in USD per million tokens. */
export interface TokenPrices {
  readonly input: number;
  readonly output: number;
  /** Writing to the 5-minute cache. */
  readonly cacheWrite5m: number;
  /** Writing to the 1-hour cache. */
  readonly cacheWrite1h: number;
  /** Cache hits and refreshes. */
  readonly cacheRead: number;
}

/**
 * Where a price came from, so the UI can say how far to trust it.
 * - `pricingPage`: the platform.claude.com pricing page.
 * - `modelPage`: the model's own page on platform.claude.com.
 * - `thirdParty`: reported by others, not found on an Anthropic page we could read.
 * - `lineFallback`: not found at all; copied from the line's newest priced model.
 */
export type PriceSource = 'pricingPage' | 'modelPage' | 'thirdParty' | 'lineFallback';

/** What a model costs. */
export interface ModelPricing extends TokenPrices {
  /** Multiplier applied to every token class on the Message Batches API. */
  readonly batchDiscount: number;
  /**
   * A second price tier for long prompts (Haiku 5.5 bills the whole request at
   * higher rates once the prompt exceeds the threshold).
   */
  readonly longPrompt?: {
    /** Prompt tokens (input + cache reads + cache writes) above which `prices` apply. */
    readonly thresholdTokens: number;
    readonly prices: TokenPrices;
  };
  /** True when the figures are a guess rather than a published price. */
  readonly estimated: boolean;
  readonly source: PriceSource;
}

/** Where a model is in its life. Dates are ISO `YYYY-MM-DD`. */
export type ModelLifecycle =
  | { readonly status: 'active' }
  | { readonly status: 'deprecated'; readonly endOfLife: string | null }
  | { readonly status: 'retired'; readonly endOfLife: string | null };

/** What a model accepts on a request. */
export interface ModelCapabilities {
  /** `thinking: {type: 'enabled', budget_tokens}` (manual extended thinking). */
  readonly thinkingEnabled: boolean;
  /** `thinking: {type: 'adaptive'}`. */
  readonly thinkingAdaptive: boolean;
  /** Accepted `output_config.effort` values; empty when effort is not supported. */
  readonly effortLevels: readonly EffortLevel[];
  /** JSON outputs / strict tool schemas. */
  readonly structuredOutputs: boolean;
}

/** One model in the catalog. */
export interface ModelEntry {
  readonly id: string;
  readonly displayName: string;
  readonly line: ModelLine | null;
  /** Max input tokens. */
  readonly contextWindow: number;
  /** Max value for `max_tokens`. */
  readonly maxOutputTokens: number;
  readonly pricing: ModelPricing;
  /** Below this many tokens a cache breakpoint silently caches nothing. */
  readonly minCacheableTokens: number;
  readonly capabilities: ModelCapabilities;
  readonly lifecycle: ModelLifecycle;
  /** `limited` models (Mythos) need an access programme; never a default. */
  readonly availability: 'general' | 'limited';
  /** Set on dated snapshot ids that name the same model as an alias. */
  readonly aliasOf?: string;
  /** Where the entry's non-price facts came from. */
  readonly origin: 'builtin' | 'api';
}
