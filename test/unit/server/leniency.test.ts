/**
 * The test server refuses what API 2026-10-21 refuses: one invalid request per rule, over real
 * HTTP, each answered with the API's status and error envelope. A lenient server lets extension
 * bugs through every other suite, so each rule here is one the extension could break.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../server';
import type { TestServer } from '../../server';
import { API_VERSION, ENABLED_THINKING_MODEL, MODEL, assertEnvelope, raw } from './harness';

type Body = Record<string, unknown>;

const user = (content: unknown): Body => ({ role: 'user', content });
const assistant = (content: unknown): Body => ({ role: 'assistant', content });
const text = (value: string, extra: Body = {}): Body => ({ type: 'text', text: value, ...extra });
const base: Body = { model: MODEL, max_tokens: 1000, messages: [user('Hello')] };
const withMessages = (...messages: Body[]): Body => ({ ...base, messages });
const FIVE_MIN = { type: 'ephemeral' };
const ONE_HOUR = { type: 'ephemeral', ttl: '1h' };
const thinkingBlock = { type: 'thinking', thinking: 'Hmm.', signature: 'sig' };
const batchOf = (params: Body, extra: Body = {}): Body => ({ requests: [{ custom_id: 'r1', params, ...extra }] });

interface Case {
  rule: string;
  body: Body;
  path?: string;
  headers?: Record<string, string>;
  status?: number;
  type?: string;
  message: string | RegExp;
}

const CASES: Case[] = [
  { rule: 'temperature is gone in 2026-10-21', body: { ...base, temperature: 0.7 }, message: /^temperature: sampling parameters/ },
  { rule: 'top_p is gone in 2026-10-21', body: { ...base, top_p: 0.9 }, message: /^top_p: sampling parameters/ },
  { rule: 'top_k is gone in 2026-10-21', body: { ...base, top_k: 40 }, message: /^top_k: sampling parameters/ },
  { rule: 'a misspelled top-level field', body: { ...base, stop_sequence: ['END'] }, message: 'stop_sequence: Extra inputs are not permitted' },
  { rule: 'an unknown anthropic-version', body: base, headers: { 'anthropic-version': '2024-02-30' }, message: /^anthropic-version: Input should be/ },
  { rule: 'a block with only a type', body: withMessages(user([{ type: 'text' }])), message: 'messages.0.content.0.text.text: Field required' },
  { rule: 'an unknown block type', body: withMessages(user([{ type: 'bogus' }])), message: /^messages\.0\.content\.0: Input tag 'bogus' found using 'type'/ },
  { rule: 'a block without a type', body: withMessages(user([{ text: 'hi' }])), message: "messages.0.content.0: Unable to extract tag using discriminator 'type'" },
  { rule: 'an unknown field on a block', body: withMessages(user([text('hi', { txt: 'typo' })])), message: 'messages.0.content.0.text.txt: Extra inputs are not permitted' },
  { rule: 'an empty text block', body: withMessages(user([text('')])), message: 'messages: text content blocks must be non-empty' },
  { rule: 'a whitespace-only text block', body: withMessages(user([text('hi'), text(' \n\t')])), message: 'messages: text content blocks must contain non-whitespace text' },
  { rule: 'whitespace-only string content', body: withMessages(user('   ')), message: 'messages: text content blocks must contain non-whitespace text' },
  { rule: 'a final assistant message ending in whitespace', body: withMessages(user('Hi'), assistant('Sure, ')), message: 'messages: final assistant content cannot end with trailing whitespace' },
  { rule: 'an empty user message', body: withMessages(user([])), message: 'messages.0: all messages must have non-empty content except for the optional final assistant message' },
  { rule: "a 'system' role in messages", body: withMessages({ role: 'system', content: 'x' }), message: "messages.0.role: Input should be 'user' or 'assistant'" },
  { rule: 'an unknown field on a message', body: withMessages({ ...user('hi'), name: 'me' }), message: 'messages.0.name: Extra inputs are not permitted' },
  {
    rule: 'cache_control on a thinking block',
    body: { ...withMessages(user('Hi'), assistant([{ ...thinkingBlock, cache_control: FIVE_MIN }, text('Hello')]), user('Again')), model: ENABLED_THINKING_MODEL },
    message: 'messages.1.content.0.thinking.cache_control: Extra inputs are not permitted',
  },
  { rule: 'a cache_control type that is not ephemeral', body: withMessages(user([text('hi', { cache_control: { type: 'persistent' } })])), message: "messages.0.content.0.text.cache_control.type: Input should be 'ephemeral'" },
  { rule: 'an unknown cache ttl', body: withMessages(user([text('hi', { cache_control: { type: 'ephemeral', ttl: '10m' } })])), message: "messages.0.content.0.text.cache_control.ttl: Input should be '5m' or '1h'" },
  {
    rule: 'more than four breakpoints',
    body: withMessages(user(['a', 'b', 'c', 'd', 'e'].map((t) => text(t, { cache_control: FIVE_MIN })))),
    message: 'A maximum of 4 blocks with cache_control may be provided. Found 5.',
  },
  {
    rule: 'a 1h breakpoint after a 5m one',
    body: { ...base, system: [text('sys', { cache_control: FIVE_MIN })], messages: [user([text('hi', { cache_control: ONE_HOUR })])] },
    message: /^messages\.0\.content\.0\.cache_control\.ttl: a ttl='1h' cache_control block must not come after/,
  },
  { rule: 'a system block that is not text', body: { ...base, system: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }, message: /^system\.0: Input tag 'image' found/ },
  { rule: 'tool_use without an id', body: withMessages(user('Hi'), assistant([{ type: 'tool_use', name: 'f', input: {} }]), user('ok')), message: 'messages.1.content.0.tool_use.id: Field required' },
  { rule: 'a custom tool without input_schema', body: { ...base, tools: [{ name: 'lookup' }] }, message: 'tools.0.custom.input_schema: Field required' },
  { rule: 'an unknown effort level', body: { ...base, output_config: { effort: 'extreme' } }, message: /^output_config\.effort: Input should be 'low'/ },
  { rule: 'an unknown output_config field', body: { ...base, output_config: { verbosity: 'low' } }, message: 'output_config.verbosity: Extra inputs are not permitted' },
  { rule: 'a format that is not json_schema', body: { ...base, output_config: { format: { type: 'json', schema: {} } } }, message: "output_config.format.type: Input should be 'json_schema'" },
  { rule: 'effort on a model without it', body: { ...base, model: 'claude-haiku-4-5', output_config: { effort: 'low' } }, message: 'output_config.effort: This model does not support the effort parameter.' },
  { rule: 'an effort level the model lacks', body: { ...base, model: ENABLED_THINKING_MODEL, output_config: { effort: 'xhigh' } }, message: "output_config.effort: 'xhigh' is not supported for this model." },
  {
    rule: 'an assistant prefill with thinking on',
    body: { ...withMessages(user('Give JSON'), assistant('{')), thinking: { type: 'adaptive' } },
    message: /^messages: Prefilling the assistant message is not supported when thinking is enabled/,
  },
  { rule: 'enabled thinking on an adaptive-only model', body: { ...base, thinking: { type: 'enabled', budget_tokens: 1024 } }, message: /^thinking\.type\.enabled is not supported for this model/ },
  { rule: 'adaptive thinking on a model without it', body: { ...base, model: 'claude-haiku-4-5', thinking: { type: 'adaptive' } }, message: 'thinking.type.adaptive is not supported for this model.' },
  { rule: 'an unknown thinking type', body: { ...base, thinking: { type: 'auto' } }, message: /^thinking: Input tag 'auto' found using 'type'/ },
  { rule: 'a budget on adaptive thinking', body: { ...base, thinking: { type: 'adaptive', budget_tokens: 2048 } }, message: 'thinking.adaptive.budget_tokens: Extra inputs are not permitted' },
  { rule: 'max_tokens over the model (catalog limit)', body: { ...base, model: 'claude-haiku-4-5', max_tokens: 64_001 }, message: /^max_tokens: 64001 > 64000/ },
  { rule: 'an unknown model', body: { ...base, model: 'claude-nope-1' }, status: 404, type: 'not_found_error', message: 'model: claude-nope-1' },
  { rule: 'max_tokens on count_tokens', path: '/v1/messages/count_tokens', body: base, message: 'max_tokens: Extra inputs are not permitted' },
  { rule: 'a misspelled batch field', path: '/v1/messages/batches', body: { ...batchOf(base), request: [] }, message: 'request: Extra inputs are not permitted' },
  { rule: 'an unknown field on a batch request', path: '/v1/messages/batches', body: batchOf(base, { priority: 1 }), message: 'requests.0.priority: Extra inputs are not permitted' },
];

describe('the test server is as strict as API 2026-10-21', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('the valid baselines pass, so each case below fails for its one rule', async () => {
    assert.equal((await raw(server, 'POST', '/v1/messages', base)).status, 200);
    assert.equal((await raw(server, 'POST', '/v1/messages', { ...base, model: ENABLED_THINKING_MODEL, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 } })).status, 200);
    assert.equal((await raw(server, 'POST', '/v1/messages', withMessages(user('Hi'), assistant('Sure,')))).status, 200);
    assert.equal((await raw(server, 'POST', '/v1/messages', { ...base, output_config: { effort: 'xhigh', format: { type: 'json_schema', schema: { type: 'object' } } } })).status, 200);
    assert.equal((await raw(server, 'POST', '/v1/messages/batches', batchOf(base))).status, 200);
    assert.equal((await raw(server, 'POST', '/v1/messages/count_tokens', { model: MODEL, messages: base['messages'] })).status, 200);
  });

  for (const c of CASES) {
    test(`${c.status ?? 400} ${c.type ?? 'invalid_request_error'}: ${c.rule}`, async () => {
      const response = await raw(server, 'POST', c.path ?? '/v1/messages', c.body, c.headers);
      assertEnvelope(response, c.status ?? 400, c.type ?? 'invalid_request_error', c.message);
    });
  }

  test('at least 30 rules are covered', () => assert.ok(CASES.length >= 30, String(CASES.length)));

  test('a request without anthropic-version is refused; the SDK sends 2026-10-21', async () => {
    const response = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(base) });
    const text = await response.text();
    assertEnvelope({ status: response.status, headers: response.headers, json: JSON.parse(text) as unknown, text }, 400, 'invalid_request_error', 'anthropic-version: header is required');
    assert.equal(API_VERSION, '2026-10-21');
  });
});

describe('body limits', () => {
  test('Messages take 32 MB, Message Batches 256 MB (here scaled down): over it is a 413', async () => {
    const server = await startTestServer({ maxBodyBytes: 2_000, maxBatchBodyBytes: 20_000 });
    try {
      const big = (bytes: number): Body => withMessages(user('x'.repeat(bytes)));
      assertEnvelope(await raw(server, 'POST', '/v1/messages', big(3_000)), 413, 'request_too_large');
      assert.equal((await raw(server, 'POST', '/v1/messages/batches', batchOf(big(3_000)))).status, 200, 'a batch may be larger');
      assertEnvelope(await raw(server, 'POST', '/v1/messages/batches', batchOf(big(30_000))), 413, 'request_too_large');
    } finally {
      await server.close();
    }
  });
});
