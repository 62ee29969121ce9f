import type { RequestPartKind } from '../core/tokens/breakdown';
import type { OfflineReason } from '../core/tokens/tokenCounter';

const n = (count: number): string => Math.round(count).toLocaleString('en-US');
const usd = (amount: number): string => (amount > 0 && amount < 0.0001 ? '< $0.0001' : `$${amount.toFixed(amount < 1 ? 4 : 2)}`);

/** Every user-visible string of the token count, in one place for vscode.l10n. */
export const tokenStrings = {
  itemName: 'Claude Studio Token Count',
  usd,
  tokens: (count: number): string => `${n(count)} tokens`,
  partLabel: {
    system: 'System prompt',
    context: 'Context',
    history: 'Conversation so far',
    draft: 'Your message',
  } satisfies Record<RequestPartKind, string>,
  editorKind: { sel: 'sel', file: 'file' } as const,

  tooltipTitle: (exact: boolean): string => `**Next request to Claude** — ${exact ? 'exact' : 'estimated'}`,
  ofWindow: (tokens: number, window: number | undefined, model: string, share: number): string =>
    `${n(tokens)} tokens of ${window !== undefined ? n(window) : '?'} (${Math.round(share * 100)}% of ${model}'s context window)`,
  source: {
    usage: 'Exact: from the last answer’s usage.',
    count: 'Exact: counted by the API (count_tokens).',
    estimate: 'Estimated locally; the exact count follows when you pause typing.',
  },
  streaming: 'Estimated while the answer streams.',
  pendingSystem: 'Estimated: the system prompt is fixed when you send the first message.',
  offline: {
    noKey: 'No API key: the figure stays a local estimate. [Set API Key](command:claudeStudio.setApiKey)',
    unreachable: 'The API cannot be reached: the figure stays a local estimate.',
  } satisfies Record<OfflineReason, string>,
  partRow: (label: string, tokens: number, costUsd: number | undefined): string =>
    `| ${label} | ${n(tokens)} | ${costUsd !== undefined ? usd(costUsd) : ''} |`,
  tableHead: '| Part | Tokens | Cost |\n|:--|--:|--:|',
  sendCost: (costUsd: number, cached: number, fresh: number, cacheWrite: boolean, estimatedPrice: boolean): string =>
    `Sending it: ${usd(costUsd)}${estimatedPrice ? ' (estimated prices)' : ''} — ${tokenStrings.sendSplit(cached, fresh, cacheWrite)}`,
  sendSplit: (cached: number, fresh: number, cacheWrite: boolean): string =>
    `${n(cached)} tokens read from the cache at the cache rate, ${n(fresh)} new${cacheWrite ? ' (written to the cache)' : ''}. The answer is billed on top.`,
  session: (costUsd: number, savedUsd: number, hits: number, requests: number, readTokens: number): string =>
    `Session: ${usd(costUsd)} spent · cache hits on ${hits} of ${requests} requests (${n(readTokens)} tokens) · ${usd(savedUsd)} saved`,
  warning: (model: string): string =>
    `$(warning) Close to ${model}'s context window. [New Chat](command:claudeStudio.newChat) (this one stays in your history) or [choose a model](command:claudeStudio.pickModel) with a larger window.`,
  error: (model: string): string =>
    `$(error) Too big for ${model}'s context window: sending it would be refused. [New Chat](command:claudeStudio.newChat) (this one stays in your history) or [choose a model](command:claudeStudio.pickModel) with a larger window.`,
  clickHint: 'Click for the breakdown and actions.',

  editorTitle: (kind: 'sel' | 'file'): string => (kind === 'sel' ? '**Selection**' : '**Current file**'),
  editorAdds: (tokens: number, what: string): string => `Add to Chat would add about ${n(tokens)} tokens: ${what}.`,
  editorWhatSelection: (file: string, from: number, to: number): string => `lines ${from}–${to} of ${file}`,
  editorWhatFile: (file: string): string => `${file}`,
  editorShare: (share: number, model: string): string => `That is ${Math.round(share * 100)}% of ${model}'s context window.`,
  editorLocal: 'A local estimate: nothing is sent to count it.',

  a11yChat: (tokens: number, exact: boolean, share: number): string =>
    `Next Claude request: ${exact ? '' : 'about '}${n(tokens)} tokens, ${Math.round(share * 100)}% of the context window`,
  a11yWarning: 'close to the limit',
  a11yError: 'over the limit',
  a11yOffline: 'estimating offline',
  a11yEditor: (tokens: number, kind: 'sel' | 'file'): string =>
    `Adding the ${kind === 'sel' ? 'selection' : 'current file'} to the chat would add about ${n(tokens)} tokens`,

  pickTitle: 'Next Request to Claude',
  pickPlaceholder: 'The parts of the next request, and what to do about its size',
  pickPartsSeparator: (tokens: number, exact: boolean): string => `${exact ? '' : '~'}${n(tokens)} tokens`,
  pickPartDetail: (share: number, cached: number): string =>
    `${Math.round(share * 100)}% of the request${cached > 0 ? ` · ${n(cached)} from the cache` : ''}`,
  pickTotal: 'Sending it',
  pickActionsSeparator: 'Actions',
  pickContextSeparator: (count: number): string => `Context (${count} ${count === 1 ? 'item' : 'items'})`,
  contextState: (state: 'new' | 'sent' | 'updated' | 'deleted'): string =>
    ({ new: 'goes with the next message', sent: 'already sent', updated: 'edited: the next message carries the new version', deleted: 'deleted' })[state],
  pickNewChat: '$(add) New Chat',
  pickNewChatDetail: 'Start over with an empty conversation; this one stays in your history.',
  pickModel: '$(arrow-swap) Choose Model…',
  pickModelDetail: (model: string, window: number | undefined): string =>
    `Now ${model}${window !== undefined ? `, ${n(window)}-token window` : ''}.`,
  pickSetKey: '$(key) Set API Key',
  pickSetKeyDetail: 'Needed for exact counts.',
  pickOpenChat: '$(comment-discussion) Open Chat',
} as const;
