import * as vscode from 'vscode';
import { LANGUAGE_GLOB, mainLanguages } from '../core/context/languages';

/** The most files looked at to find the workspace's languages: enough to rank, cheap to list. */
const MAX_FILES = 2000;
/** Instructions longer than this are cut, so one file cannot crowd out the conversation. */
export const MAX_INSTRUCTIONS_CHARS = 20_000;
export const INSTRUCTIONS_PATH = '.claude-studio/instructions.md';

/** The workspace's main languages, by counting file names (no file is read). */
export async function workspaceLanguages(): Promise<string[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const files = await vscode.workspace.findFiles(LANGUAGE_GLOB, '**/{node_modules,dist,out,build,target,vendor,.git}/**', MAX_FILES);
  return mainLanguages(files.map((uri) => uri.path));
}

/**
 * `.claude-studio/instructions.md` of the first workspace folder, when the workspace is trusted:
 * in Restricted Mode a cloned repository must not get to steer Claude.
 */
export async function workspaceInstructions(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined || !vscode.workspace.isTrusted) return undefined;
  try {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, INSTRUCTIONS_PATH));
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).trim();
    if (text === '') return undefined;
    return text.length > MAX_INSTRUCTIONS_CHARS ? `${text.slice(0, MAX_INSTRUCTIONS_CHARS)}\n[…cut at ${MAX_INSTRUCTIONS_CHARS} characters]` : text;
  } catch {
    return undefined;
  }
}
