/**
 * Wraps each sanitized `<pre><code>` in a card with a language label and Copy / Insert / Apply buttons.
 * Runs after DOMPurify, so the buttons are ours, not something the model could inject. The
 * buttons carry only a data-action; the transcript handles clicks by delegation and reads the
 * code from the DOM at click time.
 */
import { el } from '../dom';
import { icon } from '../icons';
import { strings } from '../strings';

export const CODE_ACTION = { copy: 'copy-code', insert: 'insert-code', apply: 'apply-code', wrap: 'wrap-code' } as const;

function languageOf(code: Element): string {
  return /(?:^|\s)language-(\S+)/.exec(code.getAttribute('class') ?? '')?.[1] ?? '';
}

export function decorateCodeBlocks(root: DocumentFragment | Element): void {
  const doc = root.ownerDocument;
  if (!doc) return;
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.firstElementChild;
    if (!code || code.tagName !== 'CODE') continue;
    const lang = languageOf(code);
    const button = (action: string, label: string, text: string, name: 'copy' | 'insert' | 'diff' | 'wrap'): HTMLButtonElement =>
      el(doc, 'button', { className: 'code-action', attrs: { type: 'button', 'data-action': action, 'aria-label': label, title: label } }, [
        icon(doc, name),
        el(doc, 'span', { className: 'code-action-text', text }),
      ]);
    const toolbar = el(doc, 'div', { className: 'code-toolbar' }, [
      el(doc, 'span', { className: 'code-lang', text: lang }),
      button(CODE_ACTION.copy, strings.copyCodeLabel(lang), strings.copy, 'copy'),
      button(CODE_ACTION.insert, strings.insertCodeLabel(lang), strings.insert, 'insert'),
      button(CODE_ACTION.apply, strings.applyCodeLabel(lang), strings.apply, 'diff'),
    ]);
    // Long lines scroll inside the block; this wraps them instead (a toggle, per block).
    const wrap = el(doc, 'button', { className: 'code-action code-wrap', attrs: { type: 'button', 'data-action': CODE_ACTION.wrap, 'aria-label': strings.wrapCodeLabel, title: strings.wrapCodeLabel, 'aria-pressed': 'false' } }, [icon(doc, 'wrap')]);
    toolbar.append(wrap);
    const wrapper = el(doc, 'div', { className: 'code-block' });
    pre.replaceWith(wrapper);
    wrapper.append(toolbar, pre);
  }
}

/** The code of the block a toolbar button belongs to. */
export function codeForButton(button: Element): string | undefined {
  const code = button.closest('.code-block')?.querySelector('pre > code');
  return code?.textContent ?? undefined;
}
