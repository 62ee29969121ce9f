import * as l10n from '@vscode/l10n';
import { CONFIG_SECTION } from './configKeys';

const name = (key: string): string => `${CONFIG_SECTION}.${key}`;
const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));

/**
 * Every user-visible string of the config module, for vscode.l10n. Each
 * problem names the setting, says what is wrong and what is used instead.
 */
export const configMessages = {
  unreadable: (key: string, fallback: unknown): string =>
    l10n.t('{0} could not be read; using {1}.', name(key), show(fallback)),
  notInteger: (key: string, min: number, fallback: number): string =>
    l10n.t('{0} must be a whole number of at least {1}; using {2}.', name(key), min, fallback),
  clampedMin: (key: string, value: number, min: number): string =>
    l10n.t('{0} is {1}, below the minimum of {2}; using {2}.', name(key), value, min),
  clampedMax: (key: string, value: number, max: number): string =>
    l10n.t('{0} is {1}, above the maximum of {2}; using {2}.', name(key), value, max),
  notOneOf: (key: string, allowed: readonly unknown[], fallback: unknown): string =>
    l10n.t('{0} must be one of {1}; using {2}.', name(key), allowed.map(show).join(', '), show(fallback)),
  notBoolean: (key: string, fallback: boolean): string => l10n.t('{0} must be true or false; using {1}.', name(key), fallback),
  notString: (key: string, fallback: string): string => l10n.t('{0} must be text; using {1}.', name(key), show(fallback)),
  notStringList: (key: string): string => l10n.t('{0} must be a list of text entries; ignoring it.', name(key)),
  droppedEntry: (key: string, entry: unknown): string =>
    l10n.t('{0} has an entry that is not non-blank text ({1}); it is ignored.', name(key), show(entry)),
  badModel: (value: unknown, fallback: string): string =>
    l10n.t('{0} {1} is not a model id; using {2}.', name('model'), show(value), fallback),
  retiredModel: (model: string, fallback: string): string =>
    l10n.t('{0} "{1}" has been retired and no longer answers; using {2}.', name('model'), model, fallback),
  maxTokensAboveModel: (value: number, model: string, max: number): string =>
    l10n.t('{0} is {1}, but {2} writes at most {3} tokens; using {3}.', name('maxTokens'), value, model, max),
  thinkingModeSwitched: (model: string, from: string, to: string): string =>
    l10n.t('{0} "{1}" is not supported by {2}; using "{3}".', name('thinking.mode'), from, model, to),
  budgetAtLeast: (value: number): string =>
    l10n.t('{0} must be at least 1024 (it is {1}); using 1024.', name('thinking.budgetTokens'), value),
  budgetBelowMaxTokens: (budget: number, maxTokens: number, used: number): string =>
    l10n.t('{0} ({1}) must be below {2} ({3}); using {4}.', name('thinking.budgetTokens'), budget, name('maxTokens'), maxTokens, used),
  thinkingNeedsRoom: (maxTokens: number): string =>
    l10n.t('Extended thinking needs {0} above 1024 (it is {1}); thinking is turned off.', name('maxTokens'), maxTokens),
  effortUnsupported: (effort: string, model: string): string =>
    l10n.t('{0} "{1}" is not supported by {2}; using the model default.', name('thinking.effort'), effort, model),
  badRegion: (value: string): string =>
    l10n.t('{0} {1} is not an AWS region name such as "us-east-1"; using AWS_REGION from the environment.', name('bedrock.region'), show(value)),
  badProfile: (value: string): string =>
    l10n.t('{0} {1} is not an AWS profile name; using the AWS default profile.', name('bedrock.profile'), show(value)),
  badSetting: (key: string, value: string, what: string): string =>
    l10n.t('{0} {1} is not {2}; ignoring it.', name(key), show(value), what),
  badBaseURL: (value: string): string =>
    l10n.t('{0} {1} is not an http:// or https:// address without credentials; using the default endpoint.', name('baseURL'), show(value)),
  notObject: (key: string): string => l10n.t('{0} must be an object of header names to text values; ignoring it.', name(key)),
  badHeader: (header: string): string =>
    l10n.t('{0} "{1}" is not a valid header, or would replace the API key or API version; it is ignored.', name('customHeaders'), header),
  fileAboveTotal: (file: number, total: number): string =>
    l10n.t('{0} ({1}) is larger than {2} ({3}); using {3}.', name('context.maxFileTokens'), file, name('context.maxTotalTokens'), total),
  totalAboveWindow: (total: number, model: string, used: number): string =>
    l10n.t("{0} ({1}) plus {2} does not fit {3}'s context window; using {4}.", name('context.maxTotalTokens'), total, name('maxTokens'), model, used),
} as const;
