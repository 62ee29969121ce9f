/**
 * What the real SDK sends through the client factory, read from the test server's request record:
 * no trace context although the process has an OpenTelemetry provider and propagator (another
 * extension can register them in the shared extension host), and nothing from the ANTHROPIC_*
 * variables. Each check has a control: a plain SDK client in the same process does send them.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { Context, Span, SpanContext, TextMapPropagator, TextMapSetter, Tracer, TracerProvider } from '@opentelemetry/api';
import { propagation, trace } from '@opentelemetry/api';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import type { TestServer } from '../../server';
import { startTestServer } from '../../server';

const ENV = {
  ANTHROPIC_CUSTOM_HEADERS: 'X-Env-Injected: from-env\nX-Team: env-team',
  ANTHROPIC_AUTH_TOKEN: 'env-auth-token-0123456789',
  ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
};

/** A recording span with a fixed context: enough for the SDK to start one and a propagator to write it. */
function fakeSpan(): Span {
  const context: SpanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
  const span: Span = {
    spanContext: () => context,
    setAttribute: () => span,
    setAttributes: () => span,
    addEvent: () => span,
    addLink: () => span,
    addLinks: () => span,
    setStatus: () => span,
    updateName: () => span,
    end: () => undefined,
    isRecording: () => true,
    recordException: () => undefined,
  };
  return span;
}

const tracer = { startSpan: () => fakeSpan(), startActiveSpan: () => undefined } as unknown as Tracer;
const provider: TracerProvider = { getTracer: () => tracer };
const propagator: TextMapPropagator = {
  inject(context: Context, carrier: unknown, setter: TextMapSetter) {
    const span = trace.getSpan(context);
    if (span === undefined) return;
    const { traceId, spanId } = span.spanContext();
    setter.set(carrier, 'traceparent', `00-${traceId}-${spanId}-01`);
    setter.set(carrier, 'baggage', 'user.id=alice');
  },
  extract: (context: Context) => context,
  fields: () => ['traceparent', 'baggage'],
};

let server: TestServer;
const saved: Record<string, string | undefined> = {};

before(async () => {
  server = await startTestServer();
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(propagator);
  for (const [name, value] of Object.entries(ENV)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});
after(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  trace.disable();
  propagation.disable();
  await server.close();
});
beforeEach(() => server.reset());

async function lastHeaders(send: () => Promise<unknown>): Promise<Record<string, string>> {
  await send();
  const record = server.records.filter((r) => r.path === '/v1/messages').at(-1);
  assert.ok(record, 'the request reached the server');
  return record.headers;
}

const params = { model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('the client factory against the SDK and the test server', () => {
  it('control: a plain SDK client sends traceparent/baggage and the environment headers', async () => {
    const plain = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
    const headers = await lastHeaders(() => plain.messages.create(params));
    assert.match(headers['traceparent'] ?? '', /^00-0af7651916cd43dd8448eb211c80319c-/);
    assert.equal(headers['baggage'], 'user.id=alice');
    assert.equal(headers['x-env-injected'], 'from-env');
    // Without a key in code, the SDK authenticates with ANTHROPIC_AUTH_TOKEN, which this server refuses.
    const tokenOnly = new Anthropic({ baseURL: server.url, maxRetries: 0 });
    await assert.rejects(tokenOnly.messages.create(params), (error: unknown) => error instanceof Anthropic.AuthenticationError);
  });

  it('sends no trace context and nothing from the environment; the key in use authenticates', async () => {
    const client = createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 10_000, maxRetries: 0, headers: { 'X-Team': 'mine' } });
    const headers = await lastHeaders(() => client.messages.create(params));
    assert.equal(headers['traceparent'], undefined);
    assert.equal(headers['baggage'], undefined);
    assert.equal(headers['tracestate'], undefined);
    assert.equal(headers['x-env-injected'], undefined);
    assert.equal(headers['x-team'], 'mine');
    // The server accepted the request with its key, so Authorization carried that key, not ANTHROPIC_AUTH_TOKEN.
    const record = server.records.at(-1);
    assert.equal(record?.status, 200);
    assert.equal(client.baseURL, server.url, 'not ANTHROPIC_BASE_URL');
  });

  it('streams without a trace context too', async () => {
    const client = createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 10_000, maxRetries: 0 });
    const headers = await lastHeaders(() => client.messages.stream(params).finalMessage());
    assert.equal(headers['traceparent'], undefined);
    assert.equal(headers['x-env-injected'], undefined);
  });
});
