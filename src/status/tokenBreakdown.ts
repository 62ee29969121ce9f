import * as vscode from 'vscode';
import { tokenStrings } from './strings';
import type { TokenState } from './tokenState';

/** Opened by a click on the status item. */
export const SHOW_TOKEN_BREAKDOWN = 'claudeStudio.showTokenBreakdown';

/** One attached context item, as the breakdown lists it. */
export interface ContextItemSize {
  readonly label: string;
  readonly tokens: number;
  readonly state: 'new' | 'sent' | 'updated' | 'deleted';
}

interface ActionItem extends vscode.QuickPickItem {
  readonly command?: string;
}

/**
 * The breakdown behind the status item: each part with its tokens and cost, then what can be done
 * about the size. Parts are listed, not actions; a "remove" button per context item goes here
 * once context can be attached.
 */
export async function showTokenBreakdown(state: TokenState | undefined, contextItems: readonly ContextItemSize[] = []): Promise<void> {
  if (state === undefined) return;
  const items: ActionItem[] = [];
  if (contextItems.length > 0) {
    // Every attached item with its size: what to remove first when the request is too big.
    items.push({ label: tokenStrings.pickContextSeparator(contextItems.length), kind: vscode.QuickPickItemKind.Separator });
    for (const item of [...contextItems].sort((a, b) => b.tokens - a.tokens)) {
      items.push({ label: item.label, description: [tokenStrings.tokens(item.tokens), tokenStrings.contextState(item.state)].filter(Boolean).join(' · ') });
    }
  }
  if (state.mode === 'chat') {
    const { reading } = state;
    items.push({ label: tokenStrings.pickPartsSeparator(reading.tokens, reading.exact), kind: vscode.QuickPickItemKind.Separator });
    for (const part of state.parts) {
      const priced = 'costUsd' in part ? part : undefined;
      items.push({
        label: tokenStrings.partLabel[part.kind],
        description: [tokenStrings.tokens(part.tokens), priced !== undefined ? tokenStrings.usd(priced.costUsd) : ''].filter(Boolean).join(' · '),
        detail: tokenStrings.pickPartDetail(reading.tokens > 0 ? part.tokens / reading.tokens : 0, priced?.cachedTokens ?? 0),
      });
    }
    if (state.cost !== undefined) {
      const { cost } = state;
      items.push({
        label: tokenStrings.pickTotal,
        description: tokenStrings.usd(cost.costUsd),
        detail: tokenStrings.sendSplit(cost.cachedTokens, cost.newTokens, cost.cacheWrite),
      });
    }
    items.push({ label: tokenStrings.pickActionsSeparator, kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: tokenStrings.pickNewChat, detail: tokenStrings.pickNewChatDetail, command: 'claudeStudio.newChat' });
    items.push({ label: tokenStrings.pickModel, detail: tokenStrings.pickModelDetail(state.modelName, state.contextWindow), command: 'claudeStudio.pickModel' });
    if (reading.offline === 'noKey') items.push({ label: tokenStrings.pickSetKey, detail: tokenStrings.pickSetKeyDetail, command: 'claudeStudio.setApiKey' });
  } else {
    items.push({ label: tokenStrings.editorAdds(state.size.tokens, state.size.what), detail: tokenStrings.editorLocal });
    items.push({ label: tokenStrings.pickActionsSeparator, kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: tokenStrings.pickOpenChat, command: 'claudeStudio.openChat' });
    items.push({ label: tokenStrings.pickModel, detail: tokenStrings.pickModelDetail(state.modelName, undefined), command: 'claudeStudio.pickModel' });
  }
  const picked = await vscode.window.showQuickPick(items, { title: tokenStrings.pickTitle, placeHolder: tokenStrings.pickPlaceholder, matchOnDetail: true });
  if (picked?.command !== undefined) await vscode.commands.executeCommand(picked.command);
}
