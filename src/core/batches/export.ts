/**
 * Export of a job's results: a folder with one Markdown file per request and results.jsonl, both
 * written line by line from the stored results (never all in memory). The folder is the user's
 * choice and may already hold files, links or a name Windows reserves: every name is safe on
 * every OS, nothing is replaced without the caller's say-so, and no symbolic link is followed.
 */
import * as l10n from '@vscode/l10n';
import type { BatchManager } from './batchManager';
import { resultBody } from './ingest';
import type { BatchJob } from './model';
import type { LineWriter } from './ports';

/** What is at a path, seen without following a symbolic link. */
export type PathKind = 'missing' | 'file' | 'directory' | 'symlink' | 'other';

/** The file access an export needs, injected so the core runs under plain Node. */
export interface ExportFs {
  /** lstat: a symbolic link is reported as one, never as what it points to. */
  kind(path: string): Promise<PathKind>;
  mkdir(path: string): Promise<void>;
  /** Removes a regular file (never a folder or what a link points to). */
  removeFile(path: string): Promise<void>;
  /**
   * Creates a file that must not exist yet (O_EXCL, so a link planted meanwhile is not followed).
   * It appears under its name whole, at close(); abort() leaves nothing.
   */
  createNew(path: string): Promise<LineWriter>;
  /** Removes the temps an export that crashed left in `folder` (a live export's are kept). */
  cleanTemps?(folder: string): Promise<void>;
}

/** An export refused before anything was written, with the reason in the user's words. */
export class ExportError extends Error {}

export const exportMessages = {
  notAFolder: (path: string): string => l10n.t('{0} exists and is not a folder; the results were not exported.', path),
  symlink: (path: string): string => l10n.t('{0} is a symbolic link; the export does not follow links, so nothing was written.', path),
  notAFile: (path: string): string => l10n.t('{0} exists and is not a file; the results were not exported.', path),
  exists: (path: string): string => l10n.t('{0} already exists; the export does not replace files unless you agree.', path),
} as const;

/** Names Windows reserves for devices, whatever the extension (`CON.md` opens the console). */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;

/**
 * A file name from a label, safe on every OS: path separators and unsafe characters become '_',
 * no leading dot, no trailing dot or space (Windows drops them), no device name.
 */
export function exportName(label: string): string {
  const name = label.replace(/[\\/]/g, '__').replace(/[^a-zA-Z0-9._ -]+/g, '_').replace(/^\.+/, '_').slice(0, 120).replace(/[. ]+$/, '_') || 'result';
  return DEVICE_NAME.test(name) ? `_${name}` : name;
}

export const RESULTS_FILE = 'results.jsonl';

/** The files an export of `job` writes into its folder: results.jsonl, then one .md per request (unique, ignoring case). */
export function exportFiles(job: BatchJob): { readonly jsonl: string; readonly markdown: readonly string[] } {
  const used = new Set<string>([RESULTS_FILE]);
  const markdown = job.requests.map((request) => {
    let name = exportName(request.label);
    while (used.has(`${name}.md`.toLowerCase())) name = `${name}_`;
    used.add(`${name}.md`.toLowerCase());
    return `${name}.md`;
  });
  return { jsonl: RESULTS_FILE, markdown };
}

/**
 * What an export into `folder` would replace: the paths of files already there. Throws
 * {@link ExportError} when the folder or one of the paths is a link or not a regular file,
 * which no answer of the user's makes safe.
 */
export async function exportConflicts(job: BatchJob, folder: string, fs: ExportFs): Promise<string[]> {
  const folderKind = await fs.kind(folder);
  if (folderKind === 'missing') return [];
  if (folderKind === 'symlink') throw new ExportError(exportMessages.symlink(folder));
  if (folderKind !== 'directory') throw new ExportError(exportMessages.notAFolder(folder));
  const { jsonl, markdown } = exportFiles(job);
  const conflicts: string[] = [];
  for (const name of [jsonl, ...markdown]) {
    const path = `${folder}/${name}`;
    const kind = await fs.kind(path);
    if (kind === 'missing') continue;
    if (kind === 'symlink') throw new ExportError(exportMessages.symlink(path));
    if (kind !== 'file') throw new ExportError(exportMessages.notAFile(path));
    conflicts.push(path);
  }
  return conflicts;
}

/** Opens `path` for a fresh export file: replaces a regular file only when `replace` allows. */
async function openTarget(path: string, fs: ExportFs, replace: boolean): Promise<LineWriter> {
  const kind = await fs.kind(path);
  if (kind === 'symlink') throw new ExportError(exportMessages.symlink(path));
  if (kind === 'file') {
    if (!replace) throw new ExportError(exportMessages.exists(path));
    await fs.removeFile(path);
  } else if (kind !== 'missing') throw new ExportError(exportMessages.notAFile(path));
  return fs.createNew(path);
}

/**
 * Writes the export; returns how many results it holds. Call {@link exportConflicts} first and
 * ask the user: `replace` says they agreed to replace the files it listed.
 */
export async function exportJob(manager: BatchManager, job: BatchJob, folder: string, fs: ExportFs, options: { replace?: boolean } = {}): Promise<number> {
  const replace = options.replace ?? false;
  await exportConflicts(job, folder, fs);
  await fs.mkdir(folder);
  // An export that crashed into this folder earlier left its temps: they go now.
  await fs.cleanTemps?.(folder).catch(() => undefined);
  const { jsonl: jsonlName, markdown } = exportFiles(job);
  const jsonl = await openTarget(`${folder}/${jsonlName}`, fs, replace);
  let count = 0;
  let whole = false;
  try {
    for (const [index, request] of job.requests.entries()) {
      const item = await manager.readResult(job, request).catch(() => undefined);
      if (item === undefined) continue;
      await jsonl.write(`${JSON.stringify(item)}\n`);
      const file = await openTarget(`${folder}/${markdown[index] ?? 'result.md'}`, fs, replace);
      let written = false;
      try {
        await file.write(`# ${request.label}\n\n${resultBody(item)}\n`);
        written = true;
      } finally {
        await finish(file, written);
      }
      count++;
    }
    whole = true;
  } finally {
    await finish(jsonl, whole);
  }
  return count;
}

/** Keeps a file that was written whole; drops one whose writing failed (where the writer can). */
async function finish(writer: LineWriter, whole: boolean): Promise<void> {
  if (whole || writer.abort === undefined) await writer.close();
  else await writer.abort();
}
