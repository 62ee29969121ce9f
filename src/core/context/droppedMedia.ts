import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import type { ContextLimits } from './limits';
import type { ReadResult, ShrinkImage } from './readFile';
import { readContextFile } from './readFile';
import { mediaMessages } from './mediaLimits';
import { probeImage } from '../media/probe';
import { base64Length, MAX_REQUEST_BYTES } from '../media/mediaFacts';

/** Where bytes that have no workspace file behind them came from. */
export type MediaSource = 'paste' | 'drop';

/** The extension each format is labelled with; the bytes decide the format, never the name. */
const EXTENSIONS: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/** Most base64 characters the webview may post for one file: the API's request limit. */
export const MAX_DROPPED_BASE64 = base64Length(MAX_REQUEST_BYTES);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `%PDF-` within the first KB, as PDF readers accept. */
function looksPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

/**
 * A safe label for a pasted image or a dropped file: `pasted-image-1a2b3c4d.png` (named by its
 * bytes, so pasting the same screenshot twice adds it once) or `dropped/<name>.<ext>`, with the
 * name stripped of folders, control and Markdown characters, and the extension the bytes say.
 */
export function droppedLabel(source: MediaSource, name: string, bytes: Uint8Array, extension: string): string {
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  if (source === 'paste') return `pasted-image-${digest}.${extension}`;
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[^\p{L}\p{N} ._()-]/gu, '_').trim().slice(0, 80);
  return `dropped/${stem === '' || /^\.+$/.test(stem) ? `file-${digest}` : stem}.${extension}`;
}

export interface DroppedMediaRequest {
  readonly source: MediaSource;
  /** The file's name as the webview reported it (untrusted; only a label). */
  readonly name: string;
  /** Base64 of the bytes (untrusted). */
  readonly data: string;
  readonly limits: ContextLimits;
  /** The egress gate's read limit: bytes from the clipboard are held to it like any file. */
  readonly maxReadBytes: number;
  readonly shrinkImage?: ShrinkImage;
}

/**
 * Turns the bytes of a pasted image or a dropped file into a context item through the same read
 * path as a workspace file (the gate's read limit, the format read from the bytes, the API's
 * per-file limits, the token limits), or says why not. Only images and PDFs: anything else has
 * no workspace rules to check it by.
 */
export async function readDroppedMedia(request: DroppedMediaRequest): Promise<ReadResult> {
  const shown = request.name.slice(0, 200) || l10n.t('the pasted image');
  if (request.data.length > MAX_DROPPED_BASE64 || !BASE64.test(request.data)) {
    return { ok: false, refusal: { kind: 'media', message: mediaMessages.notMedia(shown) } };
  }
  const bytes = new Uint8Array(Buffer.from(request.data, 'base64'));
  const image = probeImage(bytes);
  const mediaType = image?.mediaType ?? (request.source === 'drop' && looksPdf(bytes) ? 'application/pdf' : undefined);
  if (mediaType === undefined) return { ok: false, refusal: { kind: 'media', message: mediaMessages.notMedia(shown) } };
  const path = droppedLabel(request.source, request.name, bytes, EXTENSIONS[mediaType] ?? 'bin');
  return readContextFile({ path, currentTotal: 0, limits: request.limits, size: bytes.length, maxReadBytes: request.maxReadBytes, ...(request.shrinkImage !== undefined ? { shrinkImage: request.shrinkImage } : {}) }, async () => bytes);
}
