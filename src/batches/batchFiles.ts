import * as vscode from 'vscode';
import type { BatchFile } from '../core/batches/requests';
import type { JobRequest } from '../core/batches/model';
import { skipReason } from '../core/batches/fileFilter';
import { describeExclusion, type ExclusionRules } from '../core/context/exclusions';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_FILES = 100_000;

export interface CollectedFiles {
  readonly files: BatchFile[];
  readonly skipped: { label: string; reason: string }[];
}

/**
 * Expands folders, reads files, and drops what the filter rejects (binary, secrets, huge) and,
 * given the workspace's context rules, what they exclude (.gitignore, files.exclude, the
 * claudeStudio.context.exclude setting): a batch sends no file the chat would refuse.
 */
export async function collectFiles(uris: readonly vscode.Uri[], token?: vscode.CancellationToken, rules?: ExclusionRules): Promise<CollectedFiles> {
  const seen = new Set<string>();
  const candidates: vscode.Uri[] = [];
  for (const uri of uris) {
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      continue;
    }
    if (stat.type & vscode.FileType.Directory) {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), '**/{node_modules,.git}/**', MAX_FILES, token);
      candidates.push(...found.sort((a, b) => a.path.localeCompare(b.path)));
    } else {
      candidates.push(uri);
    }
  }
  const files: BatchFile[] = [];
  const skipped: { label: string; reason: string }[] = [];
  for (const uri of candidates) {
    if (token?.isCancellationRequested) break;
    const key = uri.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    const label = vscode.workspace.asRelativePath(uri, false);
    const excluded = rules?.check(label);
    const early = excluded !== undefined ? describeExclusion(excluded) : skipReason(label);
    if (early !== undefined) {
      skipped.push({ label, reason: early });
      continue;
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        skipped.push({ label, reason: 'too large' });
        continue;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      const reason = skipReason(label, bytes, MAX_FILE_BYTES, bytes.length);
      if (reason !== undefined) {
        skipped.push({ label, reason });
        continue;
      }
      files.push({ uri: key, label, text: new TextDecoder('utf-8').decode(bytes) });
    } catch (error) {
      skipped.push({ label, reason: error instanceof Error ? error.message : 'unreadable' });
    }
  }
  return { files, skipped };
}

/** Rereads the files of requests (for retry and resend), or undefined when one is gone. */
export async function readRequestFiles(requests: readonly JobRequest[]): Promise<BatchFile[] | undefined> {
  const files: BatchFile[] = [];
  for (const request of requests) {
    if (!request.file) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse(request.file));
      files.push({ uri: request.file, label: request.label, text: new TextDecoder('utf-8').decode(bytes) });
    } catch {
      return undefined;
    }
  }
  return files;
}
