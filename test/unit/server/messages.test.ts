import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APIError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { BLOCK_OVERHEAD_TOKENS, MESSAGE_OVERHEAD_TOKENS, countInputTokens, countTextTokens, createDemoResponder, demoMarkdown } from '../../server';
import { ENABLED_THINKING_MODEL, MODEL, assertEnvelope, raw, rejectsWith, userMessage, withServer } from './harness';

describe('POST /v1/messages streaming', () => {
  test('round-trips thinking (with signature), text and usage through the SDK stream parser', () =>
    withServer({ pingEveryChunks: 1 }, async ({ server, client }) => {
      server.script({ thinking: 'Let me think this through.', signature: 'sig-123', text: 'Hello from the stream!', chunkSize: 4 });
      const params = {
        model: MODEL,
        max_tokens: 4096,
        thinking: { type: 'adaptive' as const },
        messages: [userMessage('Say hello')],
      };
      const stream = client.messages.stream(params);
      const events: RawMessageStreamEvent[] = [];
      const thinkingDeltas: string[] = [];
      stream.on('streamEvent', (event) => events.push(event));
      stream.on('thinking', (delta) => thinkingDeltas.push(delta));
      const message = await stream.finalMessage();

      assert.deepEqual(message.content, [
        { type: 'thinking', thinking: 'Let me think this through.', signature: 'sig-123' },
        { type: 'text', text: 'Hello from the stream!', citations: null },
      ]);
      assert.equal(message.stop_reason, 'end_turn');
      assert.equal(thinkingDeltas.join(''), 'Let me think this through.');
      const types = events.map((e) => (e.type === 'content_block_delta' ? `delta:${e.delta.type}` : e.type));
      assert.equal(types[0], 'message_start');
      assert.equal(types.at(-1), 'message_stop');
      assert.equal(types.at(-2), 'message_delta');
      const thinkingStop = types.indexOf('content_block_stop');
      assert.equal(types[thinkingStop - 1], 'delta:signature_delta', 'signature_delta closes the thinking block');
      assert.ok(types.filter((t) => t === 'delta:text_delta').length >= 5, 'text arrives in several chunks');

      const expectedInput = countInputTokens(params);
      assert.equal(message.usage.input_tokens, expectedInput);
      const thinkingTokens = countTextTokens('Let me think this through.');
      assert.equal(message.usage.output_tokens, thinkingTokens + countTextTokens('Hello from the stream!'));
      assert.deepEqual(message.usage.output_tokens_details, { thinking_tokens: thinkingTokens });
      assert.equal(server.lastRecord()?.outcome, 'completed');
      assert.deepEqual(server.lastRecord()?.usage, message.usage);
    }));

  test('emits the exact SSE framing, with ping events the SDK skips', () =>
    withServer({ pingEveryChunks: 2 }, async ({ server }) => {
      server.script({ text: 'abcdefgh', chunkSize: 2 });
      const response = await raw(server, 'POST', '/v1/messages', { model: MODEL, max_tokens: 50, stream: true, messages: [userMessage('hi')] });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const frames = response.text.split('\n\n').filter(Boolean);
      for (const frame of frames) assert.match(frame, /^event: [a-z_]+\ndata: \{.*\}$/s);
      const names = frames.map((frame) => /^event: (\w+)/.exec(frame)?.[1]);
      assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
      assert.ok(names.filter((n) => n === 'ping').length >= 3);
      assert.equal(frames.find((f) => f.startsWith('event: ping')), 'event: ping\ndata: {"type":"ping"}');
    }));

  test('an error event mid-stream surfaces as the SDK APIError', () =>
    withServer({}, async ({ server, client }) => {
      server.script({ text: 'partial text that will not finish', chunkSize: 3 });
      server.fault({ kind: 'stream-error', afterChunks: 2, errorType: 'overloaded_error' });
      const stream = client.messages.stream({ model: MODEL, max_tokens: 100, messages: [userMessage('go')] });
      const seen: string[] = [];
      stream.on('text', (delta) => seen.push(delta));
      const error = await rejectsWith(stream.finalMessage(), APIError);
      assert.equal(error.type, 'overloaded_error');
      assert.equal(error.apiMessage, 'Overloaded');
      assert.equal(seen.join(''), 'partia');
      assert.equal(server.lastRecord()?.outcome, 'error-event');
    }));

  test('the demo responder streams relevant markdown in small delayed chunks', () =>
    withServer({ responder: createDemoResponder({ chunkDelayMs: 2 }) }, async ({ client }) => {
      const question = 'How do I write a SQL query for the top committers?';
      const stream = client.messages.stream({ model: MODEL, max_tokens: 2000, messages: [userMessage(question)] });
      const arrivals: number[] = [];
      stream.on('text', () => arrivals.push(Date.now()));
      const text = (await stream.finalMessage()).content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      assert.equal(text, demoMarkdown(question));
      assert.match(text, /```sql\n/);
      assert.ok(arrivals.length > 20);
      assert.ok((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0) > 100, 'chunks are spread over time');
    }));

  test('the demo answers in the shape of what it was asked: it names the files and selection it received and quotes the first', () =>
    withServer({ responder: 'demo' }, async ({ client }) => {
      const file = 'File `src/lru.go` (go):\n\n```go\npackage lru\n\nfunc New(capacity int) *Cache { return &Cache{} }\n```';
      const selection = 'Find bugs in this code.\n\n`src/inventory.py` (lines 24-26):\n\n```python\ndef sell(self, sku, qty):\n    item = self.items[sku]\n    item.on_hand -= qty\n```';
      const { data, response } = await client.messages
        .create({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: [{ type: 'text', text: file }, { type: 'text', text: 'Look at this.' }] }, { role: 'assistant', content: 'Sure.' }, userMessage(selection)] })
        .withResponse();
      const text = data.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      assert.match(text, /^## Looking at `src\/inventory\.py` \(lines 24-26\)/);
      assert.match(text, /You asked: \*Find bugs in this code\.\*/);
      assert.match(text, /I received 1 file and 1 selection: `src\/lru\.go`, `src\/inventory\.py` \(lines 24-26\)\./);
      assert.match(text, /```python\ndef sell\(self, sku, qty\):\n {4}item = self\.items\[sku\]\n {4}item\.on_hand -= qty\n```/);
      // It says what it is in a header the API never sends: the chat's "Offline demo" badge keys on it.
      assert.equal(response.headers.get('x-claude-studio-offline-server'), 'demo');
      const { response: models } = await client.models.list().withResponse();
      assert.equal(models.headers.get('x-claude-studio-offline-server'), 'demo');
    }));

  test('every test-server response, errors included, says it is the offline test server', () =>
    withServer({}, async ({ client }) => {
      const { response } = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [userMessage('hi')] }).withResponse();
      assert.equal(response.headers.get('x-claude-studio-offline-server'), 'test');
      const error = await client.messages.create({ model: 'claude-nope', max_tokens: 10, messages: [userMessage('hi')] }).catch((e: unknown) => e);
      assert.ok(error instanceof APIError);
      assert.equal(error.headers?.get('x-claude-studio-offline-server'), 'test');
    }));

  test('streams a scripted tool_use block as input_json_delta', () =>
    withServer({}, async ({ server, client }) => {
      server.script({ toolUse: { name: 'read_file', input: { path: 'src/a.ts' } }, text: 'Reading.' });
      const message = await client.messages.stream({ model: MODEL, max_tokens: 100, messages: [userMessage('read it')] }).finalMessage();
      assert.equal(message.stop_reason, 'tool_use');
      const tool = message.content[1];
      assert.ok(tool && tool.type === 'tool_use');
      assert.deepEqual(tool.input, { path: 'src/a.ts' });
    }));
});

describe('POST /v1/messages non-streaming', () => {
  test('returns the Message JSON with request-id and rate-limit headers; echo quotes the last user text', () =>
    withServer({}, async ({ client }) => {
      const { data, response } = await client.messages
        .create({ model: MODEL, max_tokens: 100, messages: [userMessage('first'), { role: 'assistant', content: 'ok' }, userMessage('second')] })
        .withResponse();
      assert.equal(data.type, 'message');
      assert.match(data.id, /^msg_/);
      assert.deepEqual(data.content, [{ type: 'text', text: 'Echo: "second"', citations: null }]);
      assert.match(response.headers.get('request-id') ?? '', /^req_/);
      assert.equal(response.headers.get('anthropic-ratelimit-requests-limit'), '4000');
      assert.ok(response.headers.get('anthropic-ratelimit-tokens-remaining'));
    }));

  test('structured outputs: an unscripted answer is JSON that matches the schema, as the API constrains it', () =>
    withServer({}, async ({ server, client }) => {
      const schema = { type: 'object', properties: { clusters: { type: 'array', items: { type: 'array', items: { type: 'integer' } } }, note: { type: 'string' } }, required: ['clusters', 'note'], additionalProperties: false };
      const params = { model: 'claude-haiku-5-5', max_tokens: 256, messages: [userMessage('Group the 2 answers by meaning.')], output_config: { format: { type: 'json_schema' as const, schema } } };
      const data = await client.messages.create(params);
      const text = data.content[0]?.type === 'text' ? data.content[0].text : '';
      assert.deepEqual(JSON.parse(text), { clusters: [], note: 'Echo: Group the 2 answers by meaning.' });
      // A scripted grouping goes out as written, on a normal messages call.
      server.script({ when: { textIncludes: 'Group the 2 answers' }, text: '{"clusters": [[1, 2]]}' });
      const scripted = await client.messages.create(params);
      assert.deepEqual(scripted.content, [{ type: 'text', text: '{"clusters": [[1, 2]]}', citations: null }]);
    }));

  test('scripted replies are consumed in order, matchers pick by request, stop reasons pass through', () =>
    withServer({}, async ({ server, client }) => {
      server.script(
        { text: 'for the special one', when: { textIncludes: 'special' } },
        { text: 'first', stopReason: 'max_tokens', outputTokens: 7 },
        { text: 'second', stopReason: 'stop_sequence', stopSequence: 'END' },
        { stopReason: 'refusal' },
      );
      const ask = (text: string) => client.messages.create({ model: MODEL, max_tokens: 100, messages: [userMessage(text)] });
      const a = await ask('plain');
      assert.deepEqual([a.content[0], a.stop_reason, a.usage.output_tokens], [{ type: 'text', text: 'first', citations: null }, 'max_tokens', 7]);
      const b = await ask('this is special');
      assert.equal(b.content[0]?.type === 'text' && b.content[0].text, 'for the special one');
      const c = await ask('plain again');
      assert.deepEqual([c.stop_reason, c.stop_sequence], ['stop_sequence', 'END']);
      const d = await ask('refuse');
      assert.equal(d.stop_reason, 'refusal');
      assert.equal(d.stop_details?.type, 'refusal');
      assert.equal((await ask('fallback')).content[0]?.type === 'text', true);
    }));

  test('max_tokens and stop_sequences cut the generated text like the API', () =>
    withServer({}, async ({ server, client }) => {
      server.script({ text: 'alpha beta STOP gamma' }, { text: 'x'.repeat(400) });
      const stopped = await client.messages.create({ model: MODEL, max_tokens: 100, stop_sequences: ['STOP'], messages: [userMessage('a')] });
      assert.deepEqual([stopped.content[0], stopped.stop_reason, stopped.stop_sequence], [{ type: 'text', text: 'alpha beta ', citations: null }, 'stop_sequence', 'STOP']);
      const cut = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [userMessage('b')] });
      assert.equal(cut.stop_reason, 'max_tokens');
      assert.equal(cut.usage.output_tokens, 10);
    }));

  test('a scripted error answers with the error envelope', () =>
    withServer({}, async ({ server, client }) => {
      server.script({ error: { type: 'invalid_request_error', message: 'nope' } });
      const error = await rejectsWith(client.messages.create({ model: MODEL, max_tokens: 10, messages: [userMessage('x')] }), BadRequestError);
      assert.equal(error.apiMessage, 'nope');
      assert.match(error.requestID ?? '', /^req_/);
    }));
});

describe('request validation', () => {
  const base = { model: MODEL, max_tokens: 2048, messages: [{ role: 'user', content: 'hi' }] };
  const enabled = { ...base, model: ENABLED_THINKING_MODEL };
  const cases: [string, Record<string, unknown>, string][] = [
    ['model required', { ...base, model: undefined }, 'model: Field required'],
    ['max_tokens required', { ...base, max_tokens: undefined }, 'max_tokens: Field required'],
    ['max_tokens positive', { ...base, max_tokens: 0 }, 'max_tokens: Input should be greater than or equal to 1'],
    ['max_tokens within the model', { ...base, max_tokens: 128_001 }, `max_tokens: 128001 > 128000, which is the maximum allowed number of output tokens for ${MODEL}`],
    ['messages non-empty', { ...base, messages: [] }, 'messages: at least one message is required'],
    ['first message user', { ...base, messages: [{ role: 'assistant', content: 'x' }] }, 'messages: first message must use the "user" role'],
    [
      'roles alternate',
      { ...base, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] },
      'messages: roles must alternate between "user" and "assistant", but found multiple "user" roles in a row',
    ],
    ['thinking budget >= 1024', { ...enabled, thinking: { type: 'enabled', budget_tokens: 1000 } }, 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024'],
    ['thinking budget < max_tokens', { ...enabled, thinking: { type: 'enabled', budget_tokens: 2048 } }, /^`max_tokens` must be greater than `thinking.budget_tokens`/.source],
    ['temperature (API 2026-10-21 has no sampling parameters)', { ...base, temperature: 1 }, /^temperature: sampling parameters \(temperature, top_p, top_k\) are not supported in anthropic-version 2026-10-21/.source],
  ];
  for (const [name, body, message] of cases) {
    test(`400 invalid_request_error: ${name}`, () =>
      withServer({}, async ({ server }) => {
        const response = await raw(server, 'POST', '/v1/messages', body);
        assertEnvelope(response, 400, 'invalid_request_error', message.startsWith('^') ? new RegExp(message) : message);
        assert.equal(server.lastRecord()?.status, 400);
      }));
  }

  test('an older anthropic-version still takes sampling parameters, by the old rules', () =>
    withServer({}, async ({ server }) => {
      const old = { 'anthropic-version': '2023-06-01' };
      assert.equal((await raw(server, 'POST', '/v1/messages', { ...base, temperature: 0.2, top_p: 0.9, top_k: 5 }, old)).status, 200);
      const withThinking = { ...base, temperature: 0.5, thinking: { type: 'adaptive' } };
      assertEnvelope(await raw(server, 'POST', '/v1/messages', withThinking, old), 400, 'invalid_request_error', /^`temperature` may only be set to 1/);
      assertEnvelope(await raw(server, 'POST', '/v1/messages', { ...base, temperature: 1.5 }, old), 400, 'invalid_request_error', 'temperature: Input should be less than or equal to 1');
    }));

  test('unknown model is a 404 not_found_error through the SDK', () =>
    withServer({}, async ({ client }) => {
      const error = await rejectsWith(client.messages.create({ model: 'claude-nope', max_tokens: 5, messages: [userMessage('x')] }), NotFoundError);
      assert.equal(error.apiMessage, 'model: claude-nope');
    }));

  test('a prompt over the model context is rejected', () =>
    withServer({ models: [{ id: 'tiny', displayName: 'Tiny', createdAt: '2026-01-01T00:00:00Z', maxInputTokens: 50, maxTokens: 100 }] }, async ({ server }) => {
      const response = await raw(server, 'POST', '/v1/messages', { model: 'tiny', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(400) }] });
      assertEnvelope(response, 400, 'invalid_request_error', /^prompt is too long: \d+ tokens > 50 maximum$/);
    }));
});

describe('POST /v1/messages/count_tokens', () => {
  test('the documented token rule', () => {
    assert.deepEqual(['', 'abcd', 'abcde', 'é', '日本'].map(countTextTokens), [0, 1, 2, 1, 2]);
    const oneMessage = { messages: [{ role: 'user', content: 'abcd' }] };
    assert.equal(countInputTokens(oneMessage), MESSAGE_OVERHEAD_TOKENS + BLOCK_OVERHEAD_TOKENS + 1);
    assert.equal(countInputTokens({ ...oneMessage, system: 'abcd' }), MESSAGE_OVERHEAD_TOKENS + 2 * BLOCK_OVERHEAD_TOKENS + 2);
  });

  test('matches the exported counter, tools and system included', () =>
    withServer({}, async ({ server, client }) => {
      const params = {
        model: MODEL,
        system: [{ type: 'text' as const, text: 'You are terse.' }],
        tools: [{ name: 'lookup', description: 'Look a word up', input_schema: { type: 'object' as const, properties: { word: { type: 'string' } } } }],
        messages: [userMessage('héllo wörld'), { role: 'assistant' as const, content: 'Hi' }, userMessage('again')],
      };
      const { input_tokens } = await client.messages.countTokens(params);
      assert.equal(input_tokens, countInputTokens(params));
      const created = await client.messages.create({ ...params, max_tokens: 50 });
      assert.equal(created.usage.input_tokens, input_tokens, 'usage uses the same counter');
      assert.equal(server.countTokensRequests().length, 1);
      assert.equal(server.countTokensRequests()[0]?.headers['x-api-key'], undefined);
      assert.equal(server.countTokensRequests()[0]?.headers['authorization'], undefined);
    }));
});
