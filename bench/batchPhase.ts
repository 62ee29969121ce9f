/**
 * One phase of `npm run bench:batch`, in a process of its own so that no phase inherits another's
 * heap: `build` (10,000 files through the real BatchManager: request building, splitting, journal,
 * create), `ingest` (a fresh manager resumes the job from its journal on disk, as after a restart,
 * and ingests the results: the SDK's JSONL stream line by line into storage) or `baseline` (the
 * naive way: the whole results body read into memory, then every line parsed).
 *
 * Protocol with bench/batch.ts, which measures this process from outside (/proc/<pid>/status):
 * after setup it prints `{"ready":true}` and waits for a line on stdin; then it works, prints one
 * JSON line with its result and waits for stdin to close before exiting, so its peak RSS can be
 * read while it is still alive.
 */
import { createInterface } from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MODEL, findModel } from '../src/core/anthropic/catalog';
import { BatchManager } from '../src/core/batches/batchManager';
import type { BatchFile } from '../src/core/batches/requests';
import { nodeBatchFs } from '../src/platform/nodeBatchFs';
import { sourceFile } from './sourceText';

export const BATCH_FILES = 10_000;
const FILE_CHARS = 2_000;


function managerFor(url: string, dir: string): { manager: BatchManager; client: Anthropic } {
  const client = new Anthropic({ apiKey: 'bench', baseURL: url, maxRetries: 0, timeout: 600_000 });
  const manager = new BatchManager({
    fs: nodeBatchFs,
    dir,
    getClient: async () => client,
    clock: { now: () => Date.now(), setTimer: () => ({ dispose: () => undefined }) },
    model: (id) => findModel(id),
    pollIntervals: () => ({ minMs: 1000, maxMs: 1000 }),
  });
  return { manager, client };
}

async function main(): Promise<void> {
  const input = createInterface({ input: process.stdin });
  const lines = input[Symbol.asyncIterator]();
  const closed = new Promise<void>((resolve) => input.once('close', resolve));
  const [phase, url, dir, argument] = process.argv.slice(2);
  if (phase === undefined || url === undefined || dir === undefined) throw new Error('usage: batchPhase.ts build|ingest|baseline <server url> <dir> [job key | batch id]');
  const { manager } = managerFor(url, dir);
  await manager.init();
  let work: () => Promise<Record<string, unknown>>;
  if (phase === 'build') {
    // The input (10,000 files' text, ~20 MB) is made before the start is read: it is what the
    // explorer pick hands the manager, not what building the job costs.
    const files: BatchFile[] = Array.from({ length: BATCH_FILES }, (_, i) => {
      const label = `src/module${i}/file${i}.ts`;
      return { uri: `file:///bench/${label}`, label, text: sourceFile(label, i, FILE_CHARS) };
    });
    work = async () => {
      const built = await manager.create({ prompt: 'Add a doc comment to every exported function.', model: DEFAULT_MODEL, maxTokens: 1024 }, files, { name: 'bench' });
      const job = built.jobs[0];
      if (job === undefined || (job.state !== 'created' && job.state !== 'ended')) throw new Error(`create failed: ${job?.error ?? 'no job'}`);
      return { key: job.key, batchId: job.batchId, requests: built.jobs.reduce((sum, j) => sum + j.requests.length, 0) };
    };
  } else if (phase === 'ingest') {
    work = async () => {
      await manager.pollOnce();
      const job = manager.journal.get(argument ?? '');
      return { state: job?.state, succeeded: job?.counts.succeeded, resultsFile: job ? manager.resultsFile(job) : undefined };
    };
  } else if (phase === 'baseline') {
    work = async () => {
      const response = await fetch(`${url}/v1/messages/batches/${argument ?? ''}/results`, { headers: { 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' } });
      const text = await response.text();
      const items = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
      return { items: items.length };
    };
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await lines.next();
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  manager.dispose();
  process.stdout.write(`${JSON.stringify({ phase, ms, ...result })}\n`);
  await closed;
}

// bench/batch.ts imports BATCH_FILES from here; only a phase process runs main.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
