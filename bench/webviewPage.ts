/**
 * What the webview benchmarks (bench/longChat.ts, bench/render.ts) share: the headless Chromium
 * they drive, the sidebar-sized viewport they open the chat webview in, the webview bundle they
 * load, built from src/ as the packaged build builds it and served on loopback, the stand-in for
 * VS Code's `acquireVsCodeApi` it runs behind, and what they read over CDP: Performance metrics
 * and `toplevel` traces.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Frame, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..');

/** Debian's chromium unless `CLAUDE_STUDIO_CHROMIUM` names another. */
export const CHROMIUM_PATH = process.env.CLAUDE_STUDIO_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

/** A sidebar-sized viewport: the chat usually lives in a narrow side bar. */
export const VIEWPORT = { width: 420, height: 900 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/**
 * Injected before the bundle as VS Code's preload does: `acquireVsCodeApi` callable once, posts
 * go to a list the runner can read (`window.benchPosted`), state is kept in memory. Each post is
 * structured-cloned on the page's thread, as the real postMessage clones it: a large post (a
 * dropped image's bytes) costs the page here what it costs in VS Code.
 */
export const STUB_VSCODE_API = `
window.benchPosted = [];
let acquired = false;
let state;
window.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi may only be called once');
  acquired = true;
  return {
    postMessage: (message) => void window.benchPosted.push(structuredClone(message)),
    getState: () => state,
    setState: (next) => (state = next),
  };
};`;

/**
 * Waits until the webview in `frame` has posted `ready` through the stub, then answers it as the
 * host does (`didInit`: English, the built-in strings) and waits for the app to be built; `errors`
 * go into the message if either never happens.
 */
export async function waitForReady(frame: Frame, errors: readonly string[]): Promise<void> {
  await frame.waitForFunction(() => window.benchPosted.some((m) => (m as { type?: unknown }).type === 'ready'), null, { timeout: 30_000 })
    .catch((error: unknown) => {
      throw new Error(`the webview never said ready (${String(error)}); page errors:\n${errors.join('\n')}`);
    });
  await frame.evaluate(() => window.postMessage({ type: 'didInit', language: 'en', bundle: {} }, '*'));
  await frame.waitForSelector('#transcript', { state: 'attached', timeout: 30_000 })
    .catch((error: unknown) => {
      throw new Error(`the webview built no chat after didInit (${String(error)}); page errors:\n${errors.join('\n')}`);
    });
}

/**
 * Opens the bench page at `url` in `context` with the stub VS Code API, answers its 'ready' and
 * waits for the chat (see {@link waitForReady}). `errors` collects the page's uncaught errors for
 * as long as the page lives.
 */
export async function openWebviewPage(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  // tsx names the arrow functions the benches evaluate with __name(); the page has no such helper.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript({ content: STUB_VSCODE_API });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await waitForReady(page.mainFrame(), errors);
  return { page, errors };
}

/**
 * Builds the webview of the checkout at `root` (the work tree, or another revision's sources)
 * into `dir` as `vscode:prepublish` does: webview.js and webview.css, minified unless asked not
 * to, no source map. Packages resolve from this repository's node_modules.
 */
export async function buildWebviewBundle(root: string, dir: string, minify = true): Promise<void> {
  const common: esbuild.BuildOptions = { bundle: true, minify, logLevel: 'warning', absWorkingDir: root, nodePaths: [path.join(REPO_ROOT, 'node_modules')] };
  fs.mkdirSync(dir, { recursive: true });
  await Promise.all([
    esbuild.build({ ...common, entryPoints: { webview: 'src/webview/main.ts' }, outdir: dir, platform: 'browser', format: 'iife', target: 'es2022' }),
    esbuild.build({ ...common, entryPoints: { webview: 'src/webview/styles.css' }, outdir: dir }),
  ]);
}

export interface LoopbackServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves on 127.0.0.1 only, on a free port, so the CSP's 'self' means something and nothing
 * leaves the machine. `handle` is given the port, e.g. to point at the same server as localhost.
 */
export async function serveLoopback(handle: (url: URL, res: http.ServerResponse, port: number) => void): Promise<LoopbackServer> {
  let port = 0;
  const server = http.createServer((req, res) => handle(new URL(req.url ?? '/', 'http://x'), res, port));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Answers with `file`, typed by its extension and never cached. */
export function sendFile(res: http.ServerResponse, file: string): void {
  res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(fs.readFileSync(file));
}

/** CDP `Performance.getMetrics`, by name (Performance must be enabled on the session). */
export async function metrics(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return new Map(list.map((m) => [m.name, m.value]));
}

export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  /** Start (µs, trace clock). */
  readonly ts?: number;
  /** Wall time (µs), which includes the time the OS gave other processes. */
  readonly dur?: number;
  /** Thread (CPU) time (µs): what the task cost, without the time the OS gave other processes. */
  readonly tdur?: number;
  readonly args?: { readonly name?: string; readonly [key: string]: unknown };
}

/** What a task is called in the `toplevel` category (it changed across Chromium versions). */
export const TOP_LEVEL_TASKS: ReadonlySet<string> = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** Runs `body` under a CDP trace of the `toplevel` category and returns the trace's events. */
export async function traceTopLevel<T>(cdp: CDPSession, body: () => Promise<T>, categories = 'toplevel,__metadata'): Promise<{ result: T; events: readonly TraceEvent[] }> {
  await cdp.send('Tracing.start', { categories, transferMode: 'ReturnAsStream' });
  const result = await body();
  const complete = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (event) => resolve(event.stream ?? '')));
  await cdp.send('Tracing.end');
  const handle = await complete;
  let json = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 20 });
    json += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(json) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return { result, events: Array.isArray(parsed) ? parsed : parsed.traceEvents ?? [] };
}

/** The thread a trace event ran on, as `pid:tid`. */
export function threadOf(event: TraceEvent): string {
  return `${event.pid}:${event.tid}`;
}

/** The renderers' main threads in a trace, as `pid:tid`. */
export function rendererMainThreads(events: readonly TraceEvent[]): ReadonlySet<string> {
  return new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(threadOf));
}
