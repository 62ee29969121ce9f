import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateTokens, formatTokens } from '../../../../src/core/tokens/estimate';
import { canonicalJson, requestKey } from '../../../../src/core/tokens/requestKey';

describe('estimateTokens', () => {
  it('is unchanged for ASCII: 3.8 characters a token, rounded up', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('x'), 1);
    assert.equal(estimateTokens('x'.repeat(38)), 10);
    assert.equal(estimateTokens('x'.repeat(39)), 11);
  });

  it('does not undercount text that is not ASCII', () => {
    // CJK: about a token a character; 3.8 characters a token would say 3.
    assert.equal(estimateTokens('東京都の天気は晴れです'), 11);
    assert.equal(estimateTokens('café'), 2, 'ASCII at 3.8 a token, the accented letter at half a token');
    assert.equal(estimateTokens('😀'), 2, 'an emoji is two UTF-16 units, each counted');
    assert.ok(estimateTokens('Привет, как дела?') >= 6);
  });

  it('errs above the test server\'s byte counter on ASCII code', () => {
    const code = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n'.repeat(50);
    assert.ok(estimateTokens(code) >= Math.ceil(Buffer.byteLength(code) / 4));
  });
});

describe('formatTokens', () => {
  it('is compact', () => {
    assert.equal(formatTokens(950), '950');
    assert.equal(formatTokens(1000), '1k');
    assert.equal(formatTokens(1234), '1.23k');
    assert.equal(formatTokens(41_200), '41.2k');
    assert.equal(formatTokens(1_250_000), '1.25M');
  });
});

describe('requestKey', () => {
  it('is the same for the same content in any property order, and differs otherwise', () => {
    const a = requestKey({ model: 'm', messages: [{ role: 'user', content: 'hi' }], system: undefined });
    const b = requestKey({ messages: [{ content: 'hi', role: 'user' }], model: 'm' });
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, requestKey({ model: 'm', messages: [{ role: 'user', content: 'hi!' }] }));
    assert.notEqual(requestKey({ messages: ['a', 'b'] }), requestKey({ messages: ['b', 'a'] }), 'array order is content');
  });

  it('writes canonical JSON', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: null }], c: undefined } }), '{"a":{"d":[2,{"e":null,"f":1}]},"b":1}');
  });
});

describe('estimateTokens on long texts (kept between calls)', () => {
  it('gives the same figure again, and a new one for an edited text of the same length', () => {
    const ascii = 'a'.repeat(100_000);
    const first = estimateTokens(ascii);
    assert.equal(estimateTokens(ascii), first);
    const edited = `${'é'.repeat(1000)}${'a'.repeat(99_000)}`;
    assert.equal(edited.length, ascii.length);
    assert.ok(estimateTokens(edited) > first, 'not the figure of the text it replaced');
    for (let i = 0; i < 40; i++) estimateTokens(`${i}`.padEnd(70_000, 'x'));
    assert.equal(estimateTokens(ascii), first, 'still right after it was dropped from the memo');
  });
});
