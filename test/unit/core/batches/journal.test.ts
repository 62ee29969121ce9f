import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { ingestResults } from '../../../../src/core/batches/ingest';
import { BatchJournal, StaleJobError } from '../../../../src/core/batches/journal';
import { systemClock } from '../../../../src/core/util/clock';
import { FileLocks, memoryLockFs } from '../../../../src/core/util/fileLock';
import type { BatchJob } from '../../../../src/core/batches/model';
import { emptyCounts } from '../../../../src/core/batches/model';
import type { BatchFs } from '../../../../src/core/batches/ports';

/** An in-memory BatchFs that records writes. */
function memoryFs(): BatchFs & { files: Map<string, string>; writes: string[] } {
  const files = new Map<string, string>();
  const writes: string[] = [];
  const notFound = (): Error => Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return {
    files,
    writes,
    readFile: async (path) => {
      const text = files.get(path);
      if (text === undefined) throw notFound();
      return text;
    },
    writeFileAtomic: async (path, text) => {
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      writes.push(path);
      files.set(path, text);
    },
    readdir: async (dir) => {
      const names = [...files.keys()].filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1));
      if (names.length === 0) throw notFound();
      return names;
    },
    mkdir: async () => undefined,
    remove: async (path) => {
      for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
    },
    createWriter: async (path) => {
      files.set(path, '');
      return { write: async (text) => void files.set(path, (files.get(path) ?? '') + text), close: async () => undefined };
    },
    readRange: async (path, offset, length) => Buffer.from(files.get(path) ?? '').subarray(offset, offset + length).toString('utf8'),
  };
}

function job(key: string, createdAt: number): BatchJob {
  return { key, name: key, mode: 'batch', state: 'pending-create', createdAt, counts: emptyCounts(1), model: 'claude-sonnet-5-5', maxTokens: 10, prompt: 'p', requests: [{ customId: 'a-0', file: 'file:///a', label: 'a' }], estimatedCostUsd: 0, costUsd: 0 };
}

describe('batch journal', () => {
  it('saves every job as its own file, last write wins, loads newest first, skips (keeps) unreadable files', async () => {
    const fs = memoryFs();
    const journal = new BatchJournal(fs, '/s');
    const a = job('job_a', 1);
    await Promise.all([journal.save({ ...a, state: 'pending-create' }), journal.save({ ...a, state: 'created', batchId: 'b1' }), journal.save(job('job_b', 2))]);
    fs.files.set('/s/jobs/broken.json', '{"half');
    const problems: string[] = [];
    const loaded = await new BatchJournal(fs, '/s').load((file) => problems.push(file));
    assert.deepEqual(loaded.map((j) => j.key), ['job_b', 'job_a']);
    assert.equal(loaded[1]?.state, 'created');
    assert.deepEqual(problems, ['broken.json']);
    assert.ok(fs.files.has('/s/jobs/broken.json'), 'never deletes what it cannot read');
    await journal.delete('job_a');
    assert.deepEqual(JSON.parse(fs.files.get('/s/jobs/job_a.json')!), { key: 'job_a', deleted: true, rev: 3, batchId: 'b1' }, 'a tombstone');
    assert.deepEqual((await new BatchJournal(fs, '/s').load()).map((j) => j.key), ['job_b']);
  });

  it('a job deleted in one window is never written back by another window that still holds it', async () => {
    const fs = memoryFs();
    const locks = memoryLockFs();
    const a = new BatchJournal(fs, '/s', new FileLocks(locks, '/s/locks', systemClock));
    const b = new BatchJournal(fs, '/s', new FileLocks(locks, '/s/locks', systemClock));
    await a.save({ ...job('job_a', 1), state: 'ingested' });
    await b.load();
    const stale = b.get('job_a')!;
    await a.delete('job_a');
    await assert.rejects(b.save({ ...stale, notified: true }), (error: unknown) => error instanceof StaleJobError && error.deleted);
    assert.equal(JSON.parse(fs.files.get('/s/jobs/job_a.json')!).deleted, true);
    assert.equal(b.get('job_a'), undefined, 'the stale window forgets it');
    await assert.rejects(b.save({ ...stale }), StaleJobError);
    assert.deepEqual(await new BatchJournal(fs, '/s').load(), []);
  });

  it("a stale write is refused and the newer record re-read; the refreshing window sees other windows' jobs", async () => {
    const fs = memoryFs();
    const locks = memoryLockFs();
    const a = new BatchJournal(fs, '/s', new FileLocks(locks, '/s/locks', systemClock));
    const b = new BatchJournal(fs, '/s', new FileLocks(locks, '/s/locks', systemClock));
    await a.save(job('job_a', 1));
    await b.load();
    await b.save({ ...b.get('job_a')!, state: 'created', batchId: 'msgbatch_1' });
    const old = a.get('job_a')!;
    await assert.rejects(a.save({ ...old, state: 'failed', error: 'x' }), (error: unknown) => error instanceof StaleJobError && !error.deleted);
    assert.equal(a.get('job_a')?.state, 'created', 'the newer record replaced the stale one');
    assert.equal(JSON.parse(fs.files.get('/s/jobs/job_a.json')!).state, 'created');
    await a.save({ ...a.get('job_a')!, notified: true });
    assert.equal(JSON.parse(fs.files.get('/s/jobs/job_a.json')!).rev, 3);
    await b.save(job('job_c', 3));
    assert.equal(await a.refresh(), true);
    assert.deepEqual(a.all().map((j) => j.key), ['job_c', 'job_a']);
  });

  it('keys are ids before they touch a path: bad keys are refused, foreign file names and mismatched keys skipped', async () => {
    const fs = memoryFs();
    const journal = new BatchJournal(fs, '/s');
    await assert.rejects(journal.save(job('../../../etc/x', 1)), /Not a batch job key/);
    await assert.rejects(journal.delete('job_a/../../x'), /Not a batch job key/);
    assert.throws(() => journal.resultsDir('..'), /Not a batch job key/);
    fs.files.set('/s/jobs/job_ok.json', JSON.stringify(job('../../escape', 1)));
    fs.files.set('/s/jobs/..x.json', JSON.stringify(job('job_z', 1)));
    const problems: string[] = [];
    assert.deepEqual(await journal.load((file, message) => problems.push(`${file}: ${message}`)), []);
    assert.deepEqual(problems.sort(), ['..x.json: not a batch job file name', 'job_ok.json: its key does not match its file name']);
    assert.equal([...fs.files.keys()].some((k) => k.includes('escape')), false);
  });

  it('loading cleans temps that crashed writers left behind', async () => {
    const fs = memoryFs();
    const cleaned: string[] = [];
    await new BatchJournal({ ...fs, cleanTemps: async (dir) => void cleaned.push(dir) }, '/s').load();
    assert.deepEqual(cleaned, ['/s']);
  });
});

describe('results ingestion', () => {
  it('streams lines into storage and records outcome, offset and errors; unknown ids become requests', async () => {
    const fs = memoryFs();
    const target = job('job_i', 1);
    target.requests.push({ customId: 'a-1', file: 'file:///b', label: 'b' }, { customId: 'a-2', file: 'file:///c', label: 'c' });
    const lines: MessageBatchIndividualResponse[] = [
      { custom_id: 'a-2', result: { type: 'expired' } },
      { custom_id: 'a-0', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'busy' }, request_id: null } } as never },
      { custom_id: 'a-1', result: { type: 'canceled' } },
      { custom_id: 'zz', result: { type: 'canceled' } },
    ];
    let inFlight = 0;
    async function* stream(): AsyncGenerator<MessageBatchIndividualResponse> {
      for (const line of lines) {
        inFlight++;
        yield line;
      }
    }
    const writer = await fs.createWriter('/r.jsonl');
    const summary = await ingestResults(target, stream(), writer, undefined);
    assert.equal(inFlight, 4);
    assert.equal(summary.lines, 4);
    assert.equal(summary.unknownIds, 1);
    assert.deepEqual(target.counts, { processing: 0, succeeded: 0, errored: 1, canceled: 2, expired: 1 });
    const a0 = target.requests.find((r) => r.customId === 'a-0')!;
    assert.equal(a0.error, 'overloaded_error: busy');
    const line = await fs.readRange('/r.jsonl', a0.offset!, a0.length!);
    assert.equal((JSON.parse(line) as MessageBatchIndividualResponse).custom_id, 'a-0');
    assert.equal(target.requests.at(-1)?.customId, 'zz');
  });
});
