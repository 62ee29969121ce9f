import * as vscode from 'vscode';
import type { ChatSession } from '../core/chat/chatSession';
import { nextRequestSize } from '../core/chat/nextRequestSize';
import { formatTokens } from '../core/tokens/estimate';
import type { ChatController } from '../chat/chatController';
import type { AnthropicService } from '../platform/anthropicService';
import { DisposableStore } from '../platform/disposable';
import type { Settings } from '../platform/settings';

export const TOKEN_STATUS_ID = 'claudeStudio.tokens';

/**
 * The status bar item that shows how big the next request will be, with no request of its own:
 * exact from the last response's usage, estimated (`~`) for what was added since.
 */
export class TokenStatusItem implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly session: ChatSession,
    private readonly controller: ChatController,
    private readonly anthropic: AnthropicService,
    private readonly settings: Settings,
  ) {
    this.item = this.disposables.add(vscode.window.createStatusBarItem(TOKEN_STATUS_ID, vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Claude Studio Token Count';
    this.item.command = 'claudeStudio.openChat';
    const update = (): void => this.update();
    for (const event of [session.onDidAppendTurn, session.onDidUpdateTurn, session.onDidReset, session.onDidChangeTotals]) {
      this.disposables.add(event(update));
    }
    this.disposables.add(controller.onDidChangeDraft(update));
    this.disposables.add(settings.onDidChange(update));
    this.update();
    this.item.show();
  }

  private update(): void {
    const size = nextRequestSize(this.session.current, this.controller.currentDraft);
    const model = this.anthropic.model(this.settings.current.model);
    const share = model ? size.tokens / model.contextWindow : 0;
    const figure = `${size.exact ? '' : '~'}${formatTokens(size.tokens)}`;
    const percent = `${Math.round(share * 100)}%`;
    this.item.text = `$(symbol-numeric) ${figure} · ${percent}`;
    this.item.accessibilityInformation = {
      label: `Next Claude request: ${size.exact ? '' : 'about '}${size.tokens} tokens, ${percent} of the context window`,
    };
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Next request to Claude** — ${size.exact ? 'exact' : 'estimated'}\n\n`);
    tooltip.appendMarkdown(`${size.tokens.toLocaleString('en-US')} tokens of ${model ? model.contextWindow.toLocaleString('en-US') : '?'} (${model?.displayName ?? this.settings.current.model})\n\n`);
    const totals = this.session.totals;
    if (totals.turns > 0) {
      tooltip.appendMarkdown(`Session: $${totals.costUsd.toFixed(4)} spent · $${totals.savedUsd.toFixed(4)} saved by the prompt cache`);
    }
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      share > 1
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : share > 0.8
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
