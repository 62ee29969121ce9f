import * as vscode from 'vscode';
import type { ContextEntry, ContextSet, ShrinkImage } from '../core/context';
import { looksBinary, readContextFile } from '../core/context';
import { MAX_MEDIA_READ_BYTES, MAX_READ_BYTES } from '../core/egress';
import { mapLimit } from '../core/util/concurrency';
import { DisposableStore } from '../platform/disposable';
import { openDocument, type WorkspaceFiles } from './workspaceFiles';

/** Whether the watcher follows an item: whole files, text or image/PDF (a selection is a moment's copy). */
function followed(entry: ContextEntry): boolean {
  return entry.item.kind === 'file' || entry.item.media !== undefined;
}

/** Files read at once when context is refreshed or read. */
export const READ_CONCURRENCY = 8;
/** An edit is read again this long after the last keystroke or save. */
const REFRESH_DEBOUNCE_MS = 200;

/**
 * Keeps the files in context current while a chat view exists: edits (in an editor or on disk)
 * update the item after a short debounce, deletes mark it deleted. Started and stopped by the
 * controller's view gate, so it does nothing while no chat view is open.
 */
export class ContextFileWatcher {
  private readonly refreshTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly set: ContextSet,
    private readonly files: WorkspaceFiles,
    /** Scales a large image down as when it was added. */
    private readonly shrinkImage?: ShrinkImage,
  ) {}

  start(): vscode.Disposable {
    const store = new DisposableStore();
    store.add(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (this.tracks(event.document.uri)) this.scheduleRefresh(event.document.uri);
      }),
    );
    const watcher = store.add(vscode.workspace.createFileSystemWatcher('**/*', true, false, false));
    store.add(watcher.onDidChange((uri) => this.tracks(uri) && this.scheduleRefresh(uri)));
    store.add(watcher.onDidDelete((uri) => this.deleted(uri)));
    store.add(vscode.workspace.onDidDeleteFiles((event) => event.files.forEach((uri) => this.deleted(uri))));
    store.add(vscode.workspace.onDidCreateFiles(() => this.files.invalidate()));
    store.add({ dispose: () => this.refreshTimers.forEach((timer) => clearTimeout(timer)) });
    // Catch up with whatever changed while no view was open.
    void this.refreshFiles(this.liveFileUris());
    return store;
  }

  /**
   * Before a message is sent: open editors are read from memory and refreshes still waiting out
   * their debounce run now, so an edit made just before sending is in.
   */
  async flush(): Promise<void> {
    const due = new Set(this.refreshTimers.keys());
    for (const [key, timer] of this.refreshTimers) {
      clearTimeout(timer);
      this.refreshTimers.delete(key);
    }
    for (const uri of this.liveFileUris()) if (openDocument(vscode.Uri.parse(uri)) !== undefined) due.add(uri);
    await this.refreshFiles(due);
  }

  /** The files in context that still exist, each once. */
  private liveFileUris(): Set<string> {
    const uris = new Set<string>();
    for (const entry of this.set.list()) if (followed(entry) && entry.item.uri !== undefined && entry.state !== 'deleted') uris.add(entry.item.uri);
    return uris;
  }

  private async refreshFiles(uris: Iterable<string>): Promise<void> {
    await mapLimit([...uris], READ_CONCURRENCY, (uri) => this.refresh(vscode.Uri.parse(uri)));
  }

  private tracks(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return this.set.list().some((entry) => followed(entry) && entry.item.uri === key);
  }

  private deleted(uri: vscode.Uri): void {
    this.files.invalidate();
    const key = uri.toString();
    for (const entry of this.set.list()) {
      if (entry.item.uri === key || entry.item.uri?.startsWith(`${key}/`)) this.set.markDeleted(entry.item.id);
    }
  }

  private scheduleRefresh(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.refreshTimers.get(key));
    this.refreshTimers.set(key, setTimeout(() => {
      this.refreshTimers.delete(key);
      void this.refresh(uri);
    }, REFRESH_DEBOUNCE_MS));
  }

  /** Re-reads one file in context (an open editor from memory, else from disk). */
  private async refresh(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const entries = this.set.list().filter((entry) => followed(entry) && entry.item.uri === key);
    const media = entries.find((entry) => entry.item.media !== undefined);
    if (media !== undefined) return this.refreshMedia(uri, media);
    const ids = entries.map((entry) => entry.item.id);
    if (ids.length === 0) return;
    let text: string;
    const document = openDocument(uri);
    if (document !== undefined) {
      text = document.getText();
    } else {
      let bytes: Uint8Array;
      try {
        // Size first: a file that grew past the limit is never read whole (it keeps its last content).
        if ((await vscode.workspace.fs.stat(uri)).size > MAX_READ_BYTES) return;
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch (error) {
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') ids.forEach((id) => this.set.markDeleted(id));
        return;
      }
      if (looksBinary(bytes)) return;
      text = new TextDecoder().decode(bytes);
    }
    for (const id of ids) this.set.updateContent(id, text);
  }

  /**
   * Re-reads an image or PDF in context: new bytes make it `updated` (the next message carries the
   * new version). Bytes the API would refuse (now too big, no longer readable) leave it as it was,
   * as a text file that grew past the limit keeps its last content; Send still checks the limits.
   */
  private async refreshMedia(uri: vscode.Uri, entry: ContextEntry): Promise<void> {
    let bytes: Uint8Array;
    try {
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_MEDIA_READ_BYTES) return;
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') this.set.markDeleted(entry.item.id);
      return;
    }
    const unlimited = { maxFileTokens: Number.MAX_SAFE_INTEGER, maxTotalTokens: Number.MAX_SAFE_INTEGER, maxFiles: 1 };
    const result = await readContextFile({ path: entry.item.path, uri: uri.toString(), currentTotal: 0, limits: unlimited, maxReadBytes: MAX_MEDIA_READ_BYTES, ...(this.shrinkImage !== undefined ? { shrinkImage: this.shrinkImage } : {}) }, async () => bytes);
    if (result.ok && result.item.id === entry.item.id) this.set.add(result.item);
  }
}
