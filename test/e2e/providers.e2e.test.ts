/**
 * The providers in one real VS Code (code-server), switched in settings as a user would: Amazon
 * Bedrock (SigV4 verified, event-stream), Google Vertex AI (application default credentials from a
 * stand-in metadata server), Microsoft Foundry (its own key), a gateway that reads only `x-api-key`,
 * and a corporate proxy (`http.proxy`, HTTPS to the test server with a test CA given through
 * NODE_EXTRA_CA_CERTS). Each provider: the chat streams, the second turn reads from the cache (the
 * server's usage), the token count works or says it is an estimate, and a wrong credential gets
 * its own message. Everything listens on 127.0.0.1; nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { DEFAULT_AWS_CREDENTIALS, makeTestCertificates, startConnectProxy, startGceMetadata, startTestServer } from '../server';
import type { ConnectProxy, GceMetadataServer, RequestRecord, TestCertificates, TestServer } from '../server';
import { findWebviewFrame, quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { askAndWait, lastAnswer, startFixture, stepsFor, tokenStatusText, waitFor } from './fixture';
import { changeSettings } from './workbench';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-e2e-providers-'));
let fx: Fixture;
let metadata: GceMetadataServer;
let gateway: TestServer;
let proxy: ConnectProxy;
/** `trusted` is signed by the CA in NODE_EXTRA_CA_CERTS; `untrusted` by a CA VS Code was never given. */
let trusted: TestServer;
let untrusted: TestServer;
let certs: { trusted: TestCertificates; untrusted: TestCertificates };
let chat: Frame;

/** A small minimum cacheable prefix, so a short chat's second turn can read the first from the cache. */
const SERVER = { minCacheableTokens: 64, promptProcessingMs: 0 } as const;

before(async () => {
  // Certificates are made now, with openssl, and never committed.
  certs = { trusted: makeTestCertificates(scratch, 'trusted'), untrusted: makeTestCertificates(scratch, 'untrusted') };
  metadata = await startGceMetadata();
  const log = (line: string): void => void process.stderr.write(`[test-server] ${line}\n`);
  gateway = await startTestServer({ ...SERVER, responder: 'echo', log, authHeader: 'x-api-key' });
  trusted = await startTestServer({ ...SERVER, responder: 'echo', log, tls: { key: certs.trusted.key, cert: certs.trusted.cert } });
  untrusted = await startTestServer({ ...SERVER, responder: 'echo', log, tls: { key: certs.untrusted.key, cert: certs.untrusted.cert } });
  proxy = await startConnectProxy();
  // A shared credentials file with one stale profile: the default chain's keys come from the environment.
  const awsCredentials = path.join(scratch, 'aws-credentials');
  fs.writeFileSync(awsCredentials, `[stale]\naws_access_key_id = ${DEFAULT_AWS_CREDENTIALS.accessKeyId}\naws_secret_access_key = not-the-secret-the-server-knows\n`);
  const gcloud = path.join(scratch, 'gcloud');
  fs.mkdirSync(gcloud);
  fx = await startFixture({
    label: 'providers',
    server: { ...SERVER, bedrock: { region: 'us-east-1' }, foundry: { deployments: { 'team-sonnet': 'claude-sonnet-4-6' } } },
    userSettings: (server) => ({
      'claudeStudio.provider': 'bedrock',
      'claudeStudio.bedrock.region': 'us-east-1',
      'claudeStudio.bedrock.endpoint': server.url,
      'claudeStudio.vertex.projectId': 'test-project',
      'claudeStudio.vertex.region': 'us-east5',
      'claudeStudio.vertex.endpoint': `${server.url}/v1`,
      'claudeStudio.foundry.endpoint': `${server.url}/anthropic/`,
      'claudeStudio.model': 'claude-sonnet-4-6',
    }),
    env: {
      AWS_ACCESS_KEY_ID: DEFAULT_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_AWS_CREDENTIALS.secretAccessKey,
      // Only these: no shared files of the machine's user, never the instance metadata address.
      AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
      AWS_CONFIG_FILE: path.join(scratch, 'aws-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
      // Google application default credentials as on a GCE VM: the metadata server, here on loopback.
      GCE_METADATA_HOST: metadata.host,
      CLOUDSDK_CONFIG: gcloud,
      GOOGLE_APPLICATION_CREDENTIALS: '',
      // The corporate CA, as a user's IT department hands it out.
      NODE_EXTRA_CA_CERTS: certs.trusted.caFile,
    },
  });
});

after(async () => {
  await fx?.close();
  await Promise.all([metadata?.close(), gateway?.close(), trusted?.close(), untrusted?.close(), proxy?.close()]);
  fs.rmSync(scratch, { recursive: true, force: true });
});

const step = stepsFor('providers', () => fx.page, 150_000);
const userSettings = (): string => path.join(fx.codeServer.userDataDir, 'User', 'settings.json');
const timed = async (name: string, fn: () => Promise<void>): Promise<void> => {
  const started = Date.now();
  await fn();
  process.stderr.write(`[providers.e2e] ${name}: ${Date.now() - started} ms\n`);
};

/**
 * The chat's frame. New Chat reveals the chat view itself, and a palette command right after it can
 * lose F1 to the webview, so Open Chat runs only when no chat is open (a step run on its own).
 */
async function chatFrame(): Promise<Frame> {
  chat = await findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 5000 }).catch(async () => {
    await runCommand(fx.page, 'Claude: Open Chat');
    return findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 30_000 });
  });
  return chat;
}

async function newChat(): Promise<Frame> {
  await runCommand(fx.page, 'Claude: New Chat');
  await chatFrame();
  await waitFor('an empty transcript', async () => ((await chat.locator('.turn').count()) === 0 ? true : undefined));
  return chat;
}

/**
 * About 5,600 tokens of text: over every model's minimum cacheable prefix (4,096 for Haiku 4.5), so
 * the extension's cache planner marks the first turn for caching and the second can read it.
 */
const FILLER = 'The quick brown fox jumps over the lazy dog while the build runs. '.repeat(340);

/** Two turns in a new chat; returns the records of the API requests that answered them (streamed, 200). */
async function twoTurns(records: () => RequestRecord[], label: string): Promise<[RequestRecord, RequestRecord]> {
  const frame = await newChat();
  const before = records().length;
  await askAndWait(frame, `${label}, turn 1.\n\n${FILLER}`);
  assert.match(await lastAnswer(frame).innerText(), new RegExp(`Echo: "${label}, turn 1\\.`));
  await askAndWait(frame, `${label}, turn 2.`);
  assert.match(await lastAnswer(frame).innerText(), new RegExp(`Echo: "${label}, turn 2\\.`));
  const answered = records().slice(before).filter((r) => r.status === 200 && r.stream);
  assert.equal(answered.length, 2, JSON.stringify(records().slice(before).map((r) => [r.path, r.status])));
  const [one, two] = answered as [RequestRecord, RequestRecord];
  assert.ok((one.usage?.cache_creation_input_tokens ?? 0) > 0, `the first turn writes the cache: ${JSON.stringify(one.usage)}`);
  assert.ok((two.usage?.cache_read_input_tokens ?? 0) > 0, `the second turn reads it: ${JSON.stringify(two.usage)}`);
  return [one, two];
}

/**
 * Types a draft (not sent) and waits for the status bar to show a figure that passes `ok`; with
 * `counted`, first for a count_tokens request that answered (the figure before it is exact from
 * the last answer's usage, the one after from the count).
 */
async function draftFigure(text: string, ok: (status: string) => boolean, what: string, counted?: () => boolean): Promise<string> {
  const input = chat.locator('#composer-input');
  await input.click();
  await input.fill(text);
  if (counted !== undefined) await waitFor(`count_tokens for ${what}`, async () => (counted() ? true : undefined), 20_000, 100);
  return waitFor(what, async () => {
    const status = await tokenStatusText(fx.page);
    return status !== undefined && ok(status) ? status : undefined;
  }, 20_000, 100);
}

async function clearDraft(): Promise<void> {
  await chat.locator('#composer-input').fill('');
}

/** The token item's tooltip text, once it shows. */
async function tokenTooltip(): Promise<string> {
  await fx.page.locator('[id="workbench.parts.statusbar"] [id="claude-studio.claude-studio.claudeStudio.tokens"]').hover();
  const hover = fx.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Next request to Claude' }).first();
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await hover.innerText();
  await fx.page.mouse.move(5, 5);
  return text;
}

/** Sends a message and returns the message of the error it ends with. */
async function failingTurn(text: string): Promise<string> {
  await askAndWait(chat, text, 'error', 45_000);
  return (await lastAnswer(chat).locator('.turn-error-message').innerText()).trim();
}

describe('providers in real VS Code', () => {
  step('Amazon Bedrock: signed, streamed, cached; the count says it is an estimate; a bad signature says what AWS refused', async () => {
    await timed('bedrock', async () => {
      const records = (): RequestRecord[] => fx.server.bedrockRequests();
      const [first] = await twoTurns(records, 'Hello through Bedrock');
      assert.equal(first.path, '/model/us.anthropic.claude-sonnet-4-6/invoke-with-response-stream');
      assert.equal(first.awsAccessKeyId, DEFAULT_AWS_CREDENTIALS.accessKeyId);
      assert.equal(fx.server.messageRequests().length, 0, 'nothing went to the Anthropic API path');
      // No count_tokens on Bedrock: the draft's figure stays "~", and the tooltip says why.
      const status = await draftFigure('How long is this draft?', (s) => s.includes('~') && s.endsWith('· Bedrock'), 'an estimate tagged Bedrock');
      assert.match(status, /^\S*\s*~[\d.,k]+ · \d+% · Bedrock$/);
      assert.match(await tokenTooltip(), /Amazon Bedrock does not count tokens: the figure is an estimate\./);
      assert.equal(fx.server.countTokensRequests().length, 0);
      await clearDraft();
      await screenshot(fx.page, 'providers-bedrock');
      // A profile whose secret is wrong: the server's SigV4 check refuses it.
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.bedrock.profile': 'stale' });
      const message = await failingTurn('Signed with the wrong secret');
      assert.equal(records().at(-1)?.bedrockError, 'InvalidSignatureException');
      assert.match(message, /AWS refused the credentials \(InvalidSignatureException\)\. Check the keys or the profile in "claudeStudio\.bedrock\.profile"/);
      await screenshot(fx.page, 'providers-bedrock-bad-signature');
    });
  });

  step('Google Vertex AI: ADC from the metadata server, streamed, cached, counted exactly; a revoked token says to sign in again', async () => {
    await timed('vertex', async () => {
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.provider': 'vertex', 'claudeStudio.model': 'claude-haiku-4-5', 'claudeStudio.bedrock.profile': undefined });
      const records = (): RequestRecord[] => fx.server.records.filter((r) => r.path.startsWith('/v1/projects/'));
      const [first] = await twoTurns(records, 'Hello through Vertex');
      assert.equal(first.path, '/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-haiku-4-5@20251001:streamRawPredict');
      assert.equal(first.authVia, 'bearer');
      assert.ok(metadata.tokensIssued() >= 1, 'the token came from the metadata server');
      const status = await draftFigure('Count this draft exactly', (s) => !s.includes('~') && s.endsWith('· Vertex'), 'an exact count tagged Vertex',
        () => records().some((r) => r.path.endsWith('/models/count-tokens:rawPredict') && r.status === 200));
      assert.match(status, /· Vertex$/);
      await clearDraft();
      await screenshot(fx.page, 'providers-vertex');
      // Google revoked the sign-in: the next client gets a token Vertex refuses (401).
      metadata.token = 'revoked-token';
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.request.maxRetries': 0 });
      const message = await failingTurn('With a revoked token');
      assert.equal(records().at(-1)?.status, 401);
      assert.match(message, /Your Google sign-in for Vertex AI has expired or was revoked\. Run "gcloud auth application-default login" again/);
      metadata.token = 'test-vertex-token';
    });
  });

  step('Microsoft Foundry: onboarding and Set API Key name Foundry; streamed, cached, counted exactly; a wrong key names the resource', async () => {
    await timed('foundry', async () => {
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.provider': 'foundry', 'claudeStudio.model': 'team-sonnet' });
      await chatFrame();
      const onboarding = chat.locator('#onboarding');
      await onboarding.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await onboarding.innerText(), /Set the API key of your Microsoft Foundry resource/);
      await chat.locator('#set-api-key').click();
      const widget = quickInput(fx.page);
      const input = widget.locator('input').first();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      const prompt = await widget.innerText();
      assert.match(prompt, /Set Microsoft Foundry API Key/);
      assert.match(prompt, /Paste the API key of your Microsoft Foundry resource/);
      assert.doesNotMatch(prompt, /Anthropic/);
      await input.fill('test-foundry-key');
      await input.press('Enter');
      await fx.page.locator('.notification-toast', { hasText: 'Microsoft Foundry API key saved' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await onboarding.waitFor({ state: 'detached', timeout: 10_000 });
      const records = (): RequestRecord[] => fx.server.records.filter((r) => r.path === '/anthropic/v1/messages');
      const [first] = await twoTurns(records, 'Hello through Foundry');
      assert.equal(first.authVia, 'x-api-key');
      assert.equal((first.body as { model?: string }).model, 'team-sonnet', 'the deployment name is the model');
      await draftFigure('Count this draft on Foundry', (s) => !s.includes('~') && s.endsWith('· Foundry'), 'an exact count tagged Foundry',
        () => fx.server.records.some((r) => r.path === '/anthropic/v1/messages/count_tokens' && r.status === 200));
      await clearDraft();
      await screenshot(fx.page, 'providers-foundry');
      await runCommand(fx.page, 'Claude: Set API Key');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('not-the-foundry-key-0000');
      await input.press('Enter');
      await input.waitFor({ state: 'hidden', timeout: 10_000 });
      const message = await failingTurn('With the wrong Foundry key');
      assert.equal(records().at(-1)?.status, 401);
      assert.match(message, /Microsoft Foundry \(127\.0\.0\.1:\d+\) refused the key\. Set the key of that Foundry resource with "Claude Studio: Set API Key"/);
    });
  });

  step('a gateway that reads only x-api-key: Bearer is refused with the setting to change; with authHeader x-api-key it streams, caches and counts', async () => {
    await timed('gateway', async () => {
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.provider': 'anthropic', 'claudeStudio.model': 'claude-sonnet-4-6', 'claudeStudio.baseURL': gateway.url });
      await newChat();
      const message = await failingTurn('Through the gateway with Bearer');
      assert.equal(gateway.records.at(-1)?.authVia, 'bearer');
      assert.match(message, /claudeStudio\.authHeader/);
      assert.match(message, /x-api-key/);
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.authHeader': 'x-api-key' });
      const [first] = await twoTurns(() => gateway.messageRequests(), 'Hello through the gateway');
      assert.equal(first.authVia, 'x-api-key');
      await draftFigure('Count this draft at the gateway', (s) => !s.includes('~'), 'an exact count',
        () => gateway.countTokensRequests().some((r) => r.status === 200 && r.authVia === 'x-api-key'));
      await clearDraft();
      await screenshot(fx.page, 'providers-gateway');
    });
  });

  step('http.proxy: every API request of a chat turn goes through the proxy over HTTPS with the CA from NODE_EXTRA_CA_CERTS; an untrusted CA says so at once', async () => {
    await timed('proxy', async () => {
      await changeSettings(fx.page, userSettings(), { 'http.proxy': proxy.url, 'claudeStudio.baseURL': trusted.url, 'claudeStudio.authHeader': undefined });
      await twoTurns(() => trusted.messageRequests(), 'Hello through the proxy');
      await draftFigure('Count this draft through the proxy', (s) => !s.includes('~'), 'an exact count', () => trusted.countTokensRequests().some((r) => r.status === 200));
      await clearDraft();
      const requests = trusted.records.filter((r) => r.path.startsWith('/v1/'));
      assert.ok(proxy.log.includes(`CONNECT 127.0.0.1:${trusted.port}`), proxy.log.join('\n'));
      for (const r of requests) assert.ok(r.remotePort !== undefined && proxy.tunnelPorts.has(r.remotePort), `${r.method} ${r.path} came through the proxy (port ${String(r.remotePort)})`);
      process.stderr.write(`[providers.e2e] proxy: ${requests.length} API requests over ${proxy.tunnelPorts.size} tunnel(s)\n`);
      await screenshot(fx.page, 'providers-proxy');
      // A server whose CA VS Code was never given: a certificate message, not a hang.
      await changeSettings(fx.page, userSettings(), { 'claudeStudio.baseURL': untrusted.url });
      const started = Date.now();
      const message = await failingTurn('To a server with an unknown CA');
      const took = Date.now() - started;
      assert.match(message, /certificate/i);
      assert.ok(took < 20_000, `the certificate message came after ${took} ms`);
      assert.equal(untrusted.records.length, 0, 'no request reached the server');
      assert.ok(proxy.log.includes(`CONNECT 127.0.0.1:${untrusted.port}`), 'it went through the proxy too');
      process.stderr.write(`[providers.e2e] certificate message after ${took} ms: ${message}\n`);
      await screenshot(fx.page, 'providers-untrusted-ca');
    });
  });
});
