import * as vscode from 'vscode';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import { chatStrings } from '../chat/strings';
import { currentSelection } from '../commands/chatCommands';
import type { ContextController } from './contextController';
import { contextStrings } from './strings';

/** The commands that add context: selection, current file, open editors, explorer picks. */
export function registerContextCommands(context: ContextController, view: ChatViewProvider): vscode.Disposable {
  const register = vscode.commands.registerCommand;
  return vscode.Disposable.from(
    register('claudeStudio.addSelectionToChat', async () => {
      const selection = currentSelection();
      const editor = vscode.window.activeTextEditor;
      if (selection === undefined || editor === undefined) return void vscode.window.showInformationMessage(chatStrings.noSelection);
      await view.reveal(true);
      await context.addSelection(selection, editor.document.uri);
    }),
    register('claudeStudio.addFileToChat', async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (target === undefined) return void vscode.window.showInformationMessage(contextStrings.noEditor);
      await view.reveal(true);
      await context.addUris([target]);
    }),
    register('claudeStudio.addOpenEditorsToChat', async () => {
      await view.reveal(true);
      await context.addOpenEditors();
    }),
    // Explorer: VS Code passes the clicked item and, with a multi-selection, all selected items.
    register('claudeStudio.addToChat', async (clicked?: unknown, selected?: unknown) => {
      const uris = Array.isArray(selected) && selected.length > 0 ? selected : clicked !== undefined ? [clicked] : [];
      const picked = uris.filter((uri): uri is vscode.Uri => uri instanceof vscode.Uri);
      if (picked.length === 0) return;
      await view.reveal(true);
      await context.addUris(picked);
    }),
  );
}
