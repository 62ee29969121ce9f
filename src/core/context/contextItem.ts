import { createHash } from 'node:crypto';
import { estimateTokens } from '../tokens/estimate';
import type { ImageMediaType, MediaKind, MediaType } from '../media/mediaFacts';

/**
 * One piece of context the user attached to the chat: a whole file, a selected range of one, or
 * a snippet with no file behind it. Pure data, so other features (batches, recipes) can reuse it.
 */
export type ContextItemKind = 'file' | 'selection' | 'snippet' | MediaKind;

/** An image or PDF file: its bytes (base64, as the API takes them) and what was read from them. */
export interface ContextMedia {
  readonly kind: MediaKind;
  readonly mediaType: MediaType;
  /** Base64 of the file's bytes, sent as is in an `image` or `document` block. */
  readonly data: string;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Images: pixels, read from the header. */
  readonly width?: number;
  readonly height?: number;
  /** PDFs: pages, read from the page tree. */
  readonly pages?: number;
  /** The documented estimate (see media/mediaFacts). */
  readonly tokens: number;
  /** Set when the image was scaled down before sending (claudeStudio.images.maxLongEdge): the file's own size. */
  readonly downscaledFrom?: { readonly width: number; readonly height: number; readonly bytes: number };
  /**
   * A small copy (long edge 160 px, base64) made with a downscaled image, for its chip: only shown,
   * never sent, never stored in history.
   */
  readonly thumbnail?: { readonly mediaType: ImageMediaType; readonly data: string; readonly width: number; readonly height: number };
}

/** 1-based, inclusive line numbers. */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface ContextItem {
  /** Stable for the item's life; the same path and range always give the same id. */
  readonly id: string;
  readonly kind: ContextItemKind;
  /** Workspace-relative path with forward slashes (a label for a snippet). */
  readonly path: string;
  /** Where to open it (a URI string); absent for a snippet. */
  readonly uri?: string;
  /** VS Code language id (`typescript`, `python`, `plaintext`…). */
  readonly languageId: string;
  /** Set for a selection. */
  readonly range?: LineRange;
  /** The text; empty for an image or PDF, whose bytes are in `media`. */
  readonly content: string;
  /** Set for an image or PDF file (kind `image` / `document`). */
  readonly media?: ContextMedia;
  /** sha-1 of the content (of the bytes, for media): tells an edited file from an untouched one without keeping copies. */
  readonly hash: string;
  /** Local estimate (see tokens/estimate). */
  readonly tokens: number;
}

/** What an item is made from: everything but what is derived (id, hash, token estimate). */
export type ContextItemInput = Omit<ContextItem, 'id' | 'hash' | 'tokens'>;

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The identity of an item: a file once, and each distinct range of it once. */
export function contextItemId(input: Pick<ContextItemInput, 'kind' | 'path' | 'range'>): string {
  const range = input.range ? `#L${input.range.startLine}-${input.range.endLine}` : '';
  return `${input.kind}:${input.path}${range}`;
}

export function createContextItem(input: ContextItemInput): ContextItem {
  return {
    id: contextItemId(input),
    kind: input.kind,
    path: input.path,
    ...(input.uri !== undefined ? { uri: input.uri } : {}),
    languageId: input.languageId,
    ...(input.range !== undefined ? { range: { startLine: input.range.startLine, endLine: input.range.endLine } } : {}),
    content: input.content,
    ...(input.media !== undefined ? { media: input.media } : {}),
    hash: contentHash(input.media !== undefined ? input.media.data : input.content),
    tokens: input.media !== undefined ? input.media.tokens : estimateTokens(input.content),
  };
}

/** The same item with new content (a file edited after it was added). An image or PDF keeps its bytes. */
export function withContent(item: ContextItem, content: string): ContextItem {
  if (item.media !== undefined) return item;
  return { ...item, content, hash: contentHash(content), tokens: estimateTokens(content) };
}

/** `src/a.ts`, `src/a.ts:3-9`, `src/a.ts:4`. */
export function itemLabel(item: Pick<ContextItem, 'path' | 'range'>): string {
  if (item.range === undefined) return item.path;
  const { startLine, endLine } = item.range;
  return startLine === endLine ? `${item.path}:${startLine}` : `${item.path}:${startLine}-${endLine}`;
}

/** Longest run of backticks in the text, so the fence around it is always longer. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A language id that is safe as a fence info string. */
function fenceLanguage(languageId: string): string {
  return /^[A-Za-z0-9_+#.-]{1,40}$/.test(languageId) && languageId !== 'plaintext' ? languageId : '';
}

function rangeText(range: LineRange | undefined): string {
  if (range === undefined) return '';
  return range.startLine === range.endLine ? `, line ${range.startLine}` : `, lines ${range.startLine}-${range.endLine}`;
}

/** The body of a block: the content in a fence that nothing inside can close. */
function fenced(item: ContextItem): string {
  const fence = fenceFor(item.content);
  return `${fence}${fenceLanguage(item.languageId)}\n${item.content.replace(/\n$/, '')}\n${fence}`;
}

const FORMAT_NAMES: Readonly<Record<MediaType, string>> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP', 'application/pdf': 'PDF' };

/** `PNG, 400x300 px` / `PDF, 3 pages`: what an image or PDF is, for its caption and its chip. */
export function describeMedia(media: Pick<ContextMedia, 'mediaType' | 'width' | 'height' | 'pages'>): string {
  const format = FORMAT_NAMES[media.mediaType];
  if (media.pages !== undefined) return `${format}, ${media.pages} ${media.pages === 1 ? 'page' : 'pages'}`;
  return media.width !== undefined && media.height !== undefined ? `${format}, ${media.width}x${media.height} px` : format;
}

/** The line before an image or PDF block, so Claude knows which file it is looking at. */
export function formatMediaCaption(item: ContextItem, updated = false): string {
  const what = item.kind === 'document' ? 'Document' : 'Image';
  const media = item.media !== undefined ? ` (${describeMedia(item.media)})` : '';
  return updated
    ? `Updated version of \`${item.path}\`${media}: it changed after it was added; this replaces the earlier version above.`
    : `${what} \`${item.path}\`${media}:`;
}

/** A context item as the text block Claude reads: its path, language and range, then the content. */
export function formatContextItem(item: ContextItem): string {
  const what = item.kind === 'snippet' ? 'Snippet' : item.kind === 'selection' ? 'Selection from' : 'File';
  return `${what} \`${item.path}\` (${item.languageId}${rangeText(item.range)}):\n\n${fenced(item)}`;
}

/** A newer version of an item that was already sent; the earlier block stays where it is. */
export function formatUpdatedItem(item: ContextItem): string {
  return `Updated version of \`${item.path}\` (${item.languageId}${rangeText(item.range)}): it was edited after it was added; this replaces the earlier version above.\n\n${fenced(item)}`;
}

/** A file that was sent and has since been deleted. */
export function formatDeletedItem(item: Pick<ContextItem, 'path' | 'range'>): string {
  return `\`${itemLabel(item)}\` was deleted after it was added: the version above no longer exists in the workspace.`;
}
