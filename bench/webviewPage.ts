/**
 * What the webview benchmarks (bench/longChat.ts, bench/render.ts) share: the headless Chromium
 * they drive and the sidebar-sized viewport they open the chat webview in.
 */
import * as path from 'node:path';
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
