import { CONFIG_SECTION } from './configKeys';

const name = (key: string): string => `${CONFIG_SECTION}.${key}`;
const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v));

/**
 * Every user-visible string of the config module, for vscode.l10n. Each
 * problem names the setting, says what is wrong and what is used instead.
 */
export const configMessages = {
  unreadable: (key: string, fallback: unknown): string =>
    `${name(key)} could not be read; using ${show(fallback)}.`,
  notInteger: (key: string, min: number, fallback: number): string =>
    `${name(key)} must be a whole number of at least ${min}; using ${fallback}.`,
  clampedMin: (key: string, value: number, min: number): string =>
    `${name(key)} is ${value}, below the minimum of ${min}; using ${min}.`,
  clampedMax: (key: string, value: number, max: number): string =>
    `${name(key)} is ${value}, above the maximum of ${max}; using ${max}.`,
  notOneOf: (key: string, allowed: readonly unknown[], fallback: unknown): string =>
    `${name(key)} must be one of ${allowed.map(show).join(', ')}; using ${show(fallback)}.`,
  notBoolean: (key: string, fallback: boolean): string => `${name(key)} must be true or false; using ${fallback}.`,
  notString: (key: string, fallback: string): string => `${name(key)} must be text; using ${show(fallback)}.`,
  notStringList: (key: string): string => `${name(key)} must be a list of text entries; ignoring it.`,
  droppedEntry: (key: string, entry: unknown): string =>
    `${name(key)} has an entry that is not non-blank text (${show(entry)}); it is ignored.`,
  badModel: (value: unknown, fallback: string): string =>
    `${name('model')} ${show(value)} is not a model id; using ${fallback}.`,
  retiredModel: (model: string, fallback: string): string =>
    `${name('model')} "${model}" has been retired and no longer answers; using ${fallback}.`,
  maxTokensAboveModel: (value: number, model: string, max: number): string =>
    `${name('maxTokens')} is ${value}, but ${model} writes at most ${max} tokens; using ${max}.`,
  thinkingModeSwitched: (model: string, from: string, to: string): string =>
    `${name('thinking.mode')} "${from}" is not supported by ${model}; using "${to}".`,
  budgetAtLeast: (value: number): string =>
    `${name('thinking.budgetTokens')} must be at least 1024 (it is ${value}); using 1024.`,
  budgetBelowMaxTokens: (budget: number, maxTokens: number, used: number): string =>
    `${name('thinking.budgetTokens')} (${budget}) must be below ${name('maxTokens')} (${maxTokens}); using ${used}.`,
  thinkingNeedsRoom: (maxTokens: number): string =>
    `Extended thinking needs ${name('maxTokens')} above 1024 (it is ${maxTokens}); thinking is turned off.`,
  effortUnsupported: (effort: string, model: string): string =>
    `${name('thinking.effort')} "${effort}" is not supported by ${model}; using the model default.`,
  badRegion: (value: string): string =>
    `${name('bedrock.region')} ${show(value)} is not an AWS region name such as "us-east-1"; using AWS_REGION from the environment.`,
  badProfile: (value: string): string =>
    `${name('bedrock.profile')} ${show(value)} is not an AWS profile name; using the AWS default profile.`,
  badSetting: (key: string, value: string, what: string): string =>
    `${name(key)} ${show(value)} is not ${what}; ignoring it.`,
  badBaseURL: (value: string): string =>
    `${name('baseURL')} ${show(value)} is not an http:// or https:// address without credentials; using the default endpoint.`,
  notObject: (key: string): string => `${name(key)} must be an object of header names to text values; ignoring it.`,
  badHeader: (header: string): string =>
    `${name('customHeaders')} "${header}" is not a valid header, or would replace the API key or API version; it is ignored.`,
  fileAboveTotal: (file: number, total: number): string =>
    `${name('context.maxFileTokens')} (${file}) is larger than ${name('context.maxTotalTokens')} (${total}); using ${total}.`,
  totalAboveWindow: (total: number, model: string, used: number): string =>
    `${name('context.maxTotalTokens')} (${total}) plus ${name('maxTokens')} does not fit ${model}'s context window; using ${used}.`,
} as const;
