/**
 * One real VS Code (code-server) with the packaged extension installed, pointed at the local test
 * server, opened in Chromium on a copy of the sample workspace. Each e2e file starts its own.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from './harness/artifacts';
import type { ThemeKind, Workbench } from './harness/browser';
import { findWebviewFrame, openWorkbench, runCommand, themeSettings, withFailureDump } from './harness/browser';
import type { CodeServerHandle } from './harness/codeServer';
import { startCodeServer } from './harness/codeServer';
import type { TestServer, TestServerOptions } from '../server';
import { startTestServer } from '../server';

export const VSIX = path.join(REPO_ROOT, 'out', 'claude-studio.vsix');

export interface Fixture {
  readonly server: TestServer;
  readonly codeServer: CodeServerHandle;
  readonly workspace: string;
  workbench: Workbench;
  readonly page: Page;
  /** Reopens the browser on the running (or restarted) code-server. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly label: string;
  readonly theme?: ThemeKind;
  readonly server?: TestServerOptions;
  /** User settings; a function gets the started test server (for settings that name its URL). */
  readonly userSettings?: Record<string, unknown> | ((server: TestServer) => Record<string, unknown>);
  /** More environment for code-server and the extension host (AWS test credentials, ...). */
  readonly env?: Record<string, string>;
  /**
   * Start as a new user would: no key in the keychain and none in the environment (an empty
   * ANTHROPIC_API_KEY also hides one the machine running the tests may have).
   */
  readonly withoutApiKey?: boolean;
  /** Written to the workspace's .vscode/settings.json. */
  readonly workspaceSettings?: Record<string, unknown>;
  /** Workspace trust on: the folder opens in Restricted Mode. */
  readonly workspaceTrust?: boolean;
  /** Extra code-server arguments, e.g. `['--locale', 'de']`. */
  readonly extraArgs?: string[];
  /** More extensions installed beside Claude Studio (e.g. a language pack). */
  readonly extraVsix?: string[];
  /** VS Code's user-data and extensions dirs, when the test prepares them (default: fresh temp dirs). */
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
}

export async function startFixture(options: FixtureOptions = { label: 'e2e' }): Promise<Fixture> {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first (npm run test:e2e does).`);
  // Every request the strict server refuses is printed, so an extension bug shows as its API error.
  const log = (line: string): void => void process.stderr.write(`[test-server] ${line}\n`);
  const server = await startTestServer({ responder: 'echo', log, ...options.server });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-e2e-ws-'));
  fs.cpSync(path.join(REPO_ROOT, 'demo', 'workspace'), workspace, { recursive: true });
  if (options.workspaceSettings !== undefined) {
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(options.workspaceSettings, null, 2));
  }
  let codeServer: CodeServerHandle | undefined;
  try {
    codeServer = await startCodeServer({
      vsixPaths: [VSIX, ...(options.extraVsix ?? [])],
      workspace,
      label: options.label,
      userSettings: {
        ...themeSettings(options.theme ?? 'dark'),
        'claudeStudio.baseURL': server.url,
        ...(typeof options.userSettings === 'function' ? options.userSettings(server) : options.userSettings),
      },
      env: { ANTHROPIC_API_KEY: options.withoutApiKey === true ? '' : server.apiKey, ...options.env },
      ...(options.workspaceTrust ? { workspaceTrust: true } : {}),
      ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
      ...(options.userDataDir !== undefined ? { userDataDir: options.userDataDir } : {}),
      ...(options.extensionsDir !== undefined ? { extensionsDir: options.extensionsDir } : {}),
    });
    const started = codeServer;
    let closing: Promise<void> | undefined;
    const fixture: Fixture = {
      server,
      codeServer: started,
      workspace,
      workbench: await openWorkbench(started.url, { label: options.label, viewport: { width: 1400, height: 900 } }),
      get page() {
        return this.workbench.page;
      },
      async reopen() {
        await this.workbench.close();
        this.workbench = await openWorkbench(started.url, { label: options.label, viewport: { width: 1400, height: 900 } });
      },
      close() {
        closing ??= (async () => {
          await this.workbench.close().catch(() => undefined);
          await started.stop();
          await server.close();
          fs.rmSync(workspace, { recursive: true, force: true });
        })();
        return closing;
      },
    };
    return fixture;
  } catch (error) {
    await codeServer?.stop();
    await server.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    throw error;
  }
}

/** Opens the Claude chat view and returns the webview frame that holds it. */
export async function openChat(page: Page): Promise<Frame> {
  await runCommand(page, 'Claude: Open Chat');
  const frame = await findWebviewFrame(page, '#composer-input', { timeoutMs: 30_000 });
  return frame;
}

/** Types into the chat composer and presses Enter, as a person would. */
export async function sendMessage(frame: Frame, text: string): Promise<void> {
  const input = frame.locator('#composer-input');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}

/**
 * Waits until the webview has drawn two more frames (or a second has passed), so that text read
 * with innerText is what a reader sees: the blocks a streamed answer's last message inserts skip
 * rendering (content-visibility, transcript.css) until a frame has found them on screen, and a
 * read in between would leave them out.
 */
export async function afterPaint(frame: Frame): Promise<void> {
  await frame.evaluate(() => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    requestAnimationFrame(() => requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    }));
  }));
}

/** Sends a message and waits until its answer has ended with `status` (a new turn, not an older one), and is drawn. */
export async function askAndWait(frame: Frame, text: string, status = 'done', timeoutMs = 60_000): Promise<void> {
  const known = await answerIds(frame);
  await sendMessage(frame, text);
  await waitForNewAnswer(frame, known, `an answer to "${text.slice(0, 40)}"`, status, timeoutMs);
}

/** The ids of the assistant turns in the transcript: what tells a new answer from the ones already there. */
export async function answerIds(frame: Frame): Promise<ReadonlySet<string>> {
  return new Set(await frame.locator('.turn[data-role="assistant"]').evaluateAll((turns) => turns.map((turn) => turn.getAttribute('data-turn-id') ?? '')));
}

/**
 * Waits until the newest assistant turn is one not in `known` and has ended with `status`, then
 * until it is drawn; returns it. Checking the status of the last turn alone is not enough: Retry
 * removes the failed answer before it adds the new one, and an action's request can reach the
 * server before the webview shows its turn, so for a moment the last turn is an older, finished
 * answer.
 */
export async function waitForNewAnswer(frame: Frame, known: ReadonlySet<string>, what: string, status = 'done', timeoutMs = 30_000): Promise<Locator> {
  const id = await waitFor(what, async () => {
    const last = await newAnswer(frame, known);
    return last?.status === status ? last.id : undefined;
  }, timeoutMs);
  await afterPaint(frame);
  return frame.locator(`.turn[data-role="assistant"][data-turn-id="${id}"]`);
}

/** The id and status of the newest assistant turn, if it is not one of `known` (read at once, no waiting). */
export async function newAnswer(frame: Frame, known: ReadonlySet<string>): Promise<{ id: string; status: string | null } | undefined> {
  const last = await frame.locator('.turn[data-role="assistant"]').evaluateAll((turns) => {
    const turn = turns.at(-1);
    return turn ? { id: turn.getAttribute('data-turn-id') ?? '', status: turn.getAttribute('data-status') } : undefined;
  });
  return last !== undefined && !known.has(last.id) ? last : undefined;
}

/** The newest assistant turn in the transcript. */
export function lastAnswer(frame: Frame) {
  return frame.locator('.turn[data-role="assistant"]').last();
}

/** Polls `probe` until it returns a value, or throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The text of the Claude Studio token item in the status bar. */
export async function tokenStatusText(page: Page): Promise<string | undefined> {
  const item = page.locator('[id="workbench.parts.statusbar"] [id="claude-studio.claude-studio.claudeStudio.tokens"]');
  if ((await item.count()) === 0) return undefined;
  return (await item.innerText()).trim();
}

/**
 * The `step` of an e2e file: one test of the file's story, with its own time limit, that leaves a
 * screenshot and the page's text in test-results/e2e when it fails.
 */
export function stepsFor(label: string, page: () => Page, timeoutMs = 180_000): (name: string, fn: () => Promise<void>) => void {
  return (name, fn) => {
    it(name, { timeout: timeoutMs }, () => withFailureDump(page(), `${label}-${name}`, fn));
  };
}
