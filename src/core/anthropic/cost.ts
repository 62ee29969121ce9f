import type { Usage } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ModelEntry, TokenPrices } from './modelTypes';

/**
 * The parts of the SDK's `Usage` that cost money. Streaming deltas and older
 * responses may lack the cache fields, hence the optional ones.
 */
export type UsageLike = Pick<Usage, 'input_tokens' | 'output_tokens'> &
  Partial<Pick<Usage, 'cache_creation_input_tokens' | 'cache_read_input_tokens' | 'cache_creation' | 'service_tier'>>;

/** Options for {@link costOf}. */
export interface CostOptions {
  /**
   * Price at the Batch API discount. Defaults to true when the usage reports
   * `service_tier: 'batch'`.
   */
  readonly batch?: boolean;
}

/** What one response cost, in US dollars. */
export interface CostBreakdown {
  readonly input: number;
  readonly output: number;
  /** All cache writes (5m + 1h). */
  readonly cacheWrite: number;
  readonly cacheWrite5m: number;
  readonly cacheWrite1h: number;
  readonly cacheRead: number;
  readonly total: number;
  /**
   * Cache reads at the full input price, minus what they cost, minus the
   * premium paid for cache writes over the input price. Negative when caching
   * cost more than it saved on this response.
   */
  readonly savedByCache: number;
  /** True when the model's prices are a guess. */
  readonly estimated: boolean;
}

const PER_MILLION = 1_000_000;

function count(n: number | null | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Prices a response's usage.
 *
 * Cache writes are split into 5-minute and 1-hour writes from
 * `usage.cache_creation` when present; writes it does not account for are
 * priced at the 5-minute rate, the API's default TTL.
 */
export function costOf(usage: UsageLike, model: Pick<ModelEntry, 'pricing'>, options: CostOptions = {}): CostBreakdown {
  const inputTokens = count(usage.input_tokens);
  const outputTokens = count(usage.output_tokens);
  const readTokens = count(usage.cache_read_input_tokens);
  const writeTotal = count(usage.cache_creation_input_tokens);
  const breakdown = usage.cache_creation ?? null;
  const write1h = breakdown ? count(breakdown.ephemeral_1h_input_tokens) : 0;
  const write5mListed = breakdown ? count(breakdown.ephemeral_5m_input_tokens) : 0;
  // Anything in the total the breakdown does not cover was written at the default TTL.
  const write5m = write5mListed + Math.max(0, writeTotal - write5mListed - write1h);

  const { pricing } = model;
  const promptTokens = inputTokens + readTokens + write5m + write1h;
  // Long-prompt tiers apply to every token of the request, output included.
  const p: TokenPrices =
    pricing.longPrompt && promptTokens > pricing.longPrompt.thresholdTokens ? pricing.longPrompt.prices : pricing;
  const batch = options.batch ?? usage.service_tier === 'batch';
  // The pricing page says caching multipliers stack with the batch discount.
  const factor = batch ? pricing.batchDiscount : 1;
  const dollars = (tokens: number, perMillion: number): number => (tokens * perMillion * factor) / PER_MILLION;

  const input = dollars(inputTokens, p.input);
  const output = dollars(outputTokens, p.output);
  const cacheWrite5m = dollars(write5m, p.cacheWrite5m);
  const cacheWrite1h = dollars(write1h, p.cacheWrite1h);
  const cacheWrite = cacheWrite5m + cacheWrite1h;
  const cacheRead = dollars(readTokens, p.cacheRead);
  const writePremium = cacheWrite - dollars(write5m + write1h, p.input);
  const savedByCache = dollars(readTokens, p.input) - cacheRead - writePremium;

  return {
    input,
    output,
    cacheWrite,
    cacheWrite5m,
    cacheWrite1h,
    cacheRead,
    total: input + output + cacheWrite + cacheRead,
    savedByCache,
    estimated: pricing.estimated,
  };
}
