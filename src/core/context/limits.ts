import * as l10n from '@vscode/l10n';
import { formatInteger } from '../util/l10n';
import { formatTokens } from '../tokens/estimate';
import type { Exclusion } from './exclusions';
import { describeExclusion } from './exclusions';

/** `claudeStudio.context.*` limits. */
export interface ContextLimits {
  readonly maxFileTokens: number;
  readonly maxTotalTokens: number;
  /** Most files one pick (a folder, a multi-select) may add. */
  readonly maxFiles: number;
}

export const DEFAULT_CONTEXT_LIMITS: ContextLimits = { maxFileTokens: 50_000, maxTotalTokens: 150_000, maxFiles: 500 };

/** Why one item cannot be added; `message` is shown as is. */
export type Refusal =
  | { readonly kind: 'tooLarge'; readonly tokens: number; readonly limit: number; readonly message: string }
  | { readonly kind: 'overTotal'; readonly tokens: number; readonly total: number; readonly limit: number; readonly message: string }
  | { readonly kind: 'excluded'; readonly exclusion: Exclusion; readonly message: string }
  | { readonly kind: 'unreadable'; readonly message: string }
  /** An image or PDF over one of the API's limits, or one whose bytes could not be read as such. */
  | { readonly kind: 'media'; readonly message: string };

export const contextMessages = {
  tooLarge: (path: string, tokens: number, limit: number): string =>
    l10n.t('{0} is {1} tokens, over the {2}-token limit for one file (claudeStudio.context.maxFileTokens). Select the part you need and use Add Selection to Chat instead.', path, formatTokens(tokens), formatTokens(limit)),
  overTotal: (path: string, tokens: number, total: number, limit: number): string =>
    l10n.t('{0} ({1} tokens) would bring the context to {2} tokens, over the {3}-token limit (claudeStudio.context.maxTotalTokens). Remove something first.', path, formatTokens(tokens), formatTokens(total + tokens), formatTokens(limit)),
  excluded: (path: string, exclusion: Exclusion): string => l10n.t('{0} was not added: {1}.', path, describeExclusion(exclusion)),
  tooManyFiles: (count: number, limit: number): string =>
    l10n.t('{0} files is more than one pick may add ({1}). Pick a smaller folder or fewer files.', formatInteger(count), formatInteger(limit)),
  unreadable: (path: string, why: string): string => l10n.t('{0} could not be read: {1}', path, why),
} as const;

/** Checks one item's size against the per-file limit and what is already in context. */
export function checkSize(path: string, tokens: number, currentTotal: number, limits: ContextLimits, isRange = false): Refusal | undefined {
  if (!isRange && tokens > limits.maxFileTokens) {
    return { kind: 'tooLarge', tokens, limit: limits.maxFileTokens, message: contextMessages.tooLarge(path, tokens, limits.maxFileTokens) };
  }
  if (currentTotal + tokens > limits.maxTotalTokens) {
    return { kind: 'overTotal', tokens, total: currentTotal, limit: limits.maxTotalTokens, message: contextMessages.overTotal(path, tokens, currentTotal, limits.maxTotalTokens) };
  }
  return undefined;
}

/** Reads limits from untrusted settings values, falling back to the defaults. */
export function limitsFrom(raw: { maxFileTokens?: unknown; maxTotalTokens?: unknown; maxFiles?: unknown }): ContextLimits {
  const int = (value: unknown, min: number, fallback: number): number =>
    typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
  return {
    maxFileTokens: int(raw.maxFileTokens, 100, DEFAULT_CONTEXT_LIMITS.maxFileTokens),
    maxTotalTokens: int(raw.maxTotalTokens, 1000, DEFAULT_CONTEXT_LIMITS.maxTotalTokens),
    maxFiles: int(raw.maxFiles, 1, DEFAULT_CONTEXT_LIMITS.maxFiles),
  };
}
