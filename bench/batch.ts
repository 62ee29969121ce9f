/**
 * Batch benchmark (`npm run bench:batch`): builds a job of 10,000 files through the real batch
 * manager (request building, splitting, journal, create) against test/server running in another
 * process, then ingests its 10,000-line results through the real ingestion code (the SDK's JSONL
 * stream, line by line into storage). Baseline in the same run: the naive way, the whole results
 * body read into memory and parsed at once. Reports time and heap/RSS growth; the last line is one
 * JSON object. Run with --expose-gc (the npm script does) so growth is measured from a settled heap.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MODEL, findModel } from '../src/core/anthropic/catalog';
import { BatchManager } from '../src/core/batches/batchManager';
import type { BatchFile } from '../src/core/batches/requests';
import { nodeBatchFs } from '../src/platform/nodeBatchFs';
import { sourceFile } from './sourceText';

const FILES = 10_000;
const FILE_CHARS = 2_000;
const BUDGET_MB = 150;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
function settle(): void {
  gc?.();
  gc?.();
}

/** Peak heapUsed / RSS above the start while `work` runs (sampled every 10 ms and at the end). */
async function measure<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; heapMb: number; rssMb: number }> {
  settle();
  const start = process.memoryUsage();
  let heap = start.heapUsed;
  let rss = start.rss;
  const sample = (): void => {
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed);
    rss = Math.max(rss, now.rss);
  };
  const timer = setInterval(sample, 10);
  const t0 = performance.now();
  try {
    const value = await work();
    sample();
    return { value, ms: performance.now() - t0, heapMb: (heap - start.heapUsed) / MB, rssMb: (rss - start.rss) / MB };
  } finally {
    clearInterval(timer);
  }
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

async function main(): Promise<void> {
  if (gc === undefined) process.stderr.write('note: run with --expose-gc for settled measurements\n');
  const model = findModel(DEFAULT_MODEL);
  if (model === undefined) throw new Error(`${DEFAULT_MODEL} is not in the catalog`);
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'bench-batch-'));
  try {
    const client = new Anthropic({ apiKey: 'bench', baseURL: server.url, maxRetries: 0, timeout: 600_000 });
    const manager = new BatchManager({
      fs: nodeBatchFs,
      dir,
      getClient: async () => client,
      clock: { now: () => Date.now(), setTimer: () => ({ dispose: () => undefined }) },
      model: (id) => findModel(id),
      pollIntervals: () => ({ minMs: 1000, maxMs: 1000 }),
    });
    await manager.init();

    const files: BatchFile[] = Array.from({ length: FILES }, (_, i) => {
      const label = `src/module${i}/file${i}.ts`;
      return { uri: `file:///bench/${label}`, label, text: sourceFile(label, i, FILE_CHARS) };
    });
    const spec = { prompt: 'Add a doc comment to every exported function.', model: DEFAULT_MODEL, maxTokens: 1024 };

    // 1. Build and create the job (request building, splitting, journal, create).
    const build = await measure(() => manager.create(spec, files, { name: 'bench' }));
    const job = build.value.jobs[0];
    if (job === undefined || (job.state !== 'created' && job.state !== 'ended')) throw new Error(`create failed: ${job?.error ?? 'no job'} ${JSON.stringify({ state: job?.state, jobs: build.value.jobs.length, tooLarge: build.value.tooLarge.length })}`);
    files.length = 0;

    // Wait until the server says it ended (its default processing time is a second).
    for (;;) {
      const batch = await client.messages.batches.retrieve(job.batchId!);
      if (batch.processing_status === 'ended') break;
      await new Promise((r) => setTimeout(r, 200));
    }

    // 2. Baseline: read the whole results body, then parse every line.
    const baseline = await measure(async () => {
      const response = await fetch(`${server.url}/v1/messages/batches/${job.batchId}/results`, { headers: { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' } });
      const text = await response.text();
      const items = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
      return items.length;
    });

    // 3. The real ingestion: SDK JSONL stream, one line at a time into storage.
    const ingest = await measure(async () => {
      await manager.pollOnce();
      return manager.journal.get(job.key);
    });
    const ingested = ingest.value;
    if (ingested?.state !== 'ingested' || ingested.counts.succeeded !== FILES) throw new Error(`ingestion incomplete: ${ingested?.state} ${JSON.stringify(ingested?.counts)}`);
    manager.dispose();

    const resultsMb = statSync(manager.resultsFile(ingested)).size / MB;
    const peakMb = Math.max(build.heapMb, ingest.heapMb, build.rssMb, ingest.rssMb);
    const rows: [string, string, string, string][] = [
      ['step', 'time', 'heap growth', 'RSS growth'],
      [`build + create ${FILES} requests`, `${(build.ms / 1000).toFixed(2)} s`, `${build.heapMb.toFixed(1)} MB`, `${build.rssMb.toFixed(1)} MB`],
      [`ingest ${FILES} results (streamed)`, `${(ingest.ms / 1000).toFixed(2)} s`, `${ingest.heapMb.toFixed(1)} MB`, `${ingest.rssMb.toFixed(1)} MB`],
      [`baseline: read all, then parse`, `${(baseline.ms / 1000).toFixed(2)} s`, `${baseline.heapMb.toFixed(1)} MB`, `${baseline.rssMb.toFixed(1)} MB`],
    ];
    for (const row of rows) console.log(`${row[0].padEnd(36)} ${row[1].padStart(9)} ${row[2].padStart(12)} ${row[3].padStart(12)}`);
    console.log(`results file: ${resultsMb.toFixed(1)} MB; peak growth ${peakMb.toFixed(1)} MB (heap or RSS)`);
    console.log(`ingest heap growth vs baseline: ${(ingest.heapMb / Math.max(0.1, baseline.heapMb)).toFixed(2)}x; budget ${BUDGET_MB} MB: ${peakMb < BUDGET_MB ? 'within' : 'OVER'}`);
    console.log(JSON.stringify({
      bench: 'batch',
      files: FILES,
      buildMs: Math.round(build.ms),
      buildHeapMb: round(build.heapMb),
      buildRssMb: round(build.rssMb),
      ingestMs: Math.round(ingest.ms),
      ingestHeapMb: round(ingest.heapMb),
      ingestRssMb: round(ingest.rssMb),
      baselineMs: Math.round(baseline.ms),
      baselineHeapMb: round(baseline.heapMb),
      baselineRssMb: round(baseline.rssMb),
      ingestVsBaselineHeap: round(ingest.heapMb / Math.max(0.1, baseline.heapMb)),
      resultsMb: round(resultsMb),
      peakGrowthMb: round(peakMb),
      budgetMb: BUDGET_MB,
      withinBudget: peakMb < BUDGET_MB,
      gcExposed: gc !== undefined,
    }));
  } finally {
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
