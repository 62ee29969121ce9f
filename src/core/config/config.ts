import * as l10n from '@vscode/l10n';
import { DEFAULT_MODEL, findModel } from '../anthropic/catalog';
import type { EffortLevel, ModelEntry } from '../anthropic/catalog';
import { AUTH_HEADERS, checkHeader } from '../anthropic/headers';
import type { AuthHeader } from '../anthropic/headers';
import { EFFORT_LEVELS } from '../anthropic/modelTypes';
import { PROVIDERS, isAwsProfile, isAwsRegion, isFoundryResource, isGcpProject, isProviderEndpoint, isVertexRegion } from '../providers/providers';
import { BEDROCK_ROUTINGS } from '../providers/modelIds';
import type { BedrockSettings, FoundrySettings, Provider, VertexSettings } from '../providers/providers';
import { CONFIG_KEYS } from './configKeys';
import { configMessages } from './messages';
import { SettingsReader } from './readers';

export { CONFIG_KEYS, CONFIG_SECTION } from './configKeys';
export type { ConfigKeyInfo } from './configKeys';
export { configMessages } from './messages';

/** Thinking settings. */
export type ThinkingMode = 'off' | 'enabled' | 'adaptive';
/** Prompt cache lifetime; `auto` lets the request builder choose per conversation. */
export type CacheTtlSetting = '5m' | '1h' | 'auto';

/** The one typed, validated view of the `claudeStudio.*` settings. */
export interface Config {
  readonly model: string;
  readonly maxTokens: number;
  readonly stopSequences: readonly string[];
  /** Extra system instructions, one entry per system block; empty when unset. */
  readonly systemPrompt: readonly string[];
  readonly thinking: {
    readonly mode: ThinkingMode;
    /** Only meaningful when `mode` is `enabled`; then 1024 <= budget < maxTokens. */
    readonly budgetTokens: number;
    readonly effort: EffortLevel | null;
  };
  readonly cache: { readonly ttl: CacheTtlSetting };
  /** Which service answers (application scope). */
  readonly provider: Provider;
  readonly bedrock: BedrockSettings;
  readonly vertex: VertexSettings;
  readonly foundry: FoundrySettings;
  /** Empty: the SDK default endpoint. */
  readonly baseURL: string;
  /** How the key is sent: `Authorization: Bearer` (what the SDK sends) or `x-api-key`, for gateways that read only one. */
  readonly authHeader: AuthHeader;
  readonly customHeaders: Readonly<Record<string, string>>;
  /** The user allows a plain `http://` base URL to a host other than this machine (user settings only). */
  readonly allowInsecureHttp: boolean;
  readonly request: {
    readonly timeoutSeconds: number;
    readonly maxRetries: number;
    readonly stallTimeoutSeconds: number;
  };
  readonly context: {
    readonly maxFileTokens: number;
    readonly maxTotalTokens: number;
    readonly exclude: readonly string[];
    readonly respectGitignore: boolean;
    /** Most files one pick (a folder, a multi-select) may add. */
    readonly maxFiles: number;
  };
  readonly images: {
    /** Images with a longer side are scaled down to it before sending; 0 sends them as they are. */
    readonly maxLongEdge: number;
  };
  readonly profile: {
    readonly expertise: 'beginner' | 'intermediate' | 'expert';
    readonly verbosity: 'concise' | 'detailed';
    readonly examples: boolean;
  };
}

/** Extra knowledge for {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The catalog to check the model against; the built-in one by default. */
  readonly catalog?: readonly ModelEntry[];
}

const THINKING_MIN_BUDGET = 1024;

function defaultOf<T>(key: string): T {
  const info = CONFIG_KEYS.find((k) => k.key === key);
  if (!info) throw new Error(`unknown setting ${key}`);
  return info.default as T;
}

function readModel(r: SettingsReader, catalog: readonly ModelEntry[] | undefined): { id: string; entry?: ModelEntry } {
  const v = r.value('model', DEFAULT_MODEL);
  if (v === undefined || v === null || v === '') return { id: DEFAULT_MODEL, entry: findModel(DEFAULT_MODEL, catalog) };
  if (typeof v !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._:@/[\]-]*$/.test(v.trim())) {
    r.report(configMessages.badModel(v, DEFAULT_MODEL));
    return { id: DEFAULT_MODEL, entry: findModel(DEFAULT_MODEL, catalog) };
  }
  const id = v.trim();
  const entry = findModel(id, catalog);
  if (entry?.lifecycle.status === 'retired') {
    r.report(configMessages.retiredModel(id, DEFAULT_MODEL));
    return { id: DEFAULT_MODEL, entry: findModel(DEFAULT_MODEL, catalog) };
  }
  return entry ? { id, entry } : { id };
}

function readBaseURL(r: SettingsReader): string {
  const v = r.string('baseURL', '').trim();
  if (v === '') return '';
  try {
    const url = new URL(v);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password) return v;
  } catch {
    // fall through to the problem below
  }
  r.report(configMessages.badBaseURL(v));
  return '';
}

function readBedrock(r: SettingsReader): BedrockSettings {
  let region = r.string('bedrock.region', '').trim();
  if (region !== '' && !isAwsRegion(region)) {
    r.report(configMessages.badRegion(region));
    region = '';
  }
  let profile = r.string('bedrock.profile', '').trim();
  if (profile !== '' && !isAwsProfile(profile)) {
    r.report(configMessages.badProfile(profile));
    profile = '';
  }
  return {
    region,
    profile,
    inferenceProfile: r.oneOf('bedrock.inferenceProfile', BEDROCK_ROUTINGS, 'geo'),
    endpoint: readChecked(r, 'bedrock.endpoint', isProviderEndpoint, l10n.t('an https:// address without credentials')),
  };
}

/** A text setting checked by `valid`; anything else is reported and read as empty. */
function readChecked(r: SettingsReader, key: string, valid: (value: string) => boolean, what: string): string {
  const value = r.string(key, '').trim();
  if (value === '' || valid(value)) return value;
  r.report(configMessages.badSetting(key, value, what));
  return '';
}

function readVertex(r: SettingsReader): VertexSettings {
  return {
    projectId: readChecked(r, 'vertex.projectId', isGcpProject, l10n.t('a Google Cloud project id')),
    region: readChecked(r, 'vertex.region', isVertexRegion, l10n.t('a Vertex AI region such as "us-east5" or "global"')),
    endpoint: readChecked(r, 'vertex.endpoint', isProviderEndpoint, l10n.t('an https:// address without credentials')),
  };
}

function readFoundry(r: SettingsReader): FoundrySettings {
  return {
    resource: readChecked(r, 'foundry.resource', isFoundryResource, l10n.t('a Foundry resource name')),
    auth: r.oneOf('foundry.auth', ['apiKey', 'entraId'] as const, 'apiKey'),
    endpoint: readChecked(r, 'foundry.endpoint', isProviderEndpoint, l10n.t('an https:// address without credentials')),
  };
}

function readHeaders(r: SettingsReader): Record<string, string> {
  const v = r.value('customHeaders', {});
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    r.report(configMessages.notObject('customHeaders'));
    return {};
  }
  const out: Record<string, string> = {};
  for (const [header, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value === 'string' && checkHeader(header, value) === undefined) out[header] = value;
    else r.report(configMessages.badHeader(header));
  }
  return out;
}

/** Makes the thinking mode one the model accepts, preferring the closest alternative. */
function fitThinkingMode(r: SettingsReader, mode: ThinkingMode, model: ModelEntry | undefined): ThinkingMode {
  if (!model || mode === 'off') return mode;
  const { thinkingEnabled, thinkingAdaptive } = model.capabilities;
  if (mode === 'enabled' && !thinkingEnabled) {
    const to: ThinkingMode = thinkingAdaptive ? 'adaptive' : 'off';
    r.report(configMessages.thinkingModeSwitched(model.id, mode, to));
    return to;
  }
  if (mode === 'adaptive' && !thinkingAdaptive) {
    const to: ThinkingMode = thinkingEnabled ? 'enabled' : 'off';
    r.report(configMessages.thinkingModeSwitched(model.id, mode, to));
    return to;
  }
  return mode;
}

/**
 * Parses raw setting values (as `getConfiguration('claudeStudio').get(key)`
 * returns them) into a {@link Config}. Never throws: every unusable value is
 * replaced by a safe one and described in `problems`.
 */
export function parseConfig(
  raw: (key: string) => unknown,
  options: ParseConfigOptions = {},
): { config: Config; problems: string[] } {
  const r = new SettingsReader(raw);
  const { id: model, entry } = readModel(r, options.catalog);

  let maxTokens = r.int('maxTokens', defaultOf<number>('maxTokens'), 1);
  if (entry && maxTokens > entry.maxOutputTokens) {
    r.report(configMessages.maxTokensAboveModel(maxTokens, model, entry.maxOutputTokens));
    maxTokens = entry.maxOutputTokens;
  }

  const stopSequences = r.stringList('stopSequences');
  const systemPrompt = r.stringList('systemPrompt', { acceptSingle: true });

  let mode = fitThinkingMode(r, r.oneOf('thinking.mode', ['off', 'enabled', 'adaptive'] as const, 'off'), entry);
  let budgetTokens = defaultOf<number>('thinking.budgetTokens');
  const rawBudget = r.int('thinking.budgetTokens', budgetTokens, 1);
  if (rawBudget < THINKING_MIN_BUDGET) r.report(configMessages.budgetAtLeast(rawBudget));
  budgetTokens = Math.max(THINKING_MIN_BUDGET, rawBudget);
  if (mode === 'enabled' && budgetTokens >= maxTokens) {
    if (maxTokens > THINKING_MIN_BUDGET) {
      r.report(configMessages.budgetBelowMaxTokens(budgetTokens, maxTokens, maxTokens - 1));
      budgetTokens = maxTokens - 1;
    } else {
      r.report(configMessages.thinkingNeedsRoom(maxTokens));
      mode = 'off';
    }
  }

  let effort = r.oneOf('thinking.effort', EFFORT_LEVELS, null, true);
  if (effort !== null && entry && !entry.capabilities.effortLevels.includes(effort)) {
    r.report(configMessages.effortUnsupported(effort, model));
    effort = null;
  }

  const maxFileRaw = r.int('context.maxFileTokens', defaultOf<number>('context.maxFileTokens'), 100);
  let maxTotalTokens = r.int('context.maxTotalTokens', defaultOf<number>('context.maxTotalTokens'), 1000);
  if (entry && maxTotalTokens + maxTokens > entry.contextWindow && entry.contextWindow - maxTokens >= 1000) {
    const used = entry.contextWindow - maxTokens;
    r.report(configMessages.totalAboveWindow(maxTotalTokens, model, used));
    maxTotalTokens = used;
  }
  if (maxFileRaw > maxTotalTokens) r.report(configMessages.fileAboveTotal(maxFileRaw, maxTotalTokens));
  const maxFileTokens = Math.min(maxFileRaw, maxTotalTokens);

  const config: Config = {
    model,
    maxTokens,
    stopSequences,
    systemPrompt,
    thinking: { mode, budgetTokens, effort },
    cache: { ttl: r.oneOf('cache.ttl', ['5m', '1h', 'auto'] as const, 'auto') },
    provider: r.oneOf('provider', PROVIDERS, 'anthropic'),
    bedrock: readBedrock(r),
    vertex: readVertex(r),
    foundry: readFoundry(r),
    baseURL: readBaseURL(r),
    authHeader: r.oneOf('authHeader', AUTH_HEADERS, 'bearer'),
    customHeaders: readHeaders(r),
    allowInsecureHttp: r.bool('allowInsecureHttp', false),
    request: {
      timeoutSeconds: r.int('request.timeoutSeconds', defaultOf<number>('request.timeoutSeconds'), 5, 3600),
      maxRetries: r.int('request.maxRetries', defaultOf<number>('request.maxRetries'), 0, 10),
      stallTimeoutSeconds: r.int('request.stallTimeoutSeconds', defaultOf<number>('request.stallTimeoutSeconds'), 5, 3600),
    },
    context: {
      maxFileTokens,
      maxTotalTokens,
      exclude: r.stringList('context.exclude'),
      respectGitignore: r.bool('context.respectGitignore', true),
      maxFiles: r.int('context.maxFiles', defaultOf<number>('context.maxFiles'), 1, 100_000),
    },
    images: { maxLongEdge: r.int('images.maxLongEdge', defaultOf<number>('images.maxLongEdge'), 0, 8000) },
    profile: {
      expertise: r.oneOf('profile.expertise', ['beginner', 'intermediate', 'expert'] as const, 'intermediate'),
      verbosity: r.oneOf('profile.verbosity', ['concise', 'detailed'] as const, 'concise'),
      examples: r.bool('profile.examples', true),
    },
  };
  return { config, problems: r.problems };
}
