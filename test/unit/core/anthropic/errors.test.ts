import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { describeError, parseRetryAfter, redactSecrets } from '../../../../src/core/anthropic/errors';
import type { FriendlyError } from '../../../../src/core/anthropic/errors';

const KEY = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdEFGH';

function apiError(status: number, type: string, message: string, headers: Record<string, string> = {}, extra: object = {}): APIError {
  const body = { type: 'error', error: { type, message, ...extra }, request_id: 'req_body' };
  return APIError.generate(status, body, undefined, new Headers({ 'request-id': 'req_123', ...headers }));
}

function assertSafe(fe: FriendlyError): void {
  const all = `${fe.message} ${fe.detail ?? ''}`;
  assert.ok(!all.includes('sk-ant-api03-AbCd'), `key leaked: ${all}`);
  assert.ok(!/\n\s+at\s/.test(all) && !/\bat .*\(.*:\d+:\d+\)/.test(all), `stack leaked: ${all}`);
}

describe('describeError: HTTP errors', () => {
  it('401 → set your key', () => {
    const err = apiError(401, 'authentication_error', `invalid x-api-key ${KEY}`);
    assert.ok(err instanceof AuthenticationError);
    const fe = describeError(err);
    assert.equal(fe.kind, 'auth');
    assert.equal(fe.action, 'setApiKey');
    assert.equal(fe.retryable, false);
    assert.equal(fe.status, 401);
    assert.equal(fe.requestId, 'req_123');
    assert.match(fe.detail ?? '', /invalid x-api-key sk-ant-\[redacted\]/);
    assertSafe(fe);
  });

  it('403 → permission, 402 → billing', () => {
    const denied = apiError(403, 'permission_error', 'no access to this model');
    assert.ok(denied instanceof PermissionDeniedError);
    const fe = describeError(denied);
    assert.equal(fe.kind, 'permission');
    assert.equal(fe.retryable, false);
    const billing = describeError(apiError(402, 'billing_error', 'credit balance too low'));
    assert.equal(billing.kind, 'permission');
    assert.match(billing.message, /bill/);
  });

  it('404 → unknown model, pick another', () => {
    const err = apiError(404, 'not_found_error', 'model: claude-nope');
    assert.ok(err instanceof NotFoundError);
    const fe = describeError(err, { model: 'claude-nope' });
    assert.equal(fe.kind, 'notFound');
    assert.equal(fe.action, 'pickModel');
    assert.match(fe.message, /"claude-nope"/);
  });

  it('400 prompt too long → reduce context, with the numbers', () => {
    const err = apiError(400, 'invalid_request_error', 'prompt is too long: 210314 tokens > 200000 maximum');
    assert.ok(err instanceof BadRequestError);
    const fe = describeError(err);
    assert.equal(fe.kind, 'tooLarge');
    assert.equal(fe.action, 'reduceContext');
    assert.match(fe.message, /210,314 tokens/);
    assert.match(fe.message, /at most 200,000/);
    assert.match(fe.message, /about 10,314 tokens/);
  });

  it('400 context overflow names max_tokens', () => {
    const fe = describeError(
      apiError(400, 'invalid_request_error', 'input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again'),
    );
    assert.equal(fe.kind, 'tooLarge');
    assert.match(fe.message, /188,240/);
    assert.match(fe.message, /maxTokens/);
  });

  it('other 400s → invalid request with the API message as detail', () => {
    const fe = describeError(apiError(400, 'invalid_request_error', 'temperature: not supported with thinking'));
    assert.equal(fe.kind, 'invalidRequest');
    assert.equal(fe.action, 'openSettings');
    assert.equal(fe.detail, 'temperature: not supported with thinking');
    assert.equal(fe.retryable, false);
  });

  it('413 request_too_large → too large', () => {
    const err = apiError(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    assert.ok(err instanceof ContentTooLargeError);
    const fe = describeError(err);
    assert.equal(fe.kind, 'tooLarge');
    assert.equal(fe.action, 'reduceContext');
  });

  it('429 → when to retry, from retry-after seconds', () => {
    const err = apiError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '30' });
    assert.ok(err instanceof RateLimitError);
    const fe = describeError(err);
    assert.equal(fe.kind, 'rateLimited');
    assert.equal(fe.retryable, true);
    assert.equal(fe.retryAfterMs, 30_000);
    assert.equal(fe.action, 'retry');
    assert.match(fe.message, /Try again in 30 s/);
  });

  it('429 → retry-after as an HTTP date, and without a header', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const err = apiError(429, 'rate_limit_error', 'slow down', { 'retry-after': 'Mon, 23 Nov 2026 10:02:30 GMT' });
    const fe = describeError(err, { now: () => now });
    assert.equal(fe.retryAfterMs, 150_000);
    assert.match(fe.message, /3 min/);
    const bare = describeError(apiError(429, 'rate_limit_error', 'slow down'));
    assert.equal(bare.retryAfterMs, undefined);
    assert.match(bare.message, /in a moment/);
  });

  it('429 spend limit is not retryable', () => {
    const fe = describeError(apiError(429, 'rate_limit_error', 'limit', {}, { details: { error_code: 'enforced_spend_limit_reached' } }));
    assert.equal(fe.kind, 'rateLimited');
    assert.equal(fe.retryable, false);
    assert.match(fe.message, /spend limit/);
  });

  it('500 → server error, retryable', () => {
    const err = apiError(500, 'api_error', 'Internal server error');
    assert.ok(err instanceof InternalServerError);
    const fe = describeError(err);
    assert.equal(fe.kind, 'server');
    assert.equal(fe.retryable, true);
    assert.equal(fe.action, 'retry');
  });

  it('529 → overloaded, retryable', () => {
    const err = apiError(529, 'overloaded_error', 'Overloaded', { 'retry-after-ms': '1500' });
    assert.ok(err instanceof OverloadedError);
    const fe = describeError(err);
    assert.equal(fe.kind, 'overloaded');
    assert.equal(fe.retryable, true);
    assert.equal(fe.retryAfterMs, 1500);
    assert.match(fe.message, /overloaded/);
  });
});

describe('describeError: stream, network and local errors', () => {
  it('maps an error delivered mid-stream as an SSE event', async () => {
    const sse =
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-5-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}\n\n' +
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_sse"}\n\n';
    const fetch = async (): Promise<Response> =>
      new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const client = new Anthropic({ apiKey: KEY, baseURL: 'http://127.0.0.1:1', fetch, maxRetries: 0 });
    let caught: unknown;
    try {
      const stream = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _event of stream) {
        // drain
      }
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof APIError);
    assert.equal(caught.status, undefined);
    const fe = describeError(caught);
    assert.equal(fe.kind, 'overloaded');
    assert.equal(fe.retryable, true);
    assert.equal(fe.requestId, 'req_sse');
    assert.equal(fe.status, undefined);
  });

  it('maps a mid-stream invalid_request_error by its type', () => {
    const err = new APIError(undefined, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 5000 tokens > 4000 maximum' } }, undefined, new Headers(), 'invalid_request_error');
    const fe = describeError(err);
    assert.equal(fe.kind, 'tooLarge');
    assert.match(fe.message, /5,000 tokens/);
  });

  it('APIConnectionError → cannot reach the base URL host', () => {
    const err = new APIConnectionError({ cause: new Error(`getaddrinfo ENOTFOUND llm.example.com (${KEY})`) });
    const fe = describeError(err, { baseURL: 'https://llm.example.com/v1' });
    assert.equal(fe.kind, 'connection');
    assert.match(fe.message, /Cannot reach llm\.example\.com/);
    assert.match(fe.detail ?? '', /ENOTFOUND/);
    assert.equal(fe.retryable, true);
    assertSafe(fe);
    assert.match(describeError(err).message, /api\.anthropic\.com/);
  });

  it('SDK 1.17: APIConnectionError around a dropped answer (TypeError terminated) → connection lost, not "cannot reach"', () => {
    const cut = Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const fe = describeError(new APIConnectionError({ message: 'Connection error.', cause: cut }), { baseURL: 'https://llm.example.com' });
    assert.equal(fe.kind, 'connection');
    assert.match(fe.message, /connection to llm\.example\.com was lost before the answer finished/);
    assert.equal(fe.fact, fe.message);
    assert.equal(fe.retryable, true);
  });

  it('APIConnectionTimeoutError → timed out after N s', () => {
    const fe = describeError(new APIConnectionTimeoutError(), { timeoutMs: 45_000 });
    assert.equal(fe.kind, 'timeout');
    assert.match(fe.message, /after 45 s/);
    assert.equal(fe.retryable, true);
  });

  it('APIUserAbortError and DOM AbortError → aborted, not an error to show', () => {
    for (const err of [new APIUserAbortError(), new DOMException('The operation was aborted.', 'AbortError')]) {
      const fe = describeError(err);
      assert.equal(fe.kind, 'aborted');
      assert.equal(fe.retryable, false);
      assert.equal(fe.action, undefined);
    }
  });

  it('anything else → generic message, no stack, no key', () => {
    const err = new Error(`socket hang up while sending ${KEY}`);
    const fe = describeError(err);
    assert.equal(fe.kind, 'unknown');
    assert.equal(fe.retryable, false);
    assert.match(fe.detail ?? '', /socket hang up/);
    assertSafe(fe);
    assert.ok(!(fe.detail ?? '').includes('errors.test.ts'));
    for (const odd of [42, null, undefined, { weird: true }, `plain ${KEY}`]) assertSafe(describeError(odd));
  });
});

describe('helpers', () => {
  it('redactSecrets hides keys and bearer tokens', () => {
    const text = redactSecrets(`key=${KEY} Authorization: Bearer abcdefghijklmnop x-api-key: ${KEY.slice(7)}`);
    assert.ok(!text.includes('AbCdEf'));
    assert.ok(!text.includes('abcdefghijklmnop'));
    assert.match(text, /sk-ant-\[redacted\]/);
  });

  it('parseRetryAfter handles seconds, ms, dates, garbage and the past', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const h = (v: Record<string, string>): Headers => new Headers(v);
    assert.equal(parseRetryAfter(h({ 'retry-after': '2' }), now), 2000);
    assert.equal(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 10:00:05 GMT' }), now), 5000);
    assert.equal(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 09:00:00 GMT' }), now), undefined);
    assert.equal(parseRetryAfter(h({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
