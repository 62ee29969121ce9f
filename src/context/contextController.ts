import * as vscode from 'vscode';
import type { ContextBlock, ContextItem, ExcludedFile, Exclusion, PickedPath, PickPlan, Refusal } from '../core/context';
import {
  ContextSet, EXCLUDED_PREFIX, ExclusionRules, ViewGate, checkSize, withContent, chipViews, contextMessages, createContextItem, describeExclusion,
  expandPick, fuzzySearch, hasBinaryExtension, itemLabel, planPickInSlices, readContextFile, summarizeExcluded,
} from '../core/context';
import type { CodeSelection } from '../core/context/selectionPrompt';
import type { EgressGate } from '../core/egress';
import { MAX_PICK_DEPTH } from '../core/egress';
import { confirmEgress } from '../egress/confirm';
import { egressStrings } from '../egress/strings';
import { WorkspaceGate, sizeOf, withRealPaths } from '../egress/workspaceGate';
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
  /** The egress gate with this workspace's rules: every read for sending goes through it. */
  readonly egress: WorkspaceGate;
  /** `id@hash` of content the user chose to send as is: only Send sends it, count_tokens never. */
  private readonly confirmedSends = new Set<string>();
  /** Secret scan verdicts by content hash (true: clean). */
  private readonly scanned = new Map<string, boolean>();
  private readonly scanning = new Set<string>();
  /** Excluded chips whose content (not their path) was the reason: adding them anyway can redact. */
  private readonly heldForContent = new Set<string>();
  /** Selection events handled (diagnostics and the benchmark: stays 0 with no chat view). */
  selectionEventsHandled = 0;

  constructor(
    private readonly view: ChatViewProvider,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.files = new WorkspaceFiles(settings, log);
    this.egress = new WorkspaceGate(() => this.files.rules());
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
   * The last gate: content that now holds a secret (a key pasted into a file after it was added)
   * is sent only as the user says, as is or redacted; undefined when the user cancels.
   */
  async takeBlocks(): Promise<ContextBlock[] | undefined> {
    await this.watcher.flush();
    const gate = this.egress.content;
    for (const { item } of this.unsentEntries()) {
      if (this.confirmedSends.has(sendKey(item))) continue;
      const verdict = await gate.checkContent(item.content, item.path);
      this.scanned.set(item.hash, verdict.clean);
      if (verdict.clean) continue;
      const choice = await confirmEgress(egressStrings.sendMessage, itemLabel(item), verdict.exclusion, item.content, verdict.hits);
      if (choice === undefined) return undefined;
      if (choice.send === 'asIs') this.confirmedSends.add(sendKey(item));
      else this.set.updateContent(item.id, choice.text);
    }
    return this.set.takeBlocks();
  }

  /**
   * Whether count_tokens may see the pending context: only when everything in it is what Send
   * would send without asking (scanned clean, nothing the user confirmed for Send only). An
   * unscanned item is scanned now and the status bar hears when that is done.
   */
  countable(): boolean {
    const unknown: ContextItem[] = [];
    for (const { item } of this.unsentEntries()) {
      if (this.confirmedSends.has(sendKey(item)) || this.scanned.get(item.hash) === false) return false;
      if (!this.scanned.has(item.hash)) unknown.push(item);
    }
    if (unknown.length === 0) return true;
    void this.scanItems(unknown);
    return false;
  }

  private unsentEntries(): { item: ContextItem }[] {
    return this.set.list().filter((entry) => entry.state === 'new' || entry.state === 'updated');
  }

  private async scanItems(items: readonly ContextItem[]): Promise<void> {
    const todo = items.filter((item) => !this.scanning.has(item.hash));
    if (todo.length === 0) return;
    todo.forEach((item) => this.scanning.add(item.hash));
    try {
      const gate = this.egress.content;
      for (const item of todo) this.scanned.set(item.hash, (await gate.checkContent(item.content, item.path)).clean);
    } finally {
      todo.forEach((item) => this.scanning.delete(item.hash));
    }
    if (this.scanned.size > 5000) this.scanned.clear();
    this._onDidChange.fire();
  }

  /** A new conversation: everything in context will be sent whole again. */
  forgetSent(): void {
    this.set.forgetSent();
  }

  // ---- adding -------------------------------------------------------------------------------

  /** Adds a selection (path and line range) as its own item. */
  async addSelection(selection: CodeSelection, uri: vscode.Uri): Promise<boolean> {
    const gate = await this.egress.gate();
    const subject = uri.scheme === 'untitled' ? { path: selection.path } : await this.egress.subject(uri, selection.path);
    const verdict = await gate.check(subject, selection.text);
    let content = selection.text;
    let confirmed = false;
    if (verdict.exclusion !== undefined) {
      const where = itemLabel({ path: selection.path, range: { startLine: selection.startLine, endLine: selection.endLine } });
      const choice = await confirmEgress(egressStrings.addSelection, where, verdict.exclusion, selection.text, verdict.hits);
      if (choice === undefined) return false;
      if (choice.send === 'redacted') content = choice.text;
      else confirmed = true;
    }
    if (!(await this.confirmUntrusted(1))) return false;
    const item = createContextItem({
      kind: 'selection',
      path: selection.path,
      uri: uri.toString(),
      languageId: selection.languageId,
      range: { startLine: selection.startLine, endLine: selection.endLine },
      content,
    });
    if (confirmed) this.confirmedSends.add(sendKey(item));
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
    const gate = await this.egress.gate();
    const limits = this.limits();
    const expanded = await expandPick(uris, withRealPaths(uriFs), gate, {
      signal,
      realRoots: await this.egress.realRoots(),
      maxDepth: MAX_PICK_DEPTH,
      onProgress: (found) => progress.report({ message: str.scanning(found) }),
    });
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
        const result = await this.readScanned(path, uri, gate);
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
      if (result.secrets !== undefined) {
        this.excluded.set(path, { path, uri: uriOf.get(path)?.toString(), reason: describeExclusion(result.secrets) });
        this.heldForContent.add(path);
        return void refusals.push({ kind: 'excluded', exclusion: result.secrets, message: contextMessages.excluded(path, result.secrets) });
      }
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

  /**
   * Adds one file the gate left out, after the user confirms: as is (sent only by Send, never
   * counted before), or, when its content was the reason, with the flagged lines removed.
   * Binary and size limits still apply.
   */
  async addAnyway(path: string): Promise<void> {
    const entry = this.excluded.get(path);
    if (entry === undefined || entry.reason === describeExclusion({ reason: 'binary' })) return;
    const uri = entry.uri !== undefined ? vscode.Uri.parse(entry.uri) : undefined;
    if (uri === undefined) return;
    const gate = await this.egress.gate();
    const byContent = this.heldForContent.has(path);
    if (!byContent && !(await this.confirmOverride(path, entry.reason))) return;
    const result = await this.read(path, uri, gate);
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.refusal.message);
      return;
    }
    let item = result.item;
    let confirmed = !byContent;
    if (byContent) {
      const verdict = await gate.checkContent(item.content, path);
      if (!verdict.clean) {
        const choice = await confirmEgress(egressStrings.addFile, path, verdict.exclusion, item.content, verdict.hits);
        if (choice === undefined) return;
        if (choice.send === 'redacted') item = withContent(item, choice.text);
        else confirmed = true;
      }
    }
    const refusal = checkSize(path, item.tokens, this.set.totalTokens(), this.limits(), true);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.message);
      return;
    }
    this.excluded.delete(path);
    this.heldForContent.delete(path);
    if (confirmed) this.confirmedSends.add(sendKey(item));
    this.set.add(item);
  }

  /** Reads a file for context: its size first (a huge file is never read whole), then the bytes. */
  private async read(path: string, uri: vscode.Uri, gate: EgressGate): Promise<Awaited<ReturnType<typeof readContextFile>>> {
    const document = openDocument(uri);
    let size: number | undefined;
    if (document === undefined) {
      try {
        size = await sizeOf(uri);
      } catch {
        size = undefined; // the read below reports it
      }
    }
    return readContextFile(
      {
        path,
        uri: uri.toString(),
        ...(document !== undefined ? { text: document.getText(), languageId: document.languageId } : {}),
        currentTotal: 0,
        limits: { ...this.limits(), maxTotalTokens: Number.MAX_SAFE_INTEGER },
        ...(size !== undefined ? { size } : {}),
        maxReadBytes: gate.maxReadBytes,
      },
      async () => {
        if (hasBinaryExtension(path)) return new Uint8Array([0]);
        return vscode.workspace.fs.readFile(uri);
      },
    );
  }

  /** {@link read}, then the secret scan: a hit leaves the file out with what was found and where. */
  private async readScanned(path: string, uri: vscode.Uri, gate: EgressGate): Promise<Awaited<ReturnType<typeof readContextFile>> & { secrets?: Exclusion }> {
    const result = await this.read(path, uri, gate);
    if (!result.ok) return result;
    const verdict = await gate.checkContent(result.item.content, path);
    this.scanned.set(result.item.hash, verdict.clean);
    return verdict.clean ? result : { ...result, secrets: verdict.exclusion };
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

  // ---- the webview ----------------------------------------------------------------------------

  private async handle(message: FromWebview.Message): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.publish();
      case 'removeContext':
        for (const key of this.confirmedSends) if (key.startsWith(`${message.id}@`)) this.confirmedSends.delete(key);
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

/** An item's identity with its content: a confirmation covers these exact bytes, not a later edit. */
function sendKey(item: Pick<ContextItem, 'id' | 'hash'>): string {
  return `${item.id}@${item.hash}`;
}
