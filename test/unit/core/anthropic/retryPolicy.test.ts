import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mayResendAfterAnswer, withoutResendOfAcceptedWrites } from '../../../../src/core/anthropic/retryPolicy';
import type { SdkFetch } from '../../../../src/core/anthropic/retryPolicy';

const API = 'https://api.anthropic.com';

describe('retry policy', () => {
  it('lets the SDK resend reads and count_tokens, never a write', () => {
    assert.equal(mayResendAfterAnswer('GET', `${API}/v1/messages/batches/b1`), true);
    assert.equal(mayResendAfterAnswer(undefined, `${API}/v1/models`), true);
    assert.equal(mayResendAfterAnswer('POST', `${API}/v1/messages/count_tokens`), true);
    assert.equal(mayResendAfterAnswer('POST', `${API}/v1/messages/batches`), false);
    assert.equal(mayResendAfterAnswer('post', `${API}/v1/messages/batches/b1/cancel`), false);
    assert.equal(mayResendAfterAnswer('DELETE', `${API}/v1/messages/batches/b1`), false);
    assert.equal(mayResendAfterAnswer('POST', `${API}/v1/messages`), false);
    assert.equal(mayResendAfterAnswer('POST', 'not a url'), false);
  });

  it('marks a 2xx answer to a write x-should-retry: false and keeps its status, body and url', async () => {
    const inner: SdkFetch = async () => {
      const response = new Response('{"id":"b1"}', { status: 200, headers: { 'request-id': 'req_1' } });
      Object.defineProperty(response, 'url', { value: `${API}/v1/messages/batches` });
      return response;
    };
    const response = await withoutResendOfAcceptedWrites(inner)(`${API}/v1/messages/batches`, { method: 'POST' });
    assert.equal(response.headers.get('x-should-retry'), 'false');
    assert.equal(response.headers.get('request-id'), 'req_1');
    assert.equal(response.url, `${API}/v1/messages/batches`);
    assert.deepEqual(await response.json(), { id: 'b1' });
  });

  it('leaves errors and reads alone, so 429, 529 and 5xx keep the SDK retries', async () => {
    const answer = (status: number): SdkFetch => async () => new Response('{}', { status });
    const wrapped429 = await withoutResendOfAcceptedWrites(answer(429))(`${API}/v1/messages/batches`, { method: 'POST' });
    assert.equal(wrapped429.headers.get('x-should-retry'), null);
    const read = await withoutResendOfAcceptedWrites(answer(200))(`${API}/v1/models`, { method: 'GET' });
    assert.equal(read.headers.get('x-should-retry'), null);
  });
});
