/**
 * What the webview benchmarks (bench/longChat.ts, bench/render.ts) share: the headless Chromium
 * they drive, the sidebar-sized viewport they open the chat webview in and the webview bundle
 * they load, built from src/ as the packaged build builds it.
 */
import * as fs from 'node:fs';
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
