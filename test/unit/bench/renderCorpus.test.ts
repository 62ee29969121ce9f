import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateAnswer, generateChapters, splitIntoDeltas } from '../../../bench/renderCorpus';

/** Share of the text inside fences, and of it in fences without a language (auto-detected). */
function mix(text: string): { code: number; auto: number; charsPerLine: number } {
  let code = 0;
  let auto = 0;
  for (const match of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const length = match[2]?.length ?? 0;
    code += length;
    if (match[1] === '') auto += length;
  }
  return { code: code / text.length, auto: auto / text.length, charsPerLine: text.length / text.split('\n').length };
}

describe('render bench corpus', () => {
  // bench:render compares the three sizes' ratios: they must differ in length, not in kind.
  it('makes the three sizes of one mix: code, auto-detected code and line length within 10% of each other', () => {
    const sizes = [1, 4, 16].map((chapters) => generateChapters(chapters));
    assert.deepEqual(sizes.map((text) => Math.round(text.length / 1000)), [22, 81, 321]);
    const mixes = sizes.map(mix);
    for (const key of ['code', 'auto', 'charsPerLine'] as const) {
      const values = mixes.map((m) => m[key]);
      assert.ok(Math.max(...values) <= 1.1 * Math.min(...values), `${key}: ${values.map((v) => v.toFixed(4)).join(', ')}`);
    }
    assert.ok(mixes.every((m) => m.auto > 0), 'every size has code to auto-detect');
  });

  it('is deterministic and never cuts inside a fence', () => {
    assert.equal(generateChapters(2), generateChapters(2));
    for (const lines of [20, 60, 333]) {
      const text = generateAnswer(lines, 5);
      // The blank line after the last block is dropped.
      assert.ok(text.split('\n').length >= lines - 1, `${lines} lines`);
      assert.equal((text.match(/^```/gm) ?? []).length % 2, 0, `${lines} lines`);
    }
  });

  it('cuts an answer into exactly the deltas asked for, which join back into it', () => {
    const text = generateChapters(1);
    const deltas = splitIntoDeltas(text, Math.round(text.length / 16));
    assert.equal(deltas.length, Math.round(text.length / 16));
    assert.equal(deltas.join(''), text);
  });
});
