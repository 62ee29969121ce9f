/**
 * The images and PDFs a user message carried, under it: a thumbnail for a small image (its bytes
 * drawn through a `blob:` URL, the one image source the CSP allows), a kind icon otherwise.
 */
import type { UserTurnView } from '../../shared/protocol';
import { el } from '../dom';
import { icon } from '../icons';
import { strings } from '../strings';

const THUMBNAIL_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** URLs kept for the page's life, by bytes: a re-render (a new snapshot, a scrolled-back chunk) reuses them. */
const urls = new Map<string, string>();
const MAX_URLS = 200;

function blobUrl(mediaType: string, data: string): string | undefined {
  if (!THUMBNAIL_TYPES.has(mediaType) || typeof URL.createObjectURL !== 'function') return undefined;
  const key = `${mediaType};${data}`;
  const known = urls.get(key);
  if (known !== undefined) return known;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  urls.set(key, url);
  if (urls.size > MAX_URLS) {
    const [oldest, oldUrl] = urls.entries().next().value as [string, string];
    urls.delete(oldest);
    URL.revokeObjectURL(oldUrl);
  }
  return url;
}

export function renderTurnMedia(doc: Document, media: NonNullable<UserTurnView['media']>): HTMLElement {
  return el(doc, 'ul', { className: 'turn-media', attrs: { 'aria-label': strings.media.inTurn(media.length) } }, media.map((item) => {
    const url = item.thumbnail !== undefined ? blobUrl(item.thumbnail.mediaType, item.thumbnail.data) : undefined;
    const picture = url !== undefined
      ? el(doc, 'img', { className: 'turn-media-thumb', attrs: { src: url, alt: item.label } })
      : icon(doc, item.kind === 'image' ? 'image' : 'document');
    return el(doc, 'li', { className: 'turn-media-item', attrs: { title: item.label, 'data-kind': item.kind } }, [
      picture,
      ...(url === undefined ? [el(doc, 'span', { className: 'turn-media-name', text: item.label })] : []),
    ]);
  }));
}
