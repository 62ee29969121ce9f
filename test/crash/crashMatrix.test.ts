/**
 * The crash matrix: the core runs in a child process against test/server and is SIGKILLed at
 * one point per case (around batches.create, mid journal write, mid download, mid Run now, mid
 * history append, mid export), then restarted on the same storage folder. Across the matrix: no
 * batch created twice, no result that was on disk lost, no acknowledged turn lost or merged, no
 * corrupt file. The last line printed is the summary as JSON.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { buildDriver, corruptFiles, createsFor, runDriver, turnAudit } from './harness';

interface CrashCase {
  /** The driver hook and the time it is reached, e.g. "create.answered#1". */
  readonly at: string;
  readonly steps: string;
  /** Run now results on disk (synced) before the kill: a restart must keep at least these. */
  readonly synced?: number;
}

const CASES: readonly CrashCase[] = [
  { at: 'journal.before#1', steps: 'batch,poll' },
  { at: 'journal.mid#2', steps: 'batch,poll' },
  { at: 'create.before#1', steps: 'batch,poll' },
  { at: 'create.answered#1', steps: 'batch,poll' },
  { at: 'journal.after#4', steps: 'batch,poll' },
  { at: 'journal.mid#5', steps: 'batch,poll' },
  { at: 'results.mid#2', steps: 'batch,poll' },
  { at: 'now.answered#2', steps: 'now', synced: 1 },
  { at: 'results.synced#2', steps: 'now', synced: 2 },
  { at: 'results.mid#4', steps: 'now', synced: 3 },
  { at: 'history.mid#3', steps: 'chat' },
  { at: 'history.mid#6', steps: 'chat' },
  { at: 'export.mid#2', steps: 'batch,poll,export' },
];

let server: TestServer;
let driver: string;
const dirs: string[] = [];
const totals = { crashPoints: 0, doubledCreates: 0, lostResults: 0, lostTurns: 0, corruptFiles: 0 };

before(async () => {
  [server, driver] = await Promise.all([startTestServer({ batchProcessingMs: 0 }), buildDriver()]);
});
after(async () => {
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
// After the test runner's own summary, so the summary object is the last line.
process.on('exit', () => process.stdout.write(`${JSON.stringify(totals)}\n`));

describe('crash matrix', () => {
  for (const [index, crash] of CASES.entries()) {
    it(`SIGKILL at ${crash.at} (${crash.steps}), then restart`, async () => {
      const store = mkdtempSync(join(tmpdir(), 'crash-'));
      dirs.push(store);
      const tag = `t${index}`;
      const first = await runDriver(driver, server, { STORE: store, TAG: tag, STEPS: crash.steps, CRASH_AT: crash.at });
      assert.equal(first.signal, 'SIGKILL', `the crash point was reached: ${first.stderr}`);
      totals.crashPoints++;
      const again = await runDriver(driver, server, { STORE: store, TAG: `${tag}r`, STEPS: crash.steps.includes('export') ? 'poll,export' : 'poll' });
      assert.equal(again.code, 0, again.stderr);
      const jobs = again.report?.jobs ?? [];

      const doubled = Math.max(0, createsFor(server, tag) - 1);
      let lost = 0;
      if (crash.steps.startsWith('batch') && createsFor(server, tag) > 0) {
        // The batch exists on the server (and was paid for): its three results must be stored.
        lost += 3 - (jobs[0]?.counts.succeeded ?? 0);
      }
      if (crash.synced !== undefined) {
        const job = jobs[0];
        lost += Math.max(0, crash.synced - (job?.counts.succeeded ?? 0));
        assert.equal(job?.state, 'ingested');
        assert.equal(job?.interrupted, 4 - (job?.counts.succeeded ?? 0), 'what never finished is offered again');
      }
      const turns = turnAudit(store, [tag]);
      const corrupt = corruptFiles(store);
      totals.doubledCreates += doubled;
      totals.lostResults += lost;
      totals.lostTurns += turns.lost + turns.merged;
      totals.corruptFiles += corrupt.length;
      assert.deepEqual({ doubled, lost, lostTurns: turns.lost, merged: turns.merged, corrupt }, { doubled: 0, lost: 0, lostTurns: 0, merged: 0, corrupt: [] });
    });
  }
});
