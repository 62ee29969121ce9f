/** The durable write helper: whole-file replace, appends, no temp left on failure, crashed writers' temps cleaned. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { appendFileDurable, cleanStaleTemps, tempPathFor, writeFileDurable } from '../../../src/platform/durableFile';
import { nodeBatchFs } from '../../../src/platform/nodeBatchFs';
import { fsynced, inode } from './fsyncSpy';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'durable-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('durable files', () => {
  it('replaces a file whole and leaves no temp behind', async () => {
    const file = join(dir, 'a.json');
    await writeFileDurable(file, 'one');
    await writeFileDurable(file, 'two');
    assert.equal(readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(readdirSync(dir), ['a.json']);
  });

  it('a failed write removes its temp (the batch journal writes through it)', async () => {
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true });
    await assert.rejects(nodeBatchFs.writeFileAtomic(target, 'x'));
    assert.deepEqual(readdirSync(dir), ['taken']);
  });

  it('appends', async () => {
    const file = join(dir, 'log.jsonl');
    await appendFileDurable(file, 'a\n');
    await appendFileDurable(file, 'b\n');
    assert.equal(readFileSync(file, 'utf8'), 'a\nb\n');
  });

  it("cleans temps of writers that died, keeps a live writer's", async () => {
    mkdirSync(join(dir, 'jobs'));
    const dead = tempPathFor(join(dir, 'jobs', 'job_a.json'), 4_000_001);
    const live = tempPathFor(join(dir, 'jobs', 'job_b.json'));
    writeFileSync(dead, 'half');
    writeFileSync(live, 'writing');
    writeFileSync(join(dir, 'keep.json'), '{}');
    assert.equal(await cleanStaleTemps(dir), 1);
    assert.deepEqual(readdirSync(join(dir, 'jobs')).sort(), [live.slice(live.lastIndexOf('/') + 1)]);
    assert.ok(readdirSync(dir).includes('keep.json'));
  });

  it("on start, the batch journal cleans a crashed writer's temp of a prepared job's requests (results/<job>/)", async () => {
    const jobDir = join(dir, 'results', 'job_a');
    mkdirSync(jobDir, { recursive: true });
    writeFileSync(tempPathFor(join(jobDir, 'requests.json'), 4_000_001), 'half');
    writeFileSync(join(jobDir, 'requests.json'), '[]');
    await nodeBatchFs.cleanTemps?.(dir);
    assert.deepEqual(readdirSync(jobDir), ['requests.json']);
  });
});

describe('durable means fsynced: the file and the folder entry that names it', () => {
  it('a whole-file write syncs the file and its folder', async () => {
    const file = join(dir, 'jobs', 'job_a.json');
    mkdirSync(join(dir, 'jobs'));
    const synced = await fsynced(dir, () => writeFileDurable(file, '{}'));
    assert.ok(synced.has(inode(file)), 'the file');
    assert.ok(synced.has(inode(join(dir, 'jobs'))), 'its folder');
  });

  it('an append to a new log syncs the log and its folder', async () => {
    const file = join(dir, 'c.jsonl');
    const synced = await fsynced(dir, () => appendFileDurable(file, 'a\n'));
    assert.ok(synced.has(inode(file)));
    assert.ok(synced.has(inode(dir)));
  });

  it("a job's results file in its new folder: the file, its folder and the folder holding that", async () => {
    const jobDir = join(dir, 'results', 'job_a');
    const file = join(jobDir, 'results.jsonl');
    const synced = await fsynced(dir, async () => {
      await nodeBatchFs.mkdir(jobDir);
      const writer = await nodeBatchFs.createWriter(file);
      await writer.write('{"custom_id":"a"}\n');
      await writer.sync?.();
      await writer.close();
    });
    assert.ok(synced.has(inode(file)), 'the results file');
    assert.ok(synced.has(inode(jobDir)), "the job's folder");
    assert.ok(synced.has(inode(join(dir, 'results'))), 'the results folder');
  });
});
