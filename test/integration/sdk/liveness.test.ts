/**
 * The liveness rule (src/core/anthropic/liveness.ts) for each kind of request — chat answer,
 * recipe step, overflow summary, Run now — against test/server through the real SDK: a stream
 * that only pings for longer than the stall timeout lives, one that goes silent is aborted as
 * stalled, and Stop closes the HTTP request.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { costOf, findModel } from '../../../src/core/anthropic/catalog';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import { describeError } from '../../../src/core/anthropic/errors';
import { StalledError } from '../../../src/core/anthropic/liveness';
import { BatchManager } from '../../../src/core/batches/batchManager';
import type { BatchFile } from '../../../src/core/batches/requests';
import { ChatSession } from '../../../src/core/chat/chatSession';
import { turnErrorFrom } from '../../../src/core/chat/turnError';
import { sdkComplete } from '../../../src/core/recipes/sdkComplete';
import { nodeBatchFs } from '../../../src/platform/nodeBatchFs';
import type { TestServer } from '../../server';
import { startTestServer } from '../../server';

const MODEL = 'claude-sonnet-5-5';
/** The stall timeout under test, and a ping-only stretch of twice that (pings at a quarter of it). */
const STALL_MS = 800;
const PING_ONLY = { kind: 'ping-only', holdMs: 2 * STALL_MS, pingIntervalMs: STALL_MS / 4, afterChunks: 1 } as const;
let server: TestServer;

before(async () => {
  server = await startTestServer();
  // A cold server's first answer can take longer than the stall timeout on a loaded machine.
  await client().messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'warm up' }] });
});
after(() => server.close());
beforeEach(() => server.reset());

const client = () => createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 10_000, maxRetries: 0 });

function session(): ChatSession {
  const shared = client();
  return new ChatSession({
    getClient: async () => shared,
    getOptions: () => ({ model: MODEL, maxTokens: 1024, cacheTtl: '5m', stallTimeoutMs: STALL_MS, maxRetries: 0 }),
    describeError: (error) => turnErrorFrom(describeError(error, { model: MODEL, baseURL: server.url })),
    price: (usage, model) => ({ costUsd: costOf(usage, findModel(model) ?? findModel(MODEL)!).total, savedUsd: 0 }),
    now: () => Date.now(),
  }, ['You are a test.']);
}

async function outcomeOfLast(): Promise<string | undefined> {
  for (let i = 0; i < 100 && server.lastRecord()?.outcome === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return server.lastRecord()?.outcome;
}

const params = { model: MODEL, max_tokens: 200, messages: [{ role: 'user' as const, content: 'think long' }] };

describe('liveness: pings keep a request alive, silence stops it, Stop closes it', () => {
  it('chat: an answer that only pings for twice the stall timeout finishes; a silent one is stopped as stalled', async () => {
    server.script({ text: 'A long think, then this answer.', chunkSize: 4 });
    server.fault(PING_ONLY);
    const chat = session();
    await chat.send('think long');
    const answer = chat.turns().at(-1);
    assert.ok(answer?.kind === 'assistant');
    assert.equal(answer.status, 'done', answer.error?.message);
    assert.equal(answer.text, 'A long think, then this answer.');

    server.script({ text: 'never finishes', chunkSize: 4 });
    server.fault({ kind: 'stall', afterChunks: 1 });
    await chat.send('again');
    const stalled = chat.turns().at(-1);
    assert.ok(stalled?.kind === 'assistant');
    assert.equal(stalled.status, 'error');
    assert.equal(stalled.error?.kind, 'stalled');
    assert.equal(stalled.text, 'neve', 'what arrived is kept');
    assert.equal(await outcomeOfLast(), 'stalled', 'the HTTP request was closed');
  });

  it('chat: Stop during a ping-only stretch closes the HTTP request', async () => {
    server.fault({ ...PING_ONLY, holdMs: 10_000 });
    const chat = session();
    const sending = chat.send('think long');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await chat.stop();
    await sending;
    assert.equal(chat.turns().at(-1)?.kind === 'assistant' && (chat.turns().at(-1) as { status: string }).status, 'stopped');
    assert.equal(await outcomeOfLast(), 'aborted');
  });

  it('recipe step: pings keep it alive; silence rejects with StalledError', async () => {
    const complete = sdkComplete(client(), { stallTimeoutMs: STALL_MS });
    server.script({ text: 'step answer', chunkSize: 4 });
    server.fault(PING_ONLY);
    const reply = await complete(params);
    assert.equal(reply.content[0]?.type === 'text' && reply.content[0].text, 'step answer');
    server.fault({ kind: 'stall', afterChunks: 0 });
    await assert.rejects(complete(params), StalledError);
    assert.equal(await outcomeOfLast(), 'stalled');
  });

  it('overflow summary: pings keep it alive; silence rejects with StalledError; its signal cancels it', async () => {
    const chat = session();
    await chat.send('first');
    server.script({ text: 'The summary.', chunkSize: 4 });
    server.fault(PING_ONLY);
    assert.equal(await chat.summarize(10_000, 'Summarize.'), 'The summary.');
    server.fault({ kind: 'stall', afterChunks: 0 });
    await assert.rejects(chat.summarize(10_000, 'Summarize.'), StalledError);
    server.fault({ kind: 'stall', afterChunks: 0 });
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    await assert.rejects(chat.summarize(10_000, 'Summarize.', cancel.signal), (error: unknown) => !(error instanceof StalledError));
  });

  it('Run now: pings keep a request alive; a silent one is recorded as failed, not left hanging', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveness-'));
    try {
      const shared = client();
      const manager = new BatchManager({
        fs: nodeBatchFs,
        dir,
        getClient: async () => shared,
        clock: { now: () => Date.now(), setTimer: () => ({ dispose: () => undefined }) },
        model: (id) => findModel(id),
        pollIntervals: () => ({ minMs: 1000, maxMs: 30_000 }),
        stallTimeoutMs: () => STALL_MS,
      });
      await manager.init();
      const files: BatchFile[] = ['a.ts', 'b.ts'].map((label) => ({ uri: `file:///ws/${label}`, label, text: `// ${label}\n` }));
      server.fault({ ...PING_ONLY, when: { textIncludes: 'a.ts' } });
      server.fault({ kind: 'stall', afterChunks: 0, when: { textIncludes: 'b.ts' } });
      const job = await manager.runNow({ prompt: 'Summarise.', model: MODEL, maxTokens: 200 }, files, { name: 'Now' }, 2);
      assert.equal(job.requests[0]?.outcome, 'succeeded');
      assert.equal(job.requests[1]?.outcome, 'errored');
      assert.match(job.requests[1]?.error ?? '', /Nothing arrived from the API/);
      manager.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
