import * as vscode from 'vscode';
import type { BatchFile } from '../core/batches/requests';
import type { ShrinkImage } from '../core/context/readFile';
import { readContextFile } from '../core/context/readFile';
import { describeMedia } from '../core/context/contextItem';
import { mediaOfPath } from '../core/media/mediaFacts';
import type { JobRequest } from '../core/batches/model';
import { pathSkipReason, skipReason, unsendableReason } from '../core/batches/fileFilter';
import { describeExclusion } from '../core/context/exclusions';
import type { EgressGate } from '../core/egress';
import { locateReal } from '../core/egress';
import type { WorkspaceGate } from '../egress/workspaceGate';
import { realPathOf } from '../egress/workspaceGate';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_FILES = 100_000;

/** A file left out of a batch, and why. */
export interface SkippedFile {
  readonly label: string;
  readonly reason: string;
  /** Set when the egress gate held it back: the user may send it anyway (see readHeldBack). */
  readonly heldBack?: vscode.Uri;
}

export interface CollectedFiles {
  readonly files: BatchFile[];
  readonly skipped: SkippedFile[];
}

/** The gate with what it needs resolved once per batch. */
interface BatchGate {
  readonly gate: EgressGate;
  readonly roots: readonly string[];
}

async function batchGate(egress: WorkspaceGate | undefined): Promise<BatchGate | undefined> {
  return egress !== undefined ? { gate: await egress.gate(), roots: await egress.realRoots() } : undefined;
}

/** Why the egress gate holds a file back (path, real path, then its content), or undefined. */
async function gateReason(gate: BatchGate | undefined, uri: vscode.Uri, label: string, text?: string): Promise<string | undefined> {
  if (gate === undefined) return undefined;
  const real = await realPathOf(uri);
  const byPath = gate.gate.checkPath({ path: label, ...(real !== undefined ? { real: locateReal(real, gate.roots) } : {}) });
  if (byPath !== undefined) return describeExclusion(byPath);
  if (text === undefined) return undefined;
  const content = await gate.gate.checkContent(text, label);
  return content.clean ? undefined : describeExclusion(content.exclusion);
}

/** Media files are held to the API's limits, not the chat's token budget: each is its own request. */
const MEDIA_LIMITS = { maxFileTokens: Number.MAX_SAFE_INTEGER, maxTotalTokens: Number.MAX_SAFE_INTEGER, maxFiles: MAX_FILES };

/**
 * An image or PDF as a batch file: read like chat context (the gate's media read limit, the
 * format from the bytes, the API's per-file limits, a large image scaled down), or the reason not.
 */
async function readMediaFile(uri: vscode.Uri, label: string, gate: BatchGate | undefined, shrinkImage: ShrinkImage | undefined): Promise<BatchFile | string> {
  const maxReadBytes = gate?.gate.maxMediaReadBytes;
  const result = await readContextFile(
    { path: label, currentTotal: 0, limits: MEDIA_LIMITS, ...(maxReadBytes !== undefined ? { maxReadBytes, size: (await vscode.workspace.fs.stat(uri)).size } : {}), ...(shrinkImage !== undefined ? { shrinkImage } : {}) },
    () => Promise.resolve(vscode.workspace.fs.readFile(uri)),
  );
  if (!result.ok) return result.refusal.message;
  const media = result.item.media;
  if (media === undefined) return 'unreadable';
  return { uri: uri.toString(), label, text: '', media: { kind: media.kind, mediaType: media.mediaType, data: media.data, description: describeMedia(media), tokens: media.tokens } };
}

/**
 * Expands folders, reads files, and drops what the filter rejects (binary, secrets, huge) and
 * what the egress gate holds back (the workspace's rules on the path and its real path, links
 * out of the workspace, secrets found in the content): a batch or Run now sends no file the
 * chat would refuse. Sizes come from a stat, before anything is read.
 */
export async function collectFiles(uris: readonly vscode.Uri[], token?: vscode.CancellationToken, egress?: WorkspaceGate, shrinkImage?: ShrinkImage): Promise<CollectedFiles> {
  const gate = await batchGate(egress);
  const seen = new Set<string>();
  const candidates: vscode.Uri[] = [];
  /** Files found by expanding a folder (not picked by name). */
  const inFolder = new Set<string>();
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
      for (const file of found) inFolder.add(file.toString());
    } else {
      candidates.push(uri);
    }
  }
  const files: BatchFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const uri of candidates) {
    if (token?.isCancellationRequested) break;
    const key = uri.toString();
    if (seen.has(key)) continue;
    seen.add(key);
    const label = vscode.workspace.asRelativePath(uri, false);
    // The gate first: what it holds back (a secret's path, a link out) the user may still send.
    const byPath = await gateReason(gate, uri, label);
    if (byPath !== undefined) {
      skipped.push({ label, reason: byPath, heldBack: uri });
      continue;
    }
    // Images and PDFs ("describe each screenshot"): sent as image and document blocks.
    if (mediaOfPath(label) !== undefined) {
      const ignored = pathSkipReason(label);
      if (ignored !== undefined) {
        skipped.push({ label, reason: ignored });
        continue;
      }
      const media = await readMediaFile(uri, label, gate, shrinkImage).catch((error: unknown) => (error instanceof Error ? error.message : vscode.l10n.t('unreadable')));
      if (typeof media === 'string') skipped.push({ label, reason: media });
      else files.push(media);
      continue;
    }
    const unsendable = skipReason(label);
    if (unsendable !== undefined) {
      skipped.push({ label, reason: unsendable });
      continue;
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_FILE_BYTES) {
        skipped.push({ label, reason: vscode.l10n.t('too large') });
        continue;
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      const reason = skipReason(label, bytes, MAX_FILE_BYTES, bytes.length);
      if (reason !== undefined) {
        skipped.push({ label, reason });
        continue;
      }
      const text = new TextDecoder('utf-8').decode(bytes);
      const held = await gateReason(gate, uri, label, text);
      if (held !== undefined) {
        skipped.push({ label, reason: held, heldBack: uri });
        continue;
      }
      files.push({ uri: key, label, text });
    } catch (error) {
      skipped.push({ label, reason: error instanceof Error ? error.message : vscode.l10n.t('unreadable') });
    }
  }
  return mediaOnlyFromMediaFolders(files, skipped, inFolder);
}

/**
 * A folder of screenshots or PDFs makes a batch over them; images and PDFs that sit among source
 * files in a picked folder (icons, fixtures) are left out, as the chat leaves them out of a folder
 * pick: each would be a paid request the user did not mean. Picked by name, they always go.
 */
function mediaOnlyFromMediaFolders(files: BatchFile[], skipped: SkippedFile[], inFolder: ReadonlySet<string>): CollectedFiles {
  const textInFolder = files.some((file) => file.media === undefined && inFolder.has(file.uri));
  if (!textInFolder) return { files, skipped };
  const kept: BatchFile[] = [];
  for (const file of files) {
    if (file.media !== undefined && inFolder.has(file.uri)) skipped.push({ label: file.label, reason: vscode.l10n.t('an image or PDF among the source files of a picked folder (pick it by name, or a folder of images)') });
    else kept.push(file);
  }
  return { files: kept, skipped };
}

/**
 * Reads a file the gate held back, because the user chose to send it anyway: the gate is not
 * asked again, but what can never be sent (binary, too large) still is not. Throws with the
 * reason otherwise.
 */
export async function readHeldBack(file: SkippedFile): Promise<BatchFile> {
  const uri = file.heldBack;
  if (uri === undefined) throw new Error(vscode.l10n.t("{0} can't be sent: {1}.", file.label, file.reason));
  if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) throw new Error(vscode.l10n.t("{0} can't be sent: {1}.", file.label, vscode.l10n.t('too large')));
  const bytes = await vscode.workspace.fs.readFile(uri);
  const reason = unsendableReason(file.label, bytes, MAX_FILE_BYTES, bytes.length);
  if (reason !== undefined) throw new Error(vscode.l10n.t("{0} can't be sent: {1}.", file.label, reason));
  return { uri: uri.toString(), label: file.label, text: new TextDecoder('utf-8').decode(bytes) };
}

/**
 * Rereads the files of requests (for retry and resend) through the egress gate, or undefined
 * when one is gone or is now held back (grown past the limit, a secret pasted in, a link swapped).
 */
export async function readRequestFiles(requests: readonly JobRequest[], egress?: WorkspaceGate, shrinkImage?: ShrinkImage): Promise<BatchFile[] | undefined> {
  const gate = await batchGate(egress);
  const files: BatchFile[] = [];
  for (const request of requests) {
    if (!request.file) return undefined;
    try {
      const uri = vscode.Uri.parse(request.file);
      if (mediaOfPath(request.label) !== undefined) {
        if ((await gateReason(gate, uri, request.label)) !== undefined) return undefined;
        const media = await readMediaFile(uri, request.label, gate, shrinkImage);
        if (typeof media === 'string') return undefined;
        files.push(media);
        continue;
      }
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) return undefined;
      const bytes = await vscode.workspace.fs.readFile(uri);
      const text = new TextDecoder('utf-8').decode(bytes);
      if ((await gateReason(gate, uri, request.label, text)) !== undefined) return undefined;
      files.push({ uri: request.file, label: request.label, text });
    } catch {
      return undefined;
    }
  }
  return files;
}
