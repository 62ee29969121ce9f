import { DEFAULT_MODEL } from '../anthropic/catalog';

/** The settings section; keys below are relative to it. */
export const CONFIG_SECTION = 'claudeStudio';

/** One setting as the manifest must declare it. */
export interface ConfigKeyInfo {
  /** Relative to `claudeStudio.`, e.g. `thinking.mode`. */
  readonly key: string;
  readonly default: unknown;
  /**
   * Security-sensitive: it can send the API key or traffic elsewhere, so it
   * must be `application`-scoped (user settings only, never a workspace).
   */
  readonly applicationScope: boolean;
  /**
   * Restricted Mode: a workspace that is not trusted cannot set it (it raises what requests
   * cost, or changes what is sent). Listed in the manifest's `restrictedConfigurations`, and the
   * settings reader takes only the user's value while the workspace is untrusted.
   */
  readonly restricted: boolean;
}

type Scope = 'application' | 'restricted';

function key(name: string, defaultValue: unknown, scope?: Scope): ConfigKeyInfo {
  return Object.freeze({ key: name, default: defaultValue, applicationScope: scope === 'application', restricted: scope === 'restricted' });
}

/** Every setting Claude Studio reads, with its default. The manifest is tested against this. */
export const CONFIG_KEYS: readonly ConfigKeyInfo[] = Object.freeze([
  key('model', DEFAULT_MODEL, 'restricted'),
  key('maxTokens', 8192, 'restricted'),
  key('stopSequences', [], 'restricted'),
  key('systemPrompt', '', 'restricted'),
  key('thinking.mode', 'off', 'restricted'),
  key('thinking.budgetTokens', 4096, 'restricted'),
  key('thinking.effort', null, 'restricted'),
  key('cache.ttl', 'auto', 'restricted'),
  key('provider', 'anthropic', 'application'),
  key('bedrock.region', '', 'application'),
  key('bedrock.profile', '', 'application'),
  key('bedrock.inferenceProfile', 'geo', 'application'),
  key('bedrock.endpoint', '', 'application'),
  key('vertex.projectId', '', 'application'),
  key('vertex.region', '', 'application'),
  key('vertex.endpoint', '', 'application'),
  key('foundry.resource', '', 'application'),
  key('foundry.endpoint', '', 'application'),
  key('foundry.auth', 'apiKey', 'application'),
  key('baseURL', '', 'application'),
  key('authHeader', 'bearer', 'application'),
  key('customHeaders', {}, 'application'),
  key('allowInsecureHttp', false, 'application'),
  key('request.timeoutSeconds', 600, 'restricted'),
  key('request.maxRetries', 2, 'restricted'),
  key('request.stallTimeoutSeconds', 60, 'restricted'),
  key('context.maxFileTokens', 50_000, 'restricted'),
  key('context.maxTotalTokens', 150_000, 'restricted'),
  key('context.exclude', [], 'restricted'),
  key('context.respectGitignore', true, 'restricted'),
  key('context.maxFiles', 500, 'restricted'),
  key('images.maxLongEdge', 1568, 'restricted'),
  key('profile.expertise', 'intermediate'),
  key('profile.verbosity', 'concise'),
  key('profile.examples', true),
  key('recipes', [], 'restricted'),
  key('personas', [], 'restricted'),
  key('recipeConcurrency', 4),
  key('batch.concurrency', 4, 'restricted'),
  key('batch.maxTokens', 4096, 'restricted'),
  key('batch.pollIntervalMinSeconds', 5, 'restricted'),
  key('batch.pollIntervalMaxSeconds', 60, 'restricted'),
  key('batch.savedPrompts', [], 'restricted'),
]);
