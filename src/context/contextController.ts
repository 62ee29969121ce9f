import * as vscode from 'vscode';
import type { ContextBlock, ExcludedFile, PickedPath, PickPlan, Refusal } from '../core/context';
import {
  ContextSet, EXCLUDED_PREFIX, ExclusionRules, ViewGate, checkSize, chipViews, contextMessages, createContextItem, describeExclusion,
  expandPick, fuzzySearch, hasBinaryExtension, itemLabel, planPickInSlices, readContextFile, summarizeExcluded,
} from '../core/context';
import type { CodeSelection } from '../core/context/selectionPrompt';
import { EgressGate } from '../core/egress';
import { mapLimit } from '../core/util/concurrency';
import type { ContextSuggestionView, FromWebview } from '../shared/protocol';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import { DisposableStore } from '../platform/disposable';
import type { Settings } from '../platform/settings';
import { contextStrings as str } from './strings';
import { ContextFileWatcher, READ_CONCURRENCY } from './contextWatcher';
import { WorkspaceFiles, openDocument, relativePath, uriFs } from './workspaceFiles';
import { errorMessage } from '../core/util/errors';

const MAX_EXCLUDED_CHIPS = 20;

/**
 * The VS Code side of the chat's context: adds what the user picks (selection, files, folders,
 * open editors, the `@` picker), applies the exclusion rules and limits from src/core/context, keeps
 * the chips in the webview current and, only while a chat view exists, follows edits and deletes
 * of the files in context. What is sent is decided by the core {@link ContextSet}.
 */
export class ContextController implements vscode.Disposable {
  readonly set = new ContextSet();
  private readonly disposables = new DisposableStore();
  private readonly excluded = new Map<string, ExcludedFile>();
  private readonly watchGate = new ViewGate(() => this.watcher.start());
  private readonly selectionGate = new ViewGate(() => this.trackSelection());
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<void>());
  /** The items or their states changed (for the token status item). */
  readonly onDidChange = this._onDidChange.event;
  private suggestion: ContextSuggestionView | undefined;
  /** Secrets and version-control data only: enough to keep the suggestion chip from offering a `.env`. */
  private secretRules: ExclusionRules | undefined;
  private readonly files: WorkspaceFiles;
  private readonly watcher: ContextFileWatcher;
  /** Selection events handled (diagnostics and the benchmark: stays 0 with no chat view). */
  selectionEventsHandled = 0;

  constructor(
    private readonly view: ChatViewProvider,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.files = new WorkspaceFiles(settings, log);
    this.watcher = new ContextFileWatcher(this.set, this.files);
    this.disposables.add(this.set);
    this.disposables.add(this.watchGate);
    this.disposables.add(this.selectionGate);
    this.disposables.add(this.set.onDidChange(() => this.publish()));
    this.disposables.add(
      view.onDidChangeResolved((resolved) => {
        this.watchGate.setOpen(resolved);
        this.selectionGate.setOpen(resolved && view.isVisible);
      }),
    );
    this.disposables.add(view.onDidChangeVisibility((visible) => this.selectionGate.setOpen(visible && view.isResolved)));
    this.disposables.add(view.onDidReceiveMessage((message) => void this.handle(message)));
    this.disposables.add(settings.onDidChange(() => this.files.invalidate()));
    this.watchGate.setOpen(view.isResolved);
    this.selectionGate.setOpen(view.isResolved && view.isVisible);
  }

  /** The blocks the next message would carry (for the token count). */
  pendingBlocks(): ContextBlock[] {
    return this.set.pendingBlocks();
  }

  /** Every item with its size and state (the status bar's breakdown lists them). */
  itemSizes(): { label: string; tokens: number; state: 'new' | 'sent' | 'updated' | 'deleted' }[] {
    return this.set.list().map(({ item, state }) => ({ label: itemLabel(item), tokens: item.tokens, state }));
  }

  /**
   * Hands out the blocks for the message being sent. Open editors are read from memory first and
   * refreshes still waiting out their debounce run now, so an edit made just before sending is in.
   */
  async takeBlocks(): Promise<ContextBlock[]> {
    await this.watcher.flush();
    return this.set.takeBlocks();
  }

  /** A new conversation: everything in context will be sent whole again. */
  forgetSent(): void {
    this.set.forgetSent();
  }

  // ---- adding -------------------------------------------------------------------------------

  /** Adds a selection (path and line range) as its own item. */
  async addSelection(selection: CodeSelection, uri: vscode.Uri): Promise<boolean> {
    const rules = await this.files.rules();
    const exclusion = rules.check(selection.path);
    if (exclusion !== undefined) {
      const reason = describeExclusion(exclusion);
      const choice = await vscode.window.showWarningMessage(str.selectionFromExcluded(selection.path, reason), str.addAnyway);
      if (choice !== str.addAnyway || !(await this.confirmOverride(selection.path, reason))) return false;
    }
    if (!(await this.confirmUntrusted(1))) return false;
    const item = createContextItem({
      kind: 'selection',
      path: selection.path,
      uri: uri.toString(),
      languageId: selection.languageId,
      range: { startLine: selection.startLine, endLine: selection.endLine },
      content: selection.text,
    });
    const limits = this.limits();
    const refusal = checkSize(itemLabel(item), item.tokens, this.set.totalTokens() - (this.set.get(item.id)?.item.tokens ?? 0), limits, true);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.message);
      return false;
    }
    this.set.add(item);
    return true;
  }

  /** Adds files and folders (folders expand under the same rules), with progress and Cancel. */
  async addUris(uris: readonly vscode.Uri[]): Promise<number> {
    const usable = uris.filter((uri) => vscode.workspace.getWorkspaceFolder(uri) !== undefined);
    for (const uri of uris) if (!usable.includes(uri)) void vscode.window.showWarningMessage(str.notInWorkspace(uri.fsPath || uri.toString()));
    if (usable.length === 0) return 0;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: str.progressTitle, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
        try {
          return await this.addPicked(usable, progress, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) return 0;
          throw error;
        } finally {
          cancel.dispose();
        }
      },
    );
  }

  /** Adds every open text editor's file. */
  async addOpenEditors(): Promise<number> {
    const uris = new Map<string, vscode.Uri>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme !== 'untitled') uris.set(tab.input.uri.toString(), tab.input.uri);
      }
    }
    if (uris.size === 0) {
      void vscode.window.showInformationMessage(str.noOpenEditors);
      return 0;
    }
    return this.addUris([...uris.values()]);
  }

  private async addPicked(uris: readonly vscode.Uri[], progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal): Promise<number> {
    const rules = await this.files.rules();
    const limits = this.limits();
    const gate = new EgressGate(rules);
    const expanded = await expandPick(uris, uriFs, gate, { signal, onProgress: (found) => progress.report({ message: str.scanning(found) }) });
    const picked: readonly PickedPath[] = expanded.picked;
    const uriOf = new Map(expanded.picked.map((entry) => [entry.path, entry.handle]));
    const folderExclusions = expanded.excludedFolders.map((entry) => ({ path: entry.path, reason: describeExclusion(entry.exclusion) }));
    for (const entry of expanded.unreadable) void vscode.window.showWarningMessage(contextMessages.unreadable(entry.path, errorMessage(entry.error)));

    const plan = await planPickInSlices(picked, gate, limits.maxFiles, signal);
    if (plan.tooMany !== undefined) {
      void vscode.window.showWarningMessage(contextMessages.tooManyFiles(plan.tooMany.count, plan.tooMany.limit));
      return 0;
    }
    // Files picked by name and left out become chips (a few: a huge pick gets the summary only).
    const explicitlyExcluded = plan.excluded.filter((entry) => entry.explicit);
    for (const entry of explicitlyExcluded.length <= MAX_EXCLUDED_CHIPS ? explicitlyExcluded : []) {
      this.excluded.set(entry.path, { path: entry.path, uri: uriOf.get(entry.path)?.toString(), reason: describeExclusion(entry.exclusion) });
    }
    if (plan.include.length > 0 && !(await this.confirmUntrusted(plan.include.length))) return 0;

    let done = 0;
    const reads = await mapLimit(
      plan.include,
      READ_CONCURRENCY,
      async (path) => {
        const uri = uriOf.get(path) as vscode.Uri;
        const result = await this.read(path, uri);
        done++;
        if (plan.include.length > 20) progress.report({ message: str.reading(done, plan.include.length), increment: 100 / plan.include.length });
        return result;
      },
      signal,
    );
    const refusals: Refusal[] = [];
    let added = 0;
    reads.forEach((settled, index) => {
      const path = plan.include[index] as string;
      if (!settled.ok) return void refusals.push({ kind: 'unreadable', message: contextMessages.unreadable(path, errorMessage(settled.error)) });
      const result = settled.value;
      if (!result.ok) {
        if (result.refusal.kind === 'excluded') this.excluded.set(path, { path, uri: uriOf.get(path)?.toString(), reason: describeExclusion(result.refusal.exclusion) });
        return void refusals.push(result.refusal);
      }
      const { item } = result;
      const current = this.set.totalTokens() - (this.set.get(item.id)?.item.tokens ?? 0);
      const overTotal = checkSize(path, item.tokens, current, limits, true);
      if (overTotal !== undefined) return void refusals.push(overTotal);
      this.excluded.delete(path);
      this.set.add(item);
      added++;
    });
    this.publish();
    this.report(plan.excluded, folderExclusions, refusals);
    return added;
  }

  /** Tells the user what was left out and why; one file left out by a rule can be added anyway. */
  private report(excluded: PickPlan['excluded'], folders: readonly { path: string; reason: string }[], refusals: readonly Refusal[]): void {
    const parts: string[] = [];
    if (excluded.length > 0) parts.push(summarizeExcluded(excluded, describeExclusion));
    for (const folder of folders) parts.push(`${folder.path}/ was not added: ${folder.reason}.`);
    if (refusals.length > 0) parts.push(`${refusals[0]?.message ?? ''}${refusals.length > 1 ? str.alsoRefused(refusals.length - 1) : ''}`);
    if (parts.length === 0) return;
    const single = excluded.length === 1 && excluded[0]?.explicit === true && refusals.length === 0 ? excluded[0] : undefined;
    const message = single !== undefined ? contextMessages.excluded(single.path, single.exclusion) : parts.join(' ');
    void vscode.window.showWarningMessage(message, ...(single !== undefined ? [str.addAnyway] : [])).then((choice) => {
      if (choice === str.addAnyway && single !== undefined) void this.addAnyway(single.path);
    });
  }

  /** Adds one file the rules left out, after the user confirms. Binary and size limits still apply. */
  async addAnyway(path: string): Promise<void> {
    const entry = this.excluded.get(path);
    if (entry === undefined || entry.reason === describeExclusion({ reason: 'binary' })) return;
    if (!(await this.confirmOverride(path, entry.reason))) return;
    const uri = entry.uri !== undefined ? vscode.Uri.parse(entry.uri) : undefined;
    if (uri === undefined) return;
    const result = await this.read(path, uri);
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.refusal.message);
      return;
    }
    const refusal = checkSize(path, result.item.tokens, this.set.totalTokens(), this.limits(), true);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.message);
      return;
    }
    this.excluded.delete(path);
    this.set.add(result.item);
  }

  private async read(path: string, uri: vscode.Uri): Promise<Awaited<ReturnType<typeof readContextFile>>> {
    const document = openDocument(uri);
    return readContextFile(
      {
        path,
        uri: uri.toString(),
        ...(document !== undefined ? { text: document.getText(), languageId: document.languageId } : {}),
        currentTotal: 0,
        limits: { ...this.limits(), maxTotalTokens: Number.MAX_SAFE_INTEGER },
      },
      async () => {
        if (hasBinaryExtension(path)) return new Uint8Array([0]);
        return vscode.workspace.fs.readFile(uri);
      },
    );
  }

  private async confirmUntrusted(count: number): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    const choice = await vscode.window.showWarningMessage(str.untrusted(count), { modal: true, detail: str.untrustedDetail }, str.untrustedConfirm);
    return choice === str.untrustedConfirm;
  }

  private async confirmOverride(path: string, reason: string): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(str.overrideTitle(path, reason), { modal: true, detail: str.overrideDetail }, str.overrideConfirm);
    return choice === str.overrideConfirm;
  }

  private limits(): { maxFileTokens: number; maxTotalTokens: number; maxFiles: number } {
    const { maxFileTokens, maxTotalTokens, maxFiles } = this.settings.current.context;
    return { maxFileTokens, maxTotalTokens, maxFiles };
  }

  /** The workspace's rules as they are now, for other features that read files (batches). */
  exclusionRules(): Promise<ExclusionRules> {
    return this.files.rules();
  }

  // ---- the webview ----------------------------------------------------------------------------

  private async handle(message: FromWebview.Message): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.publish();
      case 'removeContext':
        if (message.id.startsWith(EXCLUDED_PREFIX)) {
          if (this.excluded.delete(message.id.slice(EXCLUDED_PREFIX.length))) this.publish();
        } else {
          this.set.remove(message.id);
        }
        return;
      case 'openContext':
        return this.open(message.id);
      case 'searchFiles':
        return this.search(message.query, message.requestId);
      case 'addContextFile': {
        // Only a path the host itself offered: the webview's input is not trusted.
        const uri = (await this.files.index()).byPath.get(message.path);
        if (uri === undefined) return void vscode.window.showWarningMessage(str.notInWorkspace(message.path));
        await this.addUris([uri]);
        return;
      }
      case 'addSuggestion':
        return this.addSuggestion();
      default:
        return;
    }
  }

  private async open(id: string): Promise<void> {
    if (id.startsWith(EXCLUDED_PREFIX)) return this.addAnyway(id.slice(EXCLUDED_PREFIX.length));
    const entry = this.set.get(id);
    if (entry?.item.uri === undefined || entry.state === 'deleted') return;
    const range = entry.item.range;
    const selection = range !== undefined ? new vscode.Range(range.startLine - 1, 0, range.endLine - 1, Number.MAX_SAFE_INTEGER) : undefined;
    await vscode.window.showTextDocument(vscode.Uri.parse(entry.item.uri), { preview: true, ...(selection !== undefined ? { selection } : {}) });
  }

  private async search(query: string, requestId: string): Promise<void> {
    const index = await this.files.index();
    const results = fuzzySearch(query, index.byPath.keys(), 30).map((match) => ({ path: match.path, positions: [...match.positions] }));
    this.view.post({ type: 'didSearchFiles', requestId, results });
  }

  private publish(): void {
    // A file already in context is not offered again.
    const suggestion = this.suggestion?.kind === 'file' && this.set.has(`file:${this.suggestion.label}`) ? undefined : this.suggestion;
    this.view.post({
      type: 'didChangeContext',
      chips: chipViews(this.set, this.excluded.values()),
      totalTokens: this.set.totalTokens(),
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
    this._onDidChange.fire();
  }

  // ---- following the editor and the files (only while a chat view exists) ------------------

  /** The active editor as a suggestion chip; subscribed only while the chat view is visible. */
  private trackSelection(): vscode.Disposable {
    const store = new DisposableStore();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      this.selectionEventsHandled++;
      clearTimeout(timer);
      timer = setTimeout(() => this.updateSuggestion(), 150);
    };
    store.add(vscode.window.onDidChangeTextEditorSelection(schedule));
    store.add(vscode.window.onDidChangeActiveTextEditor(schedule));
    store.add({ dispose: () => clearTimeout(timer) });
    this.updateSuggestion();
    return store;
  }

  private updateSuggestion(): void {
    const editor = vscode.window.activeTextEditor;
    let next: ContextSuggestionView | undefined;
    if (editor !== undefined && editor.document.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(editor.document.uri) !== undefined) {
      const path = relativePath(editor.document.uri);
      const selection = editor.selection;
      // Never offer what the rules leave out (the full rules once the picker built them; secrets always).
      const rules = this.files.cachedRules() ?? (this.secretRules ??= new ExclusionRules());
      if (rules.check(path) !== undefined || hasBinaryExtension(path) || this.excluded.has(path)) {
        next = undefined;
      } else if (selection.isEmpty) {
        next = { label: path, kind: 'file' };
      } else {
        const end = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
        next = { label: itemLabel({ path, range: { startLine: selection.start.line + 1, endLine: end + 1 } }), kind: 'selection' };
      }
    }
    if (next?.label === this.suggestion?.label && next?.kind === this.suggestion?.kind) return;
    this.suggestion = next;
    this.publish();
  }

  private async addSuggestion(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) return;
    if (editor.selection.isEmpty) await this.addUris([editor.document.uri]);
    else await vscode.commands.executeCommand('claudeStudio.addSelectionToChat');
    this.updateSuggestion();
  }

  /** Follows edits and deletes of files in context; runs only while the chat view exists. */
  dispose(): void {
    this.disposables.dispose();
  }
}
