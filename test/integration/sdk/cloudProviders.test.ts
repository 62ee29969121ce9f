/**
 * Google Vertex AI and Microsoft Foundry over loopback HTTP: the real `@anthropic-ai/vertex-sdk` and
 * `@anthropic-ai/foundry-sdk` clients, built by createVertexClient / createFoundryClient, against
 * test/server's Vertex (rawPredict / streamRawPredict / count-tokens, OAuth bearer and project
 * checked, Google's error shape) and Foundry fronts (resource key or Entra token, deployment names,
 * Azure's error shape). Plus the messages the extension shows for their failures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import { findModelFor } from '../../../src/core/anthropic/catalog';
import { describeError } from '../../../src/core/anthropic/errors';
import { priceAnswer } from '../../../src/core/anthropic/price';
import { ChatSession, type ChatSessionDeps } from '../../../src/core/chat/chatSession';
import { createEntraTokenProvider } from '../../../src/core/providers/entraToken';
import { createFoundryClient } from '../../../src/core/providers/foundryClient';
import type { ProviderErrorContext } from '../../../src/core/providers/providerErrors';
import { createVertexClient } from '../../../src/core/providers/vertexClient';
import type { VertexClientOptions } from '../../../src/core/providers/vertexClient';
import { startGceMetadata, startTestServer } from '../../server';
import type { TestServer } from '../../server';

let server: TestServer;
before(async () => {
  server = await startTestServer({
    minCacheableTokens: 64,
    promptProcessingMs: 0,
    vertex: { deniedModels: ['claude-opus-4-6'] },
    foundry: { deployments: { 'team-sonnet': 'claude-sonnet-4-6' } },
  });
});
beforeEach(() => server.reset());
after(() => server.close());

const REGION = 'us-east5';
const fakeAuth = (token: string): NonNullable<VertexClientOptions['authClient']> =>
  ({ projectId: 'test-project', getRequestHeaders: () => Promise.resolve(new Headers({ authorization: `Bearer ${token}` })) }) as unknown as NonNullable<VertexClientOptions['authClient']>;

const vertex = (token = 'test-vertex-token', projectId = ''): Anthropic =>
  createVertexClient({ projectId, region: REGION, timeoutMs: 10_000, maxRetries: 0, endpoint: `${server.url}/v1`, authClient: fakeAuth(token), env: {} }) as unknown as Anthropic;
const foundry = (auth: { apiKey?: string; entraToken?: () => Promise<string> } = { apiKey: 'test-foundry-key' }): Anthropic =>
  createFoundryClient({ resource: 'contoso-ai', ...auth, timeoutMs: 10_000, maxRetries: 0, endpoint: `${server.url}/anthropic/` }) as unknown as Anthropic;

const hello = (model: string, text = 'Hello'): Anthropic.MessageCreateParamsNonStreaming => ({ model, max_tokens: 64, messages: [{ role: 'user', content: text }] });
const textOf = (message: Anthropic.Message): string => (message.content[0]?.type === 'text' ? message.content[0].text : '');

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('the service should have refused'),
    (caught: unknown) => caught,
  );
}

async function twoTurns(client: Anthropic, model: string): Promise<[Anthropic.Message, Anthropic.Message]> {
  const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'You review code. '.repeat(80), cache_control: { type: 'ephemeral' } }];
  const turn = async (text: string): Promise<Anthropic.Message> => {
    const stream = client.messages.stream({ model, max_tokens: 128, system, messages: [{ role: 'user', content: text }] });
    let streamed = '';
    stream.on('text', (delta) => (streamed += delta));
    const final = await stream.finalMessage();
    assert.equal(streamed, textOf(final));
    return final;
  };
  server.script({ text: 'A first answer long enough to come in several chunks.' }, { text: 'Second.' });
  return [await turn('First question'), await turn('Second question')];
}

describe('Google Vertex AI in test/server, through the real Vertex client', () => {
  const ctx: ProviderErrorContext = { provider: 'vertex', model: 'claude-sonnet-5-5', where: REGION };

  it('rawPredict: the catalog model goes by its Vertex name in the path, with the OAuth bearer; the version is in the body', async () => {
    server.script({ text: 'Hello from Vertex.' });
    const message = await vertex().messages.create(hello('claude-haiku-4-5'));
    assert.equal(textOf(message), 'Hello from Vertex.');
    const record = server.records.at(-1);
    assert.equal(record?.path, `/v1/projects/test-project/locations/${REGION}/publishers/anthropic/models/claude-haiku-4-5@20251001:rawPredict`);
    assert.equal((record?.body as Record<string, unknown>)['anthropic_version'], '2026-10-21');
    assert.equal((record?.body as Record<string, unknown>)['model'], undefined);
  });

  it('streamRawPredict streams SSE; the second turn reads the cache; count-tokens:rawPredict counts', async () => {
    const [first, second] = await twoTurns(vertex(), 'claude-sonnet-4-6');
    assert.match(server.records.at(-1)?.path ?? '', /models\/claude-sonnet-4-6:streamRawPredict$/);
    assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 0);
    assert.ok((second.usage.cache_read_input_tokens ?? 0) > 0);
    const count = await vertex().messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Count me' }] });
    assert.ok(count.input_tokens > 0);
    assert.match(server.records.at(-1)?.path ?? '', /models\/count-tokens:rawPredict$/);
    // A model the catalog maps is counted under its Vertex name, as Google's own example sends it.
    const mapped = await vertex().messages.countTokens({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Count me' }] });
    assert.equal(mapped.input_tokens, count.input_tokens);
    assert.equal((server.records.at(-1)?.body as { model?: string }).model, 'claude-haiku-4-5@20251001');
  });

  it('refusals in Google\'s shape, each with its message: unknown model (404), denied model (403), bad token (401)', async () => {
    const unknown = await refusal(vertex().messages.create(hello('claude-sonnet-9')));
    assert.ok(unknown instanceof APIError);
    assert.equal(unknown.status, 404);
    assert.match(describeError(unknown, { provider: { ...ctx, model: 'claude-sonnet-9' } }).message, /Vertex AI has no model "claude-sonnet-9" in us-east5/);
    const denied = await refusal(vertex().messages.create(hello('claude-opus-4-6')));
    assert.equal((denied as APIError).status, 403);
    assert.match(describeError(denied, { provider: { ...ctx, model: 'claude-opus-4-6' } }).message, /may not use claude-opus-4-6 on Vertex AI/);
    const badToken = await refusal(vertex('stale-token').messages.create(hello('claude-haiku-4-5')));
    assert.equal((badToken as APIError).status, 401);
    assert.equal(describeError(badToken, { provider: ctx }).kind, 'auth');
  });

  it('application default credentials from a metadata server (GCE_METADATA_HOST): its token is the bearer; a token Google refuses reads as a refused sign-in', async () => {
    const home = mkdtempSync(join(tmpdir(), 'claude-studio-gcloud-'));
    const metadata = await startGceMetadata();
    const saved = { ...process.env };
    try {
      for (const name of ['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT', 'METADATA_SERVER_DETECTION']) delete process.env[name];
      process.env['CLOUDSDK_CONFIG'] = home;
      process.env['HOME'] = home;
      process.env['GCE_METADATA_HOST'] = metadata.host;
      const adc = (): Anthropic => createVertexClient({ projectId: 'test-project', region: REGION, timeoutMs: 10_000, maxRetries: 0, endpoint: `${server.url}/v1`, env: {} }) as unknown as Anthropic;
      server.script({ text: 'Hello through ADC.' });
      assert.equal(textOf(await adc().messages.create(hello('claude-haiku-4-5'))), 'Hello through ADC.');
      assert.equal(server.records.at(-1)?.authVia, 'bearer');
      assert.equal(metadata.tokensIssued(), 1);
      assert.ok(metadata.log.every((line) => !line.endsWith(' 403')), metadata.log.join('\n'));
      metadata.token = 'revoked-token';
      const refused = await refusal(adc().messages.create(hello('claude-haiku-4-5')));
      assert.equal((refused as APIError).status, 401);
      const friendly = describeError(refused, { provider: ctx });
      assert.equal(friendly.kind, 'auth');
      assert.match(friendly.message, /gcloud auth application-default login/);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      await metadata.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('no application default credentials anywhere: nothing is sent, and the message says to run gcloud auth application-default login', async () => {
    const home = mkdtempSync(join(tmpdir(), 'claude-studio-gcloud-'));
    const saved = { ...process.env };
    try {
      for (const name of ['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT']) delete process.env[name];
      process.env['CLOUDSDK_CONFIG'] = home;
      process.env['HOME'] = home;
      process.env['METADATA_SERVER_DETECTION'] = 'none';
      const client = createVertexClient({ projectId: 'test-project', region: REGION, timeoutMs: 10_000, maxRetries: 0, endpoint: `${server.url}/v1`, env: {} });
      const error = await refusal(client.messages.create(hello('claude-haiku-4-5')));
      assert.equal(server.records.length, 0);
      const friendly = describeError(error, { provider: ctx });
      assert.equal(friendly.kind, 'auth');
      assert.match(friendly.message, /No Google application default credentials were found.*gcloud auth application-default login/);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('Microsoft Foundry in test/server, through the real Foundry client', () => {
  const ctx: ProviderErrorContext = { provider: 'foundry', model: 'nobody-deployed-this', where: 'contoso-ai' };

  it('the resource key in x-api-key, a deployment name as the model; streaming and the cache work; no batches on the client', async () => {
    server.script({ text: 'Hello from Foundry.' });
    const message = await foundry().messages.create(hello('team-sonnet'));
    assert.equal(textOf(message), 'Hello from Foundry.');
    assert.equal(server.records.at(-1)?.path, '/anthropic/v1/messages');
    assert.equal(server.records.at(-1)?.authVia, 'x-api-key');
    const [first, second] = await twoTurns(foundry(), 'claude-haiku-4-5');
    assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 0);
    assert.ok((second.usage.cache_read_input_tokens ?? 0) > 0);
    assert.equal((foundry().messages as { batches?: unknown }).batches, undefined);
  });

  it('an Entra ID token (from the Azure CLI provider) goes as Authorization: Bearer', async () => {
    const entraToken = createEntraTokenProvider(() => Promise.resolve(JSON.stringify({ accessToken: 'test-entra-token', expires_on: Math.floor(Date.now() / 1000) + 3600 })));
    await foundry({ entraToken }).messages.create(hello('team-sonnet'));
    assert.equal(server.records.at(-1)?.authVia, 'bearer');
    assert.equal(server.records.at(-1)?.status, 200);
  });

  it('a wrong key (401) and an unknown deployment (404), in Azure\'s shape, each with its message', async () => {
    const wrong = await refusal(foundry({ apiKey: 'not-the-key' }).messages.create(hello('team-sonnet')));
    assert.equal((wrong as APIError).status, 401);
    const friendly = describeError(wrong, { provider: ctx });
    assert.equal(friendly.action, 'setApiKey');
    assert.match(friendly.message, /Microsoft Foundry \(contoso-ai\) refused the key/);
    const missing = await refusal(foundry().messages.create(hello('nobody-deployed-this')));
    assert.equal((missing as APIError).status, 404);
    assert.match(describeError(missing, { provider: ctx }).message, /has no deployment named "nobody-deployed-this"/);
  });
});

describe('pricing an answer from a Foundry deployment with its own name', () => {
  it('the response names the model behind "team-sonnet": the chat records it and prices the answer by it, not at $0', async () => {
    server.script({ text: 'Priced by the model behind the deployment.' });
    const client = foundry();
    const deps: ChatSessionDeps = {
      getClient: async () => client,
      getOptions: () => ({ model: 'team-sonnet', maxTokens: 256, cacheTtl: '5m', stallTimeoutMs: 10_000, maxRetries: 0 }),
      describeError: (error) => ({ kind: 'unknown', message: String(error), retryable: false }),
      price: (usage, model, answeredBy) => priceAnswer(usage, model, findModelFor, answeredBy),
      now: () => Date.now(),
    };
    const chat = new ChatSession(deps, ['You are a test.']);
    await chat.send('Hello');
    const answer = chat.turns().at(-1);
    assert.ok(answer?.kind === 'assistant' && answer.usage !== undefined, JSON.stringify(answer?.kind === 'assistant' ? answer.error : answer));
    assert.equal(answer.status, 'done');
    assert.equal(answer.model, 'team-sonnet');
    assert.equal(answer.answeredBy, 'claude-sonnet-4-6');
    assert.equal(chat.totals.unpriced, undefined);
    assert.deepEqual({ costUsd: chat.totals.costUsd, savedUsd: chat.totals.savedUsd }, priceAnswer(answer.usage, 'claude-sonnet-4-6', findModelFor));
    assert.ok(chat.totals.costUsd > 0);
  });
});
