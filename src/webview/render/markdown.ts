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
  /**
   * The source ends inside a code fence that is still open: show that fence's code as plain
   * text. Its lines are appended in place as they stream (see streaming.ts) and it is
   * highlighted once, when it closes, instead of on every refresh of the tail.
   */
  readonly openFence?: boolean;
}

export interface MarkdownRenderer {
  /** markdown-it's HTML before sanitizing. Pure; used by render() and by tests. */
  toHtml(source: string, options?: RenderOptions): string;
  /** Sanitized, decorated nodes ready to be appended (they are adopted into the target document). */
  render(source: string, options?: RenderOptions): DocumentFragment;
  /**
   * Renders the finished blocks and the open tail of a stream in one pass (one sanitizer run, a
   * fixed cost worth saving on every frame): `source.slice(0, tailFrom)` (a block boundary) as
   * finished blocks, the rest as a tail with `options`. `tail` is the first top-level node of the
   * tail's rendering (null if it rendered nothing); the nodes before it are the blocks'.
   */
  renderStream(source: string, tailFrom: number, options?: RenderOptions): StreamRender;
  /** The sanitizer alone, for HTML from any source; render() uses it on markdown-it's output. */
  sanitize(html: string): DocumentFragment;
}

export interface StreamRender {
  readonly fragment: DocumentFragment;
  readonly tail: ChildNode | null;
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
    // The <body> DOMPurify parses into and walks from; it is never part of the result (the
    // fragment holds its children). Disallowed, DOMPurify treats the walk's root as a forbidden
    // element and deep-clones all of its content out of it on every call, for nothing.
    'body',
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
/** Token meta flags for one fence: shown plain (open), or highlighted without auto-detection (tail). */
const PLAIN_FENCE = 'claudeStudioPlainFence';
const TAIL_FENCE = 'claudeStudioTailFence';

type Tokens = ReturnType<ReturnType<typeof createMarkdownIt>['parse']>;

function flagFence(token: Tokens[number], flag: string): void {
  token.meta = { ...(token.meta as object | null), [flag]: true };
}

/** A token that opens a top-level element of the rendering (one per block). */
function opensTopLevelElement(token: Tokens[number]): boolean {
  return token.level === 0 && token.nesting !== -1 && !token.hidden;
}

/**
 * Marks a streaming tail's fences (tokens from `from` on): no auto-detection, and the last one
 * plain if it is still open (nothing can follow an open fence).
 */
function flagTailFences(tokens: Tokens, from: number, options: RenderOptions): void {
  let last: Tokens[number] | undefined;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'fence') continue;
    if (options.streaming) flagFence(token, TAIL_FENCE);
    last = token;
  }
  if (last && options.openFence) flagFence(last, PLAIN_FENCE);
}

/**
 * `win` is the window whose DOM the sanitizer parses with: the webview's own window in
 * production, a jsdom window in tests.
 */
export function createMarkdownRenderer(win: WindowLike): MarkdownRenderer {
  let streaming = false;
  const md = createMarkdownIt((code, lang) => highlightCode(code, lang, { noAutoDetect: streaming }));
  const fence = md.renderer.rules.fence;
  if (fence) {
    md.renderer.rules.fence = (tokens, idx, options, env, self) => {
      const meta = tokens[idx]?.meta as Record<string, unknown> | null | undefined;
      // Plain: markdown-it escapes the code itself.
      if (meta?.[PLAIN_FENCE] === true) return fence(tokens, idx, { ...options, highlight: null }, env, self);
      const before = streaming;
      streaming = before || meta?.[TAIL_FENCE] === true;
      try {
        return fence(tokens, idx, options, env, self);
      } finally {
        streaming = before;
      }
    };
  }
  const purify = createDOMPurify(win);
  configureSanitizer(purify);
  // Parsed once: passing the config to every sanitize() call would rebuild its tag and
  // attribute sets each time, a fixed cost paid on every frame of a stream. This instance is
  // private to the renderer, so nothing else can change the config.
  purify.setConfig(SANITIZE_CONFIG);

  const toHtml = (source: string, options: RenderOptions = {}): string => {
    if (!options.streaming && !options.openFence) return md.render(source);
    const env = {};
    const tokens = md.parse(source, env);
    flagTailFences(tokens, 0, options);
    return md.renderer.render(tokens, md.options, env);
  };

  // The config is passed for its types only: with setConfig() in force DOMPurify ignores it.
  const sanitize = (html: string): DocumentFragment => purify.sanitize(html, SANITIZE_CONFIG);
  const render = (source: string, options?: RenderOptions): DocumentFragment => {
    const fragment = sanitize(toHtml(source, options));
    decorateCodeBlocks(fragment);
    return fragment;
  };
  return {
    toHtml,
    sanitize,
    render,
    renderStream(source, tailFrom, options = {}) {
      const env = {};
      const tokens = md.parse(source, env);
      // tailFrom starts a line: the tail is the blocks that start on its line or later.
      let tailLine = 0;
      for (let at = source.indexOf('\n'); at >= 0 && at < tailFrom; at = source.indexOf('\n', at + 1)) tailLine++;
      let split = tokens.findIndex((t) => t.level === 0 && t.map !== null && t.map[0] >= tailLine);
      if (split < 0) split = tokens.length;
      flagTailFences(tokens, split, options);
      const fragment = sanitize(md.renderer.render(tokens, md.options, env));
      decorateCodeBlocks(fragment);
      const elements = fragment.children;
      if (elements.length === tokens.filter(opensTopLevelElement).length) {
        return { fragment, tail: elements[tokens.slice(0, split).filter(opensTopLevelElement).length] ?? null };
      }
      // The sanitizer changed the top level (it never should): render the two parts apart.
      const blocks = render(source.slice(0, tailFrom));
      const tail = render(source.slice(tailFrom), options);
      const first = tail.firstChild;
      blocks.append(tail);
      return { fragment: blocks, tail: first };
    },
  };
}
