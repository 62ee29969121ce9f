import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClientConfigError, createClient } from '../../../../src/core/anthropic/clientFactory';
import { describeError } from '../../../../src/core/anthropic/errors';

const KEY = 'sk-ant-api03-secretsecretsecret';
const base = { apiKey: KEY, timeoutMs: 30_000, maxRetries: 1 };

function rejects(options: Parameters<typeof createClient>[0], pattern: RegExp): void {
  assert.throws(
    () => createClient(options),
    (err: unknown) => {
      assert.ok(err instanceof ClientConfigError);
      assert.match(err.message, pattern);
      assert.ok(!err.message.includes('secretsecret'), 'key in error message');
      return true;
    },
  );
}

describe('createClient', () => {
  it('rejects a base URL that is not http(s)', () => {
    rejects({ ...base, baseURL: 'ftp://example.com' }, /http:\/\/ or https:\/\/ \(it uses ftp:\)/);
    rejects({ ...base, baseURL: 'file:///etc/passwd' }, /it uses file:/);
    rejects({ ...base, baseURL: 'not a url' }, /not a valid URL/);
    rejects({ ...base, baseURL: 'https://user:pw@proxy.example.com' }, /user name or password/);
  });

  it('rejects a missing key, bad timeout, bad retries and auth-overriding headers', () => {
    rejects({ ...base, apiKey: '  ' }, /No Anthropic API key/);
    rejects({ ...base, timeoutMs: 0 }, /timeout/);
    rejects({ ...base, maxRetries: 1.5 }, /retry count/);
    rejects({ ...base, headers: { 'X-Api-Key': 'other' } }, /"X-Api-Key" cannot be used/);
    rejects({ ...base, headers: { 'anthropic-version': '2020-01-01' } }, /anthropic-version/);
    rejects({ ...base, headers: { 'x-ok': 'a\r\nx-api-key: b' } }, /x-ok/);
  });

  it('uses the SDK default endpoint when the base URL is empty', () => {
    const saved = process.env['ANTHROPIC_BASE_URL'];
    delete process.env['ANTHROPIC_BASE_URL'];
    try {
      assert.equal(createClient({ ...base, baseURL: '' }).baseURL, 'https://api.anthropic.com');
      assert.equal(createClient(base).baseURL, 'https://api.anthropic.com');
    } finally {
      if (saved !== undefined) process.env['ANTHROPIC_BASE_URL'] = saved;
    }
  });

  it('honours base URL, timeout, retries, headers and fetch', async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input);
      seen.push({ url, headers: new Headers(init?.headers) });
      return new Response(JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createClient({
      ...base,
      baseURL: 'http://localhost:8787/proxy',
      timeoutMs: 12_345,
      maxRetries: 4,
      headers: { 'x-team': 'editor' },
      fetch,
    });
    assert.equal(client.baseURL, 'http://localhost:8787/proxy');
    assert.equal(client.timeout, 12_345);
    assert.equal(client.maxRetries, 4);
    await client.models.list();
    assert.equal(seen.length, 1);
    const [first] = seen;
    assert.ok(first);
    assert.ok(first.url.startsWith('http://localhost:8787/proxy/v1/models'));
    assert.equal(first.headers.get('x-team'), 'editor');
    const auth = first.headers.get('x-api-key') ?? first.headers.get('authorization') ?? '';
    assert.ok(auth.includes(KEY), 'the key is sent to the API');
  });

  it('refuses plain http:// to another host unless the user allowed it, and always allows loopback', () => {
    rejects({ ...base, baseURL: 'http://gateway.example.com/v1' }, /plain http:\/\/ to gateway\.example\.com.*claudeStudio\.allowInsecureHttp/);
    rejects({ ...base, baseURL: 'http://10.0.0.5:8080' }, /10\.0\.0\.5:8080/);
    rejects({ ...base, baseURL: 'http://127.example.com' }, /127\.example\.com/);
    assert.equal(createClient({ ...base, baseURL: 'http://gateway.example.com/v1', allowInsecureHttp: true }).baseURL, 'http://gateway.example.com/v1');
    for (const url of ['http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9', 'http://api.localhost', 'https://gateway.example.com']) {
      assert.equal(createClient({ ...base, baseURL: url }).baseURL, url);
    }
  });

  it('turns the SDK\'s OpenTelemetry off and takes nothing from the environment', async () => {
    const seen: Headers[] = [];
    const fetch = async (_input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      seen.push(new Headers(init?.headers));
      return new Response(JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const env = { ANTHROPIC_CUSTOM_HEADERS: 'X-Injected: yes\nx-team: env', ANTHROPIC_AUTH_TOKEN: 'env-token', ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const client = createClient({ ...base, headers: { 'X-Team': 'mine' }, fetch, env });
      assert.equal(client.openTelemetry.traces.enabled, false);
      assert.equal(client.openTelemetry.propagation, false);
      assert.equal(client.baseURL, 'https://api.anthropic.com');
      await client.models.list();
      const [headers] = seen;
      assert.ok(headers);
      assert.equal(headers.get('x-injected'), null);
      assert.equal(headers.get('x-team'), 'mine');
      assert.equal(headers.get('authorization'), `Bearer ${KEY}`);
    } finally {
      for (const name of Object.keys(env)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('the http:// refusal reaches the user as its own message with the settings action', () => {
    let thrown: unknown;
    try {
      createClient({ ...base, baseURL: 'http://gateway.example.com' });
    } catch (error) {
      thrown = error;
    }
    const friendly = describeError(thrown);
    assert.equal(friendly.action, 'openSettings');
    assert.equal(friendly.retryable, false);
    assert.match(friendly.message, /unencrypted.*allowInsecureHttp/);
  });
});
