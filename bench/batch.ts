/**
 * Batch benchmark (`npm run bench:batch`): builds a job of 10,000 files through the real batch
 * manager against test/server (its own process), then ingests its 10,000-line results through the
 * real ingestion code; then a second job of the same size whose answers are about 4x as long
 * (scripted on the test server: a results file ~4.5x larger), whose results are ingested the same
 * way; baseline: that larger results body read into memory and parsed at once.
 *
 * Each phase runs in a fresh process (bench/batchPhase.ts), so none inherits another's heap, and
 * is measured from outside: this process reads the child's /proc/<pid>/status, VmRSS once set up
 * (the start) and VmHWM (the kernel's peak RSS, reset through /proc/<pid>/clear_refs when the work
 * starts) after it, while the child waits to be let go. Growth = peak - start. No timer in the
 * measured process has to fire during synchronous work. The last line is one JSON object; `pass`
 * needs every phase to finish, every result ingested, each phase's growth within the budget, the
 * streamed ingest to grow less than the read-everything baseline, and its growth not to follow the
 * results' size (a larger file adds less than half its extra megabytes; holding every result, even
 * parsed, adds more than all of them). Linux only (/proc).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BATCH_FILES } from './batchPhase';

const BUDGET_MB = 150;
const KB_PER_MB = 1024;
/**
 * A second job of the same size gets answers about 4x as long (scripted on the test server), so
 * its results file is several times larger. Streaming holds one line at a time: its growth must
 * not follow the file. Holding every result (even parsed, which costs less than the baseline's
 * text plus objects) grows with it: more than this share of the extra megabytes fails.
 */
const LONG_REPLY = Array.from({ length: 40 }, (_, i) => `Line ${i + 1}: the exported function now has a doc comment that says what it returns.`).join('\n');
const MAX_GROWTH_PER_EXTRA_MB = 0.5;

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

/** Queues `count` scripted answers of `text` on the test server, in chunks under its body limit. */
async function scriptReplies(url: string, count: number, text: string): Promise<void> {
  const CHUNK = 1000;
  for (let done = 0; done < count; done += CHUNK) {
    const replies = Array.from({ length: Math.min(CHUNK, count - done) }, () => ({ text }));
    const response = await fetch(`${url}/_control/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(replies) });
    if (!response.ok) throw new Error(`scripting replies failed: ${response.status} ${await response.text()}`);
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
  const dirLarge = mkdtempSync(join(tmpdir(), 'bench-batch-large-'));
  try {
    const build = await phase('build', [server.url, dir]);
    const key = String(build.result.key);
    const batchId = String(build.result.batchId);
    await waitEnded(server.url, batchId);
    const ingest = await phase('ingest', [server.url, dir, key]);
    const ingested = ingest.result.state === 'ingested' && ingest.result.succeeded === BATCH_FILES;
    const resultsMb = typeof ingest.result.resultsFile === 'string' ? statSync(ingest.result.resultsFile).size / 2 ** 20 : 0;
    // The same job again with longer answers: a larger results file through the same ingest.
    await scriptReplies(server.url, BATCH_FILES, LONG_REPLY);
    const buildLarge = await phase('build', [server.url, dirLarge]);
    await waitEnded(server.url, String(buildLarge.result.batchId));
    // The baseline reads the larger results: at 8 MB its text and objects cost little more than
    // the ingest's fixed start-up (SDK, journal), so the comparison was noise.
    const baseline = await phase('baseline', [server.url, dirLarge, String(buildLarge.result.batchId)]);
    const ingestLarge = await phase('ingest', [server.url, dirLarge, String(buildLarge.result.key)]);
    const ingestedLarge = ingestLarge.result.state === 'ingested' && ingestLarge.result.succeeded === BATCH_FILES;
    const largeMb = typeof ingestLarge.result.resultsFile === 'string' ? statSync(ingestLarge.result.resultsFile).size / 2 ** 20 : 0;

    const rows: [string, PhaseRun][] = [[`build + create ${BATCH_FILES} requests`, build], [`ingest ${BATCH_FILES} results (streamed)`, ingest], [`ingest ${largeMb.toFixed(0)} MB of results (streamed)`, ingestLarge], [`baseline: read all ${largeMb.toFixed(0)} MB, then parse`, baseline]];
    console.log(`${'phase (each a fresh process)'.padEnd(36)} ${'time'.padStart(9)} ${'RSS start'.padStart(10)} ${'peak'.padStart(9)} ${'growth'.padStart(9)}`);
    for (const [label, run] of rows) console.log(`${label.padEnd(36)} ${`${(run.ms / 1000).toFixed(2)} s`.padStart(9)} ${`${run.startMb.toFixed(1)} MB`.padStart(10)} ${`${run.peakMb.toFixed(1)} MB`.padStart(9)} ${`${run.growthMb.toFixed(1)} MB`.padStart(9)}`);
    console.log(`results file: ${resultsMb.toFixed(1)} MB; ingested ${String(ingest.result.succeeded)} of ${BATCH_FILES}; budget ${BUDGET_MB} MB of growth per phase`);
    const extraGrowthMb = ingestLarge.growthMb - ingest.growthMb;
    console.log(`larger results: ${largeMb.toFixed(1)} MB (+${(largeMb - resultsMb).toFixed(1)} MB), ingest growth ${extraGrowthMb >= 0 ? '+' : ''}${extraGrowthMb.toFixed(1)} MB (allowed under ${(MAX_GROWTH_PER_EXTRA_MB * (largeMb - resultsMb)).toFixed(1)} MB)`);
    const checks = {
      built: build.result.requests === BATCH_FILES,
      ingestedAll: ingested,
      buildWithinBudget: build.growthMb < BUDGET_MB,
      ingestWithinBudget: ingest.growthMb < BUDGET_MB && ingestLarge.growthMb < BUDGET_MB,
      ingestBelowBaseline: ingestLarge.growthMb < baseline.growthMb,
      largeIngestedAll: ingestedLarge,
      // A results file several times larger must not make the streamed ingest grow with it.
      ingestFlatWithResults: largeMb > 2 * resultsMb && extraGrowthMb < MAX_GROWTH_PER_EXTRA_MB * (largeMb - resultsMb),
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
      ingestVsBaseline: round(ingestLarge.growthMb / Math.max(0.1, baseline.growthMb)),
      resultsMb: round(resultsMb),
      largeResultsMb: round(largeMb),
      largeIngestRssGrowthMb: round(ingestLarge.growthMb),
      budgetMb: BUDGET_MB,
      checks,
      pass: Object.values(checks).every(Boolean),
    }));
    if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(dirLarge, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
