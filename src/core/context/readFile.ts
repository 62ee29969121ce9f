import * as l10n from '@vscode/l10n';
import type { ContextItem, LineRange } from './contextItem';
import { createContextItem } from './contextItem';
import { looksBinary } from './exclusions';
import type { ContextLimits, Refusal } from './limits';
import { checkSize, contextMessages } from './limits';
import { estimateTokens } from '../tokens/estimate';
import { errorMessage } from '../util/errors';
import { formatBytes } from '../egress/gate';
import type { ContextMedia } from './contextItem';
import { describeMedia } from './contextItem';
import { mediaFileProblem, mediaMessages } from './mediaLimits';
import type { ImageMediaType, MediaKind, MediaType } from '../media/mediaFacts';
import type { Downscaled } from '../media/downscale';
import { imageTokens, mediaOfPath, pdfTokens } from '../media/mediaFacts';
import { countPdfPages, probeImage } from '../media/probe';

/** VS Code language ids by extension, for files read from disk rather than from an open editor. */
const LANGUAGE_IDS: Readonly<Record<string, string>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact', js: 'javascript', mjs: 'javascript', cjs: 'javascript',
  jsx: 'javascriptreact', json: 'json', jsonc: 'jsonc', md: 'markdown', py: 'python', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', cs: 'csharp', rb: 'ruby', php: 'php', swift: 'swift', sh: 'shellscript',
  bash: 'shellscript', ps1: 'powershell', sql: 'sql', yml: 'yaml', yaml: 'yaml', toml: 'toml', xml: 'xml', html: 'html', css: 'css',
  scss: 'scss', less: 'less', vue: 'vue', svelte: 'svelte', lua: 'lua', r: 'r', dart: 'dart', scala: 'scala', txt: 'plaintext',
};

export function languageIdFor(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'Dockerfile') return 'dockerfile';
  if (base === 'Makefile') return 'makefile';
  const dot = base.lastIndexOf('.');
  return (dot > 0 && LANGUAGE_IDS[base.slice(dot + 1).toLowerCase()]) || 'plaintext';
}

const decoder = new TextDecoder('utf-8');

export type ReadResult = { readonly ok: true; readonly item: ContextItem } | { readonly ok: false; readonly refusal: Refusal };

export interface ReadRequest {
  readonly path: string;
  readonly uri?: string;
  /** From the open editor when there is one; otherwise guessed from the name. */
  readonly languageId?: string;
  /** The open editor's text (with unsaved edits); when absent the bytes are read. */
  readonly text?: string;
  readonly range?: LineRange;
  readonly currentTotal: number;
  readonly limits: ContextLimits;
  /** The file's size from a stat, when known: a file over the limits is refused without a read. */
  readonly size?: number;
  /** Largest file read whole at all (the egress gate's limit), even for a range of it. */
  readonly maxReadBytes?: number;
  /** Scales an image larger than the setting's long edge down before it is sent (absent: sent as read). */
  readonly shrinkImage?: ShrinkImage;
}

/** Scales an image down (off the caller's thread), or undefined when it fits or cannot be. */
export type ShrinkImage = (bytes: Uint8Array, mediaType: ImageMediaType, width: number, height: number) => Promise<Downscaled | undefined>;

/**
 * Turns a file (its editor text, or bytes read through `readBytes`) into a context item, or says
 * why it cannot be one: binary, over a limit, unreadable. The size check runs on a cheap estimate
 * from the byte length first, so a huge file is refused without being decoded.
 */
export async function readContextFile(request: ReadRequest, readBytes: (path: string) => Promise<Uint8Array>): Promise<ReadResult> {
  const { path, limits } = request;
  const media = request.range === undefined ? mediaOfPath(path) : undefined;
  if (media !== undefined) return readMediaFile(request, media, readBytes);
  let text = request.text;
  if (text === undefined && request.size !== undefined) {
    const early = refuseBySize(path, request.size, request);
    if (early !== undefined) return { ok: false, refusal: early };
  }
  if (text === undefined) {
    const read = await readOrRefuse(path, readBytes);
    if (!(read instanceof Uint8Array)) return read;
    const bytes = read;
    const late = refuseBySize(path, bytes.length, request);
    if (late !== undefined) return { ok: false, refusal: late };
    if (looksBinary(bytes)) return { ok: false, refusal: { kind: 'excluded', exclusion: { reason: 'binary' }, message: contextMessages.excluded(path, { reason: 'binary' }) } };
    text = decoder.decode(bytes);
  }
  if (request.range !== undefined) {
    const lines = text.split('\n');
    text = lines.slice(request.range.startLine - 1, request.range.endLine).join('\n');
  }
  const refusal = checkSize(path, estimateTokens(text), request.currentTotal, limits, request.range !== undefined);
  if (refusal !== undefined) return { ok: false, refusal };
  return {
    ok: true,
    item: createContextItem({
      kind: request.range !== undefined ? 'selection' : 'file',
      path,
      ...(request.uri !== undefined ? { uri: request.uri } : {}),
      languageId: request.languageId ?? languageIdFor(path),
      ...(request.range !== undefined ? { range: request.range } : {}),
      content: text,
    }),
  };
}

/** The file's bytes, or the refusal that says it could not be read. */
async function readOrRefuse(path: string, readBytes: (path: string) => Promise<Uint8Array>): Promise<Uint8Array | ReadResult> {
  try {
    return await readBytes(path);
  } catch (error) {
    return { ok: false, refusal: { kind: 'unreadable', message: contextMessages.unreadable(path, errorMessage(error)) } };
  }
}

/**
 * An image or PDF file as a context item: the gate's size limit from the stat and again from the
 * bytes (as for any file), then its format and size read from the bytes, the API's per-file limits
 * and the token limits (by the documented estimate). The editor's text is never used: the bytes are.
 */
async function readMediaFile(request: ReadRequest, expected: { kind: MediaKind; mediaType: MediaType }, readBytes: (path: string) => Promise<Uint8Array>): Promise<ReadResult> {
  const { path, limits } = request;
  const byStat = request.size !== undefined ? refuseByReadLimit(path, request.size, request) : undefined;
  if (byStat !== undefined) return { ok: false, refusal: byStat };
  const bytes = await readOrRefuse(path, readBytes);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const byRead = refuseByReadLimit(path, bytes.length, request);
  if (byRead !== undefined) return { ok: false, refusal: byRead };
  let media: ContextMedia;
  const base64 = (of: Uint8Array): string => Buffer.from(of.buffer, of.byteOffset, of.byteLength).toString('base64');
  if (expected.kind === 'image') {
    const info = probeImage(bytes);
    if (info === undefined) return { ok: false, refusal: { kind: 'media', message: mediaMessages.notReadable(path, 'image') } };
    // A large image is scaled down before anything else is checked: the API's limits apply to what is sent.
    const small = await request.shrinkImage?.(bytes, info.mediaType, info.width, info.height);
    if (small !== undefined) {
      media = {
        kind: 'image', mediaType: small.mediaType, data: base64(small.bytes), bytes: small.bytes.length, width: small.width, height: small.height,
        tokens: imageTokens(small.width, small.height), downscaledFrom: { width: info.width, height: info.height, bytes: bytes.length },
        ...(small.thumbnail !== undefined ? { thumbnail: { mediaType: small.thumbnail.mediaType, data: base64(small.thumbnail.bytes), width: small.thumbnail.width, height: small.thumbnail.height } } : {}),
      };
    } else {
      // The bytes decide the media type: the API refuses a block whose bytes are another format.
      media = { kind: 'image', mediaType: info.mediaType, data: base64(bytes), bytes: bytes.length, width: info.width, height: info.height, tokens: imageTokens(info.width, info.height) };
    }
  } else {
    const data = base64(bytes);
    const pages = countPdfPages(bytes);
    if (pages === undefined) return { ok: false, refusal: { kind: 'media', message: mediaMessages.notReadable(path, 'document') } };
    media = { kind: 'document', mediaType: 'application/pdf', data, bytes: bytes.length, pages, tokens: pdfTokens(pages) };
  }
  const problem = mediaFileProblem(path, media);
  if (problem !== undefined) return { ok: false, refusal: { kind: 'media', message: problem } };
  if (media.tokens > limits.maxFileTokens) {
    return { ok: false, refusal: { kind: 'tooLarge', tokens: media.tokens, limit: limits.maxFileTokens, message: mediaMessages.tooLargeForFile(path, describeMedia(media), media.tokens, limits.maxFileTokens) } };
  }
  const overTotal = checkSize(path, media.tokens, request.currentTotal, { ...limits, maxFileTokens: Number.MAX_SAFE_INTEGER });
  if (overTotal !== undefined) return { ok: false, refusal: overTotal };
  return {
    ok: true,
    item: createContextItem({ kind: media.kind, path, ...(request.uri !== undefined ? { uri: request.uri } : {}), languageId: media.kind === 'image' ? 'image' : 'pdf', content: '', media }),
  };
}

/** The gate's read limit on a byte count, the same for every file. */
function refuseByReadLimit(path: string, size: number, request: ReadRequest): Refusal | undefined {
  if (request.maxReadBytes === undefined || size <= request.maxReadBytes) return undefined;
  const exclusion = { reason: 'tooLarge' as const, pattern: l10n.t('{0}; the limit is {1}', formatBytes(size), formatBytes(request.maxReadBytes)) };
  return { kind: 'excluded', exclusion, message: contextMessages.excluded(path, exclusion) };
}

/**
 * The refusal a byte count alone decides: over the gate's read limit, or (for a whole file) over
 * the token limit already, since no UTF-8 text estimates at fewer tokens than a byte a character.
 */
function refuseBySize(path: string, size: number, request: ReadRequest): Refusal | undefined {
  const byLimit = refuseByReadLimit(path, size, request);
  if (byLimit !== undefined) return byLimit;
  const floor = Math.floor(size / 3.8);
  if (request.range === undefined && floor > request.limits.maxFileTokens) return checkSize(path, floor, request.currentTotal, request.limits);
  return undefined;
}
