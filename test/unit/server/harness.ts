/** Shared setup for the server suite: a server plus a real SDK client pointed at it. */
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { startTestServer } from '../../server';
import type { TestServer, TestServerOptions } from '../../server';

export const MODEL = 'claude-sonnet-5-5';
/** A catalog model that still takes `thinking: {type:'enabled'}` (MODEL is adaptive-only). */
export const ENABLED_THINKING_MODEL = 'claude-opus-4-6';
/** What the SDK sends; raw requests send it too unless a test overrides it. */
export const API_VERSION = '2026-10-21';

export interface Harness {
  server: TestServer;
  client: Anthropic;
}

/** Retries are off by default so a test sees the raw outcome; retry tests opt back in. */
export function clientFor(server: TestServer, extra: Partial<ClientOptions> = {}): Anthropic {
  return new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0, ...extra });
}

export async function withServer(opts: TestServerOptions, run: (h: Harness) => Promise<void>): Promise<void> {
  const server = await startTestServer(opts);
  try {
    await run({ server, client: clientFor(server) });
  } finally {
    await server.close();
  }
}

/** A string worth exactly `tokens` tokens under the server's counter (4 ASCII bytes per token). */
export function textOfTokens(tokens: number, seed = 'a'): string {
  return seed.repeat(tokens * 4).slice(0, tokens * 4);
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/** Bypasses the SDK to check exact status, headers and envelopes. */
export async function raw(server: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const init: RequestInit = {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey, 'anthropic-version': API_VERSION, ...headers },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${server.url}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Asserts the API's error envelope: `{type:'error', error:{type, message}, request_id}`. */
export function assertEnvelope(response: RawResponse, status: number, type: string, message?: string | RegExp): void {
  assert.equal(response.status, status, response.text);
  const body = response.json as { type: string; error: { type: string; message: string }; request_id: string };
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, type);
  assert.match(body.request_id, /^req_/);
  assert.equal(response.headers.get('request-id'), body.request_id);
  if (typeof message === 'string') assert.equal(body.error.message, message);
  else if (message) assert.match(body.error.message, message);
}

export async function rejectsWith<T extends Error>(promise: Promise<unknown>, cls: abstract new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof cls, `expected ${cls.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${cls.name}, but the call succeeded`);
}

export function userMessage(text: string): Anthropic.MessageParam {
  return { role: 'user', content: text };
}
