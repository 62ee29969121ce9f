/**
 * What the Messages API accepts as images and PDFs, and what they cost, from the documentation
 * (platform.claude.com, "Vision" and "PDF support"). One place, read by the context model (to
 * refuse before sending) and by test/server (to answer as the API does).
 */

export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
export type DocumentMediaType = 'application/pdf';
export type MediaType = ImageMediaType | DocumentMediaType;
export type MediaKind = 'image' | 'document';

export const IMAGE_MEDIA_TYPES: readonly ImageMediaType[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** "Maximum 5 MB per image via API": measured on the base64 text the request carries. */
export const MAX_IMAGE_BASE64_BYTES = 5 * 1024 * 1024;
/** Larger images are rejected. */
export const MAX_IMAGE_DIMENSION = 8000;
/** With more than this many images in one request, the dimension limit drops to {@link MANY_IMAGES_MAX_DIMENSION}. */
export const MANY_IMAGES_THRESHOLD = 20;
export const MANY_IMAGES_MAX_DIMENSION = 2000;
/** Images and documents in one request (models with a 200k-token window). */
export const MAX_MEDIA_PER_REQUEST = 100;
/** PDF pages in one request (contexts under 1M tokens). */
export const MAX_PDF_PAGES = 100;
/** The standard endpoints' request size limit: base64 PDFs and images count toward it. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/** Above either bound the API scales an image down (keeping its aspect) before counting it. */
export const IMAGE_MAX_LONG_EDGE = 1568;
/** "~1,600 tokens": the documented largest unscaled square, 1092 x 1092, is 1,590 of them. */
export const IMAGE_MAX_TOKENS_UNSCALED = 1600;
export const PIXELS_PER_IMAGE_TOKEN = 750;
/**
 * "Each page typically uses 1,500-3,000 tokens depending on content density", plus the page's
 * image: the middle of the documented range is the estimate; usage and count_tokens give the figure.
 */
export const PDF_TOKENS_PER_PAGE = 2250;

/**
 * The documented image cost, `tokens = (width * height) / 750`, after the API's own scaling: an
 * image whose long edge is over 1568 px or which would cost over ~1,600 tokens is first scaled down.
 */
export function imageTokens(width: number, height: number): number {
  if (!(width > 0 && height > 0)) return 0;
  const byEdge = IMAGE_MAX_LONG_EDGE / Math.max(width, height);
  const byArea = Math.sqrt((IMAGE_MAX_TOKENS_UNSCALED * PIXELS_PER_IMAGE_TOKEN) / (width * height));
  const scale = Math.min(1, byEdge, byArea);
  const w = scale < 1 ? Math.floor(width * scale) : width;
  const h = scale < 1 ? Math.floor(height * scale) : height;
  return Math.ceil((w * h) / PIXELS_PER_IMAGE_TOKEN);
}

export function pdfTokens(pages: number): number {
  return Math.max(1, pages) * PDF_TOKENS_PER_PAGE;
}

/** Length of the base64 text for `bytes` bytes (with padding). */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** The media files context accepts, by extension. */
const MEDIA_BY_EXTENSION: Readonly<Record<string, { readonly kind: MediaKind; readonly mediaType: MediaType }>> = {
  png: { kind: 'image', mediaType: 'image/png' },
  jpg: { kind: 'image', mediaType: 'image/jpeg' },
  jpeg: { kind: 'image', mediaType: 'image/jpeg' },
  gif: { kind: 'image', mediaType: 'image/gif' },
  webp: { kind: 'image', mediaType: 'image/webp' },
  pdf: { kind: 'document', mediaType: 'application/pdf' },
};

/** The kind and media type a path's extension names, for the files Claude reads as images or PDFs. */
export function mediaOfPath(path: string): { readonly kind: MediaKind; readonly mediaType: MediaType } | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? MEDIA_BY_EXTENSION[base.slice(dot + 1).toLowerCase()] : undefined;
}
