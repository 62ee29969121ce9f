import type { ContextMedia } from './contextItem';
import type { ContextBlock } from './contextSet';
import { formatTokens } from '../tokens/estimate';
import { formatBytes } from '../egress/gate';
import {
  MANY_IMAGES_MAX_DIMENSION, MANY_IMAGES_THRESHOLD, MAX_IMAGE_BASE64_BYTES, MAX_IMAGE_DIMENSION, MAX_MEDIA_PER_REQUEST,
  MAX_PDF_PAGES, MAX_REQUEST_BYTES,
} from '../media/mediaFacts';

/** What the user reads when an image or PDF breaks one of the API's limits; each says what to do. */
export const mediaMessages = {
  notReadable: (path: string, kind: 'image' | 'document'): string =>
    kind === 'image'
      ? `${path} was not added: it is not a PNG, JPEG, GIF or WebP image that could be read.`
      : `${path} was not added: it is not a PDF whose pages could be read (a damaged or encrypted file?).`,
  notMedia: (name: string): string =>
    `${name} was not added: only PNG, JPEG, GIF and WebP images (and dropped PDFs) can be pasted or dropped on the chat. Add workspace files from the Explorer or with @.`,
  imageTooLarge: (path: string, base64: number): string =>
    `${path} was not added: as sent it is ${formatBytes(base64)}, over the API's 5 MB limit for one image. Save it smaller (fewer pixels, or JPEG/WebP).`,
  imageTooWide: (path: string, width: number, height: number, limit: number): string =>
    `${path} was not added: it is ${width}x${height} px, over the API's ${limit} px limit for a side. Scale it down first.`,
  tooManyPages: (path: string, pages: number): string =>
    `${path} was not added: it has ${pages} pages, over the API's ${MAX_PDF_PAGES}-page limit for a request. Split it, or add the pages you need.`,
  overRequest: (path: string, bytes: number): string =>
    `${path} was not added: as sent it is ${formatBytes(bytes)}, and a request may be 32 MB at most.`,
  tooLargeForFile: (path: string, what: string, tokens: number, limit: number): string =>
    `${path} (${what}) is about ${formatTokens(tokens)} tokens, over the ${formatTokens(limit)}-token limit for one file (claudeStudio.context.maxFileTokens).`,
  requestTooManyMedia: (images: number, documents: number): string =>
    `This message would send ${images} images and ${documents} PDFs, more than the API's ${MAX_MEDIA_PER_REQUEST} a request (the conversation's earlier ones count too). Remove some, or start a new chat.`,
  requestTooManyPages: (pages: number): string =>
    `This message would send ${pages} PDF pages, more than the API's ${MAX_PDF_PAGES} a request (the conversation's earlier PDFs count too). Remove a PDF, or start a new chat.`,
  requestManyImagesTooWide: (label: string, count: number): string =>
    `With ${count} images in one request the API takes at most ${MANY_IMAGES_MAX_DIMENSION} px a side, and ${label} is larger. Remove some images, or scale it down.`,
  requestTooLarge: (bytes: number): string =>
    `This message would send ${formatBytes(bytes)} of images and PDFs, over the API's 32 MB limit for a request. Remove some, or start a new chat.`,
} as const;

/** Why one image or PDF cannot be sent at all, or undefined: the API's per-file limits. */
export function mediaFileProblem(path: string, media: Omit<ContextMedia, 'tokens'>): string | undefined {
  if (media.kind === 'image') {
    if (media.data.length > MAX_IMAGE_BASE64_BYTES) return mediaMessages.imageTooLarge(path, media.data.length);
    const width = media.width ?? 0;
    const height = media.height ?? 0;
    if (Math.max(width, height) > MAX_IMAGE_DIMENSION) return mediaMessages.imageTooWide(path, width, height, MAX_IMAGE_DIMENSION);
    return undefined;
  }
  if ((media.pages ?? 0) > MAX_PDF_PAGES) return mediaMessages.tooManyPages(path, media.pages ?? 0);
  if (media.data.length > MAX_REQUEST_BYTES) return mediaMessages.overRequest(path, media.data.length);
  return undefined;
}

/**
 * The API's limits over a whole request, checked before sending: every image and PDF the request
 * would carry (the conversation's earlier turns and this message's context) counts. Undefined when
 * the request is within them, else the message that says which and what to do.
 */
export function requestMediaProblem(blocks: readonly ContextBlock[]): string | undefined {
  const media = blocks.filter((block) => block.media !== undefined);
  if (media.length === 0) return undefined;
  const images = media.filter((block) => block.media?.kind === 'image');
  const documents = media.length - images.length;
  if (media.length > MAX_MEDIA_PER_REQUEST) return mediaMessages.requestTooManyMedia(images.length, documents);
  const pages = media.reduce((sum, block) => sum + (block.media?.pages ?? 0), 0);
  if (pages > MAX_PDF_PAGES) return mediaMessages.requestTooManyPages(pages);
  if (images.length > MANY_IMAGES_THRESHOLD) {
    const wide = images.find((block) => Math.max(block.media?.width ?? 0, block.media?.height ?? 0) > MANY_IMAGES_MAX_DIMENSION);
    if (wide !== undefined) return mediaMessages.requestManyImagesTooWide(wide.label, images.length);
  }
  const bytes = blocks.reduce((sum, block) => sum + block.text.length + (block.media?.data.length ?? 0), 0);
  if (bytes > MAX_REQUEST_BYTES) return mediaMessages.requestTooLarge(bytes);
  return undefined;
}
