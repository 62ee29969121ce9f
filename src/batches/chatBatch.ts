import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import type { ContextController } from '../context/contextController';
import { batchFilesFromContext } from '../core/batches/fromContext';

const strings = {
  get noFiles(): string { return vscode.l10n.t('Add files to the chat first (right-click them in the explorer, or type @ in the message box), then type /batch and the prompt to run on each file.'); },
  leftOut: (count: number): string => (count === 1 ? vscode.l10n.t('1 context item is not a whole file and is left out of the batch.') : vscode.l10n.t('{0} context items are not a whole file and are left out of the batch.', count)),
};

/**
 * `/batch <prompt>` in the chat: the prompt runs over each file in the chat's context through the
 * same flow as the explorer's "Run Prompt on Each File (Batch)" (model, cost, batch or now).
 */
export function registerChatBatch(controller: ChatController, context: ContextController): vscode.Disposable {
  return controller.onDidRequestBatch(async ({ prompt }) => {
    const { uris, leftOut } = batchFilesFromContext(context.set.list());
    if (uris.length === 0) {
      controller.restoreDraft(`/batch${prompt ? ` ${prompt}` : ''}`);
      void vscode.window.showInformationMessage(strings.noFiles);
      return;
    }
    if (leftOut > 0) void vscode.window.showInformationMessage(strings.leftOut(leftOut));
    await vscode.commands.executeCommand('claudeStudio.runBatch', uris.map((uri) => vscode.Uri.parse(uri)), prompt.trim() || undefined);
  });
}
