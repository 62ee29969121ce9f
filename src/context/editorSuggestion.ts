import * as vscode from 'vscode';
import { ExclusionRules, hasBinaryExtension, itemLabel } from '../core/context';
import type { ContextSuggestionView } from '../shared/protocol';
import { DisposableStore } from '../platform/disposable';
import type { WorkspaceFiles } from './workspaceFiles';
import { relativePath } from './workspaceFiles';

/**
 * The active editor (its file, or its selection) as a dashed suggestion chip. It follows the
 * editor only while the chat view is visible: {@link track} is what the view gate opens.
 */
export class EditorSuggestion {
  /** What the chip offers now; undefined when the active editor has nothing to offer. */
  current: ContextSuggestionView | undefined;
  /** Selection events handled (diagnostics and the benchmark: stays 0 with no chat view). */
  eventsHandled = 0;
  /** Secrets and version-control data only: enough to keep the suggestion chip from offering a `.env`. */
  private secretRules: ExclusionRules | undefined;

  constructor(
    private readonly files: WorkspaceFiles,
    /** Files left out of the context: never offered again. */
    private readonly excluded: ReadonlyMap<string, unknown>,
    /** The suggestion changed: the chips are sent again. */
    private readonly onDidChange: () => void,
  ) {}

  /** Follows the active editor and its selection until the returned disposable is disposed. */
  track(): vscode.Disposable {
    const store = new DisposableStore();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (): void => {
      this.eventsHandled++;
      clearTimeout(timer);
      timer = setTimeout(() => this.update(), 150);
    };
    store.add(vscode.window.onDidChangeTextEditorSelection(schedule));
    store.add(vscode.window.onDidChangeActiveTextEditor(schedule));
    store.add({ dispose: () => clearTimeout(timer) });
    this.update();
    return store;
  }

  update(): void {
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
    if (next?.label === this.current?.label && next?.kind === this.current?.kind) return;
    this.current = next;
    this.onDidChange();
  }
}
