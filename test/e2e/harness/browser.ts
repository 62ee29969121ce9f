/**
 * Debian's chromium driven by playwright-core against a code-server workbench.
 *
 * Layout of a webview in VS Code 1.139 web (code-server): the main page holds
 * `iframe.webview` (src `.../webview/browser/pre/index.html?id=...`), which
 * holds `iframe#active-frame` (src `.../pre/fake.html?id=...`) whose document
 * is the extension's HTML. `findWebviewFrame` searches every frame for a
 * selector, so callers need not care about the nesting.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { artifactPath, safeName } from './artifacts';

export const CHROMIUM_PATH = process.env.CLAUDE_STUDIO_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

/**
 * The four theme kinds of VS Code 1.139, each as its built-in theme: `id` is the
 * `workbench.colorTheme` value, `label` its row in "Preferences: Color Theme", `workbenchClass`
 * the class `.monaco-workbench` carries once it applies. The old ids "Default Light
 * Modern"/"Default Dark Modern" are still accepted in settings (migrated) but are not picker
 * labels any more; the high-contrast themes keep their old ids under new labels
 * (extensions/theme-defaults/package.json and package.nls.json).
 */
export const THEMES = {
  light: { id: 'Light Modern', label: 'Light Modern', workbenchClass: 'vs' },
  dark: { id: 'Dark Modern', label: 'Dark Modern', workbenchClass: 'vs-dark' },
  hcDark: { id: 'Default High Contrast', label: 'Dark High Contrast', workbenchClass: 'hc-black' },
  hcLight: { id: 'Default High Contrast Light', label: 'Light High Contrast', workbenchClass: 'hc-light' },
} as const;
export type ThemeKind = keyof typeof THEMES;
export const THEME_KINDS: readonly ThemeKind[] = ['light', 'dark', 'hcDark', 'hcLight'];

/** True for the two high-contrast kinds. */
export function isHighContrast(kind: ThemeKind): boolean {
  return kind === 'hcDark' || kind === 'hcLight';
}

/** User settings that start the workbench in the given theme (pass to startCodeServer). */
export function themeSettings(kind: ThemeKind): Record<string, unknown> {
  return { 'workbench.colorTheme': THEMES[kind].id };
}

export interface Workbench {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes the page, the context and the browser (all chromium processes). */
  close(): Promise<void>;
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  timeoutMs?: number;
  /** Reuse a browser; `close()` then closes only the context. */
  browser?: Browser;
  /** Prefix of the console log file in the artifacts dir; default "browser". */
  label?: string;
  /** Called before navigation, e.g. to `page.exposeFunction(...)`. */
  beforeGoto?: (page: Page) => Promise<void>;
}

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: process.env.CLAUDE_STUDIO_E2E_HEADED ? false : true,
    args: [...CHROMIUM_ARGS],
  });
}

/** Waits until `.monaco-workbench` and the status bar are visible. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('[id="workbench.parts.statusbar"]').waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Launches chromium (unless given one), opens `url`, waits for the workbench. */
export async function openWorkbench(url: string, opts: OpenOptions = {}): Promise<Workbench> {
  const ownBrowser = !opts.browser;
  const browser = opts.browser ?? (await launchBrowser());
  try {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    const consoleLog = fs.createWriteStream(artifactPath(`${safeName(opts.label ?? 'browser')}-console.log`), { flags: 'a' });
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e.message}\n`));
    if (opts.beforeGoto) await opts.beforeGoto(page);
    await page.goto(url, { timeout: opts.timeoutMs ?? 60_000 });
    await waitForWorkbench(page, opts.timeoutMs ?? 60_000);
    return {
      browser,
      context,
      page,
      close: async () => {
        await context.close().catch(() => undefined);
        if (ownBrowser) await browser.close().catch(() => undefined);
        consoleLog.end();
      },
    };
  } catch (err) {
    if (ownBrowser) await browser.close().catch(() => undefined);
    throw err;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The quick input (command palette / quick pick) widget. */
export function quickInput(page: Page): ReturnType<Page['locator']> {
  return page.locator('.quick-input-widget');
}

/**
 * Picks the row labelled exactly `label` in an open quick pick after typing
 * `filter` (default: the label) into it.
 */
export async function pickQuickItem(page: Page, label: string, opts: { filter?: string; timeoutMs?: number } = {}): Promise<void> {
  const widget = quickInput(page);
  const input = widget.locator('input.input, .quick-input-box input').first();
  await input.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 10_000 });
  await input.pressSequentially(opts.filter ?? label, { delay: 5 });
  const row = widget
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: opts.timeoutMs ?? 10_000 });
  await row.click();
}

/** In-page probe for {@link paletteDone}; a string because the harness compiles without the DOM types. */
const PALETTE_DONE = `(() => {
  const widget = document.querySelector('.quick-input-widget');
  if (!widget || widget.getClientRects().length === 0 || getComputedStyle(widget).visibility === 'hidden') return 'closed';
  if (widget.inert || widget.classList.contains('quick-input-widget-closing')) return false;
  const input = widget.querySelector('.quick-input-box input');
  return input !== null && !input.value.startsWith('>') ? 'picker' : false;
})()`;

/**
 * After a palette row was clicked: resolves as soon as the palette has closed (the widget is
 * hidden) or the command's own quick pick / input box has taken its place (the widget is shown,
 * not closing, and its input no longer holds the palette's ">…" text). The widget is one DOM
 * element reused by every quick input, so "hidden" alone never came for a command that opens a
 * picker, and the wait ran out its whole timeout. A closing widget (VS Code animates the close
 * for ~150 ms, `inert` meanwhile) is neither: typing into it would go nowhere. Gives up
 * silently after `timeoutMs`, as the wait for "hidden" did.
 */
async function paletteDone(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(PALETTE_DONE, undefined, { timeout: timeoutMs }).catch(() => undefined);
}

/**
 * Runs a command by its palette title ("Category: Title"), via F1. Retries
 * while the command is not listed yet (extension still registering).
 */
export async function runCommand(page: Page, title: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      // Focus the workbench, not a webview that would swallow F1.
      await page.locator('[id="workbench.parts.statusbar"]').focus().catch(() => undefined);
      await page.keyboard.press('F1');
      const widget = quickInput(page);
      await widget.waitFor({ state: 'visible', timeout: 5000 });
      const input = widget.locator('input').first();
      // F1 opens with ">" already typed; keep it and type the title after it.
      await input.fill(`>${title}`);
      const row = widget
        .locator('.monaco-list-row')
        .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`) }) })
        .first();
      await row.waitFor({ state: 'visible', timeout: Math.min(5000, Math.max(500, deadline - Date.now())) });
      await row.click();
      await paletteDone(page, 5000);
      return;
    } catch (err) {
      lastError = err;
      await page.keyboard.press('Escape').catch(() => undefined);
      await page.waitForTimeout(500);
    }
  }
  throw new Error(`command "${title}" not found in the palette: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

/**
 * The frame (inside the webview iframes) whose document contains `selector`.
 * Polls every frame of the page until `timeoutMs`.
 */
export async function findWebviewFrame(page: Page, selector: string, opts: { timeoutMs?: number } = {}): Promise<Frame> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // frame navigated or detached meanwhile
      }
    }
    if (Date.now() > deadline) {
      const urls = page.frames().map((f) => f.url()).join('\n  ');
      throw new Error(`no frame contains ${selector} after ${opts.timeoutMs ?? 20_000} ms; frames:\n  ${urls}`);
    }
    await page.waitForTimeout(250);
  }
}

/** Saves a PNG of the page into the artifacts dir and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = artifactPath(`${safeName(name)}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * On failure: a screenshot plus the `innerText` of the page and of every frame
 * into `<name>.txt`. Never throws; returns the files written.
 */
export async function dumpFailure(page: Page, name: string): Promise<string[]> {
  const files: string[] = [];
  const base = safeName(`FAILED-${name}`);
  try {
    files.push(await screenshot(page, base));
  } catch {
    // page may be gone
  }
  const parts: string[] = [];
  for (const frame of page.frames()) {
    let text: string;
    try {
      text = await frame.locator('body').innerText({ timeout: 2000 });
    } catch (err) {
      text = `<unreadable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}>`;
    }
    const which = frame === page.mainFrame() ? 'MAIN PAGE' : `FRAME ${frame.name() || '(unnamed)'}`;
    parts.push(`===== ${which} ${frame.url()}\n${text}\n`);
  }
  try {
    const file = artifactPath(`${base}.txt`);
    fs.writeFileSync(file, parts.join('\n'));
    files.push(file);
  } catch {
    // best effort
  }
  return files;
}

/** Runs `fn`; if it throws, dumps the page first, then rethrows. */
export async function withFailureDump<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const files = await dumpFailure(page, name);
    process.stderr.write(`[e2e] failure artifacts: ${files.join(', ')}\n`);
    throw err;
  }
}

/** The theme kind from the workbench's theme class (`vs`, `vs-dark`, `hc-black`, `hc-light`). */
export async function currentThemeKind(page: Page): Promise<ThemeKind> {
  const classes = ((await page.locator('.monaco-workbench').getAttribute('class')) ?? '').split(/\s+/);
  const kind = THEME_KINDS.find((k) => classes.includes(THEMES[k].workbenchClass));
  if (!kind) throw new Error(`no theme class on the workbench: ${classes.join(' ')}`);
  return kind;
}

/** Switches the color theme through "Preferences: Color Theme" and waits for it to apply. */
export async function setColorTheme(page: Page, kind: ThemeKind): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await pickQuickItem(page, THEMES[kind].label);
  await quickInput(page).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while ((await currentThemeKind(page)) !== kind) {
    if (Date.now() > deadline) throw new Error(`theme did not switch to ${kind} (${THEMES[kind].label})`);
    await page.waitForTimeout(100);
  }
}
