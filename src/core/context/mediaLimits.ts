import * as l10n from '@vscode/l10n';
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
      ? l10n.t('{0} was not added: it is not a PNG, JPEG, GIF or WebP image that could be read.', path)
      : l10n.t('{0} was not added: it is not a PDF whose pages could be read (a damaged or encrypted file?).', path),
  notMedia: (name: string): string =>
    l10n.t('{0} was not added: only PNG, JPEG, GIF and WebP images (and dropped PDFs) can be pasted or dropped on the chat. Add workspace files from the Explorer or with @.', name),
  imageTooLarge: (path: string, base64: number): string =>
    l10n.t("{0} was not added: as sent it is {1}, over the API's 5 MB limit for one image. Save it smaller (fewer pixels, or JPEG/WebP).", path, formatBytes(base64)),
  imageTooWide: (path: string, width: number, height: number, limit: number): string =>
    l10n.t("{0} was not added: it is {1}x{2} px, over the API's {3} px limit for a side. Scale it down first.", path, width, height, limit),
  tooManyPages: (path: string, pages: number): string =>
    l10n.t("{0} was not added: it has {1} pages, over the API's {2}-page limit for a request. Split it, or add the pages you need.", path, pages, MAX_PDF_PAGES),
  overRequest: (path: string, bytes: number): string =>
    l10n.t('{0} was not added: as sent it is {1}, and a request may be 32 MB at most.', path, formatBytes(bytes)),
  tooLargeForFile: (path: string, what: string, tokens: number, limit: number): string =>
    l10n.t('{0} ({1}) is about {2} tokens, over the {3}-token limit for one file (claudeStudio.context.maxFileTokens).', path, what, formatTokens(tokens), formatTokens(limit)),
  requestTooManyMedia: (images: number, documents: number): string =>
    l10n.t("This message would send {0} images and {1} PDFs, more than the API's {2} a request (the conversation's earlier ones count too). Remove some, or start a new chat.", images, documents, MAX_MEDIA_PER_REQUEST),
  requestTooManyPages: (pages: number): string =>
    l10n.t("This message would send {0} PDF pages, more than the API's {1} a request (the conversation's earlier PDFs count too). Remove a PDF, or start a new chat.", pages, MAX_PDF_PAGES),
  requestManyImagesTooWide: (label: string, count: number): string =>
    l10n.t('With {0} images in one request the API takes at most {1} px a side, and {2} is larger. Remove some images, or scale it down.', count, MANY_IMAGES_MAX_DIMENSION, label),
  requestTooLarge: (bytes: number): string =>
    l10n.t("This message would send {0} of images and PDFs, over the API's 32 MB limit for a request. Remove some, or start a new chat.", formatBytes(bytes)),
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
