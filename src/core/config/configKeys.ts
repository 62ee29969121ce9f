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
}

function key(name: string, defaultValue: unknown, applicationScope = false): ConfigKeyInfo {
  return Object.freeze({ key: name, default: defaultValue, applicationScope });
}

/** Every setting Claude Studio reads, with its default. The manifest is tested against this. */
export const CONFIG_KEYS: readonly ConfigKeyInfo[] = Object.freeze([
  key('model', DEFAULT_MODEL),
  key('maxTokens', 8192),
  key('stopSequences', []),
  key('systemPrompt', ''),
  key('thinking.mode', 'off'),
  key('thinking.budgetTokens', 4096),
  key('thinking.effort', null),
  key('cache.ttl', 'auto'),
  key('baseURL', '', true),
  key('customHeaders', {}, true),
  key('allowInsecureHttp', false, true),
  key('request.timeoutSeconds', 600),
  key('request.maxRetries', 2),
  key('request.stallTimeoutSeconds', 60),
  key('context.maxFileTokens', 50_000),
  key('context.maxTotalTokens', 150_000),
  key('context.exclude', []),
  key('context.respectGitignore', true),
  key('context.maxFiles', 500),
  key('profile.expertise', 'intermediate'),
  key('profile.verbosity', 'concise'),
  key('profile.examples', true),
  key('recipes', []),
  key('personas', []),
  key('recipeConcurrency', 4),
  key('batch.concurrency', 4),
  key('batch.maxTokens', 4096),
  key('batch.pollIntervalMinSeconds', 5),
  key('batch.pollIntervalMaxSeconds', 60),
  key('batch.savedPrompts', []),
]);
