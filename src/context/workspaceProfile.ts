import * as vscode from 'vscode';
import { LANGUAGE_GLOB, mainLanguages } from '../core/context/languages';
import { describeExclusion } from '../core/context/exclusions';
import type { WorkspaceGate } from '../egress/workspaceGate';
import { confirmEgress } from '../egress/confirm';
import { egressStrings as str } from '../egress/strings';

/** The most files looked at to find the workspace's languages: enough to rank, cheap to list. */
const MAX_FILES = 2000;
/** Instructions longer than this are cut, so one file cannot crowd out the conversation. */
export const MAX_INSTRUCTIONS_CHARS = 20_000;
export const INSTRUCTIONS_PATH = '.claude-studio/instructions.md';
/** Bigger than this is refused from its size, before a read: the text is cut far below it anyway. */
const MAX_INSTRUCTIONS_BYTES = 256 * 1024;
const IGNORE_REASONS: ReadonlySet<string> = new Set(['gitignore', 'filesExclude', 'setting']);

/** The workspace's main languages, by counting file names (no file is read). */
export async function workspaceLanguages(): Promise<string[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const files = await vscode.workspace.findFiles(LANGUAGE_GLOB, '**/{node_modules,dist,out,build,target,vendor,.git}/**', MAX_FILES);
  return mainLanguages(files.map((uri) => uri.path));
}

/**
 * `.claude-studio/instructions.md` of the first workspace folder, when the workspace is trusted:
 * in Restricted Mode a cloned repository must not get to steer Claude. It passes the egress gate
 * like any file: size from a stat first, the rules on its real path (a link to `.env` or out of
 * the workspace is held back), then the secret scan. Held back, the user is asked whether to use it
 * anyway (this once), or with the flagged lines removed; one that is too large is left out with a warning.
 */
export async function workspaceInstructions(egress: WorkspaceGate): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined || !vscode.workspace.isTrusted) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, INSTRUCTIONS_PATH);
  try {
    const gate = await egress.gate();
    // The workspace's own ignore rules do not apply: a git-ignored personal instructions file is still meant to be read.
    const byPath = gate.checkPath(await egress.subject(uri, INSTRUCTIONS_PATH));
    const tooLarge = gate.checkSize((await vscode.workspace.fs.stat(uri)).size, MAX_INSTRUCTIONS_BYTES);
    if (tooLarge !== undefined) return skipped(describeExclusion(tooLarge));
    const byRule = byPath !== undefined && !IGNORE_REASONS.has(byPath.reason) ? byPath : undefined;
    // Held back by a rule: the user may use it anyway, this once; nothing is read before they say so.
    if (byRule !== undefined && (await confirmEgress(str.instructionsWhat, str.instructionsWhere, byRule, undefined, undefined, str.instructionsPathDetail)) === undefined) return undefined;
    const bytes = await vscode.workspace.fs.readFile(uri);
    let text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
    if (text === '') return undefined;
    const content = await gate.checkContent(text, INSTRUCTIONS_PATH);
    if (!content.clean) {
      const choice = await confirmEgress(str.instructionsWhat, str.instructionsWhere, content.exclusion, text, content.hits, str.instructionsDetail);
      if (choice === undefined) return undefined;
      if (choice.send === 'redacted') text = choice.text;
    }
    return text.length > MAX_INSTRUCTIONS_CHARS ? `${text.slice(0, MAX_INSTRUCTIONS_CHARS)}\n[…cut at ${MAX_INSTRUCTIONS_CHARS} characters]` : text;
  } catch {
    return undefined;
  }
}

function skipped(reason: string): undefined {
  void vscode.window.showWarningMessage(str.instructionsSkipped(reason));
  return undefined;
}
