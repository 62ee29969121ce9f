/** Runs the core (test/crash/driver.ts, bundled once) in child processes and checks what a storage folder holds afterwards. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { replayText } from '../../src/core/history/historyLog';
import type { TestServer } from '../server';

/** Bundles the driver so each child starts in a fraction of what tsx would take. */
export async function buildDriver(): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'crash-driver-')), 'driver.cjs');
  await build({ entryPoints: [join(__dirname, 'driver.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'error' });
  return out;
}

export interface DriverRun {
  readonly signal: NodeJS.Signals | null;
  readonly code: number | null;
  readonly report: DriverReport | undefined;
  readonly stderr: string;
}

export interface DriverReport {
  readonly jobs: { key: string; state: string; batchId?: string; counts: Record<string, number>; outcomes: (string | null)[]; interrupted: number }[];
  readonly openedCopy?: boolean;
  readonly sharedId?: string;
  readonly open?: string;
  readonly deleteError?: string;
  readonly touchError?: string;
}

export function runDriver(driver: string, server: TestServer, env: Record<string, string>): Promise<DriverRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [driver], { env: { ...process.env, SERVER_URL: server.url, API_KEY: server.apiKey, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      let report: DriverReport | undefined;
      try {
        report = JSON.parse(last) as DriverReport;
      } catch {
        report = undefined;
      }
      resolve({ code, signal, report, stderr });
    });
  });
}

/** Batch creates the server saw for requests tagged `tag` (each driver run tags its requests). */
export function createsFor(server: TestServer, tag: string): number {
  return server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches' && JSON.stringify(r.body).includes(` of ${tag}"`)).length;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/**
 * Files in the storage folder that a reader could not use: a temp left behind, a job record
 * that is not JSON, a results file with a bad line before its last, a conversation log that
 * does not replay (a torn last line is a crash's expected trace and is fenced off by the next
 * append), an exported Markdown file cut short.
 */
export function corruptFiles(store: string): string[] {
  const bad: string[] = [];
  for (const file of walk(store)) {
    const rel = file.slice(store.length + 1);
    if (rel.startsWith('acks-') || rel.includes('/locks/')) continue;
    if (file.endsWith('.tmp')) {
      // Export temps too: the export after the restart cleans what the crashed one left.
      bad.push(rel);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    if (rel.startsWith('batches/jobs/')) {
      try {
        JSON.parse(text);
      } catch {
        bad.push(rel);
      }
    } else if (rel.endsWith('results.jsonl')) {
      const lines = text.split('\n').slice(0, -1);
      if (lines.some((line) => !isJson(line))) bad.push(rel);
    } else if (rel.startsWith('history/conversations/')) {
      const { conversation, problems } = replayText(text);
      if (conversation === undefined || problems.some((p) => !/incomplete/.test(p.message))) bad.push(rel);
    } else if (rel.startsWith('export/') && rel.endsWith('.md')) {
      if (!text.startsWith('# ') || !text.endsWith('\n')) bad.push(rel);
    }
  }
  return bad;
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** Acknowledged turns (on disk when the driver said so) that a conversation log no longer has, and turns found in a log they were not written to. */
export function turnAudit(store: string, tags: readonly string[]): { lost: number; merged: number } {
  let lost = 0;
  let merged = 0;
  const logs = new Map<string, string[]>();
  for (const file of walk(join(store, 'history', 'conversations'))) {
    const { conversation } = replayText(readFileSync(file, 'utf8'));
    logs.set(file.slice(file.lastIndexOf('/') + 1, -'.jsonl'.length), [...(conversation?.turns.values() ?? [])].map((t) => (t.kind === 'user' ? t.text : '')));
  }
  for (const tag of tags) {
    const acks = join(store, `acks-${tag}.log`);
    if (!existsSync(acks)) continue;
    for (const line of readFileSync(acks, 'utf8').split('\n').filter(Boolean)) {
      const [id, ...text] = line.split(' ');
      if (!(logs.get(id ?? '') ?? []).includes(text.join(' '))) lost++;
    }
  }
  // A log holds one window's turns (a copy starts with the original's, then only its own).
  for (const turns of logs.values()) {
    const owners = new Set(turns.slice(turns.findIndex((t) => / in shared$/.test(t)) + 1).map((t) => t.split(' ')[0]));
    if (owners.size > 1) merged += owners.size - 1;
  }
  return { lost, merged };
}
