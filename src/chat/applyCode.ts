import * as vscode from 'vscode';
import { DisposableStore } from '../platform/disposable';

const SCHEME = 'claude-studio-proposal';

const strings = {
  noEditor: 'Open the file to change (and select the part to replace), then click Apply again.',
  diffTitle: (name: string, part: string): string => `${name} ↔ Claude's change (${part})`,
  selectionPart: 'selection',
  filePart: 'whole file',
  question: (name: string): string => `Apply Claude's change to ${name}?`,
  apply: 'Apply',
  discard: 'Discard',
  changedMeanwhile: (name: string): string => `${name} changed while the diff was open. Apply Claude's change to the same place anyway?`,
  applyAnyway: 'Apply Anyway',
  failed: (name: string): string => `Claude Studio could not change ${name}.`,
} as const;

/**
 * "Apply" on a code block: the code replaces the active editor's selection, or the whole file
 * when nothing is selected. The user sees the result as a diff first and nothing changes until
 * they accept; the change is one undoable edit.
 */
export class CodeApplier implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly disposables = new DisposableStore();
  private readonly proposals = new Map<string, string>();
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;
  private counter = 0;

  constructor() {
    this.disposables.add(vscode.workspace.registerTextDocumentContentProvider(SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.query) ?? '';
  }

  async apply(code: string): Promise<boolean> {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (editor === undefined) {
      void vscode.window.showInformationMessage(strings.noEditor);
      return false;
    }
    const document = editor.document;
    const range = editor.selection.isEmpty ? fullRange(document) : new vscode.Range(editor.selection.start, editor.selection.end);
    const version = document.version;
    const proposed = document.getText(new vscode.Range(document.positionAt(0), range.start)) + code + document.getText(new vscode.Range(range.end, fullRange(document).end));
    const key = String(++this.counter);
    this.proposals.set(key, proposed);
    const name = vscode.workspace.asRelativePath(document.uri, false);
    const proposalUri = vscode.Uri.from({ scheme: SCHEME, path: document.uri.path, query: key });
    try {
      await vscode.commands.executeCommand('vscode.diff', document.uri, proposalUri, strings.diffTitle(name, editor.selection.isEmpty ? strings.filePart : strings.selectionPart), { preview: true });
      const answer = await vscode.window.showInformationMessage(strings.question(name), strings.apply, strings.discard);
      if (answer !== strings.apply) return false;
      if (document.version !== version) {
        const again = await vscode.window.showWarningMessage(strings.changedMeanwhile(name), { modal: true }, strings.applyAnyway);
        if (again !== strings.applyAnyway) return false;
      }
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, range, code);
      const applied = await vscode.workspace.applyEdit(edit);
      if (!applied) void vscode.window.showErrorMessage(strings.failed(name));
      return applied;
    } finally {
      this.proposals.delete(key);
      await closeTabsOf(proposalUri);
    }
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function fullRange(document: vscode.TextDocument): vscode.Range {
  return new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
}

/** Closes the diff tab that shows a proposal once it has been answered. */
async function closeTabsOf(uri: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => {
    const input = tab.input;
    return input instanceof vscode.TabInputTextDiff && input.modified.toString() === uri.toString();
  });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
