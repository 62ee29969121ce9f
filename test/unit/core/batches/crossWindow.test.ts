/**
 * Batch jobs shared by two windows (two BatchManagers on one storage folder, each with its own
 * process identity for the locks) and Run now across a crash, against test/server.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { BatchManager } from '../../../../src/core/batches/batchManager';
import { retryableRequests } from '../../../../src/core/batches/model';
import type { BatchFile } from '../../../../src/core/batches/requests';
import type { LockFs } from '../../../../src/core/util/fileLock';
import { nodeLockFs } from '../../../../src/platform/nodeLockFs';
import { batchTestBed } from './batchTestBed';

const MODEL = 'claude-sonnet-5-5';
const spec = { prompt: 'Summarise this file.', model: MODEL, maxTokens: 500 };
const files: BatchFile[] = ['a.ts', 'b.ts', 'c.ts'].map((label) => ({ uri: `file:///ws/${label}`, label, text: `// ${label}\nexport const x = 1;\n` }));
const bed = batchTestBed('batches-xw-', files);

/** A window: the node lock fs under its own pid; `dead` lists pids that no longer run. */
function window(pid: number, client: Anthropic = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 }), dead: readonly number[] = []): BatchManager {
  const lockFs: LockFs = { ...nodeLockFs, self: { pid, host: nodeLockFs.self.host }, isAlive: (p) => !dead.includes(p) };
  return bed.manager({ lockFs }, client);
}

/** Resolves once a gated call is waiting at its gate. */
let reachedGate: Promise<void> = Promise.resolve();

/** A client whose batches.create / Messages requests wait for `gate` before reaching the server. */
function gatedClient(gate: Promise<void>, what: 'batches' | 'messages', options: { maxRetries?: number; pass?: (n: number) => boolean } = {}): Anthropic {
  let reached!: () => void;
  reachedGate = new Promise<void>((resolve) => (reached = resolve));
  const real = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: options.maxRetries ?? 0 });
  const client = Object.create(real) as Anthropic;
  let calls = 0;
  if (what === 'batches') {
    const batches = Object.create(real.messages.batches) as Anthropic['messages']['batches'];
    batches.create = (async (...args: Parameters<typeof real.messages.batches.create>) => {
      reached();
      await gate;
      return real.messages.batches.create(...args);
    }) as never;
    Object.defineProperty(client, 'messages', { value: Object.assign(Object.create(real.messages), { batches }) });
    return client;
  }
  // Run now streams (the liveness rule), so its requests are held at the fetch layer.
  return new Anthropic({
    apiKey: bed.server.apiKey,
    baseURL: bed.server.url,
    maxRetries: options.maxRetries ?? 0,
    fetch: async (url: string | URL | Request, init?: RequestInit) => {
      if (String(url).endsWith('/v1/messages') && !(options.pass?.(calls++) ?? false)) {
        reached();
        const signal = init?.signal;
        await Promise.race([gate, new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }))]);
        signal?.throwIfAborted();
      }
      return fetch(url, init);
    },
  });
}

const creates = (): number => bed.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').length;

describe('batch jobs across windows', () => {
  it("a window starting while another window's create is still uploading does not send it again", async () => {
    let open!: () => void;
    const uploading = new Promise<void>((resolve) => (open = resolve));
    const a = window(101, gatedClient(uploading, 'batches'));
    await a.init();
    const creating = a.create(spec, files, { name: 'Shared' });
    await reachedGate;
    const b = window(102);
    await b.init();
    await b.pollOnce();
    assert.equal(b.jobs[0]?.state, 'pending-create', "B sees A's job but leaves it to A");
    assert.equal(creates(), 0);
    open();
    const { jobs } = await creating;
    assert.equal(jobs[0]?.state, 'created');
    await b.pollOnce();
    assert.equal(creates(), 1, 'exactly one create');
    assert.equal(b.jobs[0]?.batchId, jobs[0]?.batchId, "B shows A's batch");
  });

  it('a window whose owner died takes its pending job over and reconciles it once', async () => {
    // A's create never gets through: A 'crashed' with it in flight.
    const a = window(101, gatedClient(new Promise<void>(() => undefined), 'batches'));
    await a.init();
    a.create(spec, files, { name: 'Orphan' }).catch(() => undefined);
    await reachedGate;
    const b = window(102, undefined, [101]);
    await b.init();
    assert.equal(b.jobs[0]?.state, 'created');
    assert.equal(creates(), 1);
  });

  it('batches.create is never retried by the SDK, whatever maxRetries the client has', async () => {
    bed.server.fault({ kind: 'api-error', when: { path: '/v1/messages/batches' } });
    const m = window(101, new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 3 }));
    await m.init();
    const { jobs } = await m.create(spec, files, { name: 'Once' });
    assert.equal(creates(), 1, 'one POST: a retry could double a batch whose answer was lost');
    assert.equal(jobs[0]?.state, 'pending-create', 'left to reconcile');
  });

  it('Run now stopped by a crash keeps every finished (paid) result and retries only the rest', async (t) => {
    const gate = new Promise<void>(() => undefined);
    const a = window(101, gatedClient(gate, 'messages', { pass: (n) => n < 2 }));
    await a.init();
    const progress: number[] = [];
    // A 'crashed' window: its held request is abandoned at the end (so no stall timer outlives the test).
    const abandon = new AbortController();
    t.after(() => abandon.abort());
    a.runNow(spec, files, { name: 'Now' }, 1, abandon.signal, (p) => progress.push(p.done)).catch(() => undefined);
    await reachedGate;
    while (progress.length < 2) await new Promise((r) => setTimeout(r, 10));
    const b = window(102, undefined, [101]);
    await b.init();
    const job = b.jobs[0]!;
    assert.equal(job.state, 'ingested');
    assert.deepEqual(job.requests.map((r) => r.outcome), ['succeeded', 'succeeded', 'canceled']);
    assert.deepEqual(retryableRequests(job).map((r) => r.label), ['c.ts']);
    assert.ok(job.costUsd > 0);
    const first = await b.readResult(job, job.requests[1]!);
    assert.equal(first?.custom_id, job.requests[1]!.customId);
    assert.equal(readFileSync(b.resultsFile(job), 'utf8').trim().split('\n').length, 2);
  });

  it('a Run now still running in another window is not taken for a crashed one', async () => {
    let open!: () => void;
    const a = window(101, gatedClient(new Promise<void>((resolve) => (open = resolve)), 'messages'));
    await a.init();
    const running = a.runNow(spec, files, { name: 'Now' }, 3);
    await reachedGate;
    const b = window(102);
    await b.init();
    assert.equal(b.jobs[0]?.state, 'created');
    open();
    const job = await running;
    assert.deepEqual(job.counts, { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 0 });
  });

  it('two windows importing the API list at once track each batch once', async () => {
    const direct = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 });
    const made = await direct.messages.batches.create({ requests: [{ custom_id: 'x', params: { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } }] });
    const a = window(101);
    const b = window(102);
    await Promise.all([a.init(), b.init()]);
    const added = await Promise.all([a.importFromApi(), b.importFromApi()]);
    assert.equal(added[0] + added[1], 1, `imported ${added.join(' + ')}`);
    const records = readdirSync(join(bed.dir, 'jobs')).map((name) => JSON.parse(readFileSync(join(bed.dir, 'jobs', name), 'utf8')) as { batchId?: string });
    assert.equal(records.filter((r) => r.batchId === made.id).length, 1);
  });

  it('two windows reconciling two interrupted jobs of one size at once adopt a different batch each', async () => {
    // Two windows created a job each; the server made both batches but both answers were lost, then both windows died.
    const real = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 });
    const lostAnswer = Object.create(real) as Anthropic;
    const batches = Object.create(real.messages.batches) as Anthropic['messages']['batches'];
    batches.create = (async (...args: Parameters<typeof real.messages.batches.create>) => {
      await real.messages.batches.create(...args);
      throw new Error('Connection error.');
    }) as never;
    Object.defineProperty(lostAnswer, 'messages', { value: Object.assign(Object.create(real.messages), { batches }) });
    for (const pid of [201, 202]) {
      const { jobs } = await window(pid, lostAnswer).create(spec, files, { name: `Lost ${pid}` });
      assert.equal(jobs[0]?.state, 'pending-create');
    }
    const a = window(101, undefined, [201, 202]);
    const b = window(102, undefined, [201, 202]);
    await Promise.all([a.init(), b.init()]);
    assert.equal(creates(), 2, 'nothing sent again');
    const records = readdirSync(join(bed.dir, 'jobs')).map((name) => JSON.parse(readFileSync(join(bed.dir, 'jobs', name), 'utf8')) as { state: string; batchId?: string });
    assert.deepEqual(records.map((r) => r.state), ['created', 'created']);
    assert.equal(new Set(records.map((r) => r.batchId)).size, 2, `batches: ${records.map((r) => r.batchId).join(', ')}`);
  });

  it('a job deleted in another window while this one downloads its results leaves no results behind', async () => {
    const a = window(101);
    await a.init();
    const real = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 });
    const deletingMeanwhile = Object.create(real) as Anthropic;
    const batches = Object.create(real.messages.batches) as Anthropic['messages']['batches'];
    let key = '';
    batches.results = (async (...args: Parameters<typeof real.messages.batches.results>) => {
      const results = await real.messages.batches.results(...args);
      await a.journal.refresh();
      await a.delete(a.journal.get(key)!);
      return results;
    }) as never;
    Object.defineProperty(deletingMeanwhile, 'messages', { value: Object.assign(Object.create(real.messages), { batches }) });
    const b = window(102, deletingMeanwhile);
    await b.init();
    key = (await b.create(spec, files, { name: 'Deleted meanwhile' })).jobs[0]!.key;
    bed.server.clock.advance(2000);
    await b.pollOnce();
    assert.equal(existsSync(join(bed.dir, 'results', key)), false, 'no results of a deleted job');
    assert.equal((JSON.parse(readFileSync(join(bed.dir, 'jobs', `${key}.json`), 'utf8')) as { deleted?: boolean }).deleted, true);
    assert.deepEqual(b.jobs.filter((job) => job.key === key).map((job) => job.state), []);
  });
});
