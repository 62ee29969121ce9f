import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Anthropic, { APIUserAbortError, OverloadedError } from '@anthropic-ai/sdk';
import { RemoteTestServer } from '../../server';
import { MODEL, assertEnvelope, raw, rejectsWith, userMessage, withServer } from './harness';

describe('control endpoints', () => {
  test('script, fault, records, clock and reset over HTTP', () =>
    withServer({ control: true, manualClock: true }, async ({ server, client }) => {
      const remote = new RemoteTestServer(server.url);
      await remote.script({ text: 'scripted remotely' }, { text: 'only for beta', when: { textIncludes: 'beta' } });
      await remote.fault({ kind: 'overloaded', when: { textIncludes: 'fail' } });
      const ask = (text: string) => client.messages.create({ model: MODEL, max_tokens: 20, messages: [userMessage(text)] });

      await rejectsWith(ask('please fail'), OverloadedError);
      const first = await ask('alpha');
      assert.deepEqual(first.content[0], { type: 'text', text: 'scripted remotely', citations: null });
      const second = await ask('beta');
      assert.deepEqual(second.content[0], { type: 'text', text: 'only for beta', citations: null });

      const records = await remote.records();
      assert.deepEqual(records.map((r) => r.status), [529, 200, 200]);
      assert.ok(records.every((r) => !r.path.startsWith('/_control')), 'control calls are not recorded');

      const before = server.clock.now();
      assert.equal(await remote.advanceClock(90_000), before + 90_000);
      await remote.setResponder('demo');
      await remote.reset();
      assert.equal(server.records.length, 0);
      const echoed = await ask('after reset');
      assert.deepEqual(echoed.content[0], { type: 'text', text: 'Echo: "after reset"', citations: null }, 'reset restores the initial responder');
      assertEnvelope(await raw(server, 'POST', '/_control/fault', { kind: 'nonsense' }), 400, 'invalid_request_error', 'unknown fault kind: nonsense');
    }));

  test('control endpoints are off unless enabled', () =>
    withServer({}, async ({ server }) => {
      assertEnvelope(await raw(server, 'GET', '/_control/records'), 404, 'not_found_error');
    }));
});

describe('standalone CLI', () => {
  test('prints its URL, serves the demo responder to the SDK, and exits cleanly on SIGTERM', async () => {
    const cli = join(__dirname, '..', '..', 'server', 'cli.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--demo', '--latency', '5'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await once(lines, 'line')) as [string];
      const ready = JSON.parse(line) as { url: string; pid: number };
      assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ready.pid, child.pid);

      const client = new Anthropic({ apiKey: 'whatever-the-demo-uses', baseURL: ready.url, maxRetries: 0 });
      const stream = client.messages.stream({ model: MODEL, max_tokens: 1000, messages: [userMessage('How do I rebase a git branch?')] });
      const finished = stream.finalMessage().then(() => undefined, (error: unknown) => error);
      const deltas: string[] = [];
      await new Promise<void>((resolve) => {
        stream.on('text', (delta) => {
          deltas.push(delta);
          if (deltas.length === 5) resolve();
        });
      });
      stream.abort();
      assert.ok((await finished) instanceof APIUserAbortError, 'the client gave up mid-answer');
      assert.ok(deltas.join('').startsWith('## Getting Git'), deltas.join(''));
      const remote = new RemoteTestServer(ready.url);
      assert.equal((await remote.records())[0]?.path, '/v1/messages');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
