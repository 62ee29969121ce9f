/**
 * A cloud provider in a real VS Code: `claudeStudio.provider` is `bedrock` (user settings), AWS test
 * credentials come from the environment (the default chain), and `claudeStudio.bedrock.endpoint`
 * points at the test server's Bedrock Runtime, which verifies the SigV4 signature. A chat message
 * streams back through the event-stream framing, and the status bar names the provider.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import { DEFAULT_AWS_CREDENTIALS } from '../server';
import { screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { askAndWait, lastAnswer, openChat, startFixture, stepsFor, tokenStatusText, waitFor } from './fixture';

let fx: Fixture;

before(async () => {
  const nowhere = path.join(os.tmpdir(), 'claude-studio-e2e-no-aws-files');
  fx = await startFixture({
    label: 'providers',
    withoutApiKey: true,
    server: { bedrock: { region: 'us-east-1' } },
    userSettings: (server) => ({
      'claudeStudio.provider': 'bedrock',
      'claudeStudio.bedrock.region': 'us-east-1',
      'claudeStudio.bedrock.endpoint': server.url,
      'claudeStudio.model': 'claude-sonnet-4-6',
    }),
    env: {
      AWS_ACCESS_KEY_ID: DEFAULT_AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_AWS_CREDENTIALS.secretAccessKey,
      // Only the environment: no shared files of the machine's user, never the instance metadata address.
      AWS_SHARED_CREDENTIALS_FILE: path.join(nowhere, 'credentials'),
      AWS_CONFIG_FILE: path.join(nowhere, 'config'),
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('providers', () => fx.page, 120_000);

describe('Amazon Bedrock in real VS Code', () => {
  step('a chat message goes to Bedrock Runtime, signed, and streams back; the status bar names the provider', async () => {
    const started = Date.now();
    const chat = await openChat(fx.page);
    await askAndWait(chat, 'Hello through Bedrock');
    assert.match(await lastAnswer(chat).innerText(), /Hello through Bedrock/);
    const [request] = fx.server.bedrockRequests();
    assert.equal(request?.path, '/model/us.anthropic.claude-sonnet-4-6/invoke-with-response-stream');
    assert.equal(request?.status, 200);
    assert.equal(request?.awsAccessKeyId, DEFAULT_AWS_CREDENTIALS.accessKeyId);
    assert.equal(fx.server.messageRequests().length, 0, 'nothing went to the Anthropic API path');
    const text = await waitFor('the token item to name Bedrock', async () => {
      const current = await tokenStatusText(fx.page);
      return current?.endsWith('· Bedrock') ? current : undefined;
    }, 15_000);
    assert.match(text, /· Bedrock$/);
    await screenshot(fx.page, 'providers-bedrock');
    process.stderr.write(`[providers.e2e] chat turn and status bar: ${Date.now() - started} ms\n`);
  });
});
