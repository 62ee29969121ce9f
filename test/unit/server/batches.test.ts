import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { MODEL, rejectsWith, withServer } from './harness';

type BatchRequest = Anthropic.Messages.BatchCreateParams.Request;

function request(customId: string, text: string): BatchRequest {
  return { custom_id: customId, params: { model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: text }] } };
}

async function collect(client: Anthropic, id: string): Promise<Anthropic.Messages.MessageBatchIndividualResponse[]> {
  const results = [];
  for await (const result of await client.messages.batches.results(id)) results.push(result);
  return results;
}

describe('message batches', () => {
  test('a batch progresses on the server clock and serves JSONL results; scripting decides each answer', () =>
    withServer({ manualClock: true, batchProcessingMs: 9_000 }, async ({ server, client }) => {
      server.script({ when: { customId: 'b' }, error: { type: 'overloaded_error' } });
      const invalid: BatchRequest = { custom_id: 'c', params: { model: MODEL, max_tokens: 0, messages: [{ role: 'user', content: 'x' }] } };
      const created = await client.messages.batches.create({ requests: [request('a', 'alpha'), request('b', 'beta'), invalid] });
      assert.match(created.id, /^msgbatch_/);
      assert.equal(created.processing_status, 'in_progress');
      assert.deepEqual(created.request_counts, { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
      assert.equal(created.results_url, null);
      assert.equal(Date.parse(created.expires_at) - Date.parse(created.created_at), 24 * 3600_000);

      server.clock.advance(3_000);
      const partial = await client.messages.batches.retrieve(created.id);
      assert.deepEqual([partial.processing_status, partial.request_counts.succeeded, partial.request_counts.processing], ['in_progress', 1, 2]);

      server.clock.advance(6_000);
      const ended = await client.messages.batches.retrieve(created.id);
      assert.equal(ended.processing_status, 'ended');
      assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 1, errored: 2, canceled: 0, expired: 0 });
      assert.equal(ended.ended_at, new Date(server.clock.now()).toISOString());
      assert.equal(ended.results_url, `${server.url}/v1/messages/batches/${created.id}/results`);

      const results = await collect(client, created.id);
      assert.notDeepEqual(results.map((r) => r.custom_id), ['a', 'b', 'c'], 'results come in no particular order');
      const byId = new Map(results.map((r) => [r.custom_id, r.result]));
      assert.deepEqual([...byId.keys()].sort(), ['a', 'b', 'c']);
      const [a, b, c] = ['a', 'b', 'c'].map((id) => byId.get(id));
      assert.ok(a?.type === 'succeeded' && a.message.content[0]?.type === 'text');
      assert.equal(a.message.content[0].text, 'Echo: "alpha"');
      assert.equal(a.message.usage.service_tier, 'batch');
      assert.ok(b?.type === 'errored' && b.error.error.type === 'overloaded_error');
      assert.ok(c?.type === 'errored' && c.error.error.message === 'max_tokens: Input should be greater than or equal to 1');
    }));

  test('list pages through batches newest first with SDK pagination', () =>
    withServer({}, async ({ client }) => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await client.messages.batches.create({ requests: [request(`r${i}`, `n${i}`)] })).id);
      const listed: string[] = [];
      for await (const batch of client.messages.batches.list({ limit: 2 })) listed.push(batch.id);
      assert.deepEqual(listed, ids.reverse());
    }));

  test('cancel: canceling, then ended with the unfinished requests canceled', () =>
    withServer({ manualClock: true, batchProcessingMs: 4_000, batchCancelGraceMs: 500 }, async ({ server, client }) => {
      const batch = await client.messages.batches.create({ requests: ['a', 'b', 'c', 'd'].map((id) => request(id, id)) });
      server.clock.advance(2_500);
      const canceling = await client.messages.batches.cancel(batch.id);
      assert.equal(canceling.processing_status, 'canceling');
      assert.ok(canceling.cancel_initiated_at);
      server.clock.advance(500);
      const ended = await client.messages.batches.retrieve(batch.id);
      assert.equal(ended.processing_status, 'ended');
      assert.deepEqual(ended.request_counts, { processing: 0, succeeded: 2, errored: 0, canceled: 2, expired: 0 });
      const results = await collect(client, batch.id);
      const byId = Object.fromEntries(results.map((r) => [r.custom_id, r.result.type]));
      assert.deepEqual(byId, { a: 'succeeded', b: 'succeeded', c: 'canceled', d: 'canceled' });
      const again = await collect(client, batch.id);
      assert.deepEqual(again.map((r) => r.custom_id), results.map((r) => r.custom_id), 'the same batch always downloads in the same order');
    }));

  test('delete only once ended; a deleted batch is gone', () =>
    withServer({ manualClock: true }, async ({ server, client }) => {
      const batch = await client.messages.batches.create({ requests: [request('only', 'x')] });
      const early = await rejectsWith(client.messages.batches.delete(batch.id), BadRequestError);
      assert.match(early.apiMessage ?? '', /still processing/);
      server.clock.advance(1_000);
      assert.deepEqual(await client.messages.batches.delete(batch.id), { id: batch.id, type: 'message_batch_deleted' });
      await rejectsWith(client.messages.batches.retrieve(batch.id), NotFoundError);
    }));

  test('requests that cannot finish within 24 h expire', () =>
    withServer({ manualClock: true, batchProcessingMs: 48 * 3600_000 }, async ({ server, client }) => {
      const batch = await client.messages.batches.create({ requests: ['a', 'b', 'c', 'd'].map((id) => request(id, id)) });
      server.clock.advance(24 * 3600_000);
      const ended = await client.messages.batches.retrieve(batch.id);
      assert.equal(ended.processing_status, 'ended');
      assert.deepEqual([ended.request_counts.succeeded, ended.request_counts.expired], [2, 2]);
    }));

  test('create validates custom ids', () =>
    withServer({}, async ({ client }) => {
      const error = await rejectsWith(client.messages.batches.create({ requests: [request('dup', 'a'), request('dup', 'b')] }), BadRequestError);
      assert.match(error.apiMessage ?? '', /unique/);
    }));
});
