import * as path from 'node:path';
import * as vscode from 'vscode';
import { configureL10n } from './core/util/l10n';
import { registerBatches } from './batches/batchCommands';
import { registerChatBatch } from './batches/chatBatch';
import { CodeApplier } from './chat/applyCode';
import { ChatController } from './chat/chatController';
import { registerHistoryCommands } from './chat/historyCommands';
import { HistoryStore } from './core/history/historyStore';
import { recordSession } from './core/history/sessionRecording';
import { nodeHistoryFs } from './platform/nodeHistoryFs';
import { nodeLockFs } from './platform/nodeLockFs';
import { chatStrings } from './chat/strings';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatViewProvider';
import { registerChatCommands } from './commands/chatCommands';
import { registerRecipes } from './recipes/recipeCommands';
import { ChatSession } from './core/chat/chatSession';
import { describeRefusal } from './core/chat/turnRequests';
import { sessionOptionsFrom } from './core/chat/sessionOptions';
import { turnErrorFrom } from './core/chat/turnError';
import { composeSystemPrompt, isoDate } from './core/chat/systemPrompt';
import { AnthropicService } from './platform/anthropicService';
import { ApiKeyStore } from './platform/apiKeyStore';
import { DisposableStore } from './platform/disposable';
import { redactingLog } from './platform/redactingLog';
import { Settings } from './platform/settings';
import { workspaceInstructions, workspaceLanguages } from './context/workspaceProfile';
import { TokenStatusItem } from './status/tokenStatusItem';
import { ContextController } from './context/contextController';
import { registerContextCommands } from './context/contextCommands';
import { errorMessage } from './core/util/errors';
import { registerReportIssue } from './diagnostics/reportIssue';
import { registerWalkthrough } from './walkthrough/walkthrough';

/** What the extension exports, for its own in-host tests. */
export interface ClaudeStudioApi {
  readonly session: ChatSession;
  readonly settings: Settings;
  readonly context: ContextController;
  /** True once VS Code has resolved the chat webview view. */
  isChatViewResolved(): boolean;
}

/** Builds the object graph and registers it. No network work happens here. */
export function activate(context: vscode.ExtensionContext): ClaudeStudioApi {
  // First, so every message the core makes is in the display language (the host's own use vscode.l10n.t).
  configureL10n(vscode.env.language, vscode.l10n.bundle);
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);
  const log = redactingLog(disposables.add(vscode.window.createOutputChannel('Claude Studio', { log: true })));
  const settings = disposables.add(new Settings(log));
  // The Foundry provider keeps its own key in its own secret.
  const keys = disposables.add(new ApiKeyStore(context.secrets, process.env, () => (settings.current.provider === 'foundry' ? 'foundry' : 'anthropic')));
  const anthropic = disposables.add(new AnthropicService(settings, keys));

  /** Composed when a conversation's first message is sent, then frozen in it. */
  const composeSystem = async (): Promise<string[]> => {
    const config = settings.current;
    const [languages, instructions] = await Promise.all([workspaceLanguages(), workspaceInstructions(contextController.egress)]);
    return composeSystemPrompt({
      profile: config.profile,
      date: isoDate(new Date()),
      languages,
      userBlocks: config.systemPrompt,
      ...(instructions !== undefined ? { workspaceInstructions: instructions } : {}),
    });
  };
  const session = new ChatSession(
    {
      getClient: () => anthropic.getClient(),
      getOptions: (model) => sessionOptionsFrom(model === undefined ? settings.current : settings.forModel(model)),
      describeError: (error) => {
        const friendly = anthropic.describe(error);
        if (friendly.kind !== 'aborted') log.error(`Request failed: ${friendly.message}${friendly.requestId ? ` (request ${friendly.requestId})` : ''}`);
        return turnErrorFrom(friendly);
      },
      price: (usage, model, answeredBy) => anthropic.price(usage, model, answeredBy),
      now: () => Date.now(),
      composeSystem,
      // The view is untrusted: a state change it asked for and the conversation does not allow is logged, never acted on.
      onRefused: (request, reason) => log.warn(describeRefusal(request, reason)),
    },
  );
  disposables.add(session);

  const view = disposables.add(new ChatViewProvider(context.extensionUri, log));
  disposables.add(vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: false } }));
  const applier = disposables.add(new CodeApplier());
  const contextController = disposables.add(new ContextController(view, settings, log));
  const controller = disposables.add(new ChatController(session, view, anthropic, keys, settings, applier, contextController));
  disposables.add(registerChatCommands({ controller, session, view, keys, anthropic, egress: contextController.egress }));
  disposables.add(registerRecipes({ controller, session, anthropic, settings, state: context.workspaceState, log, egress: contextController.egress }));
  disposables.add(registerContextCommands(contextController, view));
  disposables.add(registerChatBatch(controller, contextController));
  disposables.add(new TokenStatusItem(session, controller, anthropic, settings, keys, contextController, (text) => contextController.egress.isClean(text)));

  // History: every conversation is an append-only log in the extension's own storage.
  const historyDir = path.join(context.globalStorageUri.fsPath, 'history');
  const history = new HistoryStore({
    fs: nodeHistoryFs,
    dir: historyDir,
    // Each workspace remembers its own open conversation (global storage is shared by every window).
    openDir: context.storageUri !== undefined ? path.join(context.storageUri.fsPath, 'history') : historyDir,
    lockFs: nodeLockFs,
    onError: (error) => log.error(`Chat history: ${errorMessage(error)}`),
  });
  disposables.add(history);
  // Stored images and PDFs that no conversation names any more go a while after startup (and after each delete).
  disposables.add(history.scheduleMediaCollection());
  const recording = recordSession(session, history, (error) => log.error(`Chat history: ${errorMessage(error)}`));
  disposables.add(recording);
  flushHistory = () => recording.flush();
  disposables.add(registerHistoryCommands(history, session, view, anthropic));
  void restoreOpenConversation(history, session, log);
  disposables.add(registerBatches({ context, anthropic, settings, applier, log, egress: contextController.egress, shrinkImage: contextController.shrinkImage }));
  disposables.add(registerReportIssue({ context, settings, keys }));
  disposables.add(registerWalkthrough({ context, keys, session, contextSet: contextController.set }));
  return { session, settings, context: contextController, isChatViewResolved: () => view.isResolved };
}

let flushHistory: (() => Promise<void>) | undefined;

/** Writes out what is still buffered of a streaming answer; the rest is disposed by VS Code. */
export async function deactivate(): Promise<void> {
  await flushHistory?.();
}

/** Reopens the conversation that was open when VS Code last closed (a local file read, no network). */
async function restoreOpenConversation(history: HistoryStore, session: ChatSession, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const id = await history.getOpen();
    if (id === undefined || session.current.turns.size > 0) return;
    const { conversation, problems, copied } = await history.loadToOpen(id);
    for (const problem of problems) log.warn(`Chat history line ${problem.line}: ${problem.message}`);
    if (session.current.turns.size !== 0 || session.busy) return;
    await session.open(conversation);
    if (copied) void vscode.window.showInformationMessage(chatStrings.openedCopy(conversation.title));
  } catch (error) {
    log.warn(`Could not reopen the last conversation: ${errorMessage(error)}`);
  }
}
