/**
 * In-host integration tests inside code-server's (real, remote) extension
 * host, the same way `@vscode/test-electron` runs them on desktop:
 * `extensionDevelopmentPath` (an unpacked extension folder, no vsix needed)
 * and `extensionTestsPath` (a module exporting `run(): Promise<void>`, e.g.
 * one that runs mocha programmatically).
 *
 * How it works on code-server 4.139 / VS Code 1.139 web:
 * - the workbench reads both from the `?payload=` URL parameter, but only when
 *   the server runs with `--enable-smoke-test-driver` (a built product ignores
 *   the payload otherwise); code-server passes it on with
 *   `--vscode-option enable-smoke-test-driver`;
 * - paths are `vscode-remote://127.0.0.1:PORT/abs/path` URIs;
 * - when `run()` settles the extension host exits (0, or 1 if it rejected) and
 *   the workbench calls `window.codeAutomationExit(code, logs)`, which the
 *   harness exposes with playwright; extension-host `console.*` output arrives
 *   through `window.codeAutomationLog(type, args)`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { artifactPath, safeName } from './artifacts';
import { dumpFailure, openWorkbench, type Workbench } from './browser';
import { startCodeServer, type CodeServerHandle } from './codeServer';

export interface ExtensionTestsOptions {
  /** Unpacked extension folder (its package.json + built files). */
  extensionDevelopmentPath: string;
  /** Module whose `run(): Promise<void>` runs the tests in the extension host. */
  extensionTestsPath: string;
  workspace: string;
  /** Other extensions to install first (e.g. a dependency). */
  vsixPaths?: string[];
  userSettings?: Record<string, unknown>;
  /** Reaches `process.env` of the extension host. */
  env?: Record<string, string>;
  /** Whole run, default 5 min. */
  timeoutMs?: number;
  label?: string;
  /** Where extension-host console lines go; default stderr (workbench noise filtered). */
  onLog?: (type: string, text: string) => void;
}

export interface ExtensionTestsResult {
  /** Exit code of the extension host: 0 when `run()` resolved. */
  exitCode: number;
  durationMs: number;
  /** All console lines received, also written to `<label>-tests.log` in the artifacts dir. */
  logFile: string;
}

/** Workbench log lines that are not test output. */
export const WORKBENCH_NOISE = new RegExp(
  [
    'Unable to read file .*Canceled',
    '\\[AgentHost',
    '\\[RemoteAgentHostProtocol\\]',
    'ChatModelSelection',
    'No default agent contributed',
    'chatSessionInput:',
    'Long running operations during shutdown',
    '\\[reconnection-grace-time\\]',
    '^Resolv(ing|ed) connection token',
    '^Creating a socket',
    '^Ignoring fetching additional builtin extensions',
    '^\\[Service Worker\\]',
    '^\\[AccountPolicyGate\\]',
    '^MCP migration',
    'Failed to resolve files at location: .*/User/prompts',
  ].join('|'),
);

function formatArgs(args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  // console.log's printf-style placeholders (mocha's reporter uses them) are applied here.
  return format(...list.map((a) => (typeof a === 'string' || typeof a === 'number' ? a : JSON.stringify(a))))
    .replace(/%c\s*(INFO|ERR|WARN|DEBUG|TRACE)?\s*color: #[0-9a-f]{3,6}\s*/gi, '');
}

/** Starts code-server, runs the tests in its extension host, stops everything. */
export async function runExtensionTests(opts: ExtensionTestsOptions): Promise<ExtensionTestsResult> {
  const label = safeName(opts.label ?? 'extension-tests');
  const devPath = path.resolve(opts.extensionDevelopmentPath);
  const testsPath = path.resolve(opts.extensionTestsPath);
  if (!fs.existsSync(path.join(devPath, 'package.json'))) throw new Error(`no package.json in ${devPath}`);
  if (!fs.existsSync(testsPath) && !fs.existsSync(`${testsPath}.js`)) throw new Error(`tests module not found: ${testsPath}`);
  const logFile = artifactPath(`${label}-tests.log`);
  const logStream = fs.createWriteStream(logFile);
  const onLog =
    opts.onLog ??
    ((type: string, text: string): void => {
      if (!WORKBENCH_NOISE.test(text)) process.stderr.write(type === 'error' ? `[exthost:error] ${text}\n` : `${text}\n`);
    });

  const started = Date.now();
  let server: CodeServerHandle | undefined;
  let wb: Workbench | undefined;
  try {
    server = await startCodeServer({
      vsixPaths: opts.vsixPaths ?? [],
      workspace: opts.workspace,
      userSettings: opts.userSettings ?? {},
      env: opts.env ?? {},
      label: `${label}-code-server`,
      extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    });
    const authority = `127.0.0.1:${server.port}`;
    const payload: [string, string][] = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${devPath}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const url = `${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

    let exitCode: number | undefined;
    let resolveExit: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => {
      resolveExit = resolve;
    });
    wb = await openWorkbench(url, {
      label,
      beforeGoto: async (page) => {
        await page.exposeFunction('codeAutomationLog', (type: unknown, args: unknown) => {
          const text = formatArgs(args);
          logStream.write(`[${String(type)}] ${text}\n`);
          onLog(String(type), text);
        });
        await page.exposeFunction('codeAutomationExit', (code: unknown) => {
          exitCode = typeof code === 'number' ? code : 1;
          resolveExit();
        });
      },
    });
    const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, timeoutMs - (Date.now() - started)))))]);
    clearTimeout(timer);
    if (exitCode === undefined) {
      await dumpFailure(wb.page, `${label}-timeout`);
      throw new Error(`extension tests did not finish in ${timeoutMs} ms; see ${logFile}`);
    }
    return { exitCode, durationMs: Date.now() - started, logFile };
  } finally {
    await wb?.close();
    await server?.stop();
    logStream.end();
  }
}
