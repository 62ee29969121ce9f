import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { forgetSecrets, redactSecrets, rememberSecrets, safeExcerpt } from '../../../../src/core/anthropic/redact';
import { createClient } from '../../../../src/core/anthropic/clientFactory';
import { errorMessage } from '../../../../src/core/util/errors';
import { errorText, resultLine } from '../../../../src/core/batches/ingest';

/** A gateway key: nothing like an Anthropic key, so only the literal value can catch it. */
const GATEWAY_KEY = 'gw_live_4f9c2a7e81d0b3c5';

afterEach(() => forgetSecrets());

describe('redactSecrets', () => {
  it('replaces the literal key in use, whatever its format, once the client factory has seen it', () => {
    assert.ok(redactSecrets(`rejected ${GATEWAY_KEY}`).includes(GATEWAY_KEY), 'unknown before the client is made');
    createClient({ apiKey: GATEWAY_KEY, timeoutMs: 1000, maxRetries: 0 });
    const out = redactSecrets(`token ${GATEWAY_KEY} was rejected; echo=${GATEWAY_KEY}`);
    assert.equal(out, 'token [redacted] was rejected; echo=[redacted]');
  });

  it('hides Authorization, Proxy-Authorization and x-api-key values in an echoed plain-text body', () => {
    const body = [
      'upstream said 401. Request headers:',
      'Authorization: Bearer abc.def-ghi',
      'proxy-authorization: Basic dXNlcjpwYXNz',
      'X-Api-Key: shortkey',
      'content-type: application/json',
    ].join('\n');
    const out = redactSecrets(body);
    assert.ok(!out.includes('abc.def-ghi') && !out.includes('dXNlcjpwYXNz') && !out.includes('shortkey'), out);
    assert.match(out, /Authorization: \[redacted\]/);
    assert.match(out, /proxy-authorization: \[redacted\]/);
    assert.match(out, /X-Api-Key: \[redacted\]/);
    assert.match(out, /content-type: application\/json/);
  });

  it('hides them in JSON, and in JSON escaped inside a JSON string, keeping the JSON valid', () => {
    const echoed = JSON.stringify({ error: { message: 'bad', headers: { authorization: 'Bearer tok_12345678', 'x-api-key': 'k-987654321' } } });
    const out = redactSecrets(echoed);
    assert.ok(!out.includes('tok_12345678') && !out.includes('k-987654321'), out);
    assert.deepEqual(JSON.parse(out).error.headers, { authorization: '[redacted]', 'x-api-key': '[redacted]' });
    const nested = JSON.stringify({ type: 'error', error: { message: echoed } });
    const outNested = redactSecrets(nested);
    assert.ok(!outNested.includes('tok_12345678') && !outNested.includes('k-987654321'), outNested);
    assert.doesNotThrow(() => JSON.parse(JSON.parse(outNested).error.message));
  });

  it('hides the values of the custom headers the user configured, after their names and on their own', () => {
    createClient({ apiKey: 'sk-ant-api03-aaaaaaaaaaaaaaaaaaaa', timeoutMs: 1000, maxRetries: 0, headers: { 'X-Gateway-Token': 'opaque-token-value', 'x-team': 'ed' } });
    const out = redactSecrets('echo: {"x-gateway-token":"opaque-token-value"} x-team: ed; again opaque-token-value');
    assert.ok(!out.includes('opaque-token-value'), out);
    assert.match(out, /"x-gateway-token":"\[redacted\]"/);
    assert.match(out, /x-team: \[redacted\]/);
  });

  it('keeps Anthropic-key and bearer patterns, and leaves ordinary text alone', () => {
    assert.equal(redactSecrets('key sk-ant-api03-abcDEF_123-xyz'), 'key sk-ant-[redacted]');
    assert.equal(redactSecrets('Authorization: Bearer sk-ant-api03-abc'), 'Authorization: Bearer sk-ant-[redacted]');
    assert.equal(redactSecrets('sent with Bearer abcdefghijkl'), 'sent with Bearer [redacted]');
    assert.equal(redactSecrets('The model claude-sonnet-5-5 is overloaded.'), 'The model claude-sonnet-5-5 is overloaded.');
  });

  it('is what every stored or shown error text goes through', () => {
    rememberSecrets([GATEWAY_KEY]);
    const error = new Error(`gateway: Authorization: Bearer ${GATEWAY_KEY}`);
    assert.ok(!errorMessage(error).includes(GATEWAY_KEY));
    assert.ok(!safeExcerpt(`line\n  at x (y.js:1:1)\n${GATEWAY_KEY}`).includes(GATEWAY_KEY));
    const result = { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: `echo x-api-key: ${GATEWAY_KEY}` } } } as const;
    assert.equal(errorText(result as never), 'api_error: echo x-api-key: [redacted]');
    const line = resultLine({ custom_id: 'a', result } as never);
    assert.ok(!line.includes(GATEWAY_KEY) && line.endsWith('\n'));
    assert.doesNotThrow(() => JSON.parse(line));
  });
});
