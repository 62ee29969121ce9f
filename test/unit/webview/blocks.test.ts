import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMarkdownIt } from '../../../src/webview/render/markdown';
import { isListMarkerLine, openingFence, splitFinishedBlocks } from '../../../src/webview/render/blocks';
import { MARKDOWN_CORPUS } from './corpus';

const split = (text: string): { blocks: readonly string[]; tail: string } => {
  const r = splitFinishedBlocks(text);
  return { blocks: r.blocks, tail: text.slice(r.tailStart) };
};

// Highlighting is irrelevant to block structure; plain escaping keeps these tests fast.
const md = createMarkdownIt(() => '');
const renderSplit = (text: string): string => {
  const { blocks, tail } = split(text);
  return blocks.map((b) => md.render(b)).join('') + md.render(tail);
};

describe('splitFinishedBlocks', () => {
  it('finishes paragraphs at a blank line and keeps the last one open', () => {
    assert.deepEqual(split('a\nb\n\nc\n\nd'), { blocks: ['a\nb\n\n', 'c\n\n'], tail: 'd' });
  });

  it('decides nothing on a partial line', () => {
    assert.deepEqual(split('para\n'), { blocks: [], tail: 'para\n' });
    assert.deepEqual(split('para\n\n'), { blocks: ['para\n\n'], tail: '' });
  });

  it('keeps leading blank lines with the next block', () => {
    assert.deepEqual(split('\n\npara\n\nx'), { blocks: ['\n\npara\n\n'], tail: 'x' });
  });

  it('finishes a fence only at its complete closing line, blank lines inside included', () => {
    assert.deepEqual(split('```js\nx\n\ny\n```'), { blocks: [], tail: '```js\nx\n\ny\n```' });
    assert.deepEqual(split('```js\nx\n\ny\n```\nafter'), { blocks: ['```js\nx\n\ny\n```\n'], tail: 'after' });
  });

  it('keeps a fence that is not yet closed open', () => {
    assert.deepEqual(split('intro\n\n```py\nprint(1)\n\n\nprint(2)\n'), { blocks: ['intro\n\n'], tail: '```py\nprint(1)\n\n\nprint(2)\n' });
  });

  it('does not close a ~~~ fence with ``` (or a long fence with a shorter one)', () => {
    const text = '~~~\n```\n\ninner\n```\n\n~~~\n\npara';
    assert.deepEqual(split(text), { blocks: ['~~~\n```\n\ninner\n```\n\n~~~\n'], tail: '\npara' });
    assert.deepEqual(split('````\n```\n\nx\n'), { blocks: [], tail: '````\n```\n\nx\n' });
    assert.deepEqual(split('````\n```\n\n`````\nok'), { blocks: ['````\n```\n\n`````\n'], tail: 'ok' });
  });

  it('does not treat ``` with a backtick in the info string as a fence', () => {
    assert.equal(openingFence('```a`b'), undefined);
    assert.deepEqual(openingFence('~~~a`b'), { char: '~', length: 3 });
  });

  it('finishes an ATX heading at its line end', () => {
    assert.deepEqual(split('# Title\nText\n\n## Next\n'), { blocks: ['# Title\n', 'Text\n\n', '## Next\n'], tail: '' });
  });

  it('keeps a loose list together until a non-list block starts', () => {
    assert.deepEqual(split('- a\n\n- b\n\n'), { blocks: [], tail: '- a\n\n- b\n\n' });
    assert.deepEqual(split('- a\n\n- b\n\n  more b\n\npara\n'), { blocks: ['- a\n\n- b\n\n  more b\n\n'], tail: 'para\n' });
  });

  it('makes a paragraph interrupted by a list sticky too', () => {
    assert.deepEqual(split('Steps:\n- a\n\n- b\n\nDone.\n\n'), { blocks: ['Steps:\n- a\n\n- b\n\n', 'Done.\n\n'], tail: '' });
  });

  it('keeps indented code across blank lines', () => {
    assert.deepEqual(split('    a\n\n    b\n\nc\n'), { blocks: ['    a\n\n    b\n\n'], tail: 'c\n' });
  });

  it('recognises list markers', () => {
    for (const line of ['- a', '* a', '+ a', '1. a', '12) a', '   - a', '-', '1.']) assert.ok(isListMarkerLine(line), line);
    for (const line of ['-a', '    - a', '1.a', '2024 was', '**bold**', '---x']) assert.ok(!isListMarkerLine(line), line);
  });

  it('resumes from a previous tailStart with the same result as a scan from 0', () => {
    for (const text of MARKDOWN_CORPUS) {
      const full = splitFinishedBlocks(text);
      const mid = splitFinishedBlocks(text.slice(0, Math.floor(text.length / 2)));
      const resumed = splitFinishedBlocks(text, mid.tailStart);
      assert.deepEqual([...mid.blocks, ...resumed.blocks], full.blocks);
      assert.equal(resumed.tailStart, full.tailStart);
    }
  });

  it('joins back to the original text', () => {
    for (const text of MARKDOWN_CORPUS) {
      const { blocks, tail } = split(text);
      assert.equal(blocks.join('') + tail, text);
    }
  });

  it('renders the same HTML split or whole, for every prefix of every sample', () => {
    for (const text of MARKDOWN_CORPUS) {
      const finalBlocks = splitFinishedBlocks(text).blocks;
      for (let end = 0; end <= text.length; end++) {
        const prefix = text.slice(0, end);
        assert.equal(renderSplit(prefix), md.render(prefix), `prefix ${JSON.stringify(prefix)}`);
        // A block finished early must be a block of the final text too: frozen DOM never changes.
        const early = splitFinishedBlocks(prefix).blocks;
        assert.deepEqual(early, finalBlocks.slice(0, early.length), `prefix ${JSON.stringify(prefix)}`);
      }
    }
  });

  it('renders a split loose list as loose (<p> inside items), like the whole text', () => {
    const text = '- one\n\n- two\n\nafter\n';
    const html = renderSplit(text);
    assert.equal(html, md.render(text));
    assert.match(html, /<li>\s*<p>one<\/p>/);
    assert.equal((html.match(/<ul>/g) ?? []).length, 1);
  });
});
