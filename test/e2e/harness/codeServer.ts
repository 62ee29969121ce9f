/**
 * code-server (real VS Code in a browser) for end-to-end tests.
 *
 * `startCodeServer()` installs the given .vsix files into a private
 * extensions dir and starts code-server on 127.0.0.1 as the leader of its own
 * process group, so `stop()` ends it together with every helper it spawned.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactPath, artifactsDir, safeName } from './artifacts';
import type { CodeServerInstall } from './install';
import { ensureCodeServer } from './install';
import { cleanEnv, freePort, groupAlive, log, run, sleep } from './processes';

export { CODE_SERVER_NODE_VERSION, CODE_SERVER_VERSION, ensureCodeServer } from './install';
export type { CodeServerInstall } from './install';
export { RUN_MARKER, freePort, leftoverProcesses } from './processes';

export interface StartOptions {
  vsixPaths: string[];
  /** Folder opened in the workbench. */
  workspace: string;
  /** Merged over the harness defaults into `<userDataDir>/User/settings.json`. */
  userSettings: Record<string, unknown>;
  /** Extra environment for code-server (reaches the extension host). */
  env?: Record<string, string>;
  /** Defaults to a fresh temp dir, removed when the process exits (set CLAUDE_STUDIO_E2E_KEEP=1 to keep). */
  userDataDir?: string;
  /** Defaults to a fresh temp dir, removed like userDataDir. */
  extensionsDir?: string;
  /** Names the log file in the artifacts dir; default "code-server". */
  label?: string;
  /** Extra code-server arguments, e.g. `['--vscode-option', 'enable-smoke-test-driver']`. */
  extraArgs?: string[];
  /** How long to wait for /healthz; default 90 s. */
  startTimeoutMs?: number;
  /**
   * Keep VS Code's workspace trust on (the harness turns it off by default): the folder then opens
   * in Restricted Mode, without the startup trust prompt.
   */
  workspaceTrust?: boolean;
}

export interface CodeServerHandle {
  /** Workbench URL with the workspace folder open. */
  url: string;
  /** Base URL, `http://127.0.0.1:PORT`. */
  baseUrl: string;
  port: number;
  /** Pid of the process-group leader (changes on restart). */
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  install: CodeServerInstall;
  /** SIGTERM to the whole process group, SIGKILL after a grace period, then waits. */
  stop(): Promise<void>;
  /** stop() then start again on the same port with the same dirs (vsix are not reinstalled). */
  restart(): Promise<void>;
}

/** Harness defaults written into User/settings.json before the user's own. */
export const DEFAULT_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  // 1.139 opens an (empty, with AI off) secondary side bar by default.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Workspace trust on, the folder left untrusted (Restricted Mode) with no modal prompt at startup. */
const TRUST_ON_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/**
 * Settings VS Code registers with machine scope: in code-server the extension host runs on the
 * "remote" side and reads these from `Machine/settings.json`, never from the user's settings (an
 * extension reading `openOnInstall` saw only the default with it in `User/settings.json`).
 */
const MACHINE_SCOPED_SETTINGS: readonly string[] = ['workbench.welcomePage.walkthroughs.openOnInstall'];

function readJsonObject(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not plain JSON (comments): replaced
  }
  return {};
}

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const merged = { ...readJsonObject(file), ...DEFAULT_USER_SETTINGS, ...settings };
  fs.writeFileSync(file, JSON.stringify(merged, null, 2));
  const machineFile = path.join(userDataDir, 'Machine', 'settings.json');
  const machine = readJsonObject(machineFile);
  for (const key of MACHINE_SCOPED_SETTINGS) if (key in merged) machine[key] = merged[key];
  fs.mkdirSync(path.dirname(machineFile), { recursive: true });
  fs.writeFileSync(machineFile, JSON.stringify(machine, null, 2));
}

/** Temp dirs made by startCodeServer, removed when the process exits (unless CLAUDE_STUDIO_E2E_KEEP). */
const ownedTempDirs = new Set<string>();
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  ownedTempDirs.add(dir);
  return dir;
}

/** Every live code-server group started by this process, killed on exit as a last resort. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', () => {
    killAll();
    // Temp user-data/extensions dirs the harness made (logs were copied to the artifacts dir).
    if (!process.env.CLAUDE_STUDIO_E2E_KEEP) {
      for (const dir of ownedTempDirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  // Ctrl-C / CI cancel: kill the groups, then die of the same signal.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

async function installVsix(inst: CodeServerInstall, vsix: string, extensionsDir: string, userDataDir: string, logFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!fs.existsSync(vsix)) throw new Error(`vsix not found: ${vsix}`);
  const r = await run(
    inst.nodeBin,
    [inst.bin, '--install-extension', path.resolve(vsix), '--force', '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { env, logFile, quiet: true },
  );
  if (r.code !== 0 || !/successfully installed/i.test(r.output)) {
    throw new Error(`installing ${vsix} failed (exit ${r.code}): ${r.output.slice(-800)}`);
  }
}

/** Starts code-server with the given extensions and opens nothing yet (see browser.ts). */
export async function startCodeServer(opts: StartOptions): Promise<CodeServerHandle> {
  const inst = await ensureCodeServer();
  installExitHook();
  const label = safeName(opts.label ?? 'code-server');
  const userDataDir = path.resolve(opts.userDataDir ?? tempDir('cs-e2e-user-'));
  const extensionsDir = path.resolve(opts.extensionsDir ?? tempDir('cs-e2e-ext-'));
  const workspace = path.resolve(opts.workspace);
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  writeUserSettings(userDataDir, opts.workspaceTrust ? { ...TRUST_ON_SETTINGS, ...opts.userSettings } : opts.userSettings);

  const logFile = artifactPath(`${label}.log`);
  const env = cleanEnv(path.dirname(path.dirname(inst.nodeBin)), {
    // No marketplace: an empty serviceUrl disables the gallery in VS Code.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
    // code-server would otherwise read ~/.config/code-server/config.yaml.
    CODE_SERVER_CONFIG: path.join(userDataDir, 'code-server-config.yaml'),
    // Its helpers leave vscode-ipc-*.sock files in $TMPDIR: keep them in a dir removed on exit.
    TMPDIR: tempDir('cs-e2e-tmp-'),
    ...(opts.env ?? {}),
  });
  fs.writeFileSync(env.CODE_SERVER_CONFIG ?? '', 'auth: none\ncert: false\n');

  for (const vsix of opts.vsixPaths) {
    log(`installing extension ${path.basename(vsix)}`);
    await installVsix(inst, vsix, extensionsDir, userDataDir, logFile, env);
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n==== starting code-server on ${baseUrl} at ${new Date().toISOString()}\n`);
    const args = [
      inst.bin,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--extensions-dir', extensionsDir,
      '--user-data-dir', userDataDir,
      ...(opts.extraArgs ?? []),
      workspace,
    ];
    const c = spawn(inst.nodeBin, args, { detached: true, env, cwd: workspace, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    if (!c.pid) throw new Error('code-server did not start');
    child = c;
    liveGroups.add(c.pid);
    let exitInfo: string | undefined;
    exited = new Promise((resolve) => {
      c.once('exit', (code, signal) => {
        exitInfo = `exit ${code ?? signal}`;
        resolve();
      });
    });
    const deadline = Date.now() + (opts.startTimeoutMs ?? 90_000);
    while ((await httpStatus(`${baseUrl}/healthz`)) !== 200) {
      if (exitInfo) {
        await stop(); // its helpers may still be running
        throw new Error(`code-server ended before it was ready (${exitInfo}); log: ${logFile}`);
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`code-server not ready at ${baseUrl} in time; log: ${logFile}`);
      }
      await sleep(200);
    }
  };

  const stop = async (): Promise<void> => {
    const c = child;
    if (!c?.pid) return;
    const pgid = c.pid;
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // group already gone
    }
    const deadline = Date.now() + 5000;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
    if (groupAlive(pgid)) {
      log(`process group ${pgid} still alive after SIGTERM; SIGKILL`);
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone
      }
      const killDeadline = Date.now() + 5000;
      while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(100);
    }
    await Promise.race([exited, sleep(2000)]);
    liveGroups.delete(pgid);
    child = undefined;
    copyLogs();
  };

  const copyLogs = (): void => {
    // The extension host's and the server's own logs, for CI artifacts.
    const src = path.join(userDataDir, 'logs');
    if (!fs.existsSync(src)) return;
    try {
      fs.cpSync(src, path.join(artifactsDir(), `${label}-vscode-logs`), { recursive: true });
    } catch {
      // best effort
    }
  };

  const t0 = Date.now();
  await launch();
  log(`ready at ${baseUrl} in ${Date.now() - t0} ms (pid ${child?.pid ?? '?'}, log ${logFile})`);

  const handle: CodeServerHandle = {
    url: `${baseUrl}/?folder=${encodeURIComponent(workspace)}`,
    baseUrl,
    port,
    get pid(): number {
      return child?.pid ?? -1;
    },
    userDataDir,
    extensionsDir,
    logFile,
    install: inst,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
  return handle;
}
