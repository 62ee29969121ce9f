/**
 * Processes for the e2e harness: running commands with a log, checking process groups, free
 * ports, and finding anything a test run started that is still alive.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export function log(msg: string): void {
  process.stderr.write(`[code-server] ${msg}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errnoCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err) {
    const code = (err as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}

/** Environment for npm/code-server: Node 24 first on PATH, no inherited VS Code vars. */
export function cleanEnv(nodeDir: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command, echoing its output (prefixed) to stderr and to `logFile`. */
export function run(cmd: string, args: string[], opts: SpawnOptions & { logFile: string; quiet?: boolean }): Promise<RunResult> {
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
