import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type Anthropic from '@anthropic-ai/sdk';
import { findModel } from '../../../src/core/anthropic/catalog';
import { BLOCK_OVERHEAD_TOKENS, MESSAGE_OVERHEAD_TOKENS, PromptCache, countInputTokens } from '../../server';
import { MODEL, assertEnvelope, raw, textOfTokens, withServer } from './harness';

type Params = Anthropic.MessageCreateParamsNonStreaming;
type TextParam = Anthropic.TextBlockParam;

const FIVE_MIN = { type: 'ephemeral' as const };
const ONE_HOUR = { type: 'ephemeral' as const, ttl: '1h' as const };
const BIG = textOfTokens(1200);

function cached(text: string, cacheControl: TextParam['cache_control'] = FIVE_MIN): TextParam {
  return { type: 'text', text, cache_control: cacheControl };
}

/** Turn n of a conversation over a big system prompt; the last user block carries the breakpoint. */
function conversation(turns: number, system = BIG): Params {
  const messages: Anthropic.MessageParam[] = [];
  for (let i = 1; i <= turns; i++) {
    if (i > 1) messages.push({ role: 'assistant', content: `Answer ${i - 1}` });
    messages.push({ role: 'user', content: i === turns ? [cached(`Question ${i}`)] : [{ type: 'text', text: `Question ${i}` }] });
  }
  return { model: MODEL, max_tokens: 50, system, messages };
}

function usageOf(message: Anthropic.Message): [number, number, number] {
  const u = message.usage;
  return [u.input_tokens, u.cache_creation_input_tokens ?? -1, u.cache_read_input_tokens ?? -1];
}

describe('prompt caching simulation', () => {
  test('turn 1 writes the prefix; turn 2 reads it and writes only the new turn', () =>
    withServer({}, async ({ client }) => {
      const turn1 = conversation(1);
      const first = await client.messages.create(turn1);
      const total1 = countInputTokens(turn1);
      assert.deepEqual(usageOf(first), [0, total1, 0]);
      assert.deepEqual(first.usage.cache_creation, { ephemeral_5m_input_tokens: total1, ephemeral_1h_input_tokens: 0 });

      const turn2 = conversation(2);
      const second = await client.messages.create(turn2);
      const total2 = countInputTokens(turn2);
      assert.deepEqual(usageOf(second), [0, total2 - total1, total1]);
      assert.equal(total2 - total1, 2 * MESSAGE_OVERHEAD_TOKENS + 2 * BLOCK_OVERHEAD_TOKENS + 2 + 3);
    }));

  test('tokens after the last breakpoint are plain input; a streamed reply reports the same split', () =>
    withServer({}, async ({ client }) => {
      const params: Params = { model: MODEL, max_tokens: 50, system: [cached(BIG)], messages: [{ role: 'user', content: 'What now?' }] };
      const systemTokens = BLOCK_OVERHEAD_TOKENS + 1200;
      const tail = countInputTokens(params) - systemTokens;
      assert.deepEqual(usageOf(await client.messages.create(params)), [tail, systemTokens, 0]);
      const streamed = await client.messages.stream(params).finalMessage();
      assert.deepEqual(usageOf(streamed), [tail, 0, systemTokens]);
    }));

  test('a changed earlier byte, or another model, misses', () =>
    withServer({}, async ({ client }) => {
      await client.messages.create(conversation(1));
      const changed = conversation(2, `${BIG.slice(0, -1)}b`);
      assert.deepEqual(usageOf(await client.messages.create(changed)), [0, countInputTokens(changed), 0]);
      const otherModel = { ...conversation(1), model: 'claude-opus-5-5' };
      assert.deepEqual(usageOf(await client.messages.create(otherModel)), [0, countInputTokens(otherModel), 0]);
    }));

  test('changing thinking keeps the tools/system entry but misses the message one', () =>
    withServer({}, async ({ client }) => {
      const base: Params = { ...conversation(1), system: [cached(BIG)], max_tokens: 4000 };
      await client.messages.create(base);
      const withThinking: Params = { ...base, thinking: { type: 'adaptive' } };
      const systemTokens = BLOCK_OVERHEAD_TOKENS + 1200;
      const [, written, read] = usageOf(await client.messages.create(withThinking));
      assert.equal(read, systemTokens);
      assert.equal(written, countInputTokens(base) - systemTokens);
    }));

  test('a prefix under the minimum cacheable length is not cached; the minimum is configurable', async () => {
    const small: Params = { model: MODEL, max_tokens: 50, system: [cached(textOfTokens(500))], messages: [{ role: 'user', content: 'hi' }] };
    await withServer({}, async ({ client, server }) => {
      assert.deepEqual(usageOf(await client.messages.create(small)), [countInputTokens(small), 0, 0]);
      assert.deepEqual(usageOf(await client.messages.create(small)), [countInputTokens(small), 0, 0]);
      assert.equal(server.cacheEntries(), 0);
    });
    await withServer({ minCacheableTokens: 256 }, async ({ client }) => {
      assert.equal((await client.messages.create(small)).usage.cache_creation_input_tokens, 503);
    });
  });

  test('5m entries expire after 5 minutes on the server clock; a read refreshes them', () =>
    withServer({ manualClock: true }, async ({ client, server }) => {
      const params = conversation(1);
      const total = countInputTokens(params);
      await client.messages.create(params);
      server.clock.advance(4 * 60_000);
      assert.deepEqual(usageOf(await client.messages.create(params)), [0, 0, total], 'hit at 4 min refreshes');
      server.clock.advance(4 * 60_000);
      assert.deepEqual(usageOf(await client.messages.create(params)), [0, 0, total], 'alive 4 min after the refresh');
      server.clock.advance(5 * 60_000);
      assert.deepEqual(usageOf(await client.messages.create(params)), [0, total, 0], 'expired after 5 idle minutes');
    }));

  test('1h entries outlive 5m ones and are reported as ephemeral_1h', () =>
    withServer({ manualClock: true }, async ({ client, server }) => {
      const params: Params = { model: MODEL, max_tokens: 50, system: [cached(BIG, ONE_HOUR)], messages: [{ role: 'user', content: [cached('hello')] }] };
      const systemTokens = BLOCK_OVERHEAD_TOKENS + 1200;
      const total = countInputTokens(params);
      const first = await client.messages.create(params);
      assert.deepEqual(first.usage.cache_creation, { ephemeral_1h_input_tokens: systemTokens, ephemeral_5m_input_tokens: total - systemTokens });
      server.clock.advance(30 * 60_000);
      const later = await client.messages.create(params);
      assert.deepEqual(usageOf(later), [0, total - systemTokens, systemTokens], 'the 5m part expired, the 1h part is read');
      server.clock.advance(61 * 60_000);
      assert.deepEqual(usageOf(await client.messages.create(params)), [0, total, 0]);
    }));

  test('lookback: a breakpoint 20 blocks after the written prefix hits, 21 blocks after misses', () =>
    withServer({}, async ({ client }) => {
      const anchor: TextParam = { type: 'text', text: BIG };
      const request = (extra: number): Params => {
        const blocks: TextParam[] = [anchor];
        for (let i = 1; i <= extra; i++) blocks.push(i === extra ? cached(`block ${i}`) : { type: 'text', text: `block ${i}` });
        return { model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: blocks }] };
      };
      const written = await client.messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: [cached(BIG)] }] });
      const anchorTokens = written.usage.cache_creation_input_tokens ?? 0;
      assert.equal(anchorTokens, MESSAGE_OVERHEAD_TOKENS + BLOCK_OVERHEAD_TOKENS + 1200);
      assert.equal((await client.messages.create(request(21))).usage.cache_read_input_tokens, 0, '21 blocks back is outside the window');
      assert.equal((await client.messages.create(request(20))).usage.cache_read_input_tokens, anchorTokens, '20 blocks back is found');
    }));

  test('automatic caching (top-level cache_control) caches up to the last block', () =>
    withServer({}, async ({ server }) => {
      const body = { model: MODEL, max_tokens: 20, cache_control: { type: 'ephemeral' }, system: BIG, messages: [{ role: 'user', content: 'hi' }] };
      const total = countInputTokens({ system: BIG, messages: [{ role: 'user', content: 'hi' }] });
      const first = (await raw(server, 'POST', '/v1/messages', body)).json as Anthropic.Message;
      assert.deepEqual(usageOf(first), [0, total, 0]);
      const second = (await raw(server, 'POST', '/v1/messages', body)).json as Anthropic.Message;
      assert.deepEqual(usageOf(second), [0, 0, total]);
    }));

  test('more than 4 breakpoints, or 1h after 5m, is a 400 with the API message', () =>
    withServer({}, async ({ server }) => {
      const five = (ttl?: string) => Array.from({ length: 5 }, (_, i) => ({ type: 'text', text: `b${i}`, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } }));
      const tooMany = await raw(server, 'POST', '/v1/messages', { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: five() }] });
      assertEnvelope(tooMany, 400, 'invalid_request_error', 'A maximum of 4 blocks with cache_control may be provided. Found 5.');
      const order = await raw(server, 'POST', '/v1/messages', {
        model: MODEL,
        max_tokens: 10,
        system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral', ttl: '5m' } }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'u', cache_control: { type: 'ephemeral', ttl: '1h' } }] }],
      });
      assertEnvelope(
        order,
        400,
        'invalid_request_error',
        "messages.0.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. " +
          'Note that blocks are processed in the following order: `tools`, `system`, `messages`.',
      );
    }));
});

describe('cache writes become readable when the response begins', () => {
  test('requests that overlap the writer miss and write their own copy; a later one reads', async () => {
    await withServer({ promptProcessingMs: 150 }, async ({ client }) => {
      const params: Params = { model: MODEL, max_tokens: 50, system: [cached(BIG)], messages: [{ role: 'user', content: 'Question' }] };
      const overlapping = await Promise.all([client.messages.create(params), client.messages.create(params)]);
      for (const message of overlapping) {
        const [, write, read] = usageOf(message);
        assert.ok(write > 0, 'each overlapping request writes');
        assert.equal(read, 0, 'neither sees the other\'s write');
      }
      const [, write, read] = usageOf(await client.messages.create(params));
      assert.equal(write, 0);
      assert.ok(read > 0, 'a request after a response has begun reads');
    });
  });

  test('by default too: simultaneous requests miss each other, whatever the processing time', async () => {
    await withServer({}, async ({ client }) => {
      const params: Params = { model: MODEL, max_tokens: 50, system: [cached(BIG)], messages: [{ role: 'user', content: 'Question' }] };
      const [a, b] = await Promise.all([client.messages.create(params), client.messages.create(params)]);
      assert.deepEqual([usageOf(a)[2], usageOf(b)[2]], [0, 0], 'neither reads the other\'s write');
      assert.ok(usageOf(await client.messages.create(params))[2] > 0, 'a request sent after a response began reads');
    });
  });

  test('the stamps, without timing: a write is visible only to requests that arrive after its response began', () => {
    const cache = new PromptCache({ now: () => 0, lookbackBlocks: 20, minTokens: () => 1 });
    const req = { model: MODEL, system: [{ type: 'text', text: 'x'.repeat(400), cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user' as const, content: 'q' }] };
    const early = cache.arrive();
    const writer = cache.accountPending(req, cache.arrive());
    const during = cache.arrive();
    writer.commit();
    const later = cache.arrive();
    assert.equal(cache.accountPending(req, early).usage.cache_read_input_tokens, 0);
    assert.equal(cache.accountPending(req, during).usage.cache_read_input_tokens, 0);
    assert.ok(cache.accountPending(req, later).usage.cache_read_input_tokens > 0);
  });
});

describe('minimum cacheable length per model, from the catalog', () => {
  const prefix = (model: string, tokens: number): Params => ({ model, max_tokens: 50, system: [cached(textOfTokens(tokens))], messages: [{ role: 'user', content: 'hi' }] });
  for (const [model, minimum] of [['claude-opus-5-5', 512], [MODEL, 1024], ['claude-haiku-5-5', 4096]] as const) {
    test(`${model}: ${minimum} tokens`, () =>
      withServer({}, async ({ client }) => {
        assert.equal(findModel(model)?.minCacheableTokens, minimum);
        const under = prefix(model, minimum - BLOCK_OVERHEAD_TOKENS - 1);
        assert.equal((await client.messages.create(under)).usage.cache_creation_input_tokens, 0);
        const at = prefix(model, minimum - BLOCK_OVERHEAD_TOKENS);
        assert.equal((await client.messages.create(at)).usage.cache_creation_input_tokens, minimum);
      }));
  }
});
