/**
 * The message box. Enter sends, Shift+Enter inserts a newline, Esc stops a running answer, and
 * ArrowUp in an empty box edits the last message (as in terminals and Copilot Chat), and `@` opens
 * a picker over the workspace's files. The draft is persisted on every input so it survives the view being hidden and restored. While
 * busy the Send button turns into Stop (same element, so keyboard focus stays put).
 */
import { MAX_SEND_CHARS, parseSlashCommand, type Blocker } from '../../shared/protocol';
import type { HostApi } from '../api';
import { el } from '../dom';
import { formatInteger } from '../format';
import { icon } from '../icons';
import { strings } from '../strings';
import { FilePickerView } from './filePicker';
import { onPaste } from './mediaInput';

export interface ComposerDeps {
  readonly api: HostApi;
  /** Request id factory; `crypto.randomUUID` in the webview, deterministic in tests. */
  readonly newId: () => string;
  /** Opens the editor on the last user message; false when there is none to edit. */
  readonly editLast?: () => boolean;
  /** Shown at the top of the box, above the text (the context chips). */
  readonly top?: HTMLElement;
}

export class ComposerView {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly button: HTMLButtonElement;
  private readonly hint: HTMLElement;
  private readonly reason: HTMLElement;
  private busy = false;
  private blocker: Blocker | undefined;
  /** Which icon the button shows, so typing does not rebuild it on every keystroke. */
  private iconFor: 'send' | 'stop' | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** The `@` file picker. */
  readonly picker: FilePickerView;

  constructor(
    doc: Document,
    private readonly deps: ComposerDeps,
  ) {
    this.input = el(doc, 'textarea', {
      id: 'composer-input',
      className: 'composer-input',
      attrs: { rows: '1', 'aria-label': strings.composerLabel, placeholder: strings.composerPlaceholder, 'aria-describedby': 'composer-hint composer-reason' },
    });
    this.input.value = deps.api.getState().draft;
    const edited = (): void => {
      this.deps.api.patchState({ draft: this.input.value });
      this.reason.hidden = true;
      this.refresh();
      this.announceDraft();
    };
    this.picker = new FilePickerView(doc, this.input, deps.api, deps.newId, edited);
    this.input.addEventListener('input', () => {
      edited();
      this.picker.onInput();
    });
    this.input.addEventListener('blur', () => this.picker.close());
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    // A pasted image becomes a context chip (the host checks it); pasted text stays text.
    this.input.addEventListener('paste', (event) => onPaste(event, { api: deps.api, refuse: (message) => this.showReason(message) }));

    this.button = el(doc, 'button', { id: 'send', className: 'icon-button send-button', attrs: { type: 'button' } });
    this.button.addEventListener('click', () => (this.busy ? this.stop() : this.send()));
    this.hint = el(doc, 'span', { id: 'composer-hint', className: 'composer-hint' });
    this.reason = el(doc, 'div', { id: 'composer-reason', className: 'composer-reason', attrs: { role: 'status' } });
    this.reason.hidden = true;

    this.element = el(doc, 'div', { id: 'composer', className: 'composer' }, [
      this.picker.element,
      el(doc, 'div', { className: 'composer-box' }, [
        ...(deps.top !== undefined ? [deps.top] : []),
        this.input,
        el(doc, 'div', { className: 'composer-actions' }, [this.hint, this.button]),
      ]),
      this.reason,
    ]);
    this.refresh();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  setBlocker(blocker: Blocker | undefined): void {
    this.blocker = blocker;
    // With no key the onboarding card replaces the composer; in Restricted Mode the composer
    // stays visible but disabled, with the reason next to it.
    this.element.hidden = blocker?.kind === 'noApiKey';
    this.refresh();
  }

  /** `didFocusInput`: focus the box, optionally replacing the draft (e.g. "Explain this"). */
  focus(text?: string): void {
    if (text !== undefined) {
      this.input.value = text;
      this.deps.api.patchState({ draft: text });
      this.refresh();
    }
    this.input.focus();
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  /** Shows why something was not taken (a message too long, a pasted file of the wrong kind). */
  showReason(message: string): void {
    this.reason.textContent = message;
    this.reason.hidden = false;
  }

  private onKeyDown(event: KeyboardEvent): void {
    // While an IME composition is open, Enter confirms the composition, not the message.
    if (event.isComposing || event.keyCode === 229) return;
    if (this.picker.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      if (!this.busy) this.send();
    } else if (event.key === 'Escape' && this.busy) {
      event.preventDefault();
      this.stop();
    } else if (event.key === 'ArrowUp' && this.input.value === '' && this.canEditLast(event)) {
      // Only when empty: with text, ArrowUp must keep moving the caret between lines.
      if (this.deps.editLast?.()) event.preventDefault();
    }
  }

  private canEditLast(event: KeyboardEvent): boolean {
    return !this.busy && !this.blocker && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
  }

  private send(): void {
    const text = this.input.value;
    if (this.blocker || this.busy || text.trim() === '') return;
    if (text.length > MAX_SEND_CHARS) {
      this.showReason(strings.messageTooLong(formatInteger(MAX_SEND_CHARS)));
      return;
    }
    // `/personas …`: a recipe on the current selection, run by the host (which puts an unknown command back).
    const slash = parseSlashCommand(text);
    if (slash) this.deps.api.post({ type: 'runRecipe', command: slash.command, text: slash.text });
    else this.deps.api.post({ type: 'send', text, requestId: this.deps.newId() });
    this.input.value = '';
    this.deps.api.patchState({ draft: '' });
    this.refresh();
    this.announceDraft(0);
  }

  /** Tells the host what is being typed (coalesced), so the status bar's token count follows it. */
  private announceDraft(delayMs = 150): void {
    clearTimeout(this.draftTimer);
    const post = (): void => {
      this.draftTimer = undefined;
      const text = this.input.value.slice(0, MAX_SEND_CHARS);
      this.deps.api.post({ type: 'draftChanged', text });
    };
    if (delayMs === 0) post();
    else this.draftTimer = setTimeout(post, delayMs);
  }

  private stop(): void {
    this.deps.api.post({ type: 'stop' });
  }

  private refresh(): void {
    const doc = this.element.ownerDocument;
    const blocked = this.blocker !== undefined;
    this.input.disabled = blocked;
    this.input.placeholder = blocked
      ? (this.blocker?.kind === 'untrusted' ? strings.disabledUntrusted : strings.disabledNoKey)
      : strings.composerPlaceholder;
    this.hint.textContent = this.busy ? strings.composerHintBusy : strings.composerHint;

    const label = this.busy ? strings.stopLabel : strings.sendLabel;
    this.button.id = this.busy ? 'stop' : 'send';
    this.button.classList.toggle('stop-button', this.busy);
    this.button.setAttribute('aria-label', label);
    this.button.title = this.busy ? `${strings.stop} (Esc)` : `${strings.send} (Enter)`;
    const iconName = this.busy ? 'stop' : 'send';
    if (this.iconFor !== iconName) {
      this.button.replaceChildren(icon(doc, iconName));
      this.iconFor = iconName;
    }
    this.button.disabled = blocked || (!this.busy && this.input.value.trim() === '');
  }
}
