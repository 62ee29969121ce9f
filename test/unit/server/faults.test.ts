import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import type { APIError } from '@anthropic-ai/sdk';
import {
  AnthropicError,
  APIConnectionError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { startTestServer } from '../../server';
import { MODEL, assertEnvelope, clientFor, raw, rejectsWith, userMessage, withServer } from './harness';

const ask = (client: Anthropic, text = 'hello') => client.messages.create({ model: MODEL, max_tokens: 50, messages: [userMessage(text)] });
const streamAsk = (client: Anthropic, text = 'hello') =>
  client.messages.stream({ model: MODEL, max_tokens: 200, messages: [userMessage(text)] });

describe('status faults', () => {
  test('429 carries retry-after and the rate_limit_error envelope', () =>
    withServer({}, async ({ server, client }) => {
      server.fault({ kind: 'rate-limit', retryAfterSeconds: 7 });
      const error = await rejectsWith(ask(client), RateLimitError);
      assert.equal(error.status, 429);
      assert.equal(error.type, 'rate_limit_error');
      assert.equal(error.headers?.get('retry-after'), '7');
      assert.match(error.requestID ?? '', /^req_/);
      assert.ok(error.headers?.get('anthropic-ratelimit-requests-limit'));
      await ask(client);
      assert.deepEqual(server.messageRequests().map((r) => [r.status, r.fault]), [[429, 'rate-limit'], [200, undefined]]);
    }));

  test('the SDK retry honours a short retry-after', () =>
    withServer({}, async ({ server }) => {
      server.fault({ kind: 'rate-limit', retryAfterSeconds: 0.3 });
      const started = Date.now();
      const message = await ask(clientFor(server, { maxRetries: 2 }));
      assert.equal(message.type, 'message');
      assert.ok(Date.now() - started >= 300, 'waited for retry-after');
      const [first, second] = server.messageRequests();
      assert.equal(first?.status, 429);
      assert.equal(second?.status, 200);
      assert.equal(second?.headers['x-stainless-retry-count'], '1');
    }));

  const statusCases: ['overloaded' | 'api-error' | 'unauthorized' | 'too-large', number, string, new (...args: never[]) => APIError][] = [
    ['overloaded', 529, 'overloaded_error', OverloadedError],
    ['api-error', 500, 'api_error', InternalServerError],
    ['unauthorized', 401, 'authentication_error', AuthenticationError],
    ['too-large', 413, 'request_too_large', ContentTooLargeError],
  ];
  for (const [kind, status, type, cls] of statusCases) {
    test(`${kind} -> ${status} ${type}`, () =>
      withServer({}, async ({ server, client }) => {
        server.fault({ kind });
        const error = await rejectsWith(ask(client), cls);
        assert.equal(error.status, status);
        assert.equal((error.error as { error: { type: string } }).error.type, type);
      }));
  }

  test('times, always and a request predicate limit which requests fail', () =>
    withServer({}, async ({ server, client }) => {
      server.fault({ kind: 'overloaded', times: 2 });
      await rejectsWith(ask(client), OverloadedError);
      await rejectsWith(ask(client), OverloadedError);
      await ask(client);
      server.fault({ kind: 'api-error', times: 'always', when: { textIncludes: 'boom' } });
      await ask(client, 'fine');
      await rejectsWith(ask(client, 'boom 1'), InternalServerError);
      await rejectsWith(ask(client, 'boom 2'), InternalServerError);
      server.clearFaults();
      await ask(client, 'boom 3');
      server.fault({ kind: 'overloaded', when: (input) => input.path === '/v1/messages/count_tokens' });
      await ask(client);
      await rejectsWith(client.messages.countTokens({ model: MODEL, messages: [userMessage('x')] }), OverloadedError);
    }));

  test('an oversized body gets 413 request_too_large', () =>
    withServer({ maxBodyBytes: 1_000 }, async ({ server }) => {
      const response = await raw(server, 'POST', '/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(2_000) }] });
      assertEnvelope(response, 413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    }));
});

describe('auth and headers', () => {
  test('401 without a key or with a wrong key; the SDK Bearer key and x-api-key both work', () =>
    withServer({}, async ({ server }) => {
      assertEnvelope(await raw(server, 'POST', '/v1/messages', {}, { 'x-api-key': '' }), 401, 'authentication_error', 'x-api-key header is required');
      assertEnvelope(await raw(server, 'GET', '/v1/models', undefined, { 'x-api-key': 'wrong' }), 401, 'authentication_error', 'invalid x-api-key');
      await rejectsWith(clientFor(server, { apiKey: 'wrong' }).models.list(), AuthenticationError);
      assert.equal((await raw(server, 'GET', '/v1/models')).status, 200);
      assert.equal(server.records.every((r) => r.headers['x-api-key'] === undefined && r.headers['authorization'] === undefined), true);
    }));

  test('missing anthropic-version is a 400', () =>
    withServer({}, async ({ server }) => {
      const client = clientFor(server, { defaultHeaders: { 'anthropic-version': null } });
      const error = await rejectsWith(ask(client), BadRequestError);
      assert.equal(error.apiMessage, 'anthropic-version: header is required');
    }));
});

describe('connection and stream faults', () => {
  test('reset before headers is a connection error, which the SDK retries', () =>
    withServer({}, async ({ server, client }) => {
      server.fault({ kind: 'reset-before-headers' });
      await rejectsWith(ask(client), APIConnectionError);
      assert.equal(server.lastRecord()?.outcome, 'reset');
      server.fault({ kind: 'reset-before-headers' });
      assert.equal((await ask(clientFor(server, { maxRetries: 1 }))).type, 'message');
    }));

  test('reset mid-stream fails the stream after partial text', () =>
    withServer({}, async ({ server, client }) => {
      server.script({ text: 'one two three four five', chunkSize: 4 });
      server.fault({ kind: 'reset-mid-stream', afterChunks: 2 });
      const stream = streamAsk(client);
      let text = '';
      stream.on('text', (delta) => (text += delta));
      await assert.rejects(stream.finalMessage());
      assert.equal(text, 'one two ');
      assert.equal(server.lastRecord()?.outcome, 'reset');
    }));

  test('malformed SSE data fails the SDK parser', () =>
    withServer({}, async ({ server, client }) => {
      server.fault({ kind: 'malformed-sse', afterChunks: 1 });
      const quiet = clientFor(server, { logLevel: 'off' });
      const error = await rejectsWith(streamAsk(quiet).finalMessage(), AnthropicError);
      assert.ok(error.cause instanceof SyntaxError, String(error.cause));
      assert.equal(server.lastRecord()?.outcome, 'malformed');
      assert.equal((await ask(client)).type, 'message', 'the server is fine afterwards');
    }));

  test('a stalled stream holds until the client gives up', () =>
    withServer({}, async ({ server, client }) => {
      server.script({ text: 'never finishes', chunkSize: 2 });
      server.fault({ kind: 'stall', afterChunks: 2 });
      const stream = streamAsk(client);
      const firstText = new Promise<void>((resolve) => stream.on('text', () => resolve()));
      await firstText;
      setTimeout(() => stream.abort(), 100);
      await rejectsWith(stream.finalMessage(), APIUserAbortError);
      for (let i = 0; i < 50 && server.lastRecord()?.outcome === undefined; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(server.lastRecord()?.outcome, 'stalled');
    }));

  test('ping-only sends nothing but pings for holdMs, then finishes the answer', () =>
    withServer({}, async ({ server }) => {
      server.script({ text: 'slow thinker', chunkSize: 4 });
      server.fault({ kind: 'ping-only', afterChunks: 1, holdMs: 300, pingIntervalMs: 50 });
      const started = Date.now();
      const response = await raw(server, 'POST', '/v1/messages', { model: MODEL, max_tokens: 50, stream: true, messages: [userMessage('hi')] });
      const events = [...response.text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
      const firstDelta = events.indexOf('content_block_delta');
      const pings = events.slice(firstDelta + 1, events.indexOf('content_block_delta', firstDelta + 1));
      assert.ok(pings.length >= 4 && pings.every((event) => event === 'ping'), events.join(','));
      assert.ok(Date.now() - started >= 290);
      assert.equal(events.at(-1), 'message_stop');
      assert.equal(server.lastRecord()?.outcome, 'completed');
    }));

  test('close() with an open stalled stream returns promptly', async () => {
    const server = await startTestServer();
    const client = clientFor(server);
    server.fault({ kind: 'stall', afterChunks: 0 });
    const stream = streamAsk(client);
    const connected = new Promise<void>((resolve) => stream.on('connect', () => resolve()));
    const outcome = stream.finalMessage().then(
      () => 'resolved',
      () => 'rejected',
    );
    await connected;
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 1_000, `close took ${Date.now() - started} ms`);
    assert.equal(await outcome, 'rejected');
  });
});
