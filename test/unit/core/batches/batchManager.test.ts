/** The batch manager against test/server through the real SDK: create, poll, ingest, crash recovery, retry, run now. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { exportJob } from '../../../../src/core/batches/export';
import type { BatchFile } from '../../../../src/core/batches/requests';
import { nodeExportFs } from '../../../../src/platform/nodeExportFs';
import { batchTestBed } from './batchTestBed';

const MODEL = 'claude-sonnet-5-5';
const spec = { prompt: 'Summarise this file.', model: MODEL, maxTokens: 500 };
const files: BatchFile[] = ['a.ts', 'b.ts', 'c.ts'].map((label) => ({ uri: `file:///ws/${label}`, label, text: `// ${label}\nexport const x = 1;\n` }));

const bed = batchTestBed('batches-', files);
const { manager } = bed;

const creates = (): number => bed.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').length;

describe('batch manager against test/server', () => {
  it('creates one job for three files, polls it to ended 3/3 and ingests results once', async () => {
    const m = manager();
    await m.init();
    const ended: string[] = [];
    m.onDidEnd((job) => ended.push(job.key));
    const { jobs } = await m.create(spec, files, { name: 'Summaries' });
    assert.equal(jobs.length, 1);
    const job = jobs[0]!;
    assert.equal(job.state, 'created');
    assert.match(job.batchId ?? '', /^msgbatch_/);
    assert.equal(m.pollerScheduled, true);
    await m.pollOnce();
    assert.equal(job.processingStatus, 'in_progress');
    bed.server.clock.advance(2000);
    const result = await m.pollOnce();
    assert.equal(result.active, false);
    assert.equal(job.state, 'ingested');
    assert.deepEqual(job.counts, { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 0 });
    assert.ok(job.costUsd > 0);
    assert.deepEqual(ended, [job.key]);
    const first = await m.readResult(job, job.requests[0]!);
    assert.equal(first?.custom_id, job.requests[0]!.customId);
    assert.equal(first?.result.type, 'succeeded');
    const downloads = bed.server.batchRequests().filter((r) => r.path.endsWith('/results')).length;
    await m.pollOnce();
    assert.equal(bed.server.batchRequests().filter((r) => r.path.endsWith('/results')).length, downloads, 'downloaded once');
    assert.equal(readFileSync(m.resultsFile(job), 'utf8').trim().split('\n').length, 3);
    // A restart finds it ingested and does not download or notify again.
    const again = manager();
    const endedAgain: string[] = [];
    again.onDidEnd((j) => endedAgain.push(j.key));
    await again.init();
    assert.equal(again.jobs[0]?.state, 'ingested');
    assert.equal(again.pollerScheduled, false);
    assert.deepEqual(endedAgain, []);
  });

  it('a crash after create reached the server is reconciled from the list without a second create', async () => {
    const real = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 });
    const lossy = Object.create(real) as Anthropic;
    const batches = Object.create(real.messages.batches) as Anthropic['messages']['batches'];
    batches.create = (async (params: Parameters<typeof real.messages.batches.create>[0]) => {
      await real.messages.batches.create(params);
      throw new Error('connection lost after the request was sent');
    }) as never;
    Object.defineProperty(lossy, 'messages', { value: Object.assign(Object.create(real.messages), { batches }) });
    // Another batch with a different size must not be mistaken for ours.
    await real.messages.batches.create({ requests: [{ custom_id: 'other', params: { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } }] });
    const crashed = manager({}, lossy);
    await crashed.init();
    const { jobs } = await crashed.create(spec, files, { name: 'Crashy' });
    assert.equal(jobs[0]?.state, 'pending-create');
    assert.equal(creates(), 2);
    crashed.dispose();

    const restarted = manager();
    await restarted.init();
    const job = restarted.jobs[0]!;
    assert.equal(job.state, 'created');
    assert.equal(restarted.pollerScheduled, true);
    assert.equal(creates(), 2, 'no second create for our job');
    bed.server.clock.advance(2000);
    await restarted.pollOnce();
    assert.equal(job.state, 'ingested');
    assert.equal(job.counts.succeeded, 3);
    // The results' custom_ids are ours: the adopted batch is the right one.
    assert.deepEqual(job.requests.map((r) => r.outcome), ['succeeded', 'succeeded', 'succeeded']);
    assert.equal(job.requests.length, 3);
  });

  it('a journaled job whose create never reached the server is sent exactly once after restart', async () => {
    const offline = new Anthropic({ apiKey: bed.server.apiKey, baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    const first = manager({}, offline);
    await first.init().catch(() => undefined);
    const { jobs } = await first.create(spec, files, { name: 'Offline' });
    assert.equal(jobs[0]?.state, 'pending-create');
    assert.equal(creates(), 0);
    first.dispose();
    const second = manager();
    await second.init();
    assert.equal(second.jobs[0]?.state, 'created');
    assert.equal(creates(), 1);
  });

  it('retry failed makes a new job with only the errored request', async () => {
    bed.server.script({ error: { type: 'overloaded_error', message: 'busy' }, when: { customId: undefined, textIncludes: 'b.ts' } });
    const m = manager();
    await m.init();
    const { jobs } = await m.create(spec, files, { name: 'Mixed' });
    bed.server.clock.advance(2000);
    await m.pollOnce();
    const job = jobs[0]!;
    assert.deepEqual(job.counts, { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 });
    const failed = job.requests.find((r) => r.outcome === 'errored');
    assert.equal(failed?.label, 'b.ts');
    assert.match(failed?.error ?? '', /busy/);
    const [retry] = await m.retryFailed(job);
    assert.equal(retry?.requests.length, 1);
    assert.equal(retry?.requests[0]?.label, 'b.ts');
    assert.equal(retry?.retryOf, job.key);
    const lastCreate = bed.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').at(-1);
    assert.equal((lastCreate?.body as { requests: unknown[] }).requests.length, 1);
  });

  it('splits inputs over the per-batch limit into several jobs', async () => {
    const m = manager({ limits: { maxCount: 2, maxBytes: 256 * 1024 * 1024 } });
    await m.init();
    const { jobs } = await m.create(spec, files, { name: 'Split' });
    assert.deepEqual(jobs.map((j) => j.requests.length), [2, 1]);
    assert.deepEqual(jobs.map((j) => j.name), ['Split (1/2)', 'Split (2/2)']);
    assert.equal(creates(), 2);
    assert.equal(new Set(jobs.flatMap((j) => j.requests.map((r) => r.customId))).size, 3);
  });

  it('cancel leaves unfinished requests canceled; delete refuses while running', async () => {
    const m = manager();
    await m.init();
    const { jobs } = await m.create(spec, files, { name: 'Cancel me' });
    const job = jobs[0]!;
    await assert.rejects(m.delete(job), /Cancel it first/);
    bed.server.clock.advance(400); // one of three done
    await m.cancel(job);
    bed.server.clock.advance(1000);
    await m.pollOnce();
    assert.equal(job.state, 'ingested');
    assert.equal(job.counts.succeeded, 1);
    assert.equal(job.counts.canceled, 2);
    await m.delete(job);
    assert.equal(m.jobs.length, 0);
  });

  it('imports batches created elsewhere with the same key', async () => {
    const client = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 });
    await client.messages.batches.create({ requests: [{ custom_id: 'elsewhere-1', params: { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } }] });
    const m = manager();
    await m.init();
    assert.equal(await m.importFromApi(), 1);
    assert.equal(await m.importFromApi(), 0);
    bed.server.clock.advance(2000);
    await m.pollOnce();
    const job = m.jobs[0]!;
    assert.equal(job.state, 'ingested');
    assert.deepEqual(job.requests.map((r) => r.customId), ['elsewhere-1']);
  });

  it('run now: concurrency-limited messages.create into the same job shape, abort cancels the rest', async () => {
    const m = manager();
    await m.init();
    const progress: number[] = [];
    const job = await m.runNow(spec, files, { name: 'Now' }, 2, undefined, (p) => progress.push(p.done));
    assert.equal(job.mode, 'now');
    assert.equal(job.state, 'ingested');
    assert.equal(job.counts.succeeded, 3);
    assert.deepEqual(progress, [1, 2, 3]);
    assert.equal((await m.readResult(job, job.requests[2]!))?.result.type, 'succeeded');
    const controller = new AbortController();
    controller.abort();
    const aborted = await m.runNow(spec, files, { name: 'Stopped' }, 2, controller.signal);
    assert.equal(aborted.counts.canceled, 3);
  });
});

describe('batch manager races', () => {
  it('a poll while a create is in flight does not reconcile (and so never doubles) that job', async () => {
    const real = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Object.create(real) as Anthropic;
    const batches = Object.create(real.messages.batches) as Anthropic['messages']['batches'];
    batches.create = (async (params: Parameters<typeof real.messages.batches.create>[0]) => {
      await gate;
      return real.messages.batches.create(params);
    }) as never;
    Object.defineProperty(slow, 'messages', { value: Object.assign(Object.create(real.messages), { batches }) });
    const m = manager({}, slow);
    await m.init();
    const creating = m.create(spec, files, { name: 'Slow' });
    await waitUntil(() => m.jobs[0]?.createAttemptAt !== undefined);
    const polls = Promise.all([m.pollOnce(), m.pollOnce()]);
    setTimeout(release, 50);
    await polls;
    const { jobs } = await creating;
    assert.equal(jobs[0]?.state, 'created');
    assert.equal(creates(), 1);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition());
}

describe('batch export', () => {
  it('writes one Markdown file per result and results.jsonl', async () => {
    const m = manager();
    await m.init();
    const { jobs } = await m.create(spec, [...files, { uri: 'file:///ws/lib/a.ts', label: 'lib/a.ts', text: 'x' }], { name: 'Export' });
    bed.server.clock.advance(2000);
    await m.pollOnce();
    const out = join(bed.dir, 'export');
    assert.equal(await exportJob(m, jobs[0]!, out, nodeExportFs), 4);
    assert.deepEqual(readdirSync(out).sort(), ['a.ts.md', 'b.ts.md', 'c.ts.md', 'lib__a.ts.md', 'results.jsonl']);
    assert.equal(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').length, 4);
    assert.match(readFileSync(join(out, 'lib__a.ts.md'), 'utf8'), /^# lib\/a\.ts\n/);
  });
});
