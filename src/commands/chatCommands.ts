import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { chatStrings } from '../chat/strings';
import type { CodeSelection } from '../core/context/selectionPrompt';
import type { SelectionAction } from '../core/context/selectionPrompt';
import { actionPrompt, questionPrompt } from '../core/context/selectionPrompt';
import type { ChatSession } from '../core/chat/chatSession';
import type { AnthropicService } from '../platform/anthropicService';
import type { ApiKeyStore } from '../platform/apiKeyStore';
import { validateApiKeyInput } from '../platform/apiKeyStore';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import type { WorkspaceGate } from '../egress/workspaceGate';
import { gateSelection } from '../egress/selectionGate';

export interface ChatCommandDeps {
  readonly controller: ChatController;
  readonly session: ChatSession;
  readonly view: ChatViewProvider;
  readonly keys: ApiKeyStore;
  readonly anthropic: AnthropicService;
  /** Every selection passes the egress gate before it is sent. */
  readonly egress: WorkspaceGate;
}

/** The chat's palette, title-bar and right-click commands. */
export function registerChatCommands(deps: ChatCommandDeps): vscode.Disposable {
  const { controller, session, view, keys, anthropic, egress } = deps;
  /** The selection after the gate, or undefined (nothing selected: said so; held back and not confirmed: nothing sent). */
  const gatedSelection = async (what: string): Promise<CodeSelection | undefined> => {
    const current = currentSelectionAndUri();
    if (current === undefined) return void vscode.window.showInformationMessage(chatStrings.noSelection);
    return gateSelection(egress, current.selection, current.uri, what);
  };
  const register = vscode.commands.registerCommand;
  return vscode.Disposable.from(
    register('claudeStudio.openChat', () => view.reveal()),
    register('claudeStudio.newChat', async () => {
      await session.reset([]);
      await view.reveal();
    }),
    register('claudeStudio.stopResponse', () => session.stop()),
    register('claudeStudio.setApiKey', async () => {
      // With Foundry chosen the key is the Foundry resource's: every word of the prompt says so.
      const target = anthropic.keyService;
      const foundry = target.service === 'foundry';
      const value = await vscode.window.showInputBox({
        title: foundry ? chatStrings.foundryKeyTitle : vscode.l10n.t('Claude Studio: Set API Key'),
        prompt: foundry ? chatStrings.foundryKeyPrompt(target.resource) : chatStrings.setKeyPrompt,
        ...(foundry ? {} : { placeHolder: chatStrings.setKeyPlaceholder }),
        password: true,
        ignoreFocusOut: true,
        validateInput: (input) => validateApiKeyInput(input, target.service),
      });
      if (value === undefined) return;
      await keys.set(value);
      void vscode.window.showInformationMessage(foundry ? chatStrings.foundryKeySaved : chatStrings.keySaved);
    }),
    register('claudeStudio.clearApiKey', async () => {
      await keys.clear();
      const remaining = await keys.get();
      void vscode.window.showInformationMessage(remaining ? chatStrings.keyStillFromEnv : chatStrings.keyCleared);
    }),
    register('claudeStudio.pickModel', async () => {
      const models = (await anthropic.models()).filter((model) => model.lifecycle.status !== 'retired' && model.aliasOf === undefined);
      const current = vscode.workspace.getConfiguration('claudeStudio').get<string>('model');
      const picked = await vscode.window.showQuickPick(
        models.map((model) => ({
          label: model.displayName,
          // `picked` only marks rows of a multi-select pick, so the current model is named instead.
          description: [model.id, model.id === current ? chatStrings.currentModel : '', model.lifecycle.status === 'deprecated' ? chatStrings.deprecated : ''].filter(Boolean).join(' · '),
          detail: chatStrings.modelPricesAndWindow(model.pricing.input, model.pricing.output, Math.round(model.contextWindow / 1000)),
          id: model.id,
        })),
        { title: chatStrings.pickModelTitle, matchOnDescription: true },
      );
      if (picked) await vscode.workspace.getConfiguration('claudeStudio').update('model', picked.id, vscode.ConfigurationTarget.Global);
    }),
    ...selectionActions().map(([command, action, title]) =>
      register(command, async () => {
        const selection = await gatedSelection(title);
        if (selection === undefined) return;
        await controller.ask(actionPrompt(action, selection));
      }),
    ),
    register('claudeStudio.askAboutSelection', async () => {
      const selection = await gatedSelection(chatStrings.askTitle);
      if (selection === undefined) return;
      const question = await vscode.window.showInputBox({ prompt: chatStrings.askPrompt, placeHolder: chatStrings.askPlaceholder });
      if (!question?.trim()) return;
      await controller.ask(questionPrompt(selection, question));
    }),
  );
}

/** Right-click actions on selected code: each sends the selection with its own prompt (titles in the display language, so read at activation). */
const selectionActions = (): readonly (readonly [string, SelectionAction, string])[] => [
  ['claudeStudio.explainSelection', 'explain', chatStrings.actionTitles.explain],
  ['claudeStudio.findBugsInSelection', 'findBugs', chatStrings.actionTitles.findBugs],
  ['claudeStudio.refactorSelection', 'refactor', chatStrings.actionTitles.refactor],
  ['claudeStudio.writeTestsForSelection', 'writeTests', chatStrings.actionTitles.writeTests],
  ['claudeStudio.documentSelection', 'document', chatStrings.actionTitles.document],
];

/** The active editor's primary selection, or undefined when nothing is selected. */
export function currentSelection(): CodeSelection | undefined {
  return currentSelectionAndUri()?.selection;
}

/** The selection with the URI of its document (the gate resolves its real path). */
export function currentSelectionAndUri(): { selection: CodeSelection; uri: vscode.Uri } | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.selection.isEmpty) return undefined;
  const { selection, document } = editor;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    uri: document.uri,
    selection: {
      path: vscode.workspace.asRelativePath(document.uri, false),
      languageId: document.languageId,
      startLine: selection.start.line + 1,
      endLine: endLine + 1,
      text: document.getText(selection),
    },
  };
}
