import type { MessageCountTokensParams } from '@anthropic-ai/sdk/resources/messages';
import * as vscode from 'vscode';
import type { ChatSession } from '../core/chat/chatSession';
import type { Conversation } from '../core/chat/conversation';
import { activePath } from '../core/chat/conversation';
import type { RequestSize } from '../core/chat/nextRequestSize';
import { nextRequestParams, nextRequestSize } from '../core/chat/nextRequestSize';
import { sessionOptionsFrom } from '../core/chat/sessionOptions';
import { composeSystemPrompt, isoDate } from '../core/chat/systemPrompt';
import type { Config } from '../core/config/config';
import type { ContextBlock } from '../core/context/contextSet';
import { cacheStats, fitParts, nextRequestCost, priceParts, sizeLevel } from '../core/tokens/breakdown';
import type { OfflineReason } from '../core/tokens/tokenCounter';
import { TokenCounter } from '../core/tokens/tokenCounter';
import type { ChatController } from '../chat/chatController';
import type { AnthropicService } from '../platform/anthropicService';
import { DisposableStore } from '../platform/disposable';
import type { Settings } from '../platform/settings';
import { EditorSizeTracker } from './editorSize';
import type { ContextItemSize } from './tokenBreakdown';
import { showTokenBreakdown, SHOW_TOKEN_BREAKDOWN } from './tokenBreakdown';
import type { TokenState } from './tokenState';
import { accessibleLabel, statusText, tooltipMarkdown } from './tokenState';
import { escapeMarkdown } from '../core/util/markdown';
import { identityStrings } from '../core/providers/identity';
import type { ProviderIdentity } from '../core/providers/identity';
import { tokenStrings } from './strings';
import { providerMessages } from '../core/providers/providers';

export const TOKEN_STATUS_ID = 'claudeStudio.tokens';

/** The attached context the next message will carry (from src/context), for the figure and its breakdown. */
export interface PendingContext {
  pendingBlocks(): readonly ContextBlock[];
  /** Every attached item with its size, for the breakdown. */
  itemSizes?(): readonly ContextItemSize[];
  /** False while the pending context holds what only Send may send (unscanned, flagged, confirmed for Send): count_tokens then never sees it. */
  countable?(): boolean;
  readonly onDidChange: (listener: () => void) => vscode.Disposable;
}

/** A count_tokens call should answer fast; a slow one is worth less than the estimate it replaces. */
const COUNT_TIMEOUT_MS = 15_000;
const TOOLTIP_COMMANDS = ['claudeStudio.newChat', 'claudeStudio.pickModel', 'claudeStudio.setApiKey', SHOW_TOKEN_BREAKDOWN];

/**
 * The status bar item for the size of the next request. It only adapts: the figure comes from
 * the conversation's usage and a {@link TokenCounter} (estimate at once, one debounced exact
 * count per distinct request); with no conversation yet it estimates the active editor instead.
 */
export class TokenStatusItem implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly item: vscode.StatusBarItem;
  private readonly counter: TokenCounter<MessageCountTokensParams>;
  private readonly editor: EditorSizeTracker;
  private state: TokenState | undefined;
  /** The local side of the chat figure, kept for when an exact count arrives. */
  private chat: { size: RequestSize; notCounted?: 'streaming' | 'pendingSystem' } | undefined;
  /** The secret scan of the draft: count_tokens sees a draft only once it scanned clean. */
  private draftScan: { text: string; clean?: boolean } = { text: '', clean: true };

  constructor(
    private readonly session: ChatSession,
    private readonly controller: ChatController,
    private readonly anthropic: AnthropicService,
    private readonly settings: Settings,
    keys?: { readonly onDidChange: vscode.Event<void> },
    private readonly context?: PendingContext,
    /** The egress gate's content scan (true: clean); without it a draft is never sent to count_tokens. */
    private readonly scanDraft?: (text: string) => Promise<boolean>,
  ) {
    this.item = this.disposables.add(vscode.window.createStatusBarItem(TOKEN_STATUS_ID, vscode.StatusBarAlignment.Right, 100));
    this.item.name = tokenStrings.itemName;
    this.item.command = SHOW_TOKEN_BREAKDOWN;
    this.counter = new TokenCounter<MessageCountTokensParams>({
      count: async (params, signal) => {
        // A provider without count_tokens keeps the local estimate (the item says "~").
        if (!anthropic.capabilities.countTokens) throw new Error(providerMessages.estimateOnly(settings.current.provider));
        const client = await anthropic.getClient();
        const result = await client.messages.countTokens(params, { signal, maxRetries: 0, timeout: COUNT_TIMEOUT_MS });
        return result.input_tokens;
      },
      classify: (error) => offlineReason(anthropic.describe(error).kind),
      clock: { now: () => Date.now(), setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) },
    });
    this.disposables.add(this.counter);
    this.editor = this.disposables.add(new EditorSizeTracker());

    const update = (): void => this.update();
    for (const event of [session.onDidAppendTurn, session.onDidUpdateTurn, session.onDidReset, session.onDidChangeTotals, session.onDidChangeActivePath, session.onDidRemoveTurn, session.onDidChangeBusy]) {
      this.disposables.add(event(update));
    }
    this.disposables.add(controller.onDidChangeDraft(update));
    if (context !== undefined) this.disposables.add(context.onDidChange(update));
    // Cursor moves only matter while the item shows the editor's figure (no conversation yet).
    this.disposables.add(
      this.editor.onDidChange(() => {
        if (this.session.current.turns.size === 0 && this.controller.currentDraft.trim() === '') this.update();
      }),
    );
    // An exact count arrived: repaint, unless the item has since switched to the editor's figure.
    this.disposables.add(
      this.counter.onDidChange(() => {
        if (this.state?.mode === 'chat') this.renderChat();
      }),
    );
    // A new key or endpoint may bring an offline count back: try again at once.
    const retry = (): void => {
      this.counter.forgetFailures();
      this.update();
      void this.refreshIdentity();
    };
    this.disposables.add(settings.onDidChange(retry));
    if (keys !== undefined) this.disposables.add(keys.onDidChange(retry));
    this.disposables.add(vscode.commands.registerCommand(SHOW_TOKEN_BREAKDOWN, () => showTokenBreakdown(this.state, this.context?.itemSizes?.() ?? [])));
    this.update();
    void this.refreshIdentity();
    this.item.show();
  }

  /** Which provider and identity answer: a tag in the text (not for the Anthropic API) and a tooltip line. */
  private identity: ProviderIdentity | undefined;

  private async refreshIdentity(): Promise<void> {
    this.identity = await this.anthropic.identity();
    this.paint();
  }

  /** Recomputes the local figure and tells the counter what the next request is now. */
  private update(): void {
    const conversation = this.session.current;
    const draft = this.controller.currentDraft;
    const config = this.settings.current;
    const model = this.anthropic.model(config.model);
    const pendingContext = this.context?.pendingBlocks() ?? [];
    const editorSize = conversation.turns.size === 0 && draft.trim() === '' && pendingContext.length === 0 ? this.editor.current() : undefined;
    if (editorSize !== undefined) {
      const share = model !== undefined ? editorSize.tokens / model.contextWindow : 0;
      this.state = { mode: 'editor', size: editorSize, modelName: model?.displayName ?? config.model, share };
      this.paint();
      return;
    }
    const pendingSystem = conversation.turns.size === 0 ? previewSystem(config) : undefined;
    const next = { ...(pendingSystem !== undefined ? { pendingSystem } : {}), ...(pendingContext.length > 0 ? { pendingContext } : {}) };
    const size = nextRequestSize(conversation, draft, next);
    // Mid-answer the request is still moving; before the first send the system prompt is a preview.
    const notCounted = this.session.busy ? 'streaming' : pendingSystem !== undefined ? 'pendingSystem' : undefined;
    // The egress gate: count_tokens only ever sees what Send would send without asking.
    const contextClean = this.context?.countable?.() ?? true;
    this.counter.update({
      params: nextRequestParams(conversation, draft, sessionOptionsFrom(config), next),
      estimate: size.tokens,
      exactFromUsage: size.exact,
      base: baseOf(conversation, config),
      // A provider without count_tokens (Bedrock) is never asked: the figure stays an estimate, said so.
      countable: this.anthropic.capabilities.countTokens && notCounted === undefined && contextClean && this.draftIsClean(draft),
    });
    this.chat = { size, ...(notCounted !== undefined ? { notCounted } : {}) };
    this.renderChat();
  }

  /** Whether the draft scanned clean; starts its scan (and updates when it ends) if it has not. */
  private draftIsClean(draft: string): boolean {
    if (draft.trim() === '') return true;
    if (this.draftScan.text === draft) return this.draftScan.clean === true;
    this.draftScan = { text: draft };
    if (this.scanDraft === undefined) return false;
    void this.scanDraft(draft).then(
      (clean) => {
        if (this.draftScan.text !== draft) return;
        this.draftScan = { text: draft, clean };
        this.update();
      },
      () => undefined,
    );
    return false;
  }

  /** Combines the counter's reading with the local split, prices and session figures. */
  private renderChat(): void {
    if (this.chat === undefined) return;
    const { size, notCounted } = this.chat;
    const conversation = this.session.current;
    const config = this.settings.current;
    const model = this.anthropic.model(config.model);
    const reading = this.counter.reading;
    const parts = fitParts(size.parts, reading.tokens);
    const cost = model !== undefined ? nextRequestCost(reading.tokens, size.cachedPrefix, model, Date.now()) : undefined;
    const usages = [...conversation.turns.values()].flatMap((turn) => (turn.kind === 'assistant' && turn.usage !== undefined ? [turn.usage] : []));
    const totals = this.session.totals;
    this.state = {
      mode: 'chat',
      reading,
      parts: cost !== undefined ? priceParts(parts, cost) : parts,
      ...(cost !== undefined ? { cost } : {}),
      modelName: model?.displayName ?? config.model,
      ...(model !== undefined ? { contextWindow: model.contextWindow } : {}),
      share: model !== undefined ? reading.tokens / model.contextWindow : 0,
      level: model !== undefined ? sizeLevel(reading.tokens, model.contextWindow) : 'ok',
      ...(notCounted !== undefined ? { notCounted } : {}),
      ...(this.anthropic.capabilities.countTokens ? {} : { estimateOnly: providerMessages.estimateOnly(config.provider) }),
      ...(model === undefined ? { unpricedModel: true } : {}),
      session: { costUsd: totals.costUsd, savedUsd: totals.savedUsd, ...(totals.unpriced !== undefined ? { unpriced: totals.unpriced } : {}), cache: cacheStats(usages) },
    };
    this.paint();
  }

  private paint(): void {
    const state = this.state;
    if (state === undefined) return;
    const who = this.identity;
    this.item.text = statusText(state) + (who?.short ? ` · ${who.short}` : '');
    const label = accessibleLabel(state);
    this.item.accessibilityInformation = { label: who?.short ? `${label}, ${who.provider}` : label, role: 'button' };
    const providerLine = who !== undefined ? `\n\n${escapeMarkdown(identityStrings.line(who.provider, who.identity))}` : '';
    const tooltip = new vscode.MarkdownString(tooltipMarkdown(state) + providerLine, true);
    tooltip.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
    this.item.tooltip = tooltip;
    const level = state.mode === 'chat' ? state.level : 'ok';
    this.item.backgroundColor =
      level === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function offlineReason(kind: string): OfflineReason | undefined {
  if (kind === 'auth') return 'noKey';
  if (kind === 'connection' || kind === 'timeout') return 'unreachable';
  return undefined;
}

/**
 * The system prompt a first message would get, minus what reading the workspace adds (languages,
 * instructions file): good enough for an estimate, and nothing is read on a keystroke.
 */
function previewSystem(config: Config): string[] {
  return composeSystemPrompt({ profile: config.profile, date: isoDate(new Date()), languages: [], userBlocks: config.systemPrompt });
}

/** Everything but the draft: while it holds, an estimate is anchored on the last exact count. */
function baseOf(conversation: Conversation, config: Config): string {
  const leaf = activePath(conversation).at(-1);
  const leafState = leaf === undefined ? '' : leaf.kind === 'assistant' ? `${leaf.status}:${leaf.text.length}` : String(leaf.text.length);
  return JSON.stringify([conversation.id, conversation.leafId ?? '', leafState, config.model, config.thinking.mode, config.thinking.effort]);
}
