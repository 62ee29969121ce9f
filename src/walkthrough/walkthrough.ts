import * as vscode from 'vscode';
import type { ChatSession } from '../core/chat/chatSession';
import type { ContextSet } from '../core/context/contextSet';
import { WALKTHROUGH_CONTEXT_KEYS as keys, WALKTHROUGH_ID, WALKTHROUGH_SHOWN_KEY, shouldOpenWalkthrough } from '../core/walkthrough/walkthrough';
import type { ApiKeyStore } from '../platform/apiKeyStore';
import { DisposableStore } from '../platform/disposable';

export const OPEN_WALKTHROUGH_COMMAND = 'claudeStudio.openWalkthrough';

export interface WalkthroughDeps {
  readonly context: vscode.ExtensionContext;
  readonly keys: ApiKeyStore;
  readonly session: ChatSession;
  readonly contextSet: ContextSet;
}

/** Sets a context key once it turns true; the walkthrough remembers a done step by itself. */
function latch(name: string): (value: boolean) => void {
  let set = false;
  return (value) => {
    if (!value || set) return;
    set = true;
    void vscode.commands.executeCommand('setContext', name, true);
  };
}

function openWalkthrough(context: vscode.ExtensionContext): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}

/**
 * The Get Started walkthrough: opens on the first run (remembered in globalState), and the
 * context keys its steps complete on, set from what the user has really done.
 */
export function registerWalkthrough(deps: WalkthroughDeps): vscode.Disposable {
  const store = new DisposableStore();
  const { context } = deps;
  store.add(vscode.commands.registerCommand(OPEN_WALKTHROUGH_COMMAND, () => openWalkthrough(context)));

  const hasKey = latch(keys.hasKey);
  const refreshKey = (): void => void deps.keys.get().then((key) => hasKey(key !== undefined), () => undefined);
  refreshKey();
  store.add(deps.keys.onDidChange(refreshKey));

  const hasContext = latch(keys.hasContext);
  store.add(deps.contextSet.onDidChange(() => hasContext(deps.contextSet.size > 0)));

  const answered = latch(keys.answered);
  const cacheSaved = latch(keys.cacheSaved);
  store.add(
    deps.session.onDidChangeTotals((totals) => {
      answered(totals.turns > 0);
      cacheSaved(totals.savedUsd > 0);
    }),
  );

  const wroteRecipe = latch(keys.wroteRecipe);
  const watcher = store.add(vscode.workspace.createFileSystemWatcher('**/.claude-studio/recipes/*.json', false, false, true));
  store.add(watcher.onDidCreate(() => wroteRecipe(true)));
  store.add(watcher.onDidChange(() => wroteRecipe(true)));

  const shown = context.globalState.get<unknown>(WALKTHROUGH_SHOWN_KEY);
  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<unknown>('openOnInstall');
  if (shouldOpenWalkthrough({ alreadyShown: shown, openOnInstall })) {
    // Remembered first, so two windows starting together do not both open it.
    void context.globalState.update(WALKTHROUGH_SHOWN_KEY, true).then(() => openWalkthrough(context));
  }
  return store;
}
