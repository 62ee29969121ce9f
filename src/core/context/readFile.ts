import type { ContextItem, LineRange } from './contextItem';
import { createContextItem } from './contextItem';
import { looksBinary } from './exclusions';
import type { ContextLimits, Refusal } from './limits';
import { checkSize, contextMessages } from './limits';
import { estimateTokens } from '../tokens/estimate';
import { errorMessage } from '../util/errors';
import { formatBytes } from '../egress/gate';

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
}

/**
 * Turns a file (its editor text, or bytes read through `readBytes`) into a context item, or says
 * why it cannot be one: binary, over a limit, unreadable. The size check runs on a cheap estimate
 * from the byte length first, so a huge file is refused without being decoded.
 */
export async function readContextFile(request: ReadRequest, readBytes: (path: string) => Promise<Uint8Array>): Promise<ReadResult> {
  const { path, limits } = request;
  let text = request.text;
  if (text === undefined && request.size !== undefined) {
    const early = refuseBySize(path, request.size, request);
    if (early !== undefined) return { ok: false, refusal: early };
  }
  if (text === undefined) {
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(path);
    } catch (error) {
      return { ok: false, refusal: { kind: 'unreadable', message: contextMessages.unreadable(path, errorMessage(error)) } };
    }
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

/**
 * The refusal a byte count alone decides: over the gate's read limit, or (for a whole file) over
 * the token limit already, since no UTF-8 text estimates at fewer tokens than a byte a character.
 */
function refuseBySize(path: string, size: number, request: ReadRequest): Refusal | undefined {
  if (request.maxReadBytes !== undefined && size > request.maxReadBytes) {
    const exclusion = { reason: 'tooLarge' as const, pattern: `${formatBytes(size)}; the limit is ${formatBytes(request.maxReadBytes)}` };
    return { kind: 'excluded', exclusion, message: contextMessages.excluded(path, exclusion) };
  }
  const floor = Math.floor(size / 3.8);
  if (request.range === undefined && floor > request.limits.maxFileTokens) return checkSize(path, floor, request.currentTotal, request.limits);
  return undefined;
}
