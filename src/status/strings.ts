import * as l10n from '@vscode/l10n';
import type { Price } from '../core/anthropic/price';
import type { RequestPartKind } from '../core/tokens/breakdown';
import type { OfflineReason } from '../core/tokens/tokenCounter';
import { formatInteger, formatUsdFixed } from '../core/util/l10n';

const n = (count: number): string => formatInteger(count);
const usd = (amount: number): string => (amount > 0 && amount < 0.0001 ? `< ${formatUsdFixed(0.0001, 4)}` : formatUsdFixed(amount, amount < 1 ? 4 : 2));
const percent = (share: number): number => Math.round(share * 100);

/**
 * Every user-visible string of the token count, in one place. This module stays free of `vscode`
 * (the tooltip is unit-tested under Node), so it translates through `@vscode/l10n`, which the host
 * configures with the same bundle as `vscode.l10n` (see core/util/l10n). Read when shown.
 */
export const tokenStrings = {
  get itemName(): string { return l10n.t('Claude Studio Token Count'); },
  usd,
  tokens: (count: number): string => l10n.t('{0} tokens', n(count)),
  partLabel: {
    get system(): string { return l10n.t('System prompt'); },
    get context(): string { return l10n.t('Context'); },
    get history(): string { return l10n.t('Conversation so far'); },
    get draft(): string { return l10n.t('Your message'); },
  } satisfies Record<RequestPartKind, string>,
  editorKind: {
    get sel(): string { return l10n.t('sel'); },
    get file(): string { return l10n.t('file'); },
  },

  tooltipTitle: (exact: boolean): string =>
    exact ? l10n.t('**Next request to Claude** — exact') : l10n.t('**Next request to Claude** — estimated'),
  ofWindow: (tokens: number, window: number | undefined, model: string, share: number): string =>
    l10n.t("{0} tokens of {1} ({2}% of {3}'s context window)", n(tokens), window !== undefined ? n(window) : '?', percent(share), model),
  source: {
    get usage(): string { return l10n.t('Exact: from the last answer’s usage.'); },
    get count(): string { return l10n.t('Exact: counted by the API (count_tokens).'); },
    get estimate(): string { return l10n.t('Estimated locally; the exact count follows when you pause typing.'); },
  },
  get streaming(): string { return l10n.t('Estimated while the answer streams.'); },
  get pendingSystem(): string { return l10n.t('Estimated: the system prompt is fixed when you send the first message.'); },
  offline: {
    get noKey(): string { return l10n.t('No API key: the figure stays a local estimate. [Set API Key](command:claudeStudio.setApiKey)'); },
    get unreachable(): string { return l10n.t('The API cannot be reached: the figure stays a local estimate.'); },
  } satisfies Record<OfflineReason, string>,
  partRow: (label: string, tokens: number, costUsd: number | undefined): string =>
    `| ${label} | ${n(tokens)} | ${costUsd !== undefined ? usd(costUsd) : ''} |`,
  get tableHead(): string { return `| ${l10n.t('Part')} | ${l10n.t('Tokens')} | ${l10n.t('Cost')} |\n|:--|--:|--:|`; },
  sendCost: (costUsd: number, cached: number, fresh: number, cacheWrite: boolean, estimatedPrice: boolean): string =>
    estimatedPrice
      ? l10n.t('Sending it: {0} (estimated prices) — {1}', usd(costUsd), tokenStrings.sendSplit(cached, fresh, cacheWrite))
      : l10n.t('Sending it: {0} — {1}', usd(costUsd), tokenStrings.sendSplit(cached, fresh, cacheWrite)),
  sendSplit: (cached: number, fresh: number, cacheWrite: boolean): string =>
    cacheWrite
      ? l10n.t('{0} tokens read from the cache at the cache rate, {1} new (written to the cache). The answer is billed on top.', n(cached), n(fresh))
      : l10n.t('{0} tokens read from the cache at the cache rate, {1} new. The answer is billed on top.', n(cached), n(fresh)),
  get sendCostUnknown(): string { return l10n.t('Sending it: cost unknown, no price is known for this model.'); },
  /** `models` is already escaped for the Markdown tooltip. */
  session: (price: Price, models: string, hits: number, requests: number, readTokens: number): string =>
    price.unpriced === undefined
      ? l10n.t('Session: {0} spent · cache hits on {1} of {2} requests ({3} tokens) · {4} saved', usd(price.costUsd), hits, requests, n(readTokens), usd(price.savedUsd))
      : l10n.t(
          'Session: {0} · cache hits on {1} of {2} requests ({3} tokens) · {4} saved',
          price.unpriced.partial ? l10n.t('at least {0}: no price for {1}', usd(price.costUsd), models) : l10n.t('cost unknown: no price for {0}', models),
          hits,
          requests,
          n(readTokens),
          usd(price.savedUsd),
        ),
  warning: (model: string): string =>
    l10n.t(
      "$(warning) Close to {0}'s context window. [New Chat](command:claudeStudio.newChat) (this one stays in your history) or [choose a model](command:claudeStudio.pickModel) with a larger window.",
      model,
    ),
  error: (model: string): string =>
    l10n.t(
      "$(error) Too big for {0}'s context window: sending it would be refused. [New Chat](command:claudeStudio.newChat) (this one stays in your history) or [choose a model](command:claudeStudio.pickModel) with a larger window.",
      model,
    ),
  get clickHint(): string { return l10n.t('Click for the breakdown and actions.'); },

  editorTitle: (kind: 'sel' | 'file'): string => (kind === 'sel' ? l10n.t('**Selection**') : l10n.t('**Current file**')),
  editorAdds: (tokens: number, what: string): string => l10n.t('Add to Chat would add about {0} tokens: {1}.', n(tokens), what),
  editorWhatSelection: (file: string, from: number, to: number): string => l10n.t('lines {0}–{1} of {2}', from, to, file),
  editorWhatFile: (file: string): string => `${file}`,
  editorShare: (share: number, model: string): string => l10n.t("That is {0}% of {1}'s context window.", percent(share), model),
  get editorLocal(): string { return l10n.t('A local estimate: nothing is sent to count it.'); },

  a11yChat: (tokens: number, exact: boolean, share: number): string =>
    exact
      ? l10n.t('Next Claude request: {0} tokens, {1}% of the context window', n(tokens), percent(share))
      : l10n.t('Next Claude request: about {0} tokens, {1}% of the context window', n(tokens), percent(share)),
  get a11yWarning(): string { return l10n.t('close to the limit'); },
  get a11yError(): string { return l10n.t('over the limit'); },
  get a11yOffline(): string { return l10n.t('estimating offline'); },
  a11yEditor: (tokens: number, kind: 'sel' | 'file'): string =>
    kind === 'sel'
      ? l10n.t('Adding the selection to the chat would add about {0} tokens', n(tokens))
      : l10n.t('Adding the current file to the chat would add about {0} tokens', n(tokens)),

  get pickTitle(): string { return l10n.t('Next Request to Claude'); },
  get pickPlaceholder(): string { return l10n.t('The parts of the next request, and what to do about its size'); },
  pickPartsSeparator: (tokens: number, exact: boolean): string => (exact ? l10n.t('{0} tokens', n(tokens)) : l10n.t('~{0} tokens', n(tokens))),
  pickPartDetail: (share: number, cached: number): string =>
    cached > 0
      ? l10n.t('{0}% of the request · {1} from the cache', percent(share), n(cached))
      : l10n.t('{0}% of the request', percent(share)),
  get pickTotal(): string { return l10n.t('Sending it'); },
  get pickActionsSeparator(): string { return l10n.t('Actions'); },
  pickContextSeparator: (count: number): string => (count === 1 ? l10n.t('Context (1 item)') : l10n.t('Context ({0} items)', count)),
  contextState: (state: 'new' | 'sent' | 'updated' | 'deleted'): string =>
    ({
      new: (): string => l10n.t('goes with the next message'),
      sent: (): string => l10n.t('already sent'),
      updated: (): string => l10n.t('edited: the next message carries the new version'),
      deleted: (): string => l10n.t('deleted'),
    })[state](),
  get pickNewChat(): string { return `$(add) ${l10n.t('New Chat')}`; },
  get pickNewChatDetail(): string { return l10n.t('Start over with an empty conversation; this one stays in your history.'); },
  get pickModel(): string { return `$(arrow-swap) ${l10n.t('Choose Model…')}`; },
  pickModelDetail: (model: string, window: number | undefined): string =>
    window !== undefined ? l10n.t('Now {0}, {1}-token window.', model, n(window)) : l10n.t('Now {0}.', model),
  get pickSetKey(): string { return `$(key) ${l10n.t('Set API Key')}`; },
  get pickSetKeyDetail(): string { return l10n.t('Needed for exact counts.'); },
  get pickOpenChat(): string { return `$(comment-discussion) ${l10n.t('Open Chat')}`; },
};
