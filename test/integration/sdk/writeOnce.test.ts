/**
 * SDK 1.17 resends a request whose answer was cut off part-way through its body. Against the test
 * server, which serves the request and then drops the connection half-way through a 2xx answer,
 * the client factory's client sends a batch create, a cancel and a delete exactly once (the
 * server's record shows one), while reads (retrieve, count_tokens) are still resent. The control,
 * a plain SDK client, shows the resend the policy prevents: two creates, two batches.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic, { APIConnectionError } from '@anthropic-ai/sdk';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import { DEFAULT_MODEL } from '../../../src/core/anthropic/catalog';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import { CREATE_ONCE } from '../../../src/core/anthropic/retryPolicy';
import type { TestServer } from '../../server';
import { startTestServer } from '../../server';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
beforeEach(() => server.reset());
after(() => server.close());

const BATCHES = '/v1/messages/batches';

function client(): Anthropic {
  // Retries on, as the user's setting allows: only the policy may stop the resend.
  return createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 10_000, maxRetries: 2, env: {} });
}

function batchParams(): Anthropic.Messages.BatchCreateParams {
  return { requests: [{ custom_id: 'q1', params: { model: DEFAULT_MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] } }] };
}

const recorded = (method: string, path: string | RegExp): number =>
  server.records.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))).length;

async function batchCount(): Promise<number> {
  const page = await new Anthropic({ apiKey: server.apiKey, baseURL: server.url }).messages.batches.list();
  return page.data.length;
}

async function newBatch(): Promise<MessageBatch> {
  const batch = await client().messages.batches.create(batchParams());
  server.clearRecords();
  return batch;
}

describe('a write whose 2xx answer is cut off is sent once', () => {
  it('control: a plain SDK 1.17 client sends the batch create again and makes two batches', async () => {
    server.fault({ kind: 'reset-mid-body', when: { path: BATCHES } });
    const plain = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 2 });
    await plain.messages.batches.create(batchParams());
    assert.equal(recorded('POST', BATCHES), 2);
    assert.equal(await batchCount(), 2);
  });

  for (const [label, options] of [['with CREATE_ONCE', CREATE_ONCE], ['with the client default of 2 retries', undefined]] as const) {
    it(`batches.create ${label}: one create on the server, and the caller gets APIConnectionError`, async () => {
      server.fault({ kind: 'reset-mid-body', when: { path: BATCHES } });
      await assert.rejects(client().messages.batches.create(batchParams(), options), (error: unknown) => {
        assert.ok(error instanceof APIConnectionError, `got ${String(error)}`);
        return true;
      });
      assert.equal(recorded('POST', BATCHES), 1);
      const [record] = server.records.filter((r) => r.path === BATCHES);
      assert.equal(record?.status, 200);
      assert.equal(record?.outcome, 'reset');
      assert.equal(await batchCount(), 1);
    });
  }

  it('cancel and delete are sent once too', async () => {
    const batch = await newBatch();
    server.fault({ kind: 'reset-mid-body', when: (input) => input.path.endsWith('/cancel') });
    await assert.rejects(client().messages.batches.cancel(batch.id), APIConnectionError);
    assert.equal(recorded('POST', /\/cancel$/), 1);

    server.fault({ kind: 'reset-mid-body', when: (input) => input.method === 'DELETE' });
    const ended = await newBatch();
    await waitEnded(ended.id);
    server.clearRecords();
    await assert.rejects(client().messages.batches.delete(ended.id), APIConnectionError);
    assert.equal(recorded('DELETE', `${BATCHES}/${ended.id}`), 1);
  });

  it('a read is still resent: retrieve and count_tokens answer after one cut', async () => {
    const batch = await newBatch();
    server.fault({ kind: 'reset-mid-body', when: (input) => input.method === 'GET' });
    const again = await client().messages.batches.retrieve(batch.id);
    assert.equal(again.id, batch.id);
    assert.equal(recorded('GET', `${BATCHES}/${batch.id}`), 2);

    server.fault({ kind: 'reset-mid-body', when: { path: '/v1/messages/count_tokens' } });
    const count = await client().messages.countTokens({ model: DEFAULT_MODEL, messages: [{ role: 'user', content: 'Hello' }] });
    assert.ok(count.input_tokens > 0);
    assert.equal(recorded('POST', '/v1/messages/count_tokens'), 2);
  });
});

async function waitEnded(id: string): Promise<void> {
  const reader = new Anthropic({ apiKey: server.apiKey, baseURL: server.url });
  for (let i = 0; i < 100; i++) {
    if ((await reader.messages.batches.retrieve(id)).processing_status === 'ended') return;
    server.clock.advance(2_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`batch ${id} did not end`);
}
