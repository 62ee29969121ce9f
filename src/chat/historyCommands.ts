import * as vscode from 'vscode';
import type { ChatSession } from '../core/chat/chatSession';
import type { HistoryStore } from '../core/history/historyStore';
import type { ConversationSummary } from '../core/history/historyIndex';
import { LatestSearch } from '../core/history/latestSearch';
import { systemClock } from '../core/util/clock';
import { formatDateTime } from '../core/util/l10n';
import type { AnthropicService } from '../platform/anthropicService';
import type { ChatViewProvider } from './chatViewProvider';
import { chatStrings } from './strings';

const strings = {
  get pickTitle(): string { return vscode.l10n.t('Claude Studio: Chat History'); },
  get pickPlaceholder(): string { return vscode.l10n.t('Search conversations by title or message'); },
  get empty(): string { return vscode.l10n.t('No saved conversations yet.'); },
  get delete(): string { return vscode.l10n.t('Delete conversation'); },
  get export(): string { return vscode.l10n.t('Export as Markdown'); },
  confirmDelete: (title: string): string => vscode.l10n.t('Delete the conversation "{0}"? This cannot be undone.', title),
  get deleteButton(): string { return vscode.l10n.t('Delete'); },
  loadProblems: (count: number): string => vscode.l10n.t("Claude Studio: {0} damaged line(s) in this conversation's log were skipped.", count),
  get nothingToExport(): string { return vscode.l10n.t('This conversation has no messages yet.'); },
  turns: (count: number): string => (count === 1 ? vscode.l10n.t('1 turn') : vscode.l10n.t('{0} turns', count)),
};

interface SummaryItem extends vscode.QuickPickItem {
  readonly summary: ConversationSummary;
}

/** History: reopen, search, delete and export conversations. */
export function registerHistoryCommands(store: HistoryStore, session: ChatSession, view: ChatViewProvider, anthropic: AnthropicService): vscode.Disposable {
  const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: strings.delete };
  const exportButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('markdown'), tooltip: strings.export };

  // While searching, the store has already matched each conversation, often in a message the
  // row does not show: the picker's own filter on the row's text must not hide it.
  const toItem = (summary: ConversationSummary, searching: boolean): SummaryItem => ({
    alwaysShow: searching,
    label: summary.title,
    description: `${formatDateTime(summary.updatedAt)} · ${strings.turns(summary.turnCount)}`,
    detail: summary.preview,
    buttons: [exportButton, deleteButton],
    summary,
  });

  const open = async (id: string): Promise<void> => {
    const { conversation, problems, copied } = await store.loadToOpen(id);
    if (problems.length > 0) void vscode.window.showWarningMessage(strings.loadProblems(problems.length));
    await session.open(conversation);
    if (copied) void vscode.window.showInformationMessage(chatStrings.openedCopy(conversation.title));
    await view.reveal();
  };

  const exportConversation = async (id: string): Promise<void> => {
    const conversation = id === session.current.id ? session.current : (await store.load(id)).conversation;
    if (conversation.turns.size === 0) return void vscode.window.showInformationMessage(strings.nothingToExport);
    const content = store.exportMarkdown(conversation, { price: (usage, model, answeredBy) => anthropic.price(usage, model, answeredBy) });
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(document, { preview: false });
  };

  const remove = async (summary: ConversationSummary): Promise<boolean> => {
    const answer = await vscode.window.showWarningMessage(strings.confirmDelete(summary.title), { modal: true }, strings.deleteButton);
    if (answer !== strings.deleteButton) return false;
    await store.delete(summary.id);
    if (summary.id === session.current.id) await session.reset([]);
    return true;
  };

  const showHistory = async (): Promise<void> => {
    const pick = vscode.window.createQuickPick<SummaryItem>();
    pick.title = strings.pickTitle;
    pick.placeholder = strings.pickPlaceholder;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    // Debounced, cancelled by the next keystroke, and only the newest query's result is shown.
    const search = new LatestSearch<ConversationSummary[]>({
      run: (query, signal) => (query ? store.search(query, signal) : store.list()),
      deliver: (query, summaries) => {
        pick.items = summaries.map((summary) => toItem(summary, query !== ''));
        pick.placeholder = summaries.length === 0 && !query ? strings.empty : strings.pickPlaceholder;
      },
      busy: (busy) => (pick.busy = busy),
    }, systemClock);
    const refresh = (): Promise<void> => search.runNow(pick.value.trim());
    // Titles and previews match in the picker itself; the store also searches the messages.
    pick.onDidChangeValue((value) => search.schedule(value.trim()));
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      pick.hide();
      if (item) void open(item.summary.id);
    });
    pick.onDidTriggerItemButton(async (event) => {
      if (event.button === exportButton) {
        pick.hide();
        await exportConversation(event.item.summary.id);
      } else if (await remove(event.item.summary)) {
        await refresh();
      }
    });
    pick.onDidHide(() => {
      search.dispose();
      pick.dispose();
    });
    pick.show();
    await refresh();
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('claudeStudio.showHistory', showHistory),
    vscode.commands.registerCommand('claudeStudio.exportChat', () => exportConversation(session.current.id)),
  );
}
