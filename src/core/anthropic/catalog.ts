import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { catalogIdOf } from '../providers/modelIds';
import { BUILTIN_MODELS } from './builtinModels';
import { EFFORT_LEVELS } from './modelTypes';
import type { EffortLevel, ModelCapabilities, ModelEntry, ModelLifecycle, ModelPricing } from './modelTypes';

export { BATCH_DISCOUNT, BUILTIN_MODELS } from './builtinModels';
export { costOf } from './cost';
export type { CostBreakdown, CostOptions, UsageLike } from './cost';
export { EFFORT_LEVELS } from './modelTypes';
export type {
  EffortLevel,
  ModelCapabilities,
  ModelEntry,
  ModelLifecycle,
  ModelLine,
  ModelPricing,
  PriceSource,
  TokenPrices,
} from './modelTypes';

/**
 * The model used when the user has not picked one: the newest generally
 * available Sonnet, which balances cost and quality for an editor assistant.
 */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/**
 * Looks a model up by id in `catalog` (the built-in one by default).
 * Returns `undefined` for ids it does not know.
 */
export function findModel(id: string, catalog: readonly ModelEntry[] = BUILTIN_MODELS): ModelEntry | undefined {
  const wanted = id.trim();
  return catalog.find((m) => m.id === wanted);
}

/**
 * The catalog entry behind a model id the user may have typed in a provider's form (a Bedrock
 * profile or ARN, a Vertex `@date` name): that model's prices, window and limits, under the id as
 * typed, since that is still what the request carries. Undefined when the id names no catalog model.
 */
export function findModelFor(id: string, catalog: readonly ModelEntry[] = BUILTIN_MODELS): ModelEntry | undefined {
  const exact = findModel(id, catalog);
  if (exact !== undefined) return exact;
  const catalogId = catalogIdOf(id);
  const entry = catalogId !== undefined ? findModel(catalogId, catalog) : undefined;
  return entry !== undefined ? { ...entry, id: id.trim() } : undefined;
}

/** True when `model` can be sent requests today. */
export function isUsable(model: Pick<ModelEntry, 'lifecycle'>): boolean {
  return model.lifecycle.status !== 'retired';
}

/**
 * The cheapest model of `catalog` that can take a request today: generally available, not
 * retired, deprecated ones only when nothing else is left; an alias rather than its dated
 * snapshot. Priced by input plus output per million tokens (the small utility requests it is
 * for have both); a tie goes to the one listed first (the newest).
 */
export function cheapestModel(catalog: readonly ModelEntry[] = BUILTIN_MODELS): ModelEntry | undefined {
  const callable = catalog.filter((m) => isUsable(m) && m.availability === 'general' && m.aliasOf === undefined);
  const active = callable.filter((m) => m.lifecycle.status === 'active');
  const pool = active.length > 0 ? active : callable;
  const price = (m: ModelEntry): number => m.pricing.input + m.pricing.output;
  return pool.reduce<ModelEntry | undefined>((best, m) => (best === undefined || price(m) < price(best) ? m : best), undefined);
}

/** The newest model of `line` whose price is published, not guessed. */
function newestPricedOfLine(builtin: readonly ModelEntry[], line: string | null): ModelEntry | undefined {
  if (line === null) return undefined;
  return builtin.find((m) => m.line === line && !m.pricing.estimated);
}

function isoDate(rfc3339: string | null): string | null {
  if (!rfc3339) return null;
  const t = Date.parse(rfc3339);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

function lifecycleFromApi(info: ModelInfo): ModelLifecycle {
  switch (info.lifecycle) {
    case 'deprecated':
      return { status: 'deprecated', endOfLife: isoDate(info.retires_at) };
    case 'retired':
      return { status: 'retired', endOfLife: isoDate(info.retires_at) };
    default:
      return { status: 'active' };
  }
}

function capabilitiesFromApi(info: ModelInfo, fallback: ModelCapabilities): ModelCapabilities {
  const caps = info.capabilities;
  if (!caps) return fallback;
  const levels: EffortLevel[] = caps.effort.supported
    ? EFFORT_LEVELS.filter((level) => caps.effort[level]?.supported === true)
    : [];
  return {
    thinkingEnabled: caps.thinking.supported && caps.thinking.types.enabled.supported,
    thinkingAdaptive: caps.thinking.supported && caps.thinking.types.adaptive.supported,
    effortLevels: levels,
    structuredOutputs: caps.structured_outputs.supported,
  };
}

function positive(n: number | null): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Merges the Models API's answer into the built-in catalog.
 *
 * The API is trusted for limits, lifecycle and capabilities; prices always come
 * from the built-in table because the API publishes none. A model the built-in
 * table does not know gets the prices of its line's newest priced model (or of
 * {@link DEFAULT_MODEL} when it has no known line), flagged as estimated.
 *
 * The result lists the API's models first, in the API's order, then the
 * built-in models the API did not return (retired ones, or ones this account
 * cannot see), so a configured id can still be described.
 */
export function mergeCatalog(builtin: readonly ModelEntry[], apiModels: readonly ModelInfo[]): ModelEntry[] {
  const fallbackDefault = findModel(DEFAULT_MODEL, builtin) ?? builtin[0];
  const seen = new Set<string>();
  const merged: ModelEntry[] = [];

  for (const info of apiModels) {
    if (seen.has(info.id)) continue;
    seen.add(info.id);
    const known = findModel(info.id, builtin);
    const template = known ?? newestPricedOfLine(builtin, info.line) ?? fallbackDefault;
    if (!template) continue;
    const pricing: ModelPricing = known
      ? known.pricing
      : { ...template.pricing, estimated: true, source: 'lineFallback' };
    merged.push({
      id: info.id,
      displayName: info.display_name || known?.displayName || info.id,
      line: info.line ?? known?.line ?? null,
      contextWindow: positive(info.max_input_tokens) ?? template.contextWindow,
      maxOutputTokens: positive(info.max_tokens) ?? template.maxOutputTokens,
      pricing,
      minCacheableTokens: template.minCacheableTokens,
      capabilities: capabilitiesFromApi(info, template.capabilities),
      lifecycle: lifecycleFromApi(info),
      // The API only lists what this account may call, so availability is moot for it.
      availability: known?.availability ?? 'general',
      ...(known?.aliasOf ? { aliasOf: known.aliasOf } : {}),
      origin: 'api',
    });
  }

  for (const model of builtin) {
    if (!seen.has(model.id)) merged.push(model);
  }
  return merged;
}
