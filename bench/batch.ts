/**
 * Batch benchmark (`npm run bench:batch`): builds a job of 10,000 files through the real batch
 * manager against test/server (its own process), then ingests its 10,000-line results through the
 * real ingestion code; baseline: the whole results body read into memory and parsed at once.
 *
 * Each phase runs in a fresh process (bench/batchPhase.ts), so none inherits another's heap, and
 * is measured from outside: this process reads the child's /proc/<pid>/status, VmRSS once set up
 * (the start) and VmHWM (the kernel's peak RSS, reset through /proc/<pid>/clear_refs when the work
 * starts) after it, while the child waits to be let go. Growth = peak - start. No timer in the
 * measured process has to fire during synchronous work. The last line is one JSON object; `pass`
 * needs every phase to finish, every result ingested, each phase's growth within the budget, and
 * the streamed ingest to grow less than the read-everything baseline. Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BATCH_FILES } from './batchPhase';

const BUDGET_MB = 150;
const KB_PER_MB = 1024;

/** A /proc/<pid>/status field in MB (the kernel reports kB). */
function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no ${field} for ${pid}`);
  return Number(match[1]) / KB_PER_MB;
}

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/cli.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return { url, stop: () => child.kill('SIGTERM') };
}

interface PhaseRun {
  readonly result: Record<string, unknown>;
  readonly ms: number;
  readonly startMb: number;
  readonly peakMb: number;
  readonly growthMb: number;
}

/** Runs one phase in a fresh process and measures it from outside. */
async function phase(name: 'build' | 'ingest' | 'baseline', args: readonly string[]): Promise<PhaseRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/batchPhase.ts', name, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the ${name} phase`);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await Promise.race([lines.next(), exited.then(() => undefined)]);
    if (line === undefined || line.done) throw new Error(`the ${name} phase exited early (${await exited})`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  try {
    await next(); // {"ready": true}
    const startMb = statusMb(pid, 'VmRSS');
    // Reset the peak to the current RSS, so start-up (tsx compiling the modules) does not count.
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    child.stdin.write('go\n');
    const result = await next();
    const peakMb = statusMb(pid, 'VmHWM');
    return { result, ms: Number(result.ms), startMb, peakMb, growthMb: peakMb - startMb };
  } finally {
    child.stdin.end();
    await exited;
  }
}

async function waitEnded(url: string, batchId: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${url}/v1/messages/batches/${batchId}`, { headers: { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' } });
    const batch = (await response.json()) as { processing_status?: string };
    if (batch.processing_status === 'ended') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  try {
    const build = await phase('build', [server.url, dir]);
    const key = String(build.result.key);
    const batchId = String(build.result.batchId);
    await waitEnded(server.url, batchId);
    const baseline = await phase('baseline', [server.url, dir, batchId]);
    const ingest = await phase('ingest', [server.url, dir, key]);
    const ingested = ingest.result.state === 'ingested' && ingest.result.succeeded === BATCH_FILES;
    const resultsMb = typeof ingest.result.resultsFile === 'string' ? statSync(ingest.result.resultsFile).size / 2 ** 20 : 0;

    const rows: [string, PhaseRun][] = [[`build + create ${BATCH_FILES} requests`, build], [`ingest ${BATCH_FILES} results (streamed)`, ingest], ['baseline: read all, then parse', baseline]];
    console.log(`${'phase (each a fresh process)'.padEnd(36)} ${'time'.padStart(9)} ${'RSS start'.padStart(10)} ${'peak'.padStart(9)} ${'growth'.padStart(9)}`);
    for (const [label, run] of rows) console.log(`${label.padEnd(36)} ${`${(run.ms / 1000).toFixed(2)} s`.padStart(9)} ${`${run.startMb.toFixed(1)} MB`.padStart(10)} ${`${run.peakMb.toFixed(1)} MB`.padStart(9)} ${`${run.growthMb.toFixed(1)} MB`.padStart(9)}`);
    console.log(`results file: ${resultsMb.toFixed(1)} MB; ingested ${String(ingest.result.succeeded)} of ${BATCH_FILES}; budget ${BUDGET_MB} MB of growth per phase`);
    const checks = {
      built: build.result.requests === BATCH_FILES,
      ingestedAll: ingested,
      buildWithinBudget: build.growthMb < BUDGET_MB,
      ingestWithinBudget: ingest.growthMb < BUDGET_MB,
      ingestBelowBaseline: ingest.growthMb < baseline.growthMb,
    };
    console.log(JSON.stringify({
      bench: 'batch',
      files: BATCH_FILES,
      buildMs: Math.round(build.ms),
      buildRssGrowthMb: round(build.growthMb),
      ingestMs: Math.round(ingest.ms),
      ingestRssGrowthMb: round(ingest.growthMb),
      baselineMs: Math.round(baseline.ms),
      baselineRssGrowthMb: round(baseline.growthMb),
      ingestVsBaseline: round(ingest.growthMb / Math.max(0.1, baseline.growthMb)),
      resultsMb: round(resultsMb),
      budgetMb: BUDGET_MB,
      checks,
      pass: Object.values(checks).every(Boolean),
    }));
    if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
