/**
 * The small toolbar in a turn's header (Copy, Edit, the version switcher). Like the code block
 * buttons, these carry only a `data-turn-action`; the transcript handles clicks by delegation, so
 * a transcript of hundreds of turns does not hold hundreds of listeners, and a re-render after
 * `didLoad` needs no cleanup.
 */
import { el } from '../dom';
import { icon, type IconName } from '../icons';
import { strings } from '../strings';

export const TURN_ACTION = {
  copy: 'copy-turn',
  edit: 'edit-turn',
  branchPrev: 'branch-prev',
  branchNext: 'branch-next',
  regenerate: 'regenerate-turn',
  regenerateWith: 'regenerate-turn-with',
} as const;

export type TurnAction = (typeof TURN_ACTION)[keyof typeof TURN_ACTION];

const ACTIONS: ReadonlySet<string> = new Set(Object.values(TURN_ACTION));

export function isTurnAction(value: string | null): value is TurnAction {
  return value !== null && ACTIONS.has(value);
}

/** Marks a button that stays disabled whatever the busy state (e.g. "next" on the last version). */
export const AT_END_ATTR = 'data-at-end';

export function toolbarButton(doc: Document, className: string, action: TurnAction, iconName: IconName, label: string, title = label): HTMLButtonElement {
  return el(doc, 'button', {
    className: `icon-button ${className}`,
    attrs: { type: 'button', 'data-turn-action': action, 'aria-label': label, title },
  }, [icon(doc, iconName)]);
}

/**
 * Copy is an icon until clicked; flashLabel then swaps in a check and shows "Copied" in the
 * `.label` (hidden by CSS the rest of the time), so there is visible feedback without a toast.
 */
export function copyButton(doc: Document): HTMLButtonElement {
  const button = toolbarButton(doc, 'turn-action turn-copy', TURN_ACTION.copy, 'copy', strings.copyMessageLabel, strings.copy);
  button.append(icon(doc, 'check'), el(doc, 'span', { className: 'label', text: strings.copy }));
  return button;
}

/** Regenerate, and Regenerate with another model: for any answer that has ended. */
export function regenerateButtons(doc: Document): HTMLButtonElement[] {
  return [
    toolbarButton(doc, 'turn-action turn-regenerate', TURN_ACTION.regenerate, 'retry', strings.regenerateLabel, strings.regenerateTitle),
    toolbarButton(doc, 'turn-action turn-regenerate turn-regenerate-with', TURN_ACTION.regenerateWith, 'sparkle', strings.regenerateWithLabel, strings.regenerateWithTitle),
  ];
}

/** "‹ 2 / 3 ›" for a message or an answer that has other versions; nothing when it has one. */
export function branchNav(doc: Document, branch: { readonly index: number; readonly count: number } | undefined): HTMLElement | undefined {
  if (!branch || branch.count <= 1) return undefined;
  const { index, count } = branch;
  const prev = toolbarButton(doc, 'branch-prev', TURN_ACTION.branchPrev, 'chevronLeft', strings.previousVersion);
  const next = toolbarButton(doc, 'branch-next', TURN_ACTION.branchNext, 'chevronRight', strings.nextVersion);
  if (index <= 1) prev.setAttribute(AT_END_ATTR, '');
  if (index >= count) next.setAttribute(AT_END_ATTR, '');
  prev.disabled = prev.hasAttribute(AT_END_ATTR);
  next.disabled = next.hasAttribute(AT_END_ATTR);
  return el(doc, 'div', { className: 'branch-nav', attrs: { role: 'group', 'aria-label': strings.branchGroupLabel(index, count) } }, [
    prev,
    // aria-hidden: the group's label already says "Version 2 of 3"; "2 / 3" would be read twice.
    el(doc, 'span', { className: 'branch-label', text: strings.branchPosition(index, count), attrs: { 'aria-hidden': 'true' } }),
    next,
  ]);
}

/**
 * Enables or disables the buttons under `scope` that start a request (Edit, Continue) or swap
 * the transcript (version switcher). `locked` = busy or blocked; switching versions only waits
 * for the running answer, since it does not call the API.
 */
export function applyLocks(scope: ParentNode, busy: boolean, locked: boolean): void {
  for (const button of Array.from(scope.querySelectorAll<HTMLButtonElement>('.turn-edit, .continue, .turn-regenerate'))) button.disabled = locked;
  for (const button of Array.from(scope.querySelectorAll<HTMLButtonElement>('.branch-prev, .branch-next'))) {
    button.disabled = busy || button.hasAttribute(AT_END_ATTR);
  }
}
