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

export interface ChatCommandDeps {
  readonly controller: ChatController;
  readonly session: ChatSession;
  readonly view: ChatViewProvider;
  readonly keys: ApiKeyStore;
  readonly anthropic: AnthropicService;
}

/** The chat's palette, title-bar and right-click commands. */
export function registerChatCommands(deps: ChatCommandDeps): vscode.Disposable {
  const { controller, session, view, keys, anthropic } = deps;
  const register = vscode.commands.registerCommand;
  return vscode.Disposable.from(
    register('claudeStudio.openChat', () => view.reveal()),
    register('claudeStudio.newChat', async () => {
      await session.reset([]);
      await view.reveal();
    }),
    register('claudeStudio.stopResponse', () => session.stop()),
    register('claudeStudio.setApiKey', async () => {
      const value = await vscode.window.showInputBox({
        title: 'Claude Studio: Set API Key',
        prompt: chatStrings.setKeyPrompt,
        placeHolder: chatStrings.setKeyPlaceholder,
        password: true,
        ignoreFocusOut: true,
        validateInput: validateApiKeyInput,
      });
      if (value === undefined) return;
      await keys.set(value);
      void vscode.window.showInformationMessage(chatStrings.keySaved);
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
          detail: `$${model.pricing.input}/M in · $${model.pricing.output}/M out · ${Math.round(model.contextWindow / 1000)}k context`,
          id: model.id,
        })),
        { title: chatStrings.pickModelTitle, matchOnDescription: true },
      );
      if (picked) await vscode.workspace.getConfiguration('claudeStudio').update('model', picked.id, vscode.ConfigurationTarget.Global);
    }),
    ...SELECTION_ACTIONS.map(([command, action]) =>
      register(command, async () => {
        const selection = currentSelection();
        if (selection === undefined) return void vscode.window.showInformationMessage(chatStrings.noSelection);
        await controller.ask(actionPrompt(action, selection));
      }),
    ),
    register('claudeStudio.askAboutSelection', async () => {
      const selection = currentSelection();
      if (selection === undefined) return void vscode.window.showInformationMessage(chatStrings.noSelection);
      const question = await vscode.window.showInputBox({ prompt: chatStrings.askPrompt, placeHolder: chatStrings.askPlaceholder });
      if (!question?.trim()) return;
      await controller.ask(questionPrompt(selection, question));
    }),
  );
}

/** Right-click actions on selected code: each sends the selection with its own prompt. */
const SELECTION_ACTIONS: readonly (readonly [string, SelectionAction])[] = [
  ['claudeStudio.explainSelection', 'explain'],
  ['claudeStudio.findBugsInSelection', 'findBugs'],
  ['claudeStudio.refactorSelection', 'refactor'],
  ['claudeStudio.writeTestsForSelection', 'writeTests'],
  ['claudeStudio.documentSelection', 'document'],
];

/** The active editor's primary selection, or undefined when nothing is selected. */
export function currentSelection(): CodeSelection | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.selection.isEmpty) return undefined;
  const { selection, document } = editor;
  // A selection ending at column 0 of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    path: vscode.workspace.asRelativePath(document.uri, false),
    languageId: document.languageId,
    startLine: selection.start.line + 1,
    endLine: endLine + 1,
    text: document.getText(selection),
  };
}
