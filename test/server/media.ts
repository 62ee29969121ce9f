/**
 * Image and document blocks as the API checks and counts them: the source shapes, media types,
 * base64, the 5 MB and 8000 px image limits (2000 px past 20 images), 100 images and documents a
 * request, 100 PDF pages a request, with the API's messages. Sizes come from the bytes (image
 * headers, the PDF page tree) through src/core/media, the same reader the extension checks with.
 * The 32 MB request limit is the body limit (413 request_too_large), as on the API.
 */
import {
  IMAGE_MEDIA_TYPES, MANY_IMAGES_MAX_DIMENSION, MANY_IMAGES_THRESHOLD, MAX_IMAGE_BASE64_BYTES, MAX_IMAGE_DIMENSION,
  MAX_MEDIA_PER_REQUEST, MAX_PDF_PAGES, countPdfPages, imageTokens, pdfTokens, probeImage,
} from '../../src/core/media';
import type { ImageInfo } from '../../src/core/media';
import { invalidRequest } from './errors';
import type { ContentBlockJson, JsonObject, MessageJson } from './types';

const IMAGE_SOURCE_TAGS = ['base64', 'url', 'file'] as const;
const DOCUMENT_SOURCE_TAGS = ['base64', 'text', 'content', 'url', 'file'] as const;
const SOURCE_FIELDS: Readonly<Record<string, Readonly<Record<string, 'required' | 'optional'>>>> = {
  base64: { data: 'required', media_type: 'required', type: 'required' },
  text: { data: 'required', media_type: 'required', type: 'required' },
  content: { content: 'required', type: 'required' },
  url: { type: 'required', url: 'required' },
  file: { file_id: 'required', type: 'required' },
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quoted(values: readonly string[]): string {
  const parts = values.map((v) => `'${v}'`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}` : (parts[0] ?? '');
}

/** Strict standard base64 (what the API decodes): the alphabet, padding only at the end, whole quads. */
function decodeBase64(data: string): Buffer | undefined {
  if (data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return undefined;
  return Buffer.from(data, 'base64');
}

function checkSourceShape(source: unknown, where: string, tags: readonly string[]): JsonObject {
  if (!isObject(source)) throw invalidRequest(`${where}.source: Input should be a valid dictionary`);
  const type = source['type'];
  if (typeof type !== 'string' || !tags.includes(type)) {
    throw invalidRequest(`${where}.source: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${tags.map((t) => `'${t}'`).join(', ')}`);
  }
  const fields = SOURCE_FIELDS[type] ?? {};
  for (const key of Object.keys(source)) if (!Object.hasOwn(fields, key)) throw invalidRequest(`${where}.source.${type}.${key}: Extra inputs are not permitted`);
  for (const key of Object.keys(fields)) if (source[key] === undefined) throw invalidRequest(`${where}.source.${type}.${key}: Field required`);
  return source;
}

/** An image block's source (at `path`, e.g. `messages.0.content.1`); its size is checked per request. */
export function checkImageBlock(block: JsonObject, path: string): void {
  const where = `${path}.image`;
  const source = checkSourceShape(block['source'], where, IMAGE_SOURCE_TAGS);
  if (source['type'] !== 'base64') return;
  const mediaType = source['media_type'];
  if (typeof mediaType !== 'string' || !(IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    throw invalidRequest(`${where}.source.base64.media_type: Input should be ${quoted(IMAGE_MEDIA_TYPES)}`);
  }
  const data = source['data'];
  if (typeof data !== 'string') throw invalidRequest(`${where}.source.base64.data: Input should be a valid string`);
  if (data.length > MAX_IMAGE_BASE64_BYTES) {
    throw invalidRequest(`${where}.source.base64: image exceeds 5 MB maximum: ${data.length} bytes > ${MAX_IMAGE_BASE64_BYTES} bytes`);
  }
  const info = imageInfo(data);
  if (info === 'invalidBase64') throw invalidRequest(`${where}.source.base64: invalid base64 data`);
  if (info === undefined) throw invalidRequest(`${where}.source.base64.data: The image specified was not valid`);
  if (info.mediaType !== mediaType) throw invalidRequest(`${where}.source.base64.data: Image does not match the provided media type ${mediaType}`);
  if (Math.max(info.width, info.height) > MAX_IMAGE_DIMENSION) {
    throw invalidRequest(`${where}.source.base64.data: At least one of the image dimensions exceed max allowed size: ${MAX_IMAGE_DIMENSION} pixels`);
  }
}

/** A document block's source; a PDF must decode and have pages (its page total is checked per request). */
export function checkDocumentBlock(block: JsonObject, path: string): void {
  const where = `${path}.document`;
  const source = checkSourceShape(block['source'], where, DOCUMENT_SOURCE_TAGS);
  for (const key of ['title', 'context'] as const) {
    const value = block[key];
    if (value !== undefined && value !== null && typeof value !== 'string') throw invalidRequest(`${where}.${key}: Input should be a valid string`);
  }
  if (source['type'] === 'text') {
    if (source['media_type'] !== 'text/plain') throw invalidRequest(`${where}.source.text.media_type: Input should be 'text/plain'`);
    if (typeof source['data'] !== 'string') throw invalidRequest(`${where}.source.text.data: Input should be a valid string`);
    return;
  }
  if (source['type'] !== 'base64') return;
  if (source['media_type'] !== 'application/pdf') throw invalidRequest(`${where}.source.base64.media_type: Input should be 'application/pdf'`);
  const data = source['data'];
  if (typeof data !== 'string') throw invalidRequest(`${where}.source.base64.data: Input should be a valid string`);
  const pages = pdfPages(data);
  if (pages === 'invalidBase64') throw invalidRequest(`${where}.source.base64: invalid base64 data`);
  if (pages === undefined) throw invalidRequest(`${path}.pdf.source.base64.data: The PDF specified was not valid.`);
}

type Probed<T> = T | 'invalidBase64' | undefined;

/** Sizes read from the bytes, kept for the few blocks a conversation resends every turn. */
const probed = new Map<string, Probed<ImageInfo | number>>();

function remember<T extends ImageInfo | number>(data: string, read: (bytes: Buffer) => T | undefined): Probed<T> {
  if (probed.has(data)) return probed.get(data) as Probed<T>;
  const bytes = decodeBase64(data);
  const value: Probed<T> = bytes === undefined ? 'invalidBase64' : read(bytes);
  if (probed.size >= 64) probed.delete(probed.keys().next().value as string);
  probed.set(data, value);
  return value;
}

function imageInfo(data: string): Probed<ImageInfo> {
  return remember(data, probeImage);
}

function pdfPages(data: string): Probed<number> {
  return remember(data, countPdfPages);
}

/** The tokens an image or base64 PDF block costs (its payload; the block overhead is added by the caller). */
export function mediaPayloadTokens(block: JsonObject): number | undefined {
  const source = block['source'];
  if (!isObject(source) || source['type'] !== 'base64' || typeof source['data'] !== 'string') return undefined;
  if (block['type'] === 'image') {
    const info = imageInfo(source['data']);
    return typeof info === 'object' ? imageTokens(info.width, info.height) : undefined;
  }
  if (block['type'] === 'document' && source['media_type'] === 'application/pdf') {
    const pages = pdfPages(source['data']);
    return typeof pages === 'number' ? pdfTokens(pages) : undefined;
  }
  return undefined;
}

interface Found {
  readonly path: string;
  readonly block: JsonObject;
}

/** Image and document blocks of the messages, tool results' content included, in prompt order. */
function mediaBlocks(messages: readonly MessageJson[]): Found[] {
  const found: Found[] = [];
  const visit = (blocks: readonly ContentBlockJson[], path: string): void => {
    blocks.forEach((block, i) => {
      const at = `${path}.${i}`;
      if (block.type === 'image' || block.type === 'document') found.push({ path: at, block });
      const content = block['content'];
      if (block.type === 'tool_result' && Array.isArray(content)) visit(content as ContentBlockJson[], `${at}.tool_result.content`);
    });
  };
  messages.forEach((message, m) => {
    if (typeof message.content !== 'string') visit(message.content, `messages.${m}.content`);
  });
  return found;
}

/** The limits over the whole request: media count, PDF pages, and the smaller image size past 20 images. */
export function checkRequestMedia(messages: readonly MessageJson[]): void {
  const found = mediaBlocks(messages);
  const images = found.filter((entry) => entry.block.type === 'image');
  const documents = found.length - images.length;
  if (found.length > MAX_MEDIA_PER_REQUEST) {
    throw invalidRequest(`too many images and documents: ${images.length} + ${documents} > ${MAX_MEDIA_PER_REQUEST}`);
  }
  if (images.length > MANY_IMAGES_THRESHOLD) {
    for (const { path, block } of images) {
      const source = block['source'];
      if (!isObject(source) || typeof source['data'] !== 'string' || source['type'] !== 'base64') continue;
      const info = imageInfo(source['data']);
      if (typeof info === 'object' && Math.max(info.width, info.height) > MANY_IMAGES_MAX_DIMENSION) {
        throw invalidRequest(`${path}.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: ${MANY_IMAGES_MAX_DIMENSION} pixels`);
      }
    }
  }
  let pages = 0;
  for (const { path, block } of found) {
    if (block.type !== 'document') continue;
    const source = block['source'];
    if (!isObject(source) || source['type'] !== 'base64' || typeof source['data'] !== 'string') continue;
    const count = pdfPages(source['data']);
    pages += typeof count === 'number' ? count : 0;
    if (pages > MAX_PDF_PAGES) throw invalidRequest(`${path}.pdf.source.base64.data: A maximum of ${MAX_PDF_PAGES} PDF pages may be provided.`);
  }
}
