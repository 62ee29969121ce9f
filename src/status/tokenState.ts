import type { Price } from '../core/anthropic/price';
import type { CacheStats, PricedPart, RequestCost, RequestPart, SizeLevel } from '../core/tokens/breakdown';
import type { TokenReading } from '../core/tokens/tokenCounter';
import { formatTokens } from '../core/tokens/estimate';
import { escapeMarkdown } from '../core/util/markdown';
import type { EditorSize } from './editorSize';
import { tokenStrings } from './strings';

/** The next request of the open conversation (or of the one the draft would start). */
export interface ChatTokens {
  readonly mode: 'chat';
  readonly reading: TokenReading;
  /** Priced when the model is known; they add up to `reading.tokens`. */
  readonly parts: readonly (RequestPart | PricedPart)[];
  readonly cost?: RequestCost;
  readonly modelName: string;
  readonly contextWindow?: number;
  readonly share: number;
  readonly level: SizeLevel;
  /** Why the figure cannot be counted exactly yet, besides being offline. */
  readonly notCounted?: 'streaming' | 'pendingSystem';
  /** Set when the provider has no count_tokens: what to say instead of "the exact count follows". */
  readonly estimateOnly?: string;
  /** Set when the chosen model has no known price: the next request's cost is not shown as $0. */
  readonly unpricedModel?: boolean;
  readonly session: Price & { readonly cache: CacheStats };
}

/** No conversation yet: what the active editor would add to one. */
export interface EditorTokens {
  readonly mode: 'editor';
  readonly size: EditorSize;
  readonly modelName: string;
  readonly share: number;
}

export type TokenState = ChatTokens | EditorTokens;

/** The status bar text, e.g. `$(symbol-numeric) ~41.2k · 21%` or `$(symbol-numeric) ~812 sel`. */
export function statusText(state: TokenState): string {
  if (state.mode === 'editor') return `$(symbol-numeric) ~${formatTokens(state.size.tokens)} ${tokenStrings.editorKind[state.size.kind]}`;
  const { reading } = state;
  return `$(symbol-numeric) ${reading.exact ? '' : '~'}${formatTokens(reading.tokens)} · ${Math.round(state.share * 100)}%`;
}

/** What a screen reader announces for the item. */
export function accessibleLabel(state: TokenState): string {
  if (state.mode === 'editor') return tokenStrings.a11yEditor(state.size.tokens, state.size.kind);
  const extras = [
    state.level === 'warning' ? tokenStrings.a11yWarning : state.level === 'error' ? tokenStrings.a11yError : '',
    state.reading.offline !== undefined ? tokenStrings.a11yOffline : '',
  ].filter((extra) => extra !== '');
  return [tokenStrings.a11yChat(state.reading.tokens, state.reading.exact, state.share), ...extras].join(', ');
}

/** The Markdown tooltip: the figure, its parts and their cost, the session's cache, and what to do. */
export function tooltipMarkdown(state: TokenState): string {
  // The tooltip is trusted Markdown (its command links run); the file and model names come from the workspace.
  const modelName = escapeMarkdown(state.modelName);
  if (state.mode === 'editor') {
    return [
      tokenStrings.editorTitle(state.size.kind),
      tokenStrings.editorAdds(state.size.tokens, escapeMarkdown(state.size.what)),
      tokenStrings.editorShare(state.share, modelName),
      tokenStrings.editorLocal,
    ].join('\n\n');
  }
  const { reading } = state;
  const lines = [
    tokenStrings.tooltipTitle(reading.exact),
    tokenStrings.ofWindow(reading.tokens, state.contextWindow, modelName, state.share),
  ];
  if (state.level === 'warning') lines.push(tokenStrings.warning(modelName));
  if (state.level === 'error') lines.push(tokenStrings.error(modelName));
  lines.push(
    [
      tokenStrings.tableHead,
      ...state.parts.map((part) => tokenStrings.partRow(tokenStrings.partLabel[part.kind], part.tokens, 'costUsd' in part ? part.costUsd : undefined)),
    ].join('\n'),
  );
  if (state.cost !== undefined) {
    const { cost } = state;
    lines.push(tokenStrings.sendCost(cost.costUsd, cost.cachedTokens, cost.newTokens, cost.cacheWrite, cost.estimatedPrice));
  } else if (state.unpricedModel === true) {
    lines.push(tokenStrings.sendCostUnknown);
  }
  lines.push(
    state.notCounted === 'streaming'
      ? tokenStrings.streaming
      : state.notCounted === 'pendingSystem'
        ? tokenStrings.pendingSystem
        : reading.source === 'estimate' && state.estimateOnly !== undefined
          ? state.estimateOnly
          : tokenStrings.source[reading.source],
  );
  if (reading.offline !== undefined) lines.push(tokenStrings.offline[reading.offline]);
  const { session } = state;
  if (session.cache.requests > 0) {
    const models = (session.unpriced?.models ?? []).map(escapeMarkdown).join(', ');
    lines.push(tokenStrings.session(session, models, session.cache.hits, session.cache.requests, session.cache.readTokens));
  }
  lines.push(tokenStrings.clickHint);
  return lines.join('\n\n');
}
