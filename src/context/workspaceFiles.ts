import * as vscode from 'vscode';
import type { EntryKind, PickFs } from '../core/context';
import { ExclusionRules, enabledGlobs, isNeverSentBinary } from '../core/context';
import type { Settings } from '../platform/settings';
import { errorMessage } from '../core/util/errors';

/** Most files the `@` picker indexes; a bigger workspace is searched over its first ones. */
const INDEX_LIMIT = 20_000;
const INDEX_TTL_MS = 15_000;

/** The workspace's files the `@` picker offers, and the rules they passed. */
export interface FileIndex {
  readonly at: number;
  readonly byPath: Map<string, vscode.Uri>;
  readonly rules: ExclusionRules;
}

/**
 * The workspace as context sees it: its exclusion rules (settings, files.exclude, every
 * .gitignore) and an index of the files that pass them, kept for a few seconds and dropped when
 * settings change or files are created or deleted.
 */
export class WorkspaceFiles {
  private cached: FileIndex | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The workspace's rules as they are now: settings, files.exclude and every .gitignore. */
  async rules(): Promise<ExclusionRules> {
    const config = this.settings.current.context;
    const filesExclude = enabledGlobs(vscode.workspace.getConfiguration('files').get('exclude'));
    const gitignores: { dir: string; content: string }[] = [];
    if (config.respectGitignore) {
      const files = await vscode.workspace.findFiles('**/.gitignore', '**/node_modules/**', 200);
      for (const file of files) {
        try {
          const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
          const path = relativePath(file);
          gitignores.push({ dir: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '', content });
        } catch (error) {
          this.log.warn(`Could not read ${file.toString()}: ${errorMessage(error)}`);
        }
      }
    }
    return new ExclusionRules({ userPatterns: config.exclude, filesExclude, gitignores, respectGitignore: config.respectGitignore });
  }

  /** Workspace files the `@` picker offers: what findFiles sees (files.exclude applies), minus the rules. */
  async index(): Promise<FileIndex> {
    if (this.cached !== undefined && Date.now() - this.cached.at < INDEX_TTL_MS) return this.cached;
    const rules = await this.rules();
    const byPath = new Map<string, vscode.Uri>();
    for (const uri of await vscode.workspace.findFiles('**/*', undefined, INDEX_LIMIT)) {
      const path = relativePath(uri);
      if (rules.check(path) === undefined && !isNeverSentBinary(path)) byPath.set(path, uri);
    }
    this.cached = { at: Date.now(), byPath, rules };
    return this.cached;
  }

  /** The rules of the last index, if there is one (no I/O). */
  cachedRules(): ExclusionRules | undefined {
    return this.cached?.rules;
  }

  /** Forget the index: the next use builds it again. */
  invalidate(): void {
    this.cached = undefined;
  }
}

function kindOf(type: vscode.FileType): EntryKind {
  if ((type & vscode.FileType.Directory) !== 0) return 'directory';
  return (type & vscode.FileType.File) !== 0 ? 'file' : 'other';
}

/** The workspace file system as a pick walks it. */
export const uriFs: PickFs<vscode.Uri> = {
  stat: async (uri) => kindOf((await vscode.workspace.fs.stat(uri)).type),
  // The link flag matters: the walk resolves a link's real path (a loop, a way out, a link to .env).
  readDirectory: async (uri) => (await vscode.workspace.fs.readDirectory(uri)).map(([name, type]) => [name, kindOf(type), (type & vscode.FileType.SymbolicLink) !== 0] as const),
  child: (uri, name) => vscode.Uri.joinPath(uri, name),
  path: (uri) => relativePath(uri),
};

export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
}


/** The open document of `uri`, if an editor has it (its text may be newer than the disk's). */
export function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  const key = uri.toString();
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
}
