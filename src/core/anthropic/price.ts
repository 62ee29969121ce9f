/**
 * What an answer, a turn or a session cost, and when that is not known. A model with no known
 * price is never priced at $0: its id is carried as unpriced, and a sum that includes it says it
 * is partial. This is the one place that decides it; the ledger, the views, the status bar and
 * the export only carry and show the result.
 */
import type { Unpriced } from '../../shared/protocol';
import { costOf, type UsageLike } from './cost';
import type { ModelEntry } from './modelTypes';

export type { Unpriced } from '../../shared/protocol';

/** A price in US dollars; `unpriced` is set when some or all of it has no known price. */
export interface Price {
  /** What the priced part cost. */
  readonly costUsd: number;
  /** What prompt caching saved on the priced part. */
  readonly savedUsd: number;
  readonly unpriced?: Unpriced;
}

/** The response's `model`, kept only when it is a plausible id and says something new. */
export function answeredModelOf(requested: string, answered: unknown): string | undefined {
  if (typeof answered !== 'string') return undefined;
  const id = answered.trim();
  return id !== '' && id.length <= 256 && id !== requested.trim() && /^[\x21-\x7e]+$/.test(id) ? id : undefined;
}

/** The price of an answer from a model with no known price. */
export function unknownPrice(modelId: string): Price {
  return { costUsd: 0, savedUsd: 0, unpriced: { models: [modelId.trim()], partial: false } };
}

/**
 * What an answer to a request for `modelId` cost. `lookup` finds a catalog entry; when the id the
 * request named has none, the model the response named (`answeredBy`) is tried before giving up,
 * and an answer neither prices is unpriced under the requested id.
 */
export function priceAnswer(
  usage: UsageLike,
  modelId: string,
  lookup: (id: string) => Pick<ModelEntry, 'pricing'> | undefined,
  answeredBy?: string,
): Price {
  const model = lookup(modelId) ?? (answeredBy !== undefined ? lookup(answeredBy) : undefined);
  if (model === undefined) return unknownPrice(modelId);
  const cost = costOf(usage, model);
  return { costUsd: cost.total, savedUsd: cost.savedByCache };
}

/**
 * Adds prices up. The sum is unpriced when any part is, and partial when some part was priced
 * too; an empty sum is a known $0.
 */
export function sumPrices(prices: Iterable<Price>): Price {
  let costUsd = 0;
  let savedUsd = 0;
  let priced = false;
  const models = new Set<string>();
  for (const price of prices) {
    costUsd += price.costUsd;
    savedUsd += price.savedUsd;
    if (price.unpriced === undefined) priced = true;
    else {
      if (price.unpriced.partial) priced = true;
      for (const model of price.unpriced.models) models.add(model);
    }
  }
  if (models.size === 0) return { costUsd, savedUsd };
  return { costUsd, savedUsd, unpriced: { models: [...models], partial: priced } };
}
