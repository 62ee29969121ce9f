/** Cross-process locks over the real file system: exclusion, stale takeover (dead pid, old heartbeat), lost locks, racing takers. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FileLocks, LockBusyError } from '../../../../src/core/util/fileLock';
import type { LockFs } from '../../../../src/core/util/fileLock';
import { systemClock } from '../../../../src/core/util/clock';
import { nodeLockFs } from '../../../../src/platform/nodeLockFs';

let dir: string;
const locks: FileLocks[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'locks-'));
});
afterEach(() => {
  for (const l of locks.splice(0)) l.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The node lock fs as seen from another (live) process on this host. */
function asProcess(pid: number, alive: (pid: number) => boolean = () => true): LockFs {
  return { ...nodeLockFs, self: { pid, host: nodeLockFs.self.host }, isAlive: alive };
}

function window(pid: number, options: { staleMs?: number; alive?: (pid: number) => boolean } = {}): FileLocks {
  const l = new FileLocks(asProcess(pid, options.alive), dir, systemClock, { beatMs: 60_000, staleMs: options.staleMs ?? 60_000 });
  locks.push(l);
  return l;
}

describe('file locks', () => {
  it('two callers in one window asking at once get the same answer, and exactly one window holds the lock', async () => {
    const a = window(101);
    const b = window(102);
    // Both windows' exclusive creates race in the thread pool: either may win, never both.
    const [first, second, other] = await Promise.all([a.tryAcquire('job_x'), a.tryAcquire('job_x'), b.tryAcquire('job_x')]);
    assert.equal(second, first, 'the second caller in window a shares the first one\'s acquisition');
    assert.notEqual(other, first, 'exactly one window gets the lock');
    assert.equal(a.holds('job_x'), first);
    assert.equal(b.holds('job_x'), other);
  });

  it('one holder at a time; released, the other window takes it', async () => {
    const a = window(101);
    const b = window(102);
    assert.equal(await a.tryAcquire('job_x'), true);
    assert.equal(await a.tryAcquire('job_x'), true, 'held already');
    assert.equal(await b.tryAcquire('job_x'), false);
    await a.release('job_x');
    assert.equal(await b.tryAcquire('job_x'), true);
    assert.equal(await a.tryAcquire('job_x'), false);
  });

  it('takes over at once from a process that no longer runs', async () => {
    writeFileSync(join(dir, 'job_x.lock'), JSON.stringify({ pid: 4_000_001, host: nodeLockFs.self.host, token: 'dead' }));
    const b = window(102, { alive: (pid) => pid !== 4_000_001 });
    assert.equal(await b.tryAcquire('job_x'), true);
  });

  it('takes over from a live process only when its heartbeat is older than staleMs', async () => {
    const a = window(101);
    assert.equal(await a.tryAcquire('job_x'), true);
    const b = window(102, { staleMs: 5_000 });
    assert.equal(await b.tryAcquire('job_x'), false, 'fresh heartbeat');
    const old = new Date(Date.now() - 10_000);
    utimesSync(join(dir, 'job_x.lock'), old, old);
    assert.equal(await b.tryAcquire('job_x'), true, 'stale heartbeat');
    const lost: string[] = [];
    a.onDidLose((name) => lost.push(name));
    assert.equal(await a.verify('job_x'), false, 'the old owner learns it lost the lock');
    assert.deepEqual(lost, ['job_x']);
    assert.equal(a.holds('job_x'), false);
    await a.release('job_x');
    assert.equal(await b.verify('job_x'), true, "a lost owner's release does not remove the new owner's lock");
  });

  it('of many windows taking over one stale lock at once, exactly one wins', async () => {
    writeFileSync(join(dir, 'job_x.lock'), JSON.stringify({ pid: 4_000_001, host: nodeLockFs.self.host, token: 'dead' }));
    const takers = Array.from({ length: 8 }, (_, i) => window(200 + i, { alive: (pid) => pid !== 4_000_001 }));
    const won = await Promise.all(takers.map((t) => t.tryAcquire('job_x')));
    assert.equal(won.filter(Boolean).length, 1);
    const verified = await Promise.all(takers.map((t) => t.verify('job_x')));
    assert.equal(verified.filter(Boolean).length, 1);
  });

  it('withLock waits for the holder, then runs; gives up with LockBusyError', async () => {
    const a = window(101);
    const b = window(102);
    await a.tryAcquire('w');
    await assert.rejects(b.withLock('w', async () => 1, 50), LockBusyError);
    setTimeout(() => void a.release('w'), 30);
    assert.equal(await b.withLock('w', async () => 2, 2_000), 2);
    assert.equal(b.holds('w'), false, 'released after the work');
  });

  it('refuses names that are not plain ids (they become file names)', async () => {
    await assert.rejects(window(101).tryAcquire('../x'), /Not a valid lock name/);
  });
});
