/**
 * One user turn: "You", the version switcher when the message was edited, Copy and Edit, and
 * the text exactly as typed. The buttons are wired by the transcript (delegation); this module
 * builds the DOM and runs the editing session that swaps the text for the inline editor.
 */
import type { FromWebview, UserTurnView } from '../../shared/protocol';
import { el } from '../dom';
import type { MarkdownRenderer } from '../render/markdown';
import { strings } from '../strings';
import { MessageEditor } from './messageEditor';
import { renderTurnMedia } from './turnMedia';
import { branchNav, copyButton, toolbarButton, TURN_ACTION } from './turnActions';

/** Text with nothing Markdown would change: shown as a plain paragraph, no parse. */
const PLAIN = /^[^`*_#[\]<>!~|\\&]*$/;
const LIST_OR_QUOTE = /^\s*(?:[-+>]|\d+[.)])\s/m;

/**
 * "`src/app.ts` (lines 3-9):" followed by a code block is how a selection is quoted to Claude
 * (selectionPrompt.ts): shown as one collapsed reference, path and lines, with the highlighted
 * code inside, so a right-click action reads as its instruction and not as a wall of code.
 */
const SELECTION_HEAD = /^(\S+) \((lines? \d+(?:-\d+)?)\):$/;

function compactSelections(doc: Document, body: HTMLElement): void {
  for (const paragraph of Array.from(body.querySelectorAll<HTMLElement>(':scope > p'))) {
    const head = SELECTION_HEAD.exec(paragraph.textContent?.trim() ?? '');
    const block = paragraph.nextElementSibling;
    if (!head || !block?.classList.contains('code-block')) continue;
    const [, path = '', lines = ''] = head;
    const summary = el(doc, 'summary', { className: 'code-ref-summary' }, [
      el(doc, 'span', { className: 'code-ref-path', text: path }),
      el(doc, 'span', { className: 'code-ref-lines', text: lines.replace('-', '–') }),
    ]);
    const details = el(doc, 'details', { className: 'code-ref', attrs: { 'aria-label': strings.selectionReference(path, lines) } }, [summary]);
    paragraph.replaceWith(details);
    details.append(block);
  }
}

/**
 * What the user wrote, rendered as Markdown like an answer (the same sanitizer: no HTML, only
 * safe links), with quoted selections compacted. Plain text skips the parser.
 */
function userText(doc: Document, text: string, markdown: MarkdownRenderer | undefined): HTMLElement {
  const body = el(doc, 'div', { className: 'turn-text markdown' });
  if (markdown === undefined || (PLAIN.test(text) && !LIST_OR_QUOTE.test(text))) {
    body.append(el(doc, 'p', { text }));
    return body;
  }
  body.append(doc.importNode(markdown.render(text), true));
  compactSelections(doc, body);
  return body;
}

export function renderUserTurn(doc: Document, turn: UserTurnView, markdown?: MarkdownRenderer): HTMLElement {
  const toolbar = el(doc, 'div', { className: 'turn-toolbar' });
  const nav = branchNav(doc, turn.branch);
  if (nav) toolbar.append(nav);
  toolbar.append(
    copyButton(doc),
    toolbarButton(doc, 'turn-action turn-edit', TURN_ACTION.edit, 'edit', strings.editMessageLabel, strings.editMessageTitle),
  );
  return el(doc, 'article', {
    className: 'turn turn-user',
    attrs: { 'data-role': 'user', 'data-turn-id': turn.id, 'data-status': 'sent', 'aria-label': strings.youLabel },
  }, [
    el(doc, 'div', { className: 'turn-header' }, [el(doc, 'span', { className: 'turn-author', text: strings.youLabel }), toolbar]),
    userText(doc, turn.text, markdown),
    ...(turn.media !== undefined && turn.media.length > 0 ? [renderTurnMedia(doc, turn.media)] : []),
    ...(turn.context !== undefined && turn.context.length > 0 ? [contextList(doc, turn.context)] : []),
  ]);
}

/** The context sent with the message, as small labels under it. */
function contextList(doc: Document, labels: readonly string[]): HTMLElement {
  return el(doc, 'ul', { className: 'turn-context', attrs: { 'aria-label': strings.context.inTurn(labels.length) } },
    labels.map((label) => el(doc, 'li', { className: 'turn-context-item', text: label, attrs: { title: label } })));
}

/** Hides the text (kept, so Cancel restores it without a re-render) and shows the editor. */
function showEditor(article: HTMLElement, editor: MessageEditor): void {
  const text = article.querySelector<HTMLElement>('.turn-text');
  if (text) {
    text.hidden = true;
    text.after(editor.element);
  } else {
    article.append(editor.element);
  }
  article.classList.add('editing');
}

function hideEditor(article: HTMLElement, editor: MessageEditor): void {
  editor.element.remove();
  const text = article.querySelector<HTMLElement>('.turn-text');
  if (text) text.hidden = false;
  article.classList.remove('editing');
}

export interface EditingDeps {
  readonly post: (message: FromWebview.EditMessage) => void;
  /** After an edit is sent; the composer is where the keyboard user carries on. */
  readonly onSent?: () => void;
}

/** The one user message being edited, if any: opening another closes the first. */
export class EditingSession {
  private editing: { readonly turnId: string; readonly article: HTMLElement; readonly editor: MessageEditor } | undefined;
  private locked = false;

  constructor(private readonly deps: EditingDeps) {}

  /** Opens (or refocuses) the editor on `article`; false while locked, as the host would refuse. */
  open(article: HTMLElement, turnId: string, text: string): boolean {
    if (this.locked) return false;
    if (this.editing?.turnId !== turnId) {
      this.close(false);
      const editor = new MessageEditor(article.ownerDocument, text, {
        submit: (edited) => {
          this.deps.post({ type: 'editMessage', turnId, text: edited });
          // Back to the original until the host's didLoad brings the edited branch.
          this.close(false);
          this.deps.onSent?.();
        },
        cancel: () => this.close(true),
      });
      showEditor(article, editor);
      this.editing = { turnId, article, editor };
    }
    this.editing?.editor.focus();
    return true;
  }

  close(refocus: boolean): void {
    const editing = this.editing;
    if (!editing) return;
    this.editing = undefined;
    hideEditor(editing.article, editing.editor);
    // Focus was inside the editor that just went away; put it back where editing started.
    if (refocus) editing.article.querySelector<HTMLElement>('.turn-edit')?.focus();
  }

  /** Whether the open editor is inside `element` (whose DOM must then stay). */
  isWithin(element: Element): boolean {
    return this.editing !== undefined && element.contains(this.editing.article);
  }

  /** The transcript was redrawn from a snapshot: the editor's DOM is gone already. */
  forget(): void {
    this.editing = undefined;
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.editing?.editor.setLocked(locked);
  }
}
