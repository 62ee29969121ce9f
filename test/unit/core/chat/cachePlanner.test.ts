import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { CachePlanOptions, CacheRequest, PlannableBlock } from '../../../../src/core/chat/cachePlanner';
import { planCache } from '../../../../src/core/chat/cachePlanner';
import { estimateBlockTokens } from '../../../../src/core/chat/requestBuilder';
import type { TestServer } from '../../../server';
import { countInputTokens, startTestServer } from '../../../server';

/** One token per character keeps the figures in these tests exact. */
const chars = (block: PlannableBlock): number => (block.type === 'text' ? block.text.length : 0);
const base: CachePlanOptions = { ttl: '5m', minCacheableTokens: 1000, countTokens: chars };
const text = (length: number, fill = 'x'): TextBlockParam => ({ type: 'text', text: fill.repeat(length) });
const user = (...content: TextBlockParam[]): MessageParam => ({ role: 'user', content });
const reply = (answer = 'ok'): MessageParam => ({ role: 'assistant', content: [{ type: 'text', text: answer }] });
const small = (count: number): TextBlockParam[] => Array.from({ length: count }, (_, i) => ({ type: 'text', text: `note ${i}` }));

/** "system", "m1.0", ... for every marked block, with its TTL. */
function marks(request: CacheRequest): string[] {
  const found: string[] = [];
  const ttl = (block: object): string => {
    const control = (block as { cache_control?: { ttl?: string } }).cache_control;
    return control === undefined ? '' : (control.ttl ?? '5m');
  };
  request.system.forEach((block, i) => ttl(block) && found.push(`s${i}:${ttl(block)}`));
  request.messages.forEach((message, m) => {
    if (typeof message.content === 'string') return;
    message.content.forEach((block, b) => ttl(block) && found.push(`m${m}.${b}:${ttl(block)}`));
  });
  return found;
}

describe('planCache', () => {
  it('(a)+(c): marks the end of system and the newest user turn, and says why', () => {
    const { request, plan } = planCache({ system: [text(600), text(600)], messages: [user(text(50))] }, base);
    assert.deepEqual(marks(request), ['s1:5m', 'm0.0:5m']);
    assert.deepEqual(plan.breakpoints.map((b) => [b.reasons, b.prefixTokens]), [[['system'], 1200], [['tail'], 1250]]);
    assert.equal(plan.cacheablePrefixTokens, 1250);
    assert.deepEqual(plan.tail, { message: 0, block: 0 });
  });

  it('never marks a prefix under the minimum: the slot would be wasted', () => {
    const tiny = planCache({ system: [text(100)], messages: [user(text(100))] }, base);
    assert.deepEqual(marks(tiny.request), []);
    assert.deepEqual(tiny.plan.skipped.map((s) => [s.reason, s.why]), [['tail', 'belowMinimum'], ['system', 'belowMinimum']]);
    const later = planCache({ system: [text(100)], messages: [user(text(950))] }, base);
    assert.deepEqual(marks(later.request), ['m0.0:5m'], 'the tail clears the minimum once the prompt does');
  });

  it('(b): marks the end of attached files, and keeps it there as later turns move on', () => {
    const files = [text(700, 'a'), text(700, 'b')];
    const turn1 = planCache({ system: [text(10)], messages: [user(...files, text(30))] }, base);
    assert.deepEqual(marks(turn1.request), ['m0.1:5m', 'm0.2:5m']);
    assert.deepEqual(turn1.plan.breakpoints[0]?.reasons, ['context']);
    const turn3 = planCache({ system: [text(10)], messages: [user(...files, text(30)), reply(), user(text(20)), reply(), user(text(20))] }, base);
    assert.deepEqual(marks(turn3.request), ['m0.1:5m', 'm4.0:5m']);
    const oneSmallFile = planCache({ system: [text(10)], messages: [user(text(990), text(30))] }, base);
    assert.deepEqual(marks(oneSmallFile.request), ['m0.1:5m'], 'a run under the minimum is not worth its own breakpoint');
  });

  describe('(d) lookback bridge', () => {
    // Six 200-token blocks: over the minimum together, but none is big enough to count as a file.
    const typed = (): TextBlockParam[] => Array.from({ length: 6 }, (_, i) => text(200, String(i)));
    const history: MessageParam[] = [user(...typed()), reply()];
    it('is not needed while the new tail is at most 20 blocks after the previous one', () => {
      // Previous tail: m0.5 (flat 5). New tail: 1 assistant block + 19 user blocks later = flat 25.
      const { request, plan } = planCache({ system: [], messages: [...history, user(...small(19))] }, base);
      assert.deepEqual(marks(request), ['m2.18:5m']);
      assert.equal(plan.breakpoints.some((b) => b.reasons.includes('lookback')), false);
    });
    it('marks the previous position again once the new tail is 21 blocks after it', () => {
      const { request, plan } = planCache({ system: [], messages: [...history, user(...small(20))] }, base);
      assert.deepEqual(marks(request), ['m0.5:5m', 'm2.19:5m']);
      assert.deepEqual(plan.breakpoints[0]?.reasons, ['lookback']);
    });
    it('is left out when a context breakpoint already sits within reach of the previous entry', () => {
      const { request } = planCache({ system: [], messages: [...history, user(text(1500), ...small(25))] }, base);
      assert.deepEqual(marks(request), ['m2.0:5m', 'm2.25:5m']);
    });
    it('uses the caller-supplied previous position over the derived one', () => {
      // As after a failed answer: the previous request ended at m0.5, since merged with more text.
      const messages = [user(...typed(), ...small(30)), reply(), user(text(5))];
      const derived = planCache({ system: [], messages }, base);
      assert.deepEqual(marks(derived.request), ['m2.0:5m'], 'derived: end of the previous user message, 2 blocks back');
      const given = planCache({ system: [], messages }, { ...base, previousBreakpoint: { message: 0, block: 5 } });
      assert.deepEqual(marks(given.request), ['m0.5:5m', 'm2.0:5m']);
      const tooSmall = planCache({ system: [], messages }, { ...base, previousBreakpoint: { message: 0, block: 2 } });
      assert.deepEqual(marks(tooSmall.request), ['m2.0:5m'], 'a position under the minimum is never marked');
    });
  });

  it('keeps at most 4 breakpoints: tail, lookback, system, newest context; older context goes first', () => {
    const messages: MessageParam[] = [];
    for (let turn = 0; turn < 4; turn++) messages.push(user(text(1100, String(turn)), text(5)), reply());
    messages.push(user(...small(21)));
    const { request, plan } = planCache({ system: [text(1000)], messages }, base);
    assert.deepEqual(marks(request), ['s0:5m', 'm6.0:5m', 'm6.1:5m', 'm8.20:5m']);
    assert.deepEqual(plan.breakpoints.map((b) => b.reasons), [['system'], ['context'], ['lookback'], ['tail']]);
    assert.deepEqual(plan.skipped.map((s) => [s.ref, s.why]), [
      [{ section: 'messages', message: 4, block: 0 }, 'overLimit'],
      [{ section: 'messages', message: 2, block: 0 }, 'overLimit'],
      [{ section: 'messages', message: 0, block: 0 }, 'overLimit'],
    ]);
  });

  describe('TTL', () => {
    const big: CacheRequest = { system: [text(2000)], messages: [user(text(9000), text(20)), reply(), user(text(20))] };
    const auto = (gapHintMs: number | undefined, req = big) => planCache(req, { ...base, ttl: 'auto', ...(gapHintMs === undefined ? {} : { gapHintMs }) });
    it('uses the TTL it is given on every breakpoint', () => {
      assert.deepEqual(marks(planCache(big, { ...base, ttl: '1h' }).request), ['s0:1h', 'm0.0:1h', 'm2.0:1h']);
      assert.deepEqual(marks(planCache(big, base).request), ['s0:5m', 'm0.0:5m', 'm2.0:5m']);
    });
    it('auto: 1h for a large stable prefix when pauses are long, 5m for the moving tail', () => {
      const { request, plan } = auto(10 * 60_000);
      assert.deepEqual(marks(request), ['s0:1h', 'm0.0:1h', 'm2.0:5m']);
      assert.equal(plan.ttl, 'mixed');
    });
    it('auto: 5m for short pauses, unknown pauses, pauses past an hour, or a small prefix', () => {
      assert.equal(auto(2 * 60_000).plan.ttl, '5m');
      assert.equal(auto(undefined).plan.ttl, '5m');
      assert.equal(auto(2 * 3_600_000).plan.ttl, '5m');
      const smallPrefix: CacheRequest = { system: [text(1500)], messages: [user(text(3000), text(20))] };
      assert.equal(auto(10 * 60_000, smallPrefix).plan.ttl, '5m');
    });
    it('auto: never puts a 1h breakpoint after a 5m one, even a lookback bridge before the context', () => {
      const typed = Array.from({ length: 6 }, () => text(200));
      const messages = [user(...typed), reply(), user(...small(21), text(9000), text(10))];
      const { request, plan } = auto(10 * 60_000, { system: [], messages });
      assert.deepEqual(marks(request), ['m0.5:1h', 'm2.21:1h', 'm2.22:5m']);
      assert.deepEqual(plan.breakpoints[0]?.reasons, ['lookback']);
    });
  });

  it('leaves the input alone, strips foreign markers, and keeps every sent byte from turn to turn', () => {
    const turn1: CacheRequest = { system: [{ ...text(1200), cache_control: { type: 'ephemeral' } }], messages: [user(text(700), text(700), text(9))] };
    const frozen = JSON.stringify(turn1);
    const first = planCache(turn1, base).request;
    assert.equal(JSON.stringify(turn1), frozen);
    const turn2: CacheRequest = { system: turn1.system, messages: [...turn1.messages, reply('answer'), { role: 'user', content: 'next' }] };
    const second = planCache(turn2, base).request;
    assert.deepEqual(second.messages[2], { role: 'user', content: [{ type: 'text', text: 'next', cache_control: { type: 'ephemeral' } }] });
    const unmarked = (value: unknown): string => JSON.stringify(value, (key, v: unknown) => (key === 'cache_control' ? undefined : v));
    assert.equal(unmarked(second.system), unmarked(first.system));
    assert.equal(unmarked(second.messages.slice(0, 1)), unmarked(first.messages));
  });
});

describe('planCache through the SDK against the test server', () => {
  let server: TestServer;
  let client: Anthropic;
  before(async () => {
    server = await startTestServer({ manualClock: true });
    client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
  });
  after(() => server.close());

  const file = (name: string, lines: number): TextBlockParam => ({
    type: 'text',
    text: `// ${name}\n${Array.from({ length: lines }, (_, i) => `export const ${name.replace(/\W/g, '_')}_${i} = ${i * 7} + compute(${i});`).join('\n')}`,
  });

  const create = (request: CacheRequest) =>
    client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 200,
      messages: [...request.messages],
      ...(request.system.length > 0 ? { system: [...request.system] } : {}),
    });

  async function send(request: CacheRequest, options: Partial<CachePlanOptions> = {}) {
    const planned = planCache(request, { ttl: '5m', minCacheableTokens: 1024, countTokens: estimateBlockTokens, ...options }).request;
    const message = await create(planned);
    server.clock.advance(30_000);
    return { usage: message.usage, answer: message.content.map((b) => (b.type === 'text' ? b.text : '')).join(''), sentTokens: countInputTokens(planned) };
  }

  it('turn N+1 reads from the cache everything turn N sent, across file turns and a 25-block turn', async () => {
    const system = [text(300, 's')];
    const turns: TextBlockParam[][] = [
      [file('a.ts', 120), file('b.ts', 120), text(40, 'q')],
      [text(30, 'r')],
      small(25),
      [file('c.ts', 80), text(20, 't')],
    ];
    const messages: MessageParam[] = [];
    let previousSent = 0;
    for (const [n, blocks] of turns.entries()) {
      messages.push(user(...blocks));
      const { usage, answer, sentTokens } = await send({ system, messages });
      if (n > 0) assert.equal(usage.cache_read_input_tokens, previousSent, `turn ${n + 1} reads all of turn ${n}`);
      previousSent = sentTokens;
      messages.push(reply(answer));
    }
  });

  it('without the lookback bridge the 21-block turn would miss what the previous turn wrote', async () => {
    server.reset();
    // Typed paragraphs (no file-sized block), so only the tail and the bridge can carry markers.
    const history: MessageParam[] = [user(...Array.from({ length: 6 }, (_, i) => text(800, String(i)))), reply()];
    const first = await send({ system: [], messages: history.slice(0, 1) });
    assert.equal(first.usage.cache_creation_input_tokens, first.sentTokens);
    const next: CacheRequest = { system: [], messages: [...history, user(...small(20))] };
    const bridged = planCache(next, { ttl: '5m', minCacheableTokens: 1024, countTokens: estimateBlockTokens }).request;
    assert.deepEqual(marks(bridged), ['m0.5:5m', 'm2.19:5m']);
    const missed = await create({ ...bridged, messages: [history[0] as MessageParam, ...bridged.messages.slice(1)] });
    assert.equal(missed.usage.cache_read_input_tokens, 0, 'the tail alone looks back 20 blocks and finds nothing');
    server.reset();
    await send({ system: [], messages: history.slice(0, 1) });
    const hit = await create(bridged);
    assert.equal(hit.usage.cache_read_input_tokens, first.sentTokens, 'the bridge reads all of the previous request');
  });
});
