/**
 * Gateways that read the key from one header only. First what SDK 1.17 itself sends (Bearer for
 * both `apiKey` and `authToken`), then the client factory against the test server run as a gateway:
 * each `claudeStudio.authHeader` choice works where it matches, and the wrong one gets a message
 * that names the setting and the value to set.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic, { AuthenticationError } from '@anthropic-ai/sdk';
import { DEFAULT_MODEL } from '../../../src/core/anthropic/catalog';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import { describeError } from '../../../src/core/anthropic/errors';
import type { AuthHeader } from '../../../src/core/anthropic/headers';
import type { GatewayAuthHeader, TestServer } from '../../server';
import { startTestServer } from '../../server';

const servers: Partial<Record<GatewayAuthHeader, TestServer>> = {};

before(async () => {
  for (const mode of ['any', 'x-api-key', 'bearer'] as const) servers[mode] = await startTestServer({ authHeader: mode });
});
after(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()));
});

function server(mode: GatewayAuthHeader): TestServer {
  const found = servers[mode];
  assert.ok(found);
  return found;
}

const ask = (client: Anthropic): Promise<unknown> =>
  client.messages.create({ model: DEFAULT_MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] });

function factoryClient(target: TestServer, authHeader: AuthHeader | undefined, apiKey = target.apiKey): Anthropic {
  return createClient({ apiKey, baseURL: target.url, timeoutMs: 10_000, maxRetries: 0, env: {}, ...(authHeader ? { authHeader } : {}) });
}

const lastAuth = (target: TestServer): string | undefined => target.records.at(-1)?.authVia;

describe('what SDK 1.17 sends', () => {
  it('sends Authorization: Bearer for apiKey and for authToken, never x-api-key', async () => {
    const target = server('any');
    await ask(new Anthropic({ apiKey: target.apiKey, baseURL: target.url }));
    assert.equal(lastAuth(target), 'bearer');
    await ask(new Anthropic({ authToken: target.apiKey, baseURL: target.url }));
    assert.equal(lastAuth(target), 'bearer');
  });
});

describe('claudeStudio.authHeader against a gateway', () => {
  it('bearer (the default) works with a Bearer-only gateway and sends no x-api-key', async () => {
    const target = server('bearer');
    await ask(factoryClient(target, undefined));
    assert.equal(lastAuth(target), 'bearer');
  });

  it('x-api-key works with an x-api-key-only gateway and sends no Authorization', async () => {
    const target = server('x-api-key');
    await ask(factoryClient(target, 'x-api-key'));
    assert.equal(lastAuth(target), 'x-api-key');
  });

  it('both work with the Anthropic API (which reads either)', async () => {
    const target = server('any');
    await ask(factoryClient(target, 'bearer'));
    await ask(factoryClient(target, 'x-api-key'));
    assert.deepEqual(target.records.slice(-2).map((r) => r.authVia), ['bearer', 'x-api-key']);
  });

  for (const [mode, sent, wanted] of [['x-api-key', 'bearer', 'x-api-key'], ['bearer', 'x-api-key', 'bearer']] as const) {
    it(`sending ${sent} to a ${mode}-only gateway: 401, and the message says to set claudeStudio.authHeader to "${wanted}"`, async () => {
      const target = server(mode);
      const error = await ask(factoryClient(target, sent)).then(
        () => assert.fail('the gateway should refuse the key'),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof AuthenticationError, String(error));
      const friendly = describeError(error, { baseURL: target.url, authHeader: sent });
      assert.equal(friendly.kind, 'auth');
      assert.match(friendly.message, new RegExp(`Set "claudeStudio\\.authHeader" to "${wanted}" in your user settings`));
      assert.match(friendly.message, /127\.0\.0\.1:\d+ expects the key in/);
      assert.equal(friendly.action, 'openSettings');
      assert.ok(!friendly.message.includes(target.apiKey));
    });
  }

  it('a wrong key at a gateway that reads either header: a message about the key that still names the other choice', async () => {
    const target = server('any');
    const error = await ask(factoryClient(target, 'bearer', 'not-the-key')).then(
      () => assert.fail('the key is wrong'),
      (caught: unknown) => caught,
    );
    const friendly = describeError(error, { baseURL: target.url, authHeader: 'bearer' });
    assert.match(friendly.message, /did not accept the key, sent as the Authorization header \(Bearer\)\. Check the key/);
    assert.match(friendly.message, /"claudeStudio\.authHeader" to "x-api-key"/);
    assert.equal(friendly.action, 'setApiKey');
  });

  it('the Anthropic API itself (no base URL) keeps the plain key message', () => {
    const error = new AuthenticationError(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }, undefined, new Headers());
    assert.match(describeError(error, { authHeader: 'bearer' }).message, /Anthropic API key was not accepted/);
  });
});
