import type { ContextChipView } from '../../shared/protocol';
import type { ContextSet } from './contextSet';
import type { ContextItem } from './contextItem';
import { describeMedia, itemLabel } from './contextItem';
import { formatBytes } from '../egress/gate';

/**
 * Images up to this size travel to the webview (with every chips update) for a thumbnail when they
 * have no small copy (a downscaled image has one); bigger ones show their kind only.
 */
export const MAX_THUMBNAIL_BYTES = 256 * 1024;

/** A file the rules left out, kept as a chip so the user sees what and why. */
export interface ExcludedFile {
  readonly path: string;
  readonly uri?: string;
  readonly reason: string;
}

export const EXCLUDED_PREFIX = 'excluded:';

/** The chips row: context items in their stable order, then the files left out. */
export function chipViews(set: ContextSet, excluded: Iterable<ExcludedFile>): ContextChipView[] {
  const chips: ContextChipView[] = set.list().map(({ item, state }) => ({
    id: item.id,
    kind: item.kind,
    label: itemLabel(item),
    tokens: item.tokens,
    state,
    ...mediaView(item),
  }));
  for (const file of excluded) {
    chips.push({ id: `${EXCLUDED_PREFIX}${file.path}`, kind: 'excluded', label: file.path, tokens: 0, state: 'excluded', reason: file.reason });
  }
  return chips;
}

function mediaView(item: ContextItem): Pick<ContextChipView, 'detail' | 'thumbnail'> {
  const media = item.media;
  if (media === undefined) return {};
  const from = media.downscaledFrom;
  const scaled = from !== undefined ? ` (downscaled from ${from.width}x${from.height}, ${formatBytes(from.bytes)})` : '';
  const detail = `${describeMedia(media)}, ${formatBytes(media.bytes)}${scaled}`;
  if (media.thumbnail !== undefined) return { detail, thumbnail: { mediaType: media.thumbnail.mediaType, data: media.thumbnail.data } };
  if (media.mediaType === 'application/pdf' || media.bytes > MAX_THUMBNAIL_BYTES) return { detail };
  return { detail, thumbnail: { mediaType: media.mediaType, data: media.data } };
}
