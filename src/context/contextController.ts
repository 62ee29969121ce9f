import * as vscode from 'vscode';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContextBlock } from '../core/context';
import { ContextSet, EXCLUDED_PREFIX, MediaUploads, ViewGate, chipViews, fuzzySearch, itemLabel } from '../core/context';
import type { CodeSelection } from '../core/context/selectionPrompt';
import { WorkspaceGate } from '../egress/workspaceGate';
import type { FromWebview } from '../shared/protocol';
import type { ChatViewProvider } from '../chat/chatViewProvider';
import { DisposableStore } from '../platform/disposable';
import type { Settings } from '../platform/settings';
import { contextStrings as str } from './strings';
import { ContextAdder } from './contextAdder';
import { ContextFileWatcher } from './contextWatcher';
import { EditorSuggestion } from './editorSuggestion';
import { ContextSendChecks } from './sendChecks';
import { WorkspaceFiles } from './workspaceFiles';
import { ImageDownscaler } from '../platform/imageDownscaler';
import type { ShrinkImage } from '../core/context';

/**
 * The VS Code side of the chat's context: adds what the user picks (selection, files, folders,
 * open editors, the `@` picker), applies the exclusion rules and limits from src/core/context, keeps
 * the chips in the webview current and, only while a chat view exists, follows edits and deletes
 * of the files in context. What is sent is decided by the core {@link ContextSet}. Adding is in
 * contextAdder.ts, the secret scan before Send and count_tokens in sendChecks.ts, the active
 * editor's suggestion chip in editorSuggestion.ts; this class wires them to the webview.
 */
export class ContextController implements vscode.Disposable {
  readonly set = new ContextSet();
  private readonly disposables = new DisposableStore();
  private readonly watchGate = new ViewGate(() => this.watcher.start());
  private readonly selectionGate = new ViewGate(() => this.suggestion.track());
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<void>());
  /** The items or their states changed (for the token status item). */
  readonly onDidChange = this._onDidChange.event;
  private readonly files: WorkspaceFiles;
  private readonly watcher: ContextFileWatcher;
  /** The egress gate with this workspace's rules: every read for sending goes through it. */
  readonly egress: WorkspaceGate;
  private readonly checks: ContextSendChecks;
  private readonly adder: ContextAdder;
  /** Large pasted or dropped files arrive in pieces. */
  private readonly uploads = new MediaUploads();
  private readonly suggestion: EditorSuggestion;
  /** Where pasted and dropped images are written to be opened (see openPasted). */
  private pastedDir: Promise<string> | undefined;
  /** Scales a large image down in a worker thread (claudeStudio.images.maxLongEdge); batches use it too. */
  readonly shrinkImage: ShrinkImage;

  constructor(
    private readonly view: ChatViewProvider,
    settings: Settings,
    log: vscode.LogOutputChannel,
  ) {
    this.files = new WorkspaceFiles(settings, log);
    this.egress = new WorkspaceGate(() => this.files.rules());
    const downscaler = new ImageDownscaler();
    this.disposables.add({ dispose: () => downscaler.dispose() });
    // Large images are scaled down in a worker thread, to the long edge the settings say.
    const shrinkImage: ShrinkImage = (this.shrinkImage = async (bytes, mediaType, width, height) => {
      const maxLongEdge = settings.current.images.maxLongEdge;
      return maxLongEdge > 0 && Math.max(width, height) > maxLongEdge ? downscaler.downscale(bytes, mediaType, width, height, maxLongEdge) : undefined;
    });
    this.watcher = new ContextFileWatcher(this.set, this.files, shrinkImage);
    this.checks = new ContextSendChecks(this.set, this.egress, () => this._onDidChange.fire());
    this.adder = new ContextAdder(this.set, this.egress, settings, this.checks, () => this.publish(), shrinkImage);
    this.suggestion = new EditorSuggestion(this.files, this.adder.excluded, () => this.publish());
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

  /** Selection events handled (diagnostics and the benchmark: stays 0 with no chat view). */
  get selectionEventsHandled(): number {
    return this.suggestion.eventsHandled;
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
    if (!(await this.checks.confirmUnsent())) return undefined;
    return this.set.takeBlocks();
  }

  /**
   * Whether count_tokens may see the pending context: only when everything in it is what Send
   * would send without asking (scanned clean, nothing the user confirmed for Send only). An
   * unscanned item is scanned now and the status bar hears when that is done.
   */
  countable(): boolean {
    return this.checks.countable();
  }

  /** A new conversation: everything in context will be sent whole again. */
  forgetSent(): void {
    this.set.forgetSent();
  }

  /** Adds a selection (path and line range) as its own item. */
  addSelection(selection: CodeSelection, uri: vscode.Uri): Promise<boolean> {
    return this.adder.addSelection(selection, uri);
  }

  /** Adds files and folders (folders expand under the same rules), with progress and Cancel. */
  addUris(uris: readonly vscode.Uri[]): Promise<number> {
    return this.adder.addUris(uris);
  }

  /** Adds every open text editor's file. */
  addOpenEditors(): Promise<number> {
    return this.adder.addOpenEditors();
  }

  /** Adds one file the gate left out, after the user confirms (see {@link ContextAdder.addAnyway}). */
  addAnyway(path: string): Promise<void> {
    return this.adder.addAnyway(path);
  }

  // ---- the webview ----------------------------------------------------------------------------

  private async handle(message: FromWebview.Message): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.publish();
      case 'removeContext':
        this.checks.forget(message.id);
        if (message.id.startsWith(EXCLUDED_PREFIX)) {
          if (this.adder.excluded.delete(message.id.slice(EXCLUDED_PREFIX.length))) this.publish();
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
      case 'addMediaData': {
        // Joined before anything is awaited: the pieces of a large file arrive in order.
        const upload = this.uploads.receive(message);
        if (upload !== undefined) await this.adder.addMediaData(upload.source, upload.name, upload.data);
        return;
      }
      case 'addDroppedUris':
        await this.addDropped(message.uris);
        return;
      default:
        return;
    }
  }

  private async open(id: string): Promise<void> {
    if (id.startsWith(EXCLUDED_PREFIX)) return this.addAnyway(id.slice(EXCLUDED_PREFIX.length));
    const pasted = this.set.get(id)?.item;
    if (pasted?.media !== undefined && pasted.uri === undefined) return this.openPasted(pasted.path, pasted.media.data);
    const entry = this.set.get(id);
    if (entry?.item.uri === undefined || entry.state === 'deleted') return;
    // An image or PDF opens in whatever editor VS Code has for it (the image preview, a PDF viewer).
    if (entry.item.media !== undefined) return void vscode.commands.executeCommand('vscode.open', vscode.Uri.parse(entry.item.uri), { preview: true });
    const range = entry.item.range;
    const selection = range !== undefined ? new vscode.Range(range.startLine - 1, 0, range.endLine - 1, Number.MAX_SAFE_INTEGER) : undefined;
    await vscode.window.showTextDocument(vscode.Uri.parse(entry.item.uri), { preview: true, ...(selection !== undefined ? { selection } : {}) });
  }

  /**
   * A pasted or dropped image has no file: its bytes go to a private temp folder (made with
   * mkdtemp, removed on dispose) so VS Code's image preview or PDF viewer can show them.
   */
  private async openPasted(label: string, data: string): Promise<void> {
    this.pastedDir ??= mkdtemp(join(tmpdir(), 'claude-studio-pasted-'));
    const file = join(await this.pastedDir, label.replace(/^.*\//, ''));
    await writeFile(file, Buffer.from(data, 'base64'), { mode: 0o600 });
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { preview: true });
  }

  private async search(query: string, requestId: string): Promise<void> {
    const index = await this.files.index();
    const results = fuzzySearch(query, index.byPath.keys(), 30).map((match) => ({ path: match.path, positions: [...match.positions] }));
    this.view.post({ type: 'didSearchFiles', requestId, results });
  }

  private publish(): void {
    // A file already in context is not offered again.
    const current = this.suggestion.current;
    const suggestion = current?.kind === 'file' && this.set.has(`file:${current.label}`) ? undefined : current;
    this.view.post({
      type: 'didChangeContext',
      chips: chipViews(this.set, this.adder.excluded.values()),
      totalTokens: this.set.totalTokens(),
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
    this._onDidChange.fire();
  }

  /** Files dropped from the explorer: URIs the webview reports, added only when they parse and lie in the workspace (addUris checks). */
  private async addDropped(uris: readonly string[]): Promise<void> {
    const parsed: vscode.Uri[] = [];
    for (const text of uris) {
      try {
        parsed.push(vscode.Uri.parse(text, true));
      } catch {
        void vscode.window.showWarningMessage(str.notInWorkspace(text.slice(0, 200)));
      }
    }
    if (parsed.length > 0) await this.addUris(parsed);
  }

  private async addSuggestion(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined) return;
    if (editor.selection.isEmpty) await this.addUris([editor.document.uri]);
    else await vscode.commands.executeCommand('claudeStudio.addSelectionToChat');
    this.suggestion.update();
  }

  /** Follows edits and deletes of files in context; runs only while the chat view exists. */
  dispose(): void {
    this.disposables.dispose();
    void this.pastedDir?.then((dir) => rm(dir, { recursive: true, force: true })).catch(() => undefined);
  }
}
