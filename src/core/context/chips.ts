import type { ContextChipView } from '../../shared/protocol';
import type { ContextSet } from './contextSet';
import { itemLabel } from './contextItem';

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
  }));
  for (const file of excluded) {
    chips.push({ id: `${EXCLUDED_PREFIX}${file.path}`, kind: 'excluded', label: file.path, tokens: 0, state: 'excluded', reason: file.reason });
  }
  return chips;
}
