/**
 * The inline editor that replaces a user message while it is being edited: a textarea with the
 * message's text and Send / Cancel. Enter sends and Esc cancels, as in the composer. It only
 * collects the new text; the transcript decides what sending means (post `editMessage`) and
 * restores the message, since the host answers an edit with a fresh `didLoad` anyway.
 */
import { MAX_SEND_CHARS } from '../../shared/protocol';
import { el } from '../dom';
import { formatInteger } from '../format';
import { strings } from '../strings';

export interface EditorCallbacks {
  readonly submit: (text: string) => void;
  readonly cancel: () => void;
}

export class MessageEditor {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  private readonly send: HTMLButtonElement;
  private readonly reason: HTMLElement;
  private locked = false;

  constructor(doc: Document, text: string, private readonly callbacks: EditorCallbacks) {
    this.input = el(doc, 'textarea', {
      className: 'edit-input',
      attrs: { rows: '1', 'aria-label': strings.editInputLabel },
    });
    this.input.value = text;
    this.input.addEventListener('input', () => {
      this.reason.hidden = true;
      this.refresh();
    });
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));

    const cancel = el(doc, 'button', {
      className: 'button-secondary edit-cancel',
      attrs: { type: 'button', 'aria-label': strings.cancelEditLabel, title: `${strings.cancel} (Esc)` },
    }, [el(doc, 'span', { className: 'label', text: strings.cancel })]);
    cancel.addEventListener('click', () => callbacks.cancel());
    this.send = el(doc, 'button', {
      className: 'button-primary edit-send',
      attrs: { type: 'button', 'aria-label': strings.editSendLabel, title: `${strings.send} (Enter)` },
    }, [el(doc, 'span', { className: 'label', text: strings.send })]);
    this.send.addEventListener('click', () => this.submit());

    this.reason = el(doc, 'div', { className: 'edit-reason', attrs: { role: 'status' } });
    this.reason.hidden = true;
    this.element = el(doc, 'div', { className: 'edit-box' }, [
      this.input,
      el(doc, 'div', { className: 'edit-actions' }, [
        el(doc, 'span', { className: 'edit-hint', text: strings.editHint }),
        cancel,
        this.send,
      ]),
      this.reason,
    ]);
    this.refresh();
  }

  /** While an answer is running (or chat is blocked) the host would reject the edit. */
  setLocked(locked: boolean): void {
    this.locked = locked;
    this.refresh();
  }

  /** Focus with the caret at the end, where one usually continues typing. */
  focus(): void {
    this.input.focus();
    const end = this.input.value.length;
    this.input.setSelectionRange(end, end);
  }

  private onKeyDown(event: KeyboardEvent): void {
    // While an IME composition is open, Enter confirms the composition, not the message.
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      // Esc belongs to the editor here; it must not also stop an answer or close anything else.
      event.stopPropagation();
      this.callbacks.cancel();
    }
  }

  private submit(): void {
    const text = this.input.value;
    if (this.locked || text.trim() === '') return;
    if (text.length > MAX_SEND_CHARS) {
      this.reason.textContent = strings.messageTooLong(formatInteger(MAX_SEND_CHARS));
      this.reason.hidden = false;
      return;
    }
    this.callbacks.submit(text);
  }

  private refresh(): void {
    this.send.disabled = this.locked || this.input.value.trim() === '';
  }
}
