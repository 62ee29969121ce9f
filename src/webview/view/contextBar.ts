/**
 * The chips above the composer: each item of context with its size in tokens, a state when it is
 * not plain ("updated", "deleted", "excluded: why"), a × to remove it and a click that opens its
 * range. A dashed chip offers the active editor (or its selection). The host owns the list; this
 * view only draws what `didChangeContext` says and posts what the user does.
 */
import type { ContextChipView, ContextSuggestionView, ToWebview } from '../../shared/protocol';
import type { HostApi } from '../api';
import { closestElement, el } from '../dom';
import { formatCompact } from '../format';
import { icon } from '../icons';
import { strings } from '../strings';

const s = strings.context;
const THUMBNAIL_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export class ContextBarView {
  readonly element: HTMLElement;
  /** Thumbnails' `blob:` URLs by chip, made once per image's bytes and revoked when the chip goes. */
  private readonly thumbnails = new Map<string, { readonly data: string; readonly url: string }>();

  constructor(
    private readonly doc: Document,
    private readonly api: HostApi,
  ) {
    this.element = el(doc, 'div', { id: 'context-bar', className: 'context-bar', attrs: { role: 'list', 'aria-label': s.barLabel } });
    this.element.hidden = true;
    this.element.addEventListener('click', (event) => this.onClick(event));
  }

  update(message: ToWebview.DidChangeContext): void {
    const live = new Set(message.chips.filter((chip) => chip.thumbnail !== undefined).map((chip) => chip.id));
    for (const [id, thumb] of this.thumbnails) {
      if (!live.has(id)) {
        URL.revokeObjectURL(thumb.url);
        this.thumbnails.delete(id);
      }
    }
    const children: HTMLElement[] = message.chips.map((chip) => this.chip(chip));
    if (message.suggestion !== undefined) children.push(this.suggestion(message.suggestion));
    this.element.replaceChildren(...children);
    this.element.hidden = children.length === 0;
    this.element.setAttribute('data-total-tokens', String(message.totalTokens));
  }

  private chip(chip: ContextChipView): HTMLElement {
    const doc = this.doc;
    const tokens = formatCompact(chip.tokens);
    const title = chip.state === 'excluded' ? s.excludedTitle(chip.label, chip.reason ?? '')
      : chip.state === 'updated' ? s.updatedTitle(chip.label)
        : chip.state === 'deleted' ? s.deletedTitle(chip.label)
          : chip.state === 'sent' ? s.sentTitle(chip.label, tokens) : s.openTitle(chip.label, tokens);
    const name = chip.label.slice(chip.label.lastIndexOf('/') + 1);
    const thumbnail = this.thumbnail(chip);
    const open = el(doc, 'button', { className: 'context-chip-open', attrs: { type: 'button', 'data-action': 'open-context', title: chip.detail !== undefined ? s.mediaTitle(title, chip.detail) : title } }, [
      ...(thumbnail !== undefined ? [thumbnail] : chip.kind === 'image' || chip.kind === 'document' ? [icon(doc, chip.kind === 'image' ? 'image' : 'document')] : []),
      el(doc, 'span', { className: 'context-chip-name', text: name }),
      ...(chip.detail !== undefined ? [el(doc, 'span', { className: 'context-chip-detail', text: chip.detail })] : []),
    ]);
    if (chip.state === 'excluded') {
      open.append(el(doc, 'span', { className: 'context-chip-state', text: `${s.stateExcluded}: ${chip.reason ?? ''}` }));
    } else {
      open.append(el(doc, 'span', { className: 'context-chip-tokens', text: s.tokens(tokens) }));
      if (chip.state === 'updated' || chip.state === 'deleted') {
        open.append(el(doc, 'span', { className: 'context-chip-state', text: chip.state === 'updated' ? s.stateUpdated : s.stateDeleted }));
      }
    }
    const remove = el(doc, 'button', {
      className: 'context-chip-remove',
      attrs: { type: 'button', 'data-action': 'remove-context', 'aria-label': s.removeLabel(chip.label), title: s.removeLabel(chip.label) },
      text: '×',
    });
    return el(doc, 'div', {
      className: 'context-chip',
      attrs: { role: 'listitem', 'data-id': chip.id, 'data-kind': chip.kind, 'data-state': chip.state, 'data-label': chip.label, 'data-tokens': String(chip.tokens) },
    }, [open, remove]);
  }

  /**
   * A small image's thumbnail, from the bytes the host sent, through a `blob:` URL (the one image
   * source the page's CSP adds to its own): nothing is fetched. Undefined when there is none.
   */
  private thumbnail(chip: ContextChipView): HTMLElement | undefined {
    const thumb = chip.thumbnail;
    if (thumb === undefined || !THUMBNAIL_TYPES.has(thumb.mediaType) || typeof URL.createObjectURL !== 'function') return undefined;
    let cached = this.thumbnails.get(chip.id);
    if (cached?.data !== thumb.data) {
      if (cached !== undefined) URL.revokeObjectURL(cached.url);
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = Uint8Array.from(atob(thumb.data), (c) => c.charCodeAt(0));
      } catch {
        return undefined;
      }
      cached = { data: thumb.data, url: URL.createObjectURL(new Blob([bytes], { type: thumb.mediaType })) };
      this.thumbnails.set(chip.id, cached);
    }
    return el(this.doc, 'img', { className: 'context-chip-thumb', attrs: { src: cached.url, alt: '', width: '16', height: '16' } });
  }

  private suggestion(suggestion: ContextSuggestionView): HTMLElement {
    const doc = this.doc;
    const name = suggestion.label.slice(suggestion.label.lastIndexOf('/') + 1);
    return el(doc, 'button', {
      className: 'context-suggestion',
      attrs: { type: 'button', role: 'listitem', 'data-action': 'add-suggestion', 'data-kind': suggestion.kind, 'aria-label': s.suggestionLabel(suggestion.label), title: s.suggestionTitle },
    }, [icon(doc, 'plus'), el(doc, 'span', { className: 'context-chip-name', text: name })]);
  }

  private onClick(event: Event): void {
    const button = closestElement(event.target, 'button[data-action]');
    if (button === null) return;
    const action = button.getAttribute('data-action');
    if (action === 'add-suggestion') return void this.api.post({ type: 'addSuggestion' });
    const id = button.closest('.context-chip')?.getAttribute('data-id');
    if (!id) return;
    this.api.post({ type: action === 'remove-context' ? 'removeContext' : 'openContext', id });
  }
}
