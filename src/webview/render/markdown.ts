/**
 * Markdown -> safe DOM. markdown-it parses with raw HTML disabled, highlight.js colours fences,
 * DOMPurify then enforces an allowlist on the result (defence in depth: markdown-it already
 * escapes HTML, but model output is attacker-controlled text and the sanitizer is the one place
 * that guarantees no script, handler, frame, style or image survives). Code block buttons are
 * added afterwards as DOM so the sanitizer never needs to allow <button>.
 */
import createDOMPurify from 'dompurify';
import type { DOMPurify, WindowLike } from 'dompurify';
import MarkdownIt from 'markdown-it';
import { strings } from '../strings';
import { decorateCodeBlocks } from './codeBlocks';
import { highlightCode } from './highlight';

export interface RenderOptions {
  /** The open tail of a streaming message: cheap rendering, it is redrawn next frame. */
  readonly streaming?: boolean;
}

export interface MarkdownRenderer {
  /** markdown-it's HTML before sanitizing. Pure; used by render() and by tests. */
  toHtml(source: string, options?: RenderOptions): string;
  /** Sanitized, decorated nodes ready to be appended (they are adopted into the target document). */
  render(source: string, options?: RenderOptions): DocumentFragment;
  /** The sanitizer alone, for HTML from any source; render() uses it on markdown-it's output. */
  sanitize(html: string): DocumentFragment;
}

const ALLOWED_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/**
 * Whether a link may be offered to the host. The host checks again: this only decides what
 * stays clickable. Control characters are rejected because browsers strip them before parsing
 * (`java\tscript:`), which is how scheme filters are usually bypassed.
 */
export function isAllowedHref(href: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f]/.test(href)) return false;
  if (!/^(?:https?|mailto):/i.test(href)) return false;
  try {
    return ALLOWED_SCHEMES.has(new URL(href).protocol);
  } catch {
    return false;
  }
}

/**
 * Classes markdown-it and highlight.js emit. Anything else is dropped so rendered content can
 * never borrow one of the UI's own classes.
 */
const SAFE_CLASS = /^(?:hljs(?:-[\w-]+)?|language-[^\s"'<>]+|align-(?:left|center|right)|[a-z][\w-]*_|md-image)$/;

// Return type inferred: markdown-it's CJS typings expose the class only as a value.
export function createMarkdownIt(highlight: (code: string, lang: string) => string) {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false, highlight });

  // Images would load remote URLs (a tracking / data-exfiltration channel) and CSP blocks them
  // anyway, so an image becomes a link the user can choose to open.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (!token) return '';
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    const label = md.utils.escapeHtml(strings.imageLink(alt));
    return `<a href="${md.utils.escapeHtml(src)}" class="md-image">${label}</a>`;
  };

  // Table alignment arrives as style="text-align:…", which the CSP (and the sanitizer) drop;
  // turn it into a class the stylesheet understands.
  md.core.ruler.push('align_classes', (state) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const style = token.attrGet('style');
      if (style === null) continue;
      const styleText = String(style);
      token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
      const align = /text-align:\s*(left|center|right)/.exec(styleText)?.[1];
      if (align) token.attrJoin('class', `align-${align}`);
    }
  });
  return md;
}

/** A class attribute made only of safe classes, which the hook can leave as it is. */
const ALL_SAFE_CLASSES = new RegExp(`^(?:${SAFE_CLASS.source.slice(1, -1)})(?: (?:${SAFE_CLASS.source.slice(1, -1)}))*$`);

/** Whether an attribute name is an event handler (`on…`, any case). */
function isHandlerName(name: string): boolean {
  return name.length > 2 && (name.charCodeAt(0) | 0x20) === 0x6f && (name.charCodeAt(1) | 0x20) === 0x6e;
}

// The hook runs for every element of every render, highlighted code spans included, so it is
// written to do nothing (no arrays, no writes) for the common case of attributes that are fine.
function configureSanitizer(purify: DOMPurify): void {
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const element = node as Element;
    const attributes = element.attributes;
    for (let i = attributes.length - 1; i >= 0; i--) {
      const name = attributes[i]?.name;
      if (name !== undefined && isHandlerName(name)) element.removeAttribute(name);
    }
    const classes = element.getAttribute('class');
    if (classes !== null && !ALL_SAFE_CLASSES.test(classes)) {
      const kept = classes.split(/\s+/).filter((c) => SAFE_CLASS.test(c));
      if (kept.length > 0) element.setAttribute('class', kept.join(' '));
      else element.removeAttribute('class');
    }
    if (element.tagName === 'A') {
      const href = element.getAttribute('href');
      if (href === null || !isAllowedHref(href)) {
        element.removeAttribute('href');
      } else {
        element.setAttribute('rel', 'noopener noreferrer');
        // Show where a link really goes: link text written by the model can say anything.
        if (!element.hasAttribute('title')) element.setAttribute('title', href);
      }
    }
  });
}

const SANITIZE_CONFIG = {
  ALLOWED_TAGS: [
    'a', 'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'del', 'code', 'pre',
    'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'sup', 'sub', 'kbd',
  ],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start'],
  FORBID_TAGS: ['style', 'script', 'svg', 'math', 'iframe', 'frame', 'object', 'embed', 'form', 'img', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'srcset', 'src', 'action', 'formaction'],
  ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  RETURN_DOM_FRAGMENT: true as const,
};

/**
 * `win` is the window whose DOM the sanitizer parses with: the webview's own window in
 * production, a jsdom window in tests.
 */
export function createMarkdownRenderer(win: WindowLike): MarkdownRenderer {
  let streaming = false;
  const md = createMarkdownIt((code, lang) => highlightCode(code, lang, { noAutoDetect: streaming }));
  const purify = createDOMPurify(win);
  configureSanitizer(purify);
  // Parsed once: passing the config to every sanitize() call would rebuild its tag and
  // attribute sets each time, a fixed cost paid on every frame of a stream. This instance is
  // private to the renderer, so nothing else can change the config.
  purify.setConfig(SANITIZE_CONFIG);

  const toHtml = (source: string, options: RenderOptions = {}): string => {
    streaming = options.streaming === true;
    try {
      return md.render(source);
    } finally {
      streaming = false;
    }
  };

  // The config is passed for its types only: with setConfig() in force DOMPurify ignores it.
  const sanitize = (html: string): DocumentFragment => purify.sanitize(html, SANITIZE_CONFIG);
  return {
    toHtml,
    sanitize,
    render(source, options) {
      const fragment = sanitize(toHtml(source, options));
      decorateCodeBlocks(fragment);
      return fragment;
    },
  };
}
