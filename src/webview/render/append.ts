/**
 * Exact in-place updates of a streaming message's open tail, so most frames cost a text append
 * instead of a markdown-it + highlight.js + DOMPurify pass.
 *
 * The open tail is re-rendered in full only every few frames (see streaming.ts). In between, new
 * text is shown at once when appending it as a DOM text node gives exactly what a full render
 * would (highlighting of an open fence aside); anything else waits for the next full render. So
 * the screen always shows a correct rendering of a prefix of the message, never a guess.
 *
 * Text nodes are never parsed as markup, so these appends cannot weaken the sanitizer: they only
 * ever add characters the model sent, as characters.
 *
 * Pure decisions are separate from the DOM work so they can be unit-tested in isolation
 * (test/unit/webview/append.test.ts).
 */
import { openingFence } from './blocks';

/**
 * Characters that, in the middle of a line, mean nothing to markdown-it as configured here
 * (no HTML, linkify on, typographer off): no emphasis, code, link, entity, escape, table, or
 * linkify trigger. Letters and digits of any script are fine: only punctuation and whitespace
 * decide emphasis flanking. `.` and `:` only end a word (before a space or at the end): inside
 * one, "main.py" and "http://x" turn into links as they grow; `@` never (e-mail addresses).
 */
const PLAIN_TEXT = /^(?:[\p{L}\p{N} ,;'"?!()/-]|[.:](?=[ \n]|$))*$/u;

/** Block elements that may hold the end of the source's last line as their own text. */
const TEXT_BLOCKS: ReadonlySet<string> = new Set(['P', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TD', 'TH']);
/** Inline elements markdown-it and highlight.js emit. */
const INLINE: ReadonlySet<string> = new Set(['A', 'STRONG', 'EM', 'CODE', 'S', 'DEL', 'SPAN', 'SUP', 'SUB', 'KBD', 'BR']);
/** Containers whose last child holds the end of the source. */
const CONTAINERS: ReadonlySet<string> = new Set(['UL', 'OL', 'LI', 'BLOCKQUOTE', 'TABLE', 'THEAD', 'TBODY', 'TR']);

export interface InlineAppend {
  /** What to add to the DOM: `source.slice(from, to)`. */
  readonly text: string;
  /** Where the shown part of the source ends afterwards. */
  readonly shown: number;
  /** The source's last visible character before the append, which the DOM must end with. */
  readonly lastVisible: string;
}

/**
 * Decides how much of `source.slice(shown)` can be shown by appending text to the last text
 * block of a tail that is rendered exactly up to `shown`: the longest start of it that renders as
 * itself, so text flows until the first character that needs a real render. Trailing whitespace
 * is held back too (a render drops it at the end of a block, and it may yet become a hard break).
 *
 * The rules, all on one line (a line start can change the block: list item, table row, lazy
 * continuation, setext underline, end of indented code...):
 * - only {@link PLAIN_TEXT} characters, up to the first line break, and no `)` if the paragraph
 *   has an open `](`;
 * - the shown part does not end at a line start;
 * - if the new text continues a word, that word was plain too (`__a__` + `b` is no longer strong)
 *   and is not the first on its line (`1` + `.` starts an ordered list).
 */
export function planInlineAppend(source: string, shown: number): InlineAppend | undefined {
  // Whitespace between the last character a render showed and `shown` (dropped by that render).
  let lastVisibleAt = shown - 1;
  while (lastVisibleAt >= 0 && /[ \t\r\n]/.test(source[lastVisibleAt] ?? '')) lastVisibleAt--;
  if (lastVisibleAt < 0) return undefined;
  const gap = source.slice(lastVisibleAt + 1, shown);
  if (/[^ ]/.test(gap)) return undefined;
  const visible = source.slice(shown, plainEnd(source, shown)).replace(/[ \t]+$/, '');
  if (visible === '') return undefined;
  // Text that continues a word is judged together with it: `__a__` + `b` is no longer strong,
  // `main.` + `py` becomes a link. And not the first word of a line: `1` + `.` is a list item.
  const word = gap === '' && visible[0] !== ' ' ? source.slice(wordStart(source, shown), shown) : '';
  if (word !== '') {
    if (!PLAIN_TEXT.test(word + visible)) return undefined;
    const lineStart = source.lastIndexOf('\n', shown - word.length - 1) + 1;
    if (!/\S/.test(source.slice(lineStart, shown - word.length))) return undefined;
  }
  return { text: gap + visible, shown: shown + visible.length, lastVisible: source[lastVisibleAt] ?? '' };
}

const PLAIN_CHAR = /[\p{L}\p{N} ,;'"?!()/-]/u;

/** Where the run of plain characters that starts at `from` ends (see {@link PLAIN_TEXT}). */
function plainEnd(source: string, from: number): number {
  let linkOpen: boolean | undefined;
  let end = from;
  for (; end < source.length; end++) {
    // ASCII letters, digits and space first: most of any text, no regex needed.
    const code = source.charCodeAt(end);
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 32) continue;
    const char = source[end] ?? '';
    if (char === '.' || char === ':') {
      const next = source[end + 1];
      if (next !== undefined && next !== ' ' && next !== '\n') break;
      continue;
    }
    if (!PLAIN_CHAR.test(char)) break;
    if (char === ')') {
      // `)` closes an inline link whose `](` came earlier in the paragraph.
      linkOpen ??= source.slice(source.lastIndexOf('\n\n', from - 1) + 1, end).includes('](');
      if (linkOpen) break;
    }
  }
  return end;
}

/**
 * Decides how much of `source.slice(shown)` can be appended as is to the `<code>` of an open
 * fence that starts the tail (at `tailStart`, unindented, so markdown-it strips nothing from its
 * lines) and whose opening line was complete when it was last rendered: the end of what to
 * append, or undefined. Whole lines flow up to the first line that could close the fence (or
 * start a new one), which waits for a full render; so do `\r` and NUL, which markdown-it rewrites.
 */
export function fenceAppendEnd(source: string, tailStart: number, shown: number): number | undefined {
  const tail = source.slice(tailStart, shown);
  const opening = /^(?:[ \t]*\n)*([^\n]*)\n/.exec(tail);
  if (!opening || !/^(?:`{3,}|~{3,})/.test(opening[1] ?? '') || !openingFence(opening[1] ?? '')) return undefined;
  const lineStart = source.lastIndexOf('\n', shown - 1) + 1;
  if (lineStart < tailStart + opening[0].length) return undefined;
  let end = source.length;
  for (let at = lineStart; at < source.length;) {
    if (mayBeFence(source, at)) {
      end = at;
      break;
    }
    const newline = source.indexOf('\n', at);
    if (newline < 0) break;
    at = newline + 1;
  }
  // markdown-it drops a last line of only spaces and tabs: hold it back until it has more.
  if (end === source.length) {
    const lastLine = source.lastIndexOf('\n') + 1;
    if (lastLine < source.length && isSpacesAndTabs(source, lastLine)) end = lastLine;
  }
  if (end <= shown || /[\r\0]/.test(source.slice(shown, end))) return undefined;
  return end;
}

/** Whether the line at `at` starts like a fence (up to 3 spaces, then a backtick or tilde). */
function mayBeFence(source: string, at: number): boolean {
  let i = at;
  while (i < at + 3 && source[i] === ' ') i++;
  return source[i] === '`' || source[i] === '~';
}

// Scans backwards from `end` rather than running a `$`-anchored regex, which V8 tries at every
// position of the whole message: these run every frame on a text that can be 100 KB long.
function wordStart(source: string, end: number): number {
  let start = end;
  while (start > 0 && !/[ \t\r\n]/.test(source[start - 1] ?? '')) start--;
  return start;
}

function isSpacesAndTabs(source: string, from: number): boolean {
  for (let i = from; i < source.length; i++) if (source[i] !== ' ' && source[i] !== '\t') return false;
  return true;
}

const isBlankText = (node: Node): boolean => node.nodeType === 3 && !/\S/.test(node.nodeValue ?? '');

function lastContentChild(node: Node): Node | undefined {
  for (let child = node.lastChild; child; child = child.previousSibling) if (!isBlankText(child)) return child;
  return undefined;
}

/** The last non-empty text node under `node`, in document order. */
function lastText(node: Node): Text | undefined {
  for (let child = node.lastChild; child; child = child.previousSibling) {
    if (child.nodeType === 3) {
      if ((child.nodeValue ?? '') !== '') return child as Text;
    } else {
      const found = lastText(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** The text block that holds the end of a rendered tail, if the tail ends in one. */
export function lastTextBlock(nodes: readonly Node[]): Element | undefined {
  let current: Node | undefined;
  for (let i = nodes.length - 1; i >= 0 && !current; i--) {
    const node = nodes[i];
    if (node && !isBlankText(node)) current = node;
  }
  while (current && current.nodeType === 1) {
    const element = current as Element;
    if (!CONTAINERS.has(element.tagName)) return TEXT_BLOCKS.has(element.tagName) ? element : undefined;
    const next = lastContentChild(element);
    // A tight list item holds its text itself: it is the block when it ends in inline content.
    if (element.tagName === 'LI' && next && (next.nodeType === 3 || INLINE.has((next as Element).tagName))) return element;
    current = next;
  }
  return undefined;
}

/**
 * Appends `plan.text` to the tail's last text block if the DOM really ends where the plan says
 * (its last character is the source's last visible one); returns whether it did.
 */
export function applyInlineAppend(nodes: readonly Node[], plan: InlineAppend): boolean {
  const block = lastTextBlock(nodes);
  if (!block) return false;
  const text = lastText(block);
  if (!text || (text.nodeValue ?? '').slice(-1) !== plan.lastVisible) return false;
  appendText(block, plan.text);
  return true;
}

/** The `<code>` of the open fence a rendered tail consists of, if it is exactly one code block. */
export function openFenceCode(nodes: readonly Node[]): Element | undefined {
  const content = nodes.filter((node) => !isBlankText(node));
  if (content.length !== 1) return undefined;
  const block = content[0] as Element;
  if (block.nodeType !== 1 || !block.classList.contains('code-block')) return undefined;
  const code = block.querySelector(':scope > pre > code');
  return code ?? undefined;
}

/**
 * Adds `text` as a text node of its own: growing the last one instead would copy (and make the
 * browser re-shape) all of its text on every frame, which adds up over a long code block.
 * Adjacent text nodes read, copy and serialize as one.
 */
export function appendText(element: Element, text: string): void {
  element.append(element.ownerDocument.createTextNode(text));
}
