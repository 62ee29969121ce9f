/**
 * The `@` picker: typing `@` then a few letters in the composer lists workspace files (the host
 * does the fuzzy search over its file index); ↑↓ choose, Enter or Tab adds the file as context and
 * removes the `@query` from the message, Esc closes. Results for an older query are ignored.
 */
import type { FileMatchView, ToWebview } from '../../shared/protocol';
import type { HostApi } from '../api';
import { closestElement, el } from '../dom';
import { strings } from '../strings';

const s = strings.context;
/** `@` at the start or after whitespace, then the query up to the caret. */
const TRIGGER = /(^|\s)@([^\s@]{0,200})$/;

export class FilePickerView {
  readonly element: HTMLElement;
  private readonly list: HTMLElement;
  private results: readonly FileMatchView[] = [];
  private active = 0;
  private requestId: string | undefined;
  /** Where the `@query` starts in the textarea, while open. */
  private start = -1;

  constructor(
    private readonly doc: Document,
    private readonly input: HTMLTextAreaElement,
    private readonly api: HostApi,
    private readonly newId: () => string,
    /** The picker changed the text (removed the `@query`): the composer saves the draft. */
    private readonly onEdited: () => void,
  ) {
    this.list = el(doc, 'ul', { id: 'file-picker-list', className: 'file-picker-list', attrs: { role: 'listbox', 'aria-label': s.pickerLabel } });
    this.element = el(doc, 'div', { id: 'file-picker', className: 'file-picker' }, [
      this.list,
      el(doc, 'div', { className: 'file-picker-hint', text: s.pickerHint }),
    ]);
    this.element.hidden = true;
    // mousedown, not click: the textarea must keep focus (and its caret) while choosing.
    this.list.addEventListener('mousedown', (event) => {
      const option = closestElement(event.target, '[role="option"]');
      if (option === null) return;
      event.preventDefault();
      this.choose(Number(option.getAttribute('data-index')));
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** After every input: opens, updates or closes the picker from the text before the caret. */
  onInput(): void {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const match = TRIGGER.exec(this.input.value.slice(0, caret));
    if (match === null) return this.close();
    this.start = caret - (match[2] ?? '').length - 1;
    this.requestId = this.newId();
    this.api.post({ type: 'searchFiles', query: match[2] ?? '', requestId: this.requestId });
  }

  showResults(message: ToWebview.DidSearchFiles): void {
    if (message.requestId !== this.requestId || this.start < 0) return;
    this.results = message.results;
    this.active = 0;
    this.render();
    this.element.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.input.setAttribute('aria-controls', 'file-picker-list');
  }

  /** Keys while open; returns true when the picker used the key. */
  onKeyDown(event: KeyboardEvent): boolean {
    if (!this.isOpen) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.results.length > 0) {
        this.active = (this.active + (event.key === 'ArrowDown' ? 1 : -1) + this.results.length) % this.results.length;
        this.render();
      }
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (this.results.length === 0) return false;
      this.choose(this.active);
    } else if (event.key === 'Escape') {
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  close(): void {
    this.element.hidden = true;
    this.requestId = undefined;
    this.start = -1;
    this.results = [];
    this.input.removeAttribute('aria-expanded');
    this.input.removeAttribute('aria-activedescendant');
  }

  private choose(index: number): void {
    const result = this.results[index];
    if (result === undefined) return;
    const caret = this.input.selectionStart ?? this.input.value.length;
    const value = this.input.value;
    const from = Math.max(0, this.start);
    this.input.value = value.slice(0, from) + value.slice(caret);
    this.input.setSelectionRange(from, from);
    this.api.post({ type: 'addContextFile', path: result.path });
    this.close();
    this.onEdited();
  }

  private render(): void {
    const doc = this.doc;
    if (this.results.length === 0) {
      this.list.replaceChildren(el(doc, 'li', { className: 'file-picker-empty', text: s.pickerEmpty }));
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    this.list.replaceChildren(...this.results.map((result, index) => {
      const slash = result.path.lastIndexOf('/');
      const marked = new Set(result.positions);
      const name = el(doc, 'span', { className: 'file-picker-name' });
      const dir = el(doc, 'span', { className: 'file-picker-dir' });
      for (let i = 0; i < result.path.length; i++) {
        const char = result.path[i] ?? '';
        const target = i > slash ? name : dir;
        if (marked.has(i)) target.append(el(doc, 'span', { className: 'file-picker-match', text: char }));
        else target.append(char);
      }
      return el(doc, 'li', {
        id: `file-option-${index}`,
        className: index === this.active ? 'file-picker-option active' : 'file-picker-option',
        attrs: { role: 'option', 'data-index': String(index), 'data-path': result.path, 'aria-selected': String(index === this.active) },
      }, [name, dir]);
    }));
    this.input.setAttribute('aria-activedescendant', `file-option-${this.active}`);
    this.list.querySelector('.active')?.scrollIntoView?.({ block: 'nearest' });
  }
}
