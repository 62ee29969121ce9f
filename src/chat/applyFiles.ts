import * as vscode from 'vscode';
import type { FileBlock } from '../core/chat/fileBlocks';
import { matchingRegion } from '../core/chat/fileBlocks';
import { locateReal } from '../core/egress';
import { realPathOf, realRootsOf } from '../egress/workspaceGate';

/** Every user-visible string of "Apply to Files", through vscode.l10n (read when shown). */
const strings = {
  get noFolder(): string { return vscode.l10n.t('Open a folder first: Claude Studio applies code blocks to files in the workspace.'); },
  pickTarget: (path: string): string => vscode.l10n.t('Which file is "{0}"?', path),
  pickFolder: (path: string): string => vscode.l10n.t('Create "{0}" in which workspace folder?', path),
  outside: (path: string): string => vscode.l10n.t('Claude Studio did not apply the change to "{0}": it leads outside the workspace (a symbolic link). Nothing was changed.', path),
  overlapping: (path: string, count: number): string =>
    vscode.l10n.t("The answer has {0} code blocks for \"{1}\" that do not each match a separate part of it. Nothing was changed; apply them one at a time with each block's Apply.", count, path),
  // VS Code adds the file count: "Claude's change (3 files)".
  get reviewTitle(): string { return vscode.l10n.t("Claude's change"); },
  question: (count: number): string =>
    count === 1 ? vscode.l10n.t("Apply Claude's change to 1 file? One Undo reverts it everywhere.") : vscode.l10n.t("Apply Claude's change to {0} files? One Undo reverts it everywhere.", count),
  get apply(): string { return vscode.l10n.t('Apply'); },
  get discard(): string { return vscode.l10n.t('Discard'); },
  changedMeanwhile: (names: string): string => vscode.l10n.t("{0} changed while the change was open for review. Apply Claude's change to the same places anyway?", names),
  get applyAnyway(): string { return vscode.l10n.t('Apply Anyway'); },
  get failed(): string { return vscode.l10n.t('VS Code could not apply the change; nothing was changed.'); },
  applied: (count: number): string =>
    count === 1
      ? vscode.l10n.t("Applied Claude's change to 1 file. Undo (Ctrl+Z / Cmd+Z) reverts it in all of them.")
      : vscode.l10n.t("Applied Claude's change to {0} files. Undo (Ctrl+Z / Cmd+Z) reverts it in all of them.", count),
};

/** Where a block goes: an existing file, or a new one. */
interface Target {
  readonly uri: vscode.Uri;
  readonly exists: boolean;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file a block's path means: the one existing file it names in one of the workspace folders;
 * a bare name found once anywhere in the workspace; otherwise a new file. Where it could be more
 * than one, the user picks. Undefined when the user cancelled.
 */
async function resolveTarget(path: string, folders: readonly vscode.WorkspaceFolder[]): Promise<Target | undefined> {
  const found: vscode.Uri[] = [];
  for (const folder of folders) {
    const uri = vscode.Uri.joinPath(folder.uri, path);
    if (await exists(uri)) found.push(uri);
  }
  if (found.length === 0 && !path.includes('/')) {
    for (const folder of folders) found.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(folder, `**/${path}`), undefined, 20)));
  }
  if (found.length === 1 && found[0]) return { uri: found[0], exists: true };
  if (found.length > 1) {
    const picked = await vscode.window.showQuickPick(
      found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, true), uri })),
      { title: strings.pickTarget(path), ignoreFocusOut: true },
    );
    return picked === undefined ? undefined : { uri: picked.uri, exists: true };
  }
  if (folders.length === 1 && folders[0]) return { uri: vscode.Uri.joinPath(folders[0].uri, path), exists: false };
  const folder = await vscode.window.showWorkspaceFolderPick({ placeHolder: strings.pickFolder(path), ignoreFocusOut: true });
  return folder === undefined ? undefined : { uri: vscode.Uri.joinPath(folder.uri, path), exists: false };
}

/** Whether `uri` (or, for a new file, its nearest existing folder) really lies inside the workspace. */
async function staysInside(uri: vscode.Uri, roots: readonly string[]): Promise<boolean> {
  if (uri.scheme !== 'file') return true;
  let probe = uri;
  for (let depth = 0; depth < 64; depth++) {
    const real = await realPathOf(probe);
    if (real !== undefined) return locateReal(real, roots).inside;
    const parent = vscode.Uri.joinPath(probe, '..');
    if (parent.path === probe.path) return false;
    probe = parent;
  }
  return false;
}

/** Where Claude Studio serves proposed contents for a diff (CodeApplier's content provider). */
export interface ProposalDocuments {
  /** A read-only URI whose content is `text`, shown with `path`'s name. */
  propose(path: string, text: string): vscode.Uri;
  forget(uri: vscode.Uri): void;
}

/** One file's part of the change. */
interface FileChange {
  readonly uri: vscode.Uri;
  /** Undefined for a file the change creates. */
  readonly document?: vscode.TextDocument;
  readonly version?: number;
  readonly edits: readonly { readonly range: vscode.Range; readonly text: string }[];
  readonly proposed: string;
}

/** The edits for one existing file, or a reason to change nothing. */
function editsFor(document: vscode.TextDocument, blocks: readonly FileBlock[]): { range: vscode.Range; text: string }[] | string {
  const text = document.getText();
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(text.length));
  const regions = blocks.map((block) => matchingRegion(text, block.code));
  if (blocks.length === 1 && regions[0] === undefined) return [{ range: whole, text: blocks[0]?.code ?? '' }];
  const sorted = regions.map((region, index) => ({ region, block: blocks[index] })).sort((a, b) => (a.region?.start ?? -1) - (b.region?.start ?? -1));
  const edits: { range: vscode.Range; text: string }[] = [];
  let lastEnd = -1;
  for (const { region, block } of sorted) {
    if (region === undefined || block === undefined || region.start <= lastEnd) return strings.overlapping(vscode.workspace.asRelativePath(document.uri, false), blocks.length);
    lastEnd = region.end;
    const end = document.lineAt(region.end).range.end;
    edits.push({ range: new vscode.Range(region.start, 0, end.line, end.character), text: block.code.replace(/\r?\n$/, '') });
  }
  return edits;
}

/** `document`'s text with `edits` (sorted, not overlapping) made. */
function applied(document: vscode.TextDocument, edits: readonly { range: vscode.Range; text: string }[]): string {
  const text = document.getText();
  let out = '';
  let at = 0;
  for (const change of edits) {
    const start = document.offsetAt(change.range.start);
    out += text.slice(at, start) + change.text;
    at = document.offsetAt(change.range.end);
  }
  return out + text.slice(at);
}

/** Closes the review tab once the user has answered. */
async function closeReview(title: string): Promise<void> {
  // The multi-file diff's tab adds the count to the title: "Claude's change (3 files)".
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.label === title || tab.label.startsWith(`${title} (`));
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

/**
 * Applies the code blocks of an answer that name files as one change: the user reviews every file
 * in VS Code's multi-file diff first and nothing changes until they choose Apply; it is one
 * WorkspaceEdit, so one Undo reverts it in every file. A block replaces the part of its file it
 * matches (same first and last line), the whole file when it matches no part, or creates the
 * file. Paths come from the model: they are checked (core) and resolved only inside the workspace
 * folders, never through a link that leads out.
 */
export async function applyFileBlocks(blocks: readonly FileBlock[], proposals: ProposalDocuments): Promise<boolean> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(strings.noFolder);
    return false;
  }
  const byPath = new Map<string, FileBlock[]>();
  for (const block of blocks) byPath.set(block.path, [...(byPath.get(block.path) ?? []), block]);
  const roots = await realRootsOf(folders);
  const changes: FileChange[] = [];
  for (const [path, group] of byPath) {
    const target = await resolveTarget(path, folders);
    if (target === undefined) return false;
    if (!(await staysInside(target.uri, roots))) {
      void vscode.window.showWarningMessage(strings.outside(path));
      return false;
    }
    if (!target.exists) {
      changes.push({ uri: target.uri, edits: [], proposed: group.map((block) => block.code).join('\n') });
      continue;
    }
    const document = await vscode.workspace.openTextDocument(target.uri);
    const edits = editsFor(document, group);
    if (typeof edits === 'string') {
      void vscode.window.showWarningMessage(edits);
      return false;
    }
    changes.push({ uri: target.uri, document, version: document.version, edits, proposed: applied(document, edits) });
  }

  const title = strings.reviewTitle;
  const shown = changes.map((change) => ({ change, proposal: proposals.propose(change.uri.path, change.proposed) }));
  try {
    await vscode.commands.executeCommand('vscode.changes', title, shown.map(({ change, proposal }) => [change.uri, change.document ? change.uri : undefined, proposal]));
    const answer = await vscode.window.showInformationMessage(strings.question(changes.length), strings.apply, strings.discard);
    if (answer !== strings.apply) return false;
    const moved = changes.filter((change) => change.document !== undefined && change.document.version !== change.version);
    if (moved.length > 0) {
      const again = await vscode.window.showWarningMessage(strings.changedMeanwhile(moved.map((change) => vscode.workspace.asRelativePath(change.uri, false)).join(', ')), { modal: true }, strings.applyAnyway);
      if (again !== strings.applyAnyway) return false;
    }
    const edit = new vscode.WorkspaceEdit();
    for (const change of changes) {
      if (change.document === undefined) edit.createFile(change.uri, { contents: new TextEncoder().encode(change.proposed) });
      else for (const part of change.edits) edit.replace(change.uri, part.range, part.text);
    }
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) void vscode.window.showInformationMessage(strings.applied(changes.length));
    else void vscode.window.showErrorMessage(strings.failed);
    return ok;
  } finally {
    for (const { proposal } of shown) proposals.forget(proposal);
    await closeReview(title);
  }
}
