import { realpath } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { PickFs } from '../core/context';
import { ExclusionRules } from '../core/context';
import type { PathSubject, RealLocation } from '../core/egress';
import { EgressGate, locateReal } from '../core/egress';

/**
 * The VS Code side of the egress gate: builds the core {@link EgressGate} from the workspace's
 * rules and resolves what only the host can (real paths behind symlinks, the real paths of the
 * workspace folders, file sizes). Every entry point that sends workspace content asks it.
 */
export class WorkspaceGate {
  /** For content checks alone (a draft, a pending block): they need no path rules, so no workspace I/O. */
  readonly content = new EgressGate(new ExclusionRules());

  constructor(private readonly rules: () => Promise<ExclusionRules>) {}

  /** Whether text scans clean (no secret found). */
  async isClean(text: string): Promise<boolean> {
    return (await this.content.checkContent(text)).clean;
  }

  /** The gate with the workspace's rules as they are now. */
  async gate(): Promise<EgressGate> {
    return new EgressGate(await this.rules());
  }

  /** Real paths of the workspace folders (a folder that is itself a link counts as where it leads). */
  realRoots(): Promise<string[]> {
    return realRootsOf(vscode.workspace.workspaceFolders ?? []);
  }

  /** The path as the rules see it, with where it really is when a link is involved. */
  async subject(uri: vscode.Uri, path = relativePath(uri)): Promise<PathSubject> {
    const real = await this.locate(uri);
    return { path, ...(real !== undefined ? { real } : {}) };
  }

  /** Where `uri` really is; undefined for a non-file URI or one that cannot be resolved. */
  async locate(uri: vscode.Uri): Promise<RealLocation | undefined> {
    const real = await realPathOf(uri);
    return real !== undefined ? locateReal(real, await this.realRoots()) : undefined;
  }
}

/** The folders' paths, and where each really is when it is a link (file folders only). */
export async function realRootsOf(folders: readonly vscode.WorkspaceFolder[]): Promise<string[]> {
  const roots: string[] = [];
  for (const folder of folders) {
    if (folder.uri.scheme !== 'file') continue;
    roots.push(folder.uri.fsPath);
    const real = await realPathOf(folder.uri);
    if (real !== undefined && real !== folder.uri.fsPath) roots.push(real);
  }
  return roots;
}

/** realpath(3) of a file URI; undefined for other schemes and for what cannot be resolved. */
export async function realPathOf(uri: vscode.Uri): Promise<string | undefined> {
  if (uri.scheme !== 'file') return undefined;
  try {
    return await realpath(uri.fsPath);
  } catch {
    return undefined;
  }
}

export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
}

/** Size from a stat (links followed), before anything is read. */
export async function sizeOf(uri: vscode.Uri): Promise<number> {
  return (await vscode.workspace.fs.stat(uri)).size;
}

/** Adds real paths to a pick's file system walk (see expandPick). */
export function withRealPaths<H extends vscode.Uri>(fs: PickFs<H>): PickFs<H> {
  return { ...fs, realPath: (handle) => realPathOf(handle) };
}
