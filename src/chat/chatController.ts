import * as vscode from 'vscode';
import { fileBlocksOf } from '../core/chat/fileBlocks';
import type { ChatSession } from '../core/chat/chatSession';
import type { Pricer } from '../core/chat/turnViews';
import { assistantView, turnView } from '../core/chat/turnViews';
import { nextRequestSize } from '../core/chat/nextRequestSize';
import { SUMMARY_REQUEST, fitsContext, recentTurnsThatFit, summaryBlock } from '../core/chat/overflow';
import { estimateTokens } from '../core/tokens/estimate';
import type { SessionTotals } from '../core/chat/usageLedger';
import type { ContextBlock } from '../core/context/contextSet';
import { activePath } from '../core/chat/conversation';
import { requestMediaProblem } from '../core/context/mediaLimits';
import type { Blocker, ChatSnapshot, FromWebview, ToWebview, UsageView } from '../shared/protocol';
import { assertNever } from '../shared/protocol';
import type { AnthropicService } from '../platform/anthropicService';
import type { ApiKeyStore } from '../platform/apiKeyStore';
import { DisposableStore } from '../platform/disposable';
import type { Settings } from '../platform/settings';
import type { ChatViewProvider } from './chatViewProvider';
import { DeltaBuffer } from './deltaBuffer';
import { TurnTextMirror } from './turnTextMirror';
import type { CodeApplier } from './applyCode';
import { chatStrings } from './strings';

/** The chat's attached context (src/context): what the next message carries. */
export interface ChatContextSource {
  pendingBlocks(): readonly ContextBlock[];
  /**
   * Marks the blocks sent; the caller attaches them to the user turn. Undefined when the egress
   * gate held something back and the user did not confirm it: nothing is sent.
   */
  takeBlocks(): Promise<ContextBlock[] | undefined>;
  forgetSent(): void;
}

const SAFE_LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);


/**
 * Binds the chat session (core) to the chat view (webview): forwards the session's events as
 * protocol messages and carries out what the user asks for in the view.
 */
export class ChatController implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly deltas: DeltaBuffer;
  /** What the webview holds of each turn's text, so that a final update need not send it again. */
  private readonly mirror = new TurnTextMirror();
  private blocker?: Blocker;
  private draft = '';
  private readonly _onDidChangeDraft = this.disposables.add(new vscode.EventEmitter<string>());
  /** The composer's text, for the live token count. */
  readonly onDidChangeDraft = this._onDidChangeDraft.event;
  private readonly _onDidRequestRecipe = this.disposables.add(new vscode.EventEmitter<{ command: string; text: string }>());
  /** A slash command was typed in the composer (`/personas ...`); the recipes feature runs it. */
  readonly onDidRequestRecipe = this._onDidRequestRecipe.event;
  private readonly _onDidRequestBatch = this.disposables.add(new vscode.EventEmitter<{ prompt: string }>());
  /** `/batch <prompt>` typed in the chat: run the prompt over the context files as a batch. */
  readonly onDidRequestBatch = this._onDidRequestBatch.event;

  constructor(
    private readonly session: ChatSession,
    private readonly view: ChatViewProvider,
    private readonly anthropic: AnthropicService,
    private readonly keys: ApiKeyStore,
    private readonly settings: Settings,
    private readonly applier: CodeApplier,
    private readonly context?: ChatContextSource,
  ) {
    this.deltas = new DeltaBuffer((message) => this.post(message));
    const pricer: Pricer = (usage, model, answeredBy) => anthropic.price(usage, model, answeredBy);
    this.disposables.add(view.onDidReceiveMessage((message) => void this.handle(message)));
    this.disposables.add(
      session.onDidAppendTurn((turn) => this.post({ type: 'didAppendTurn', turn: turnView(turn, pricer, session.current) })),
    );
    this.disposables.add(session.onDidStreamDelta((delta) => this.deltas.push(delta.turnId, delta)));
    this.disposables.add(
      session.onDidUpdateTurn((turn) => {
        this.deltas.flush();
        this.post({ type: 'didUpdateTurn', turn: assistantView(turn, pricer, session.current) });
      }),
    );
    this.disposables.add(
      session.onDidRemoveTurn((turnId) => {
        this.deltas.flush();
        this.post({ type: 'didRemoveTurn', turnId });
      }),
    );
    this.disposables.add(
      session.onDidChangeBusy((busy) => {
        void vscode.commands.executeCommand('setContext', 'claudeStudio.busy', busy);
        this.post({ type: 'didChangeBusy', busy });
      }),
    );
    this.disposables.add(session.onDidChangeTotals((totals) => this.post({ type: 'didChangeTotals', totals: totalsView(totals) })));
    this.disposables.add(session.onDidReset(() => void this.postSnapshot()));
    // A different conversation holds none of the context: it is sent whole with the next message.
    if (context !== undefined) this.disposables.add(session.onDidReset(() => context.forgetSent()));
    this.disposables.add(session.onDidChangeActivePath(() => void this.postSnapshot()));
    this.disposables.add(keys.onDidChange(() => void this.postSnapshot()));
    this.disposables.add(settings.onDidChange(() => void this.postSnapshot()));
    this.disposables.add(anthropic.onDidSeeOfflineServer(() => void this.postSnapshot()));
    this.disposables.add({ dispose: () => this.deltas.dispose() });
  }

  get currentDraft(): string {
    return this.draft;
  }

  /** Sends a message as if the user had typed it (used by editor commands). */
  async ask(text: string): Promise<void> {
    await this.view.reveal(true);
    await this.refreshBlocker();
    if (this.blocker !== undefined) {
      await this.postSnapshot();
      if (this.blocker.kind === 'noApiKey') void this.promptForKey();
      return;
    }
    if (this.session.busy) await this.session.stop();
    if (!(await this.makeRoomFor(text)) || !this.mediaFits()) {
      // Nothing is lost: the message goes back into the composer.
      this.post({ type: 'didFocusInput', text });
      return;
    }
    const context = this.context !== undefined ? await this.context.takeBlocks() : undefined;
    if (this.context !== undefined && context === undefined) {
      this.post({ type: 'didFocusInput', text });
      return;
    }
    await this.session.send(text, context);
  }

  /**
   * Readies the chat for work that does not go through `ask` (a recipe run): shows the view,
   * stops a running answer, and resolves false (after prompting for a key) when it cannot send.
   */
  async prepare(): Promise<boolean> {
    await this.view.reveal(true);
    await this.refreshBlocker();
    if (this.blocker !== undefined) {
      await this.postSnapshot();
      if (this.blocker.kind === 'noApiKey') void this.promptForKey();
      return false;
    }
    if (this.session.busy) await this.session.stop();
    return true;
  }

  /** Puts text back into the composer (e.g. a slash command that could not run), so nothing is lost. */
  restoreDraft(text: string): void {
    this.post({ type: 'didFocusInput', text });
  }

  /**
   * The API's limits on images and PDFs over the whole request (count, PDF pages, size), checked
   * before sending: the conversation's earlier ones are sent again, so they count too.
   */
  private mediaFits(): boolean {
    const sent = activePath(this.session.current).flatMap((turn) => (turn.kind === 'user' ? turn.context ?? [] : []));
    const problem = requestMediaProblem([...sent, ...(this.context?.pendingBlocks() ?? [])]);
    if (problem === undefined) return true;
    void vscode.window.showWarningMessage(problem);
    return false;
  }

  /**
   * Checks, before sending, that the request and its answer fit the model's context window, and
   * when they do not, lets the user carry on in a fresh chat (with a summary, or with only the
   * newest turns) instead of meeting a 400 from the API. Resolves false when the user cancels.
   */
  private async makeRoomFor(text: string): Promise<boolean> {
    const config = this.settings.current;
    const model = this.anthropic.model(config.model);
    if (model === undefined) return true;
    const pendingContext = this.context?.pendingBlocks() ?? [];
    const size = nextRequestSize(this.session.current, text, pendingContext.length > 0 ? { pendingContext } : {});
    if (fitsContext(size.tokens, config.maxTokens, model.contextWindow)) return true;
    const choice = await vscode.window.showWarningMessage(
      chatStrings.overflowTitle(size.tokens, model.displayName, model.contextWindow),
      { modal: true, detail: chatStrings.overflowDetail },
      chatStrings.overflowSummary,
      chatStrings.overflowDrop,
    );
    if (choice === undefined) return false;
    // Room for the new message, the answer and some slack for the estimate's error.
    const budget = Math.max(0, Math.floor((model.contextWindow - config.maxTokens) * 0.8) - estimateTokens(text));
    if (choice === chatStrings.overflowDrop) {
      await this.session.carryOver(recentTurnsThatFit(this.session.turns(), budget));
      await this.showCarriedOver();
      return true;
    }
    const cancel = new AbortController();
    try {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: chatStrings.summarizing, cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => cancel.abort());
          return this.session.summarize(budget, SUMMARY_REQUEST, cancel.signal);
        },
      );
      await this.session.carryOver([], summaryBlock(summary));
      await this.showCarriedOver();
      return true;
    } catch (error) {
      // Cancelled by the user: the message goes back into the composer, with nothing to explain.
      if (!cancel.signal.aborted) void vscode.window.showErrorMessage(chatStrings.summaryFailed(this.anthropic.describe(error).message));
      return false;
    }
  }

  /**
   * The fresh chat is on screen before the message that needed it is sent: the snapshot that the
   * reset posts is built asynchronously, and could otherwise arrive after the new turns, which
   * would show under the old conversation until it did.
   */
  private showCarriedOver(): Promise<void> {
    return this.postSnapshot();
  }

  async snapshot(): Promise<ChatSnapshot> {
    await this.refreshBlocker();
    const config = this.settings.current;
    const pricer: Pricer = (usage, model, answeredBy) => this.anthropic.price(usage, model, answeredBy);
    const models = await this.anthropic.models();
    return {
      conversationId: this.session.current.id,
      title: this.session.current.title,
      turns: this.session.turns().map((turn) => turnView(turn, pricer, this.session.current)),
      busy: this.session.busy,
      model: config.model,
      models: models
        .filter((model) => model.lifecycle.status !== 'retired' && model.aliasOf === undefined)
        .map((model) => ({ id: model.id, label: model.displayName, deprecated: model.lifecycle.status === 'deprecated' })),
      totals: totalsView(this.session.totals),
      ...(this.blocker !== undefined ? { blocker: this.blocker } : {}),
      ...(this.anthropic.offlineServer ? { offlineLabel: chatStrings.offlineLabel } : {}),
    };
  }

  /** Every message to the webview goes through here, in order, so that the mirror sees them all. */
  private post(message: ToWebview.Message): void {
    this.view.post(this.mirror.outgoing(message));
  }

  private async postSnapshot(): Promise<void> {
    this.post({ type: 'didLoad', snapshot: await this.snapshot() });
  }

  private async refreshBlocker(): Promise<void> {
    // Only a provider that takes an API key waits for one (Bedrock signs with AWS credentials).
    const needsKey = this.anthropic.capabilities.credentials === 'apiKey';
    const foundry = this.settings.current.provider === 'foundry';
    this.blocker = needsKey && (await this.keys.get()) === undefined ? { kind: 'noApiKey', ...(foundry ? { service: 'foundry' as const } : {}) } : undefined;
  }

  private async handle(message: FromWebview.Message): Promise<void> {
    switch (message.type) {
      case 'ready':
      case 'resync':
        return this.postSnapshot();
      case 'send':
        if (message.text.trim() === '') return;
        return this.ask(message.text);
      case 'stop':
        return this.session.stop();
      case 'retry':
        // The session checks each state change against the conversation and logs a refusal.
        return this.session.retry(message.turnId);
      case 'newChat':
        await vscode.commands.executeCommand('claudeStudio.newChat');
        return;
      case 'setApiKey':
        return this.promptForKey();
      case 'pickModel':
        return this.pickModel(message.modelId);
      case 'openLink':
        return this.openLink(message.href);
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        return this.insertCode(message.code);
      case 'applyCode':
        await this.applier.apply(message.code);
        return;
      case 'runAction':
        return this.runAction(message.action);
      case 'editMessage':
        return this.session.edit(message.turnId, message.text);
      case 'switchBranch':
        return this.session.switchBranch(message.turnId, message.direction);
      case 'continueAnswer':
        return this.session.continueAnswer(message.turnId);
      case 'regenerate':
        return this.regenerate(message.turnId, message.chooseModel);
      case 'applyFiles':
        return this.applyFiles(message.turnId);
      case 'runRecipe':
        if (message.command === 'batch') return void this._onDidRequestBatch.fire({ prompt: message.text });
        this._onDidRequestRecipe.fire({ command: message.command, text: message.text });
        return;
      case 'draftChanged':
        this.draft = message.text;
        this._onDidChangeDraft.fire(message.text);
        return;
      case 'removeContext':
      case 'openContext':
      case 'searchFiles':
      case 'addContextFile':
      case 'addSuggestion':
      case 'addMediaData':
      case 'addDroppedUris':
        return; // src/context/contextController.ts answers these

      default:
        assertNever(message);
    }
  }

  private async promptForKey(): Promise<void> {
    await vscode.commands.executeCommand('claudeStudio.setApiKey');
  }

  /** Apply to Files: the blocks come from the host's copy of the answer, never from the view. */
  private async applyFiles(turnId: string): Promise<void> {
    if (!this.session.allow({ type: 'applyFiles', turnId })) return;
    const turn = this.session.current.turns.get(turnId);
    if (turn?.kind !== 'assistant') return;
    const blocks = fileBlocksOf(turn.text);
    if (blocks.length === 0) return;
    await this.applier.applyFiles(blocks);
  }

  /** Regenerate, after asking which model when the user chose "with another model". */
  private async regenerate(turnId: string, chooseModel: boolean): Promise<void> {
    if (!this.session.allow({ type: 'regenerate', turnId })) return;
    let model: string | undefined;
    if (chooseModel) {
      const turn = this.session.current.turns.get(turnId);
      const models = (await this.anthropic.models()).filter((entry) => entry.lifecycle.status !== 'retired' && entry.aliasOf === undefined);
      const picked = await vscode.window.showQuickPick(
        models.map((entry) => ({
          label: entry.displayName,
          description: [entry.id, turn?.kind === 'assistant' && entry.id === turn.model ? chatStrings.answeredBy : ''].filter(Boolean).join(' · '),
          detail: chatStrings.modelPrices(entry.pricing.input, entry.pricing.output),
          id: entry.id,
        })),
        { title: chatStrings.regenerateWithTitle, matchOnDescription: true },
      );
      if (picked === undefined) return;
      // The conversation may have moved on while the pick was open: the session checks again.
      model = picked.id;
    }
    return this.session.regenerate(turnId, model);
  }

  private async pickModel(modelId: string): Promise<void> {
    const model = this.anthropic.model(modelId);
    if (model === undefined) {
      void vscode.window.showWarningMessage(chatStrings.unknownModel(modelId));
      return;
    }
    await vscode.workspace.getConfiguration('claudeStudio').update('model', model.id, vscode.ConfigurationTarget.Global);
  }

  private async openLink(href: string): Promise<void> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(href, true);
    } catch {
      return;
    }
    if (!SAFE_LINK_SCHEMES.has(`${uri.scheme}:`)) {
      void vscode.window.showWarningMessage(chatStrings.blockedLink(uri.scheme));
      return;
    }
    await vscode.env.openExternal(uri);
  }

  private async insertCode(code: string): Promise<void> {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (editor === undefined) {
      void vscode.window.showInformationMessage(chatStrings.noEditorForInsert);
      return;
    }
    await editor.edit((edit) => {
      for (const selection of editor.selections) edit.replace(selection, code);
    });
  }

  private async runAction(action: FromWebview.RunAction['action']): Promise<void> {
    switch (action) {
      case 'setApiKey':
        return this.promptForKey();
      case 'pickModel':
        await vscode.commands.executeCommand('claudeStudio.pickModel');
        return;
      case 'openSettings':
      case 'reduceContext':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'claudeStudio');
        return;
      case 'retry': {
        const last = this.session.turns().at(-1);
        if (last !== undefined) await this.session.retry(last.id);
        return;
      }
      default:
        assertNever(action);
    }
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function totalsView(totals: SessionTotals): UsageView {
  return { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: totals.costUsd, savedUsd: totals.savedUsd, ...(totals.unpriced !== undefined ? { unpriced: totals.unpriced } : {}) };
}
