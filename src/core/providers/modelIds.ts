/**
 * Each catalog model's id on the cloud providers, and the one function that turns the chosen model
 * into the id a provider's request carries. An id the table does not know is sent as typed, so a
 * user can name any model, inference profile or deployment the catalog has never heard of.
 *
 * Sources (read December 2026); only ids found there are listed, none is guessed:
 * - Bedrock: platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock-legacy, the
 *   "API model IDs" table (base id and which of global / us / eu / jp / apac profiles exist), and
 *   the AWS Bedrock model card of Claude Haiku 4.5 (base id, us. and eu. profiles).
 *   That page warns that these ARN-versioned models do not take API version 2026-10-21 on
 *   Bedrock: {@link BedrockModelId.legacyVersion}.
 * - Vertex AI: cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude
 *   (the `@date` model names).
 * - Foundry: a deployment is named by its owner; the platform.claude.com Foundry page's default
 *   deployment name is the model id, which is what an unlisted model sends.
 * The 5.x models (Sonnet 5.5, Opus 5, ...) were not in the tables we could read: on Bedrock and
 * Vertex they are sent as the Anthropic id unless the user types the provider's id.
 */
import type { Provider } from './providers';

/** Cross-region inference profile prefixes Bedrock puts before a base model id. */
export type BedrockGeo = 'global' | 'us' | 'eu' | 'jp' | 'apac';
export const BEDROCK_GEOS: readonly BedrockGeo[] = ['global', 'us', 'eu', 'jp', 'apac'];

/**
 * How a Bedrock request names a catalog model (`claudeStudio.bedrock.inferenceProfile`): the
 * cross-region profile of the region's geography (`us.…`, falling back to `global.…`), the global
 * profile, or the base id (in-region, on-demand).
 */
export type BedrockRouting = 'geo' | 'global' | 'none';
export const BEDROCK_ROUTINGS: readonly BedrockRouting[] = ['geo', 'global', 'none'];

export interface BedrockModelId {
  /** The base model id, `anthropic.…`. */
  readonly id: string;
  /** The inference profiles Bedrock offers for it. */
  readonly profiles: readonly BedrockGeo[];
  /** ARN-versioned (legacy InvokeModel) ids take `anthropic_version: bedrock-2023-05-31`, not 2026-10-21. */
  readonly legacyVersion: boolean;
}

export interface ProviderModelIds {
  readonly bedrock?: BedrockModelId;
  /** Vertex AI's `claude-…@date` name. */
  readonly vertex?: string;
}

/** Keyed by the catalog's alias id; a dated snapshot id maps through its alias. */
export const PROVIDER_MODEL_IDS: Readonly<Record<string, ProviderModelIds>> = Object.freeze({
  'claude-opus-4-6': { bedrock: { id: 'anthropic.claude-opus-4-6-v1', profiles: ['global', 'us', 'eu', 'jp', 'apac'], legacyVersion: true } },
  'claude-sonnet-4-6': { bedrock: { id: 'anthropic.claude-sonnet-4-6', profiles: ['global', 'us', 'eu', 'jp'], legacyVersion: true } },
  'claude-sonnet-4-5': {
    bedrock: { id: 'anthropic.claude-sonnet-4-5-20250929-v1:0', profiles: ['global', 'us', 'eu', 'jp'], legacyVersion: true },
    vertex: 'claude-sonnet-4-5@20250929',
  },
  'claude-opus-4-5': {
    bedrock: { id: 'anthropic.claude-opus-4-5-20251101-v1:0', profiles: ['global', 'us', 'eu'], legacyVersion: true },
    vertex: 'claude-opus-4-5@20251101',
  },
  'claude-haiku-4-5': {
    bedrock: { id: 'anthropic.claude-haiku-4-5-20251001-v1:0', profiles: ['us', 'eu'], legacyVersion: true },
    vertex: 'claude-haiku-4-5@20251001',
  },
});

const SNAPSHOTS: Readonly<Record<string, string>> = {
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4-5',
  'claude-opus-4-5-20251101': 'claude-opus-4-5',
  'claude-haiku-4-5-20251001': 'claude-haiku-4-5',
};

function idsOf(modelId: string): ProviderModelIds | undefined {
  const id = modelId.trim();
  return PROVIDER_MODEL_IDS[SNAPSHOTS[id] ?? id];
}

/** The profile prefix for a region: `us-east-1` → us, `eu-west-3` → eu, `ap-northeast-1` → jp. */
export function bedrockGeoOf(region: string): BedrockGeo | undefined {
  if (/^us-(?!gov-)/.test(region) || region.startsWith('ca-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region === 'ap-northeast-1' || region === 'ap-northeast-3') return 'jp';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

export interface ResolvedModelId {
  /** What the request carries (Bedrock: in the URL path). */
  readonly id: string;
  /** The catalog's entry it came from, or undefined when sent as typed. */
  readonly catalogId?: string;
  /** Bedrock only: send `anthropic_version: bedrock-2023-05-31`. */
  readonly legacyVersion: boolean;
}

export interface ResolveOptions {
  /** Bedrock: the request's region. */
  readonly region?: string;
  readonly routing?: BedrockRouting;
}

/**
 * The id `provider` is sent for the model the user chose. A catalog model with a known provider id
 * maps to it (on Bedrock the profile for the region's geography, else global, else the base id,
 * as `routing` asks); anything else, a provider id the user typed included, goes as it is.
 */
export function providerModelId(provider: Provider | 'vertex' | 'foundry', modelId: string, options: ResolveOptions = {}): ResolvedModelId {
  const typed = modelId.trim();
  const ids = idsOf(typed);
  if (provider === 'bedrock') {
    const bedrock = ids?.bedrock;
    if (bedrock === undefined) return { id: typed, legacyVersion: isLegacyBedrockId(typed) };
    return { id: withProfile(bedrock, options), catalogId: typed, legacyVersion: bedrock.legacyVersion };
  }
  if (provider === 'vertex' && ids?.vertex !== undefined) return { id: ids.vertex, catalogId: typed, legacyVersion: false };
  return { id: typed, legacyVersion: false };
}

function withProfile(model: BedrockModelId, options: ResolveOptions): string {
  const routing = options.routing ?? 'geo';
  if (routing === 'none') return model.id;
  const geo = routing === 'geo' && options.region !== undefined ? bedrockGeoOf(options.region) : undefined;
  if (geo !== undefined && model.profiles.includes(geo)) return `${geo}.${model.id}`;
  if (model.profiles.includes('global')) return `global.${model.id}`;
  return model.id;
}

/** A Bedrock id (base or profile) of a model the table marks as taking the legacy version. */
export function isLegacyBedrockId(bedrockId: string): boolean {
  const base = bedrockBaseId(bedrockId);
  return Object.values(PROVIDER_MODEL_IDS).some((ids) => ids.bedrock?.id === base && ids.bedrock.legacyVersion);
}

/** `us.anthropic.x` → `anthropic.x`. */
export function bedrockBaseId(bedrockId: string): string {
  const dot = bedrockId.indexOf('.');
  const prefix = dot > 0 ? bedrockId.slice(0, dot) : '';
  return (BEDROCK_GEOS as readonly string[]).includes(prefix) ? bedrockId.slice(dot + 1) : bedrockId;
}

/** The catalog id a Bedrock id (base or profile) names, when the table has it. */
export function catalogIdOfBedrock(bedrockId: string): string | undefined {
  const base = bedrockBaseId(bedrockId);
  return Object.entries(PROVIDER_MODEL_IDS).find(([, ids]) => ids.bedrock?.id === base)?.[0];
}

/** Vertex AI's full resource name ends in the model's name: `projects/p/locations/l/publishers/anthropic/models/claude-…@date`. */
const VERTEX_RESOURCE = /^projects\/[^/]+\/locations\/[^/]+\/publishers\/anthropic\/models\/([^/]+)$/;

/**
 * The catalog id a provider's model id names, read from the tables above: a Bedrock base or
 * cross-region profile id, a Bedrock ARN that ends in one (`…:inference-profile/us.anthropic.…`,
 * `…::foundation-model/anthropic.…`), a Vertex `…@date` name (or its full resource name), or a
 * dated snapshot. Undefined for anything else: an application inference profile's ARN, a Foundry
 * deployment's own name or a gateway's alias say nothing about the model behind them.
 */
export function catalogIdOf(modelId: string): string | undefined {
  const typed = modelId.trim();
  const snapshot = SNAPSHOTS[typed];
  if (snapshot !== undefined) return snapshot;
  const name = typed.startsWith('arn:') ? typed.slice(typed.lastIndexOf('/') + 1) : (VERTEX_RESOURCE.exec(typed)?.[1] ?? typed);
  if (name === '') return undefined;
  const vertex = Object.entries(PROVIDER_MODEL_IDS).find(([, ids]) => ids.vertex === name)?.[0];
  return vertex ?? catalogIdOfBedrock(name);
}
