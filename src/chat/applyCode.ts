import * as vscode from 'vscode';
import type { FileBlock } from '../core/chat/fileBlocks';
import { matchingRegion } from '../core/chat/fileBlocks';
import { DisposableStore } from '../platform/disposable';
import type { ProposalDocuments } from './applyFiles';
import { applyFileBlocks } from './applyFiles';

const SCHEME = 'claude-studio-proposal';

/** Every user-visible string of "Apply", through vscode.l10n (read when shown). */
const strings = {
  get noEditor(): string { return vscode.l10n.t('Open the file to change (and select the part to replace), then click Apply again.'); },
  diffTitle: (name: string, part: string): string => vscode.l10n.t("{0} ↔ Claude's change ({1})", name, part),
  get selectionPart(): string { return vscode.l10n.t('selection'); },
  get filePart(): string { return vscode.l10n.t('whole file'); },
  linesPart: (start: number, end: number): string => vscode.l10n.t('lines {0}–{1}', start, end),
  question: (name: string): string => vscode.l10n.t("Apply Claude's change to {0}?", name),
  get apply(): string { return vscode.l10n.t('Apply'); },
  get discard(): string { return vscode.l10n.t('Discard'); },
  changedMeanwhile: (name: string): string => vscode.l10n.t("{0} changed while the diff was open. Apply Claude's change to the same place anyway?", name),
  get applyAnyway(): string { return vscode.l10n.t('Apply Anyway'); },
  failed: (name: string): string => vscode.l10n.t('Claude Studio could not change {0}.', name),
};

/**
 * "Apply" on a code block: the code replaces the active editor's selection; with nothing selected,
 * the lines it matches (same first and last line), else the whole file. The user sees the result
 * as a diff first and nothing changes until they accept; the change is one undoable edit.
 * "Apply to Files" does the same for every block of an answer that names its file, as one change.
 */
export class CodeApplier implements vscode.Disposable, vscode.TextDocumentContentProvider, ProposalDocuments {
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

  propose(path: string, text: string): vscode.Uri {
    const key = String(++this.counter);
    this.proposals.set(key, text);
    return vscode.Uri.from({ scheme: SCHEME, path, query: key });
  }

  forget(uri: vscode.Uri): void {
    this.proposals.delete(uri.query);
  }

  /** Applies the blocks that name files, reviewed together first (see applyFileBlocks). */
  applyFiles(blocks: readonly FileBlock[]): Promise<boolean> {
    return applyFileBlocks(blocks, this);
  }

  async apply(code: string): Promise<boolean> {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (editor === undefined) {
      void vscode.window.showInformationMessage(strings.noEditor);
      return false;
    }
    const document = editor.document;
    const region = editor.selection.isEmpty ? matchingRegion(document.getText(), code) : undefined;
    const range = !editor.selection.isEmpty
      ? new vscode.Range(editor.selection.start, editor.selection.end)
      : region !== undefined
        ? new vscode.Range(region.start, 0, region.end, document.lineAt(region.end).range.end.character)
        : fullRange(document);
    const part = !editor.selection.isEmpty ? strings.selectionPart : region !== undefined ? strings.linesPart(region.start + 1, region.end + 1) : strings.filePart;
    if (region !== undefined) code = code.replace(/\r?\n$/, '');
    const version = document.version;
    const proposed = document.getText(new vscode.Range(document.positionAt(0), range.start)) + code + document.getText(new vscode.Range(range.end, fullRange(document).end));
    const key = String(++this.counter);
    this.proposals.set(key, proposed);
    const name = vscode.workspace.asRelativePath(document.uri, false);
    const proposalUri = vscode.Uri.from({ scheme: SCHEME, path: document.uri.path, query: key });
    try {
      await vscode.commands.executeCommand('vscode.diff', document.uri, proposalUri, strings.diffTitle(name, part), { preview: true });
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
