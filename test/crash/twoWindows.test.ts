/**
 * Two windows: two processes run the core on one storage folder against test/server. A job that
 * a crashed window left pending-create is started by both at the same moment; one deletes a job
 * while the other, holding a stale copy, edits it; both chat at once and both open the same
 * conversation. Exactly one create, no resurrected job, separate conversations.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer } from '../server';
import type { TestServer } from '../server';
import { buildDriver, corruptFiles, createsFor, runDriver, turnAudit } from './harness';

let server: TestServer;
let driver: string;
let store: string;

before(async () => {
  [server, driver] = await Promise.all([startTestServer({ batchProcessingMs: 0 }), buildDriver()]);
  store = mkdtempSync(join(tmpdir(), 'two-windows-'));
});
after(async () => {
  await server.close();
  rmSync(store, { recursive: true, force: true });
});

describe('two windows on one storage folder', () => {
  it('one create, no resurrected job, two separate conversations', async () => {
    // Before the two windows: a finished job, a conversation, and a window that crashed with a job journaled but not sent.
    const seeded = await runDriver(driver, server, { STORE: store, TAG: 'old', STEPS: 'chat', WINDOW: '0' });
    assert.equal(seeded.code, 0, seeded.stderr);
    const shared = seeded.report?.open ?? '';
    assert.notEqual(shared, '');
    const done = await runDriver(driver, server, { STORE: store, TAG: 'done', STEPS: 'batch,poll', WINDOW: '0' });
    const doneKey = done.report?.jobs[0]?.key ?? '';
    assert.equal(done.report?.jobs[0]?.state, 'ingested', done.stderr);
    const crashed = await runDriver(driver, server, { STORE: store, TAG: 'seed', STEPS: 'batch', CRASH_AT: 'create.before#1' });
    assert.equal(crashed.signal, 'SIGKILL');
    assert.equal(createsFor(server, 'seed'), 0);

    // Both start at once (each reconciles what no live window owns as it starts), then A deletes
    // the finished job while B, which loaded it at start, edits its stale copy; both then chat at
    // the same moment and open the shared conversation, each holding it until both have.
    const go = Date.now() + 2500;
    const [a, b] = await Promise.all([
      runDriver(driver, server, { STORE: store, TAG: 'A', WINDOW: 'A', STEPS: `signal:a-ready,await:b-ready,delete:${doneKey},signal:deleted,wait:${go},chat,open:${shared},signal:a-open,await:b-open,poll` }),
      runDriver(driver, server, { STORE: store, TAG: 'B', WINDOW: 'B', STEPS: `signal:b-ready,await:a-ready,await:deleted,touch:${doneKey},wait:${go},chat,open:${shared},signal:b-open,await:a-open,poll` }),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);

    assert.equal(createsFor(server, 'seed'), 1, "exactly one create of the crashed window's job");
    // B still held the deleted job in memory and wrote it: refused, and it stays deleted.
    assert.match(b.report?.touchError ?? JSON.stringify(b.report), /deleted in another window/);
    const record = JSON.parse(readFileSync(join(store, 'batches', 'jobs', `${doneKey}.json`), 'utf8')) as { deleted?: boolean };
    assert.equal(record.deleted, true);
    assert.equal(existsSync(join(store, 'batches', 'results', doneKey)), false);
    const after = await runDriver(driver, server, { STORE: store, TAG: 'check', STEPS: 'poll' });
    assert.equal(after.report?.jobs.some((j) => j.key === doneKey), false, 'no resurrected job');

    // Each window chatted in its own conversation and restores its own; the shared one was written by one window only.
    assert.notEqual(a.report?.open, b.report?.open);
    assert.deepEqual([a.report?.openedCopy, b.report?.openedCopy].sort(), [false, true]);
    const turns = turnAudit(store, ['old', 'A', 'B']);
    assert.deepEqual(turns, { lost: 0, merged: 0 });
    assert.deepEqual(corruptFiles(store), []);
  });
});
