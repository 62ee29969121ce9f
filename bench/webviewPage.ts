/**
 * What the webview benchmarks (bench/longChat.ts, bench/render.ts) share: the headless Chromium
 * they drive, the sidebar-sized viewport they open the chat webview in, and the webview bundle
 * they load, built from src/ as the packaged build builds it and served on loopback.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

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
