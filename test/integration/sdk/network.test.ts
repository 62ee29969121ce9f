/**
 * Corporate networks, with the real SDK through the client factory and the network fetch:
 * requests go through a CONNECT proxy on 127.0.0.1 (its log shows each tunnel), `http.noProxy`
 * and `http.proxySupport: off` bypass it, the environment's proxy is the fallback, a proxy that
 * wants credentials gets `http.proxyAuthorization`, and HTTPS to a server signed by a test CA works
 * when the CA is trusted (given directly, or through NODE_EXTRA_CA_CERTS in a fresh process) and
 * fails fast with a certificate message when it is not.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_MODEL } from '../../../src/core/anthropic/catalog';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import { describeError } from '../../../src/core/anthropic/errors';
import { createNetworkFetch, DEFAULT_NETWORK } from '../../../src/core/net/network';
import type { NetworkEnvironment, NetworkFetch, NetworkSettings } from '../../../src/core/net/network';
import type { ConnectProxy, TestServer } from '../../server';
import { startConnectProxy, startTestServer } from '../../server';

let server: TestServer;
let proxy: ConnectProxy;
let authProxy: ConnectProxy;
const opened: NetworkFetch[] = [];

before(async () => {
  server = await startTestServer();
  proxy = await startConnectProxy();
  authProxy = await startConnectProxy({ authorization: 'Basic dGVzdDpzZWNyZXQtcHc=' });
});
beforeEach(() => server.reset());
after(async () => {
  await Promise.all(opened.map((network) => network.close()));
  await Promise.all([server.close(), proxy.close(), authProxy.close()]);
});

/** No proxy variables unless a test gives some: the machine's own must not leak in. */
function network(settings: Partial<NetworkSettings>, environment: NetworkEnvironment = {}): NetworkFetch {
  const made = createNetworkFetch({ ...DEFAULT_NETWORK, ...settings }, { env: {}, ...environment });
  opened.push(made);
  return made;
}

function client(target: { url: string; apiKey: string }, made: NetworkFetch): Anthropic {
  return createClient({ apiKey: target.apiKey, baseURL: target.url, timeoutMs: 10_000, maxRetries: 0, env: {}, fetch: made.fetch });
}

const ask = (c: Anthropic): Promise<unknown> =>
  c.messages.create({ model: DEFAULT_MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] });

const tunnelsTo = (p: ConnectProxy, target: { url: string }): number => p.log.filter((line) => line === `CONNECT ${new URL(target.url).host}`).length;

describe('http.proxy and http.noProxy', () => {
  it('every request goes through the proxy: a streamed answer, a plain one and a token count, and the server answers', async () => {
    const before = proxy.log.length;
    const c = client(server, network({ proxy: proxy.url }));
    server.script({ text: 'Streamed through the proxy.', chunkSize: 4 });
    const streamed = await c.messages.stream({ model: DEFAULT_MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] }).finalMessage();
    assert.deepEqual(streamed.content.map((block) => (block.type === 'text' ? block.text : '')), ['Streamed through the proxy.']);
    await ask(c);
    await c.messages.countTokens({ model: DEFAULT_MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(server.records.length, 3);
    // A kept-alive tunnel may carry both; at least one, and nothing but tunnels to the server.
    const lines = proxy.log.slice(before);
    assert.ok(lines.length >= 1);
    assert.ok(lines.every((line) => line === `CONNECT ${new URL(server.url).host}`), lines.join('\n'));
  });

  for (const entry of ['127.0.0.1', '*']) {
    it(`http.noProxy ["${entry}"] reaches the server directly`, async () => {
      const before = proxy.log.length;
      await ask(client(server, network({ proxy: proxy.url, noProxy: [entry] })));
      assert.equal(proxy.log.length, before);
      assert.equal(server.records.length, 1);
    });
  }

  it('http.noProxy with the host and its port bypasses; another port does not', async () => {
    const port = new URL(server.url).port;
    let before = proxy.log.length;
    await ask(client(server, network({ proxy: proxy.url, noProxy: [`127.0.0.1:${port}`] })));
    assert.equal(proxy.log.length, before);
    before = proxy.log.length;
    await ask(client(server, network({ proxy: proxy.url, noProxy: ['127.0.0.1:1'] })));
    assert.equal(tunnelsTo(proxy, server) > 0 && proxy.log.length > before, true);
  });

  it('an empty http.proxy falls back to the environment (http_proxy, no_proxy), as VS Code does', async () => {
    let before = proxy.log.length;
    await ask(client(server, network({}, { env: { http_proxy: proxy.url } })));
    assert.ok(proxy.log.length > before);
    before = proxy.log.length;
    await ask(client(server, network({}, { env: { http_proxy: proxy.url, no_proxy: 'localhost,127.0.0.1' } })));
    assert.equal(proxy.log.length, before);
  });

  it('http.proxySupport off sends directly even with a proxy set', async () => {
    const before = proxy.log.length;
    await ask(client(server, network({ proxy: proxy.url, proxyOff: true }, { env: { http_proxy: proxy.url } })));
    assert.equal(proxy.log.length, before);
    assert.equal(server.records.length, 1);
  });

  it('a proxy that wants credentials: http.proxyAuthorization is sent; without it the user reads a 407 proxy message', async () => {
    await ask(client(server, network({ proxy: authProxy.url, proxyAuthorization: 'Basic dGVzdDpzZWNyZXQtcHc=' })));
    assert.equal(server.records.length, 1);
    const error = await ask(client(server, network({ proxy: authProxy.url }))).then(
      () => assert.fail('the proxy should refuse'),
      (caught: unknown) => caught,
    );
    const friendly = describeError(error, { baseURL: server.url, proxy: authProxy.url });
    assert.equal(friendly.kind, 'connection');
    assert.match(friendly.message, /proxy at http:\/\/127\.0\.0\.1:\d+ refused the connection \(407\)/);
    assert.match(friendly.message, /http\.proxyAuthorization/);
    assert.equal(server.records.length, 1);
  });
});

/** A test CA and a server certificate for 127.0.0.1, made with openssl; undefined where it is missing. */
function makeCertificates(dir: string): { ca: string; key: string; cert: string; caFile: string } | undefined {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  try {
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Claude Studio Test CA');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
    run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  } catch {
    return undefined;
  }
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return { ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem'), caFile: join(dir, 'ca.pem') };
}

describe('certificates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-studio-ca-'));
  const certs = makeCertificates(dir);
  let secure: TestServer | undefined;

  before(async () => {
    if (certs) secure = await startTestServer({ tls: { key: certs.key, cert: certs.cert } });
  });
  after(async () => {
    await secure?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const skip = certs === undefined ? 'openssl is not available' : false;

  it('HTTPS to a server signed by a trusted CA works, directly and through the proxy', { skip }, async () => {
    assert.ok(secure && certs);
    await ask(client(secure, network({}, { certificates: () => [certs.ca] })));
    const before = proxy.log.length;
    await ask(client(secure, network({ proxy: proxy.url }, { certificates: () => [certs.ca] })));
    assert.ok(proxy.log.length > before);
    assert.equal(secure.records.length, 2);
  });

  it('an untrusted CA: a certificate message, fast, not a hang; http.proxyStrictSSL false lets a proxied request through', { skip }, async () => {
    assert.ok(secure && certs);
    secure.reset();
    const started = Date.now();
    const error = await ask(client(secure, network({}, { certificates: () => undefined }))).then(
      () => assert.fail('the certificate is not trusted'),
      (caught: unknown) => caught,
    );
    assert.ok(Date.now() - started < 5_000);
    const friendly = describeError(error, { baseURL: secure.url });
    assert.equal(friendly.kind, 'connection');
    assert.match(friendly.message, /certificate of 127\.0\.0\.1:\d+ is not trusted/);
    assert.match(friendly.message, /NODE_EXTRA_CA_CERTS/);
    await ask(client(secure, network({ proxy: proxy.url, proxyStrictSSL: false }, { certificates: () => undefined })));
    assert.equal(secure.records.length, 1);
  });

  it('NODE_EXTRA_CA_CERTS is trusted (a fresh process, since Node reads it at start); without it the same request fails on the certificate', { skip }, async () => {
    assert.ok(secure && certs);
    const script = join(__dirname, 'fixtures', 'askOnce.ts');
    // Not spawnSync: this process serves the child's request.
    const runChild = async (env: Record<string, string>): Promise<{ ok: boolean; message: string }> => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, secure?.url ?? '', secure?.apiKey ?? ''], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise((resolve) => child.on('close', resolve));
      const line = stdout.trim().split('\n').pop() ?? '';
      assert.ok(line.startsWith('{'), `child said: ${stdout}\n${stderr}`);
      return JSON.parse(line) as { ok: boolean; message: string };
    };
    assert.deepEqual(await runChild({ NODE_EXTRA_CA_CERTS: certs.caFile }), { ok: true, message: '' });
    const refused = await runChild({});
    assert.equal(refused.ok, false);
    assert.match(refused.message, /certificate of 127\.0\.0\.1:\d+ is not trusted/);
  });
});
