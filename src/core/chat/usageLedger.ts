import { sumPrices, type Price } from '../anthropic/price';
import type { Usage } from '@anthropic-ai/sdk/resources/messages';

/** Running totals of what a session spent and what the prompt cache saved, in US dollars. */
export interface SessionTotals extends Price {
  readonly turns: number;
}

/** Folds each turn's price into the session's totals, once per turn even if reported twice. */
export class UsageLedger {
  private readonly perTurn = new Map<string, Price>();

  add(turnId: string, price: Price): void {
    this.perTurn.set(turnId, price);
  }

  /** How many prices were added; used to key each request of a turn apart. */
  get size(): number {
    return this.perTurn.size;
  }

  reset(): void {
    this.perTurn.clear();
  }

  /** The sum; partial (and naming the models) when some turn had no known price. */
  get totals(): SessionTotals {
    return { ...sumPrices(this.perTurn.values()), turns: this.perTurn.size };
  }
}

/** Adds usage records up (a recipe turn's steps) into one `Usage`. */
export function sumUsages(usages: readonly Usage[]): Usage {
  const total: Usage = {
    input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    inference_geo: null, output_tokens_details: null, server_tool_use: null, service_tier: null, speed: null,
  };
  for (const usage of usages) {
    total.input_tokens += usage.input_tokens;
    total.output_tokens += usage.output_tokens;
    total.cache_creation_input_tokens = (total.cache_creation_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
    total.cache_read_input_tokens = (total.cache_read_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    if (total.cache_creation) {
      total.cache_creation.ephemeral_5m_input_tokens += usage.cache_creation?.ephemeral_5m_input_tokens ?? 0;
      total.cache_creation.ephemeral_1h_input_tokens += usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
    }
  }
  return total;
}
