/**
 * The Bedrock skeleton: `@anthropic-ai/bedrock-sdk` through `createBedrockClient`, against a small
 * capture endpoint on 127.0.0.1 (the test server does not speak Bedrock's wire format yet). Shows
 * the region setting and the AWS default chain at work: credentials from the environment, or from
 * a profile in the shared credentials file, signed with SigV4 for that region; no region is a
 * message that says how to set one.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ClientConfigError } from '../../../src/core/anthropic/clientFactory';
import { describeError } from '../../../src/core/anthropic/errors';
import { hostError } from '../../../src/core/providers/foreignErrors';
import type * as BedrockClientModule from '../../../src/core/providers/bedrockClient';
import { createBedrockClient } from '../../../src/core/providers/bedrockClient';
import { PROVIDER_CAPABILITIES } from '../../../src/core/providers/providers';

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

const captured: Captured[] = [];
let server: Server;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), 'claude-studio-aws-'));
const AWS_VARS = ['AWS_EC2_METADATA_DISABLED', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_BEARER_TOKEN_BEDROCK', 'ANTHROPIC_BEDROCK_BASE_URL'];
const saved: Record<string, string | undefined> = {};
let fileSeq = 0;

before(async () => {
  for (const name of AWS_VARS) saved[name] = process.env[name];
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      captured.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      if (raw.includes('deny me')) {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
        res.end(JSON.stringify({ message: 'You don\'t have access to the model with the specified model ID.' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'msg_bedrock_1', type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', stop_reason: 'end_turn', stop_sequence: null,
        content: [{ type: 'text', text: 'Hello from Bedrock.' }],
        usage: { input_tokens: 5, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  captured.length = 0;
  for (const name of AWS_VARS) delete process.env[name];
  // Never the EC2 instance metadata address: the chain stops at the environment and the files.
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
  // No shared files of the machine's user: only what a test writes.
  // A new path each test: the AWS SDK caches each file it has read for the life of the process.
  fileSeq++;
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = join(dir, `credentials-${fileSeq}`);
  process.env['AWS_CONFIG_FILE'] = join(dir, `config-${fileSeq}`);
});
after(async () => {
  for (const name of AWS_VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ask = (region: string, profile = ''): Promise<unknown> =>
  createBedrockClient({ region, profile, timeoutMs: 10_000, maxRetries: 0, endpoint }).messages.create({
    model: 'anthropic.claude-sonnet-5-5-v1:0',
    max_tokens: 32,
    messages: [{ role: 'user', content: 'Hello' }],
  });

describe('Amazon Bedrock through @anthropic-ai/bedrock-sdk', () => {
  it('no credentials anywhere: nothing is sent, and the message says how to sign in', async () => {
    const error = await ask('us-east-1').then(
      () => assert.fail('there are no credentials'),
      (caught: unknown) => caught,
    );
    assert.equal(captured.length, 0);
    const friendly = describeError(error);
    assert.equal(friendly.kind, 'auth');
    assert.match(friendly.message, /No AWS credentials were found for Amazon Bedrock\. Sign in with the AWS CLI/);
    assert.match(friendly.message, /claudeStudio\.bedrock\.profile/);
  });

  it('signs with SigV4 for the region setting, credentials from the environment (the default chain)', async () => {
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDENVTEST0001';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'env-secret-key-for-tests-only';
    await ask('eu-central-1');
    const [request] = captured;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/model/anthropic.claude-sonnet-5-5-v1:0/invoke');
    assert.match(String(request.headers['authorization']), /^AWS4-HMAC-SHA256 Credential=AKIDENVTEST0001\/\d{8}\/eu-central-1\/bedrock\/aws4_request, SignedHeaders=\S+, Signature=[0-9a-f]{64}$/);
    assert.equal(request.headers['x-api-key'], undefined);
    assert.equal(typeof request.body['anthropic_version'], 'string', 'Bedrock takes the version in the body');
    assert.equal(request.body['model'], undefined, 'the model is in the path');
  });

  it('claudeStudio.bedrock.profile picks that profile from the shared credentials file', async () => {
    writeFileSync(process.env['AWS_SHARED_CREDENTIALS_FILE'] ?? '', '[default]\naws_access_key_id = AKIDDEFAULT00001\naws_secret_access_key = default-secret\n\n[team-dev]\naws_access_key_id = AKIDPROFILE00001\naws_secret_access_key = profile-secret\n');
    await ask('us-west-2', 'team-dev');
    assert.match(String(captured[0]?.headers['authorization']), /Credential=AKIDPROFILE00001\/\d{8}\/us-west-2\/bedrock\//);
    await ask('us-west-2');
    assert.match(String(captured[1]?.headers['authorization']), /Credential=AKIDDEFAULT00001\//);
  });

  it('without a region setting AWS_REGION is used, and with neither the message says how to set one', () => {
    process.env['AWS_REGION'] = 'ap-southeast-2';
    assert.equal(createBedrockClient({ region: '', profile: '', timeoutMs: 1000, maxRetries: 0, endpoint }).awsRegion, 'ap-southeast-2');
    delete process.env['AWS_REGION'];
    assert.throws(
      () => createBedrockClient({ region: '', profile: '', timeoutMs: 1000, maxRetries: 0, endpoint }),
      (error: unknown) => error instanceof ClientConfigError && /set "claudeStudio\.bedrock\.region"/.test(error.message),
    );
  });

  it('the capability table says what Bedrock lacks: no token counting, no Message Batches', () => {
    assert.equal(PROVIDER_CAPABILITIES.bedrock.countTokens, false);
    assert.equal(PROVIDER_CAPABILITIES.bedrock.batches, false);
    const client = createBedrockClient({ region: 'us-east-1', profile: '', timeoutMs: 1000, maxRetries: 0, endpoint });
    // The SDK removes `batches`; `countTokens` stays on the prototype, so only the table can tell.
    assert.equal((client.messages as { batches?: unknown }).batches, undefined);
  });

  const bundle = join(__dirname, '..', '..', '..', 'dist', 'providers', 'bedrock.mjs');
  it('the separate bundle (dist/providers/bedrock.mjs, built by npm run build) signs the same way, and its errors read as this bundle\'s', { skip: existsSync(bundle) ? false : 'dist/providers/bedrock.mjs is not built' }, async () => {
    assert.ok(!readFileSync(join(bundle, '..', '..', 'extension.js'), 'utf8').includes('fromNodeProviderChain'), 'the AWS SDK stays out of extension.js');
    const loaded = (await import(pathToFileURL(bundle).href)) as typeof BedrockClientModule;
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDBUNDLE000001';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'bundle-secret';
    const client = loaded.createBedrockClient({ region: 'us-east-1', profile: '', timeoutMs: 10_000, maxRetries: 0, endpoint });
    const params = { model: 'anthropic.claude-sonnet-5-5-v1:0', max_tokens: 32, messages: [{ role: 'user' as const, content: 'Hello' }] };
    await client.messages.create(params);
    assert.match(String(captured[0]?.headers['authorization']), /Credential=AKIDBUNDLE000001\/\d{8}\/us-east-1\/bedrock\//);
    const error = await client.messages.create({ ...params, messages: [{ role: 'user', content: 'deny me' }] }).then(
      () => assert.fail('403 expected'),
      (caught: unknown) => caught,
    );
    assert.equal(describeError(error).kind, 'unknown', 'a foreign SDK error is not recognised as is');
    const friendly = describeError(hostError(error, loaded.SDK_ERRORS));
    assert.equal(friendly.kind, 'permission');
    assert.equal(friendly.status, 403);
  });
});
