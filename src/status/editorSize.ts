import * as path from 'node:path';
import * as vscode from 'vscode';
import { estimateTokens } from '../core/tokens/estimate';
import { DisposableStore } from '../platform/disposable';
import { tokenStrings } from './strings';

/** What "Add to Chat" would add from the active editor: its selection, else the whole file. */
export interface EditorSize {
  readonly kind: 'sel' | 'file';
  readonly tokens: number;
  /** "lines 3–20 of app.ts" / "app.ts", for the tooltip. */
  readonly what: string;
}

/** Panels that show up as text editors but are not the user's code. */
const IGNORED_SCHEMES = new Set(['output', 'debug', 'vscode-scm', 'comment']);

/**
 * Follows the active editor and estimates its selection or file locally. Never calls the API:
 * it runs on every cursor move, and nothing has been asked of Claude yet.
 */
export class EditorSizeTracker implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;
  /** Whole-file estimates by document version: the cursor moves far more often than the text. */
  private fileCache: { uri: string; version: number; tokens: number } | undefined;

  constructor() {
    const fire = (): void => this._onDidChange.fire();
    this.disposables.add(vscode.window.onDidChangeActiveTextEditor(fire));
    this.disposables.add(vscode.window.onDidChangeTextEditorSelection(fire));
    this.disposables.add(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) fire();
      }),
    );
  }

  /** The active editor's figure, or undefined when no code editor is active. */
  current(): EditorSize | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor === undefined || IGNORED_SCHEMES.has(editor.document.uri.scheme)) return undefined;
    const { document, selection } = editor;
    const file = path.basename(document.uri.path) || document.uri.path;
    if (!selection.isEmpty) {
      const last = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
      return {
        kind: 'sel',
        tokens: estimateTokens(document.getText(selection)),
        what: tokenStrings.editorWhatSelection(file, selection.start.line + 1, last),
      };
    }
    const uri = document.uri.toString();
    if (this.fileCache?.uri !== uri || this.fileCache.version !== document.version) {
      this.fileCache = { uri, version: document.version, tokens: estimateTokens(document.getText()) };
    }
    return { kind: 'file', tokens: this.fileCache.tokens, what: tokenStrings.editorWhatFile(file) };
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
