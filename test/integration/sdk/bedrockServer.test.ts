/**
 * Amazon Bedrock end to end over loopback HTTP: the real `@anthropic-ai/bedrock-sdk` client, built
 * by createBedrockClient (and, last, by AnthropicService from the separate dist/providers/bedrock.mjs bundle),
 * against test/server's Bedrock Runtime front. The server checks the SigV4 signature against its
 * test credentials, answers InvokeModel with JSON and InvokeModelWithResponseStream with AWS
 * event-stream frames, accounts the prompt cache, and refuses as Bedrock does.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { APIError } from '@anthropic-ai/sdk';
import { describeError } from '../../../src/core/anthropic/errors';
import { createBedrockClient } from '../../../src/core/providers/bedrockClient';
import type { BedrockRouting } from '../../../src/core/providers/modelIds';
import { parseConfig } from '../../../src/core/config/config';
import { DEFAULT_NETWORK } from '../../../src/core/net/network';
import { AnthropicService } from '../../../src/platform/anthropicService';
import type { ApiKeyStore } from '../../../src/platform/apiKeyStore';
import { useProviderBundles } from '../../../src/platform/providerLoader';
import type { Settings } from '../../../src/platform/settings';
import { BEDROCK_VERSION, DEFAULT_AWS_CREDENTIALS, startTestServer } from '../../server';
import type { TestServer } from '../../server';

const REGION = 'us-east-1';
const AWS_VARS = ['AWS_EC2_METADATA_DISABLED', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_BEARER_TOKEN_BEDROCK', 'ANTHROPIC_BEDROCK_BASE_URL'];
const saved: Record<string, string | undefined> = {};
const dir = mkdtempSync(join(tmpdir(), 'claude-studio-bedrock-'));
let server: TestServer;
let fileSeq = 0;

before(async () => {
  for (const name of AWS_VARS) saved[name] = process.env[name];
  server = await startTestServer({
    bedrock: { region: REGION, deniedModels: ['claude-opus-4-5'] },
    minCacheableTokens: 64,
    promptProcessingMs: 0,
  });
});
beforeEach(() => {
  server.reset();
  for (const name of AWS_VARS) delete process.env[name];
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  fileSeq++;
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, `credentials-${fileSeq}`);
  process.env['AWS_CONFIG_FILE'] = join(dir, `config-${fileSeq}`);
  process.env['AWS_ACCESS_KEY_ID'] = DEFAULT_AWS_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = DEFAULT_AWS_CREDENTIALS.secretAccessKey;
});
afterEach(() => server.clearFaults());
after(async () => {
  for (const name of AWS_VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

const client = (inferenceProfile: BedrockRouting = 'geo'): Anthropic =>
  createBedrockClient({ region: REGION, profile: '', inferenceProfile, timeoutMs: 10_000, maxRetries: 0, endpoint: server.url }) as unknown as Anthropic;

const hello = (model: string): Anthropic.MessageCreateParamsNonStreaming => ({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });

async function refusal(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => assert.fail('Bedrock should have refused'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof APIError, String(error));
  return error;
}

const lastRecord = () => server.bedrockRequests().at(-1);

describe('Bedrock Runtime in test/server, through the real Bedrock client', () => {
  it('InvokeModel: the catalog model goes as its us. inference profile in the path, signed with SigV4, anthropic_version in the body', async () => {
    server.script({ text: 'Hello from Bedrock.' });
    const message = await client().messages.create(hello('claude-sonnet-4-6'));
    assert.equal(message.content[0]?.type === 'text' ? message.content[0].text : '', 'Hello from Bedrock.');
    assert.equal(message.model, 'claude-sonnet-4-6');
    const record = lastRecord();
    assert.ok(record);
    assert.equal(record.path, '/model/us.anthropic.claude-sonnet-4-6/invoke');
    assert.equal(record.status, 200);
    assert.equal(record.awsAccessKeyId, DEFAULT_AWS_CREDENTIALS.accessKeyId);
    const body = JSON.parse(String(record.body)) as Record<string, unknown>;
    assert.equal(body['anthropic_version'], BEDROCK_VERSION, 'an ARN-versioned model takes the Bedrock version');
    assert.equal(body['model'], undefined);
    assert.equal(body['stream'], undefined);
    assert.match(record.headers['x-amz-date'] ?? '', /^\d{8}T\d{6}Z$/);
  });

  it('a retired model (Sonnet 4.5, by its dated Bedrock id): 404 ResourceNotFoundException', async () => {
    const error = await refusal(client().messages.create(hello('claude-sonnet-4-5-20250929')));
    assert.equal(lastRecord()?.path, '/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke');
    assert.equal(error.status, 404);
    assert.equal(error.headers?.get('x-amzn-errortype')?.split(':')[0], 'ResourceNotFoundException');
  });

  it('InvokeModelWithResponseStream: text streams through event-stream frames; the second turn reads the cache', async () => {
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'You review code. '.repeat(80), cache_control: { type: 'ephemeral' } }];
    const turn = async (text: string): Promise<Anthropic.Message> => {
      const stream = client().messages.stream({ model: 'claude-haiku-4-5', max_tokens: 128, system, messages: [{ role: 'user', content: text }] });
      let streamed = '';
      stream.on('text', (delta) => (streamed += delta));
      const final = await stream.finalMessage();
      assert.equal(streamed, final.content[0]?.type === 'text' ? final.content[0].text : '');
      return final;
    };
    server.script({ text: 'A first answer long enough to come in several chunks of the stream.' }, { text: 'Second.' });
    const first = await turn('First question');
    assert.equal(lastRecord()?.path, '/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/invoke-with-response-stream');
    assert.ok((first.usage.cache_creation_input_tokens ?? 0) > 0, 'the first turn writes the cache');
    const second = await turn('Second question');
    assert.ok((second.usage.cache_read_input_tokens ?? 0) > 0, 'the second turn reads it');
  });

  it('inferenceProfile global and none name the model differently; a typed Bedrock id goes as it is', async () => {
    await client('global').messages.create(hello('claude-opus-4-6'));
    assert.equal(lastRecord()?.path, '/model/global.anthropic.claude-opus-4-6-v1/invoke');
    await client('none').messages.create(hello('claude-opus-4-6'));
    assert.equal(lastRecord()?.path, '/model/anthropic.claude-opus-4-6-v1/invoke');
    await client().messages.create(hello('eu.anthropic.claude-sonnet-4-6'));
    assert.equal(lastRecord()?.path, '/model/eu.anthropic.claude-sonnet-4-6/invoke');
  });

  it('a model id Bedrock does not know: 400 ValidationException, as the API says it', async () => {
    const error = await refusal(client().messages.create(hello('claude-sonnet-5-5')));
    assert.equal(error.status, 400);
    assert.equal(error.headers?.get('x-amzn-errortype')?.split(':')[0], 'ValidationException');
    assert.match(error.message, /The provided model identifier is invalid/);
    const profile = await refusal(client().messages.create(hello('apac.anthropic.claude-opus-4-5-20251101-v1:0')));
    assert.equal(profile.status, 400, 'a profile the model does not have is no id either');
  });

  it('a model the credentials may not invoke: 403 AccessDeniedException', async () => {
    const error = await refusal(client().messages.create(hello('claude-opus-4-5')));
    assert.equal(error.status, 403);
    assert.equal(error.headers?.get('x-amzn-errortype')?.split(':')[0], 'AccessDeniedException');
    assert.equal(describeError(error).kind, 'permission');
  });

  it('a wrong secret: 403 InvalidSignatureException; an unknown key id: 403 UnrecognizedClientException; nothing is answered', async () => {
    process.env['AWS_SECRET_ACCESS_KEY'] = 'not-the-secret';
    const wrong = await refusal(client().messages.create(hello('claude-sonnet-4-6')));
    assert.equal(wrong.status, 403);
    assert.equal(wrong.headers?.get('x-amzn-errortype')?.split(':')[0], 'InvalidSignatureException');
    assert.match(wrong.message, /signature we calculated does not match/);
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDUNKNOWN000001';
    const unknown = await refusal(client().messages.create(hello('claude-sonnet-4-6')));
    assert.equal(unknown.headers?.get('x-amzn-errortype')?.split(':')[0], 'UnrecognizedClientException');
    assert.equal(server.bedrockRequests().every((r) => r.usage === undefined), true);
  });

  it('a signature scoped to another region than the endpoint\'s is refused', async () => {
    const other = createBedrockClient({ region: 'eu-west-1', profile: '', timeoutMs: 10_000, maxRetries: 0, endpoint: server.url });
    const error = await refusal(other.messages.create(hello('claude-sonnet-4-6')));
    assert.equal(error.headers?.get('x-amzn-errortype')?.split(':')[0], 'InvalidSignatureException');
    assert.match(error.message, /region 'us-east-1'/);
  });

  it('without our middleware the SDK sends anthropic_version 2026-10-21, which an ARN-versioned model refuses', async () => {
    const bare = new AnthropicBedrock({ awsRegion: REGION, baseURL: server.url, apiKey: null, maxRetries: 0 });
    const error = await refusal(bare.messages.create(hello('anthropic.claude-sonnet-4-6')));
    assert.equal(error.status, 400);
    assert.match(error.message, /2026-10-21 is not supported/);
    assert.equal(JSON.parse(String(lastRecord()?.body))['anthropic_version'], '2026-10-21');
  });

  it('an error after the stream began arrives as an exception frame and fails the stream', async () => {
    server.fault({ kind: 'stream-error', errorType: 'overloaded_error', afterChunks: 1 });
    server.script({ text: 'This answer is cut off by an overloaded model half way through.' });
    const stream = client().messages.stream({ ...hello('claude-haiku-4-5') });
    const error = await stream.finalMessage().then(
      () => assert.fail('the stream should fail'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof APIError, String(error));
    assert.match(error.message, /serviceUnavailableException|Bedrock is unable to process your request/);
  });

  const bundle = join(__dirname, '..', '..', '..', 'dist', 'providers', 'bedrock.mjs');
  it('through the extension: AnthropicService with provider bedrock loads dist/providers/bedrock.mjs and chats; its errors read as this bundle\'s', { skip: existsSync(bundle) ? false : 'dist/providers/bedrock.mjs is not built' }, async () => {
    useProviderBundles(join(bundle, '..'));
    const { config } = parseConfig((key) => ({ provider: 'bedrock', 'bedrock.region': REGION, 'bedrock.endpoint': server.url, model: 'claude-sonnet-4-6' } as Record<string, unknown>)[key]);
    const settings = {
      current: config,
      network: DEFAULT_NETWORK,
      onDidChange: () => ({ dispose: () => undefined }),
      useCatalog: () => undefined,
    } as unknown as Settings;
    const keys = { get: () => Promise.resolve(undefined), onDidChange: () => ({ dispose: () => undefined }) } as unknown as ApiKeyStore;
    const service = new AnthropicService(settings, keys);
    try {
      // claudeStudio.bedrock.endpoint (a VPC endpoint's setting) points it at the server.
      const local = await service.getClient();
      server.script({ text: 'Hello through the provider path.' });
      const message = await local.messages.create(hello(config.model));
      assert.equal(message.content[0]?.type === 'text' ? message.content[0].text : '', 'Hello through the provider path.');
      assert.equal(lastRecord()?.path, '/model/us.anthropic.claude-sonnet-4-6/invoke');
      const error = await local.messages.create(hello('claude-opus-4-5')).then(
        () => assert.fail('denied'),
        (caught: unknown) => caught,
      );
      assert.equal(describeError(error).kind, 'unknown', 'the bundle\'s own error class');
      assert.equal(service.describe(error).kind, 'permission');
    } finally {
      service.dispose();
    }
  });
});
