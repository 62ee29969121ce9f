import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fenceAppendEnd, planInlineAppend } from '../../../src/webview/render/append';
import type { MarkdownRenderer } from '../../../src/webview/render/markdown';
import { StreamingMessageRenderer } from '../../../src/webview/render/streaming';
import { generateAnswer } from '../../../bench/renderCorpus';
import { MARKDOWN_CORPUS } from './corpus';
import { blockNodes, createRenderer, createWindow, ManualScheduler, oneShotHtml, randomDeltas, seededRandom } from './helpers';

const win = createWindow();
const doc = win.document;
const markdown = createRenderer(win);

/**
 * highlight.js output aside (an open fence is plain text, and streaming renders skip
 * auto-detection), what is on screen must be the rendering of a prefix.
 */
const withoutHighlighting = (html: string): string => html.replace(/<span class="hljs-[^"]*">|<\/span>/g, '');

const oneShot = (text: string): string => oneShotHtml(markdown, doc, text);

function countingRenderer(): { renderer: MarkdownRenderer; calls: () => number } {
  let calls = 0;
  return {
    renderer: {
      ...markdown,
      render: (source, options) => (calls++, markdown.render(source, options)),
      renderStream: (source, tailFrom, options) => (calls++, markdown.renderStream(source, tailFrom, options)),
    },
    calls: () => calls,
  };
}

describe('planInlineAppend', () => {
  const plan = (before: string, added: string): string | undefined => planInlineAppend(before + added, before.length)?.text;

  it('appends plain words on the current line, with the spaces a render dropped', () => {
    assert.equal(plan('Hello', ' world'), ' world');
    assert.equal(plan('Hello ', 'world'), ' world');
    assert.equal(plan('Say hel', 'lo'), 'lo');
    assert.equal(plan('Straße', ' und Čech, 42; (ok) "q"?'), ' und Čech, 42; (ok) "q"?');
    assert.equal(plan('A sentence', '. Next: more'), '. Next: more');
  });

  it('holds back trailing whitespace, which a render drops and which may become a hard break', () => {
    assert.deepEqual(planInlineAppend('Hello world  ', 5), { text: ' world', shown: 11, lastVisible: 'o' });
    assert.equal(plan('Hello', '   '), undefined);
  });

  it('stops before markdown punctuation and line breaks, and never starts a line', () => {
    const cases: readonly (readonly [string, string | undefined])[] = [
      [' **b**', undefined], [' `c`', undefined], [' [l](u)', undefined], [' a_b', ' a'], [' x|y', ' x'], [' &amp;', undefined],
      [' a\\b', ' a'], [' <b>', undefined], [' ~~s~~', undefined], [' a\nb', ' a'], [' a\tb', ' a'], [' #', undefined], [' x*', ' x'],
      [' one. Two', ' one. Two'], [' end.\nnext', ' end.'],
    ];
    for (const [added, expected] of cases) assert.equal(plan('text', added), expected, JSON.stringify(added));
    assert.equal(plan('para\n', 'more'), undefined, 'a new line may be a list item, a table row, a setext underline...');
    assert.equal(plan('para\n\n', 'more'), undefined);
    assert.equal(plan('', 'first'), undefined);
  });

  it('stops before text that would turn into a link as it grows', () => {
    assert.equal(plan('see main', '.py'), undefined);
    assert.equal(plan('see main.', 'py'), undefined);
    assert.equal(plan('see', ' example.com'), ' example');
    assert.equal(plan('mail', ' me@example'), ' me');
    assert.equal(plan('go to http', '://x'), undefined);
    assert.equal(plan('version 1', '.5'), undefined);
    assert.equal(plan('A [link](https://example.com "title', '")'), '"', 'the quote, not the link-closing paren');
    assert.equal(plan('A [link](https://x.org\nmore', ' words) after'), ' words');
    assert.equal(plan('Plain', ' (aside)'), ' (aside)');
  });

  it('judges a continued word as a whole', () => {
    assert.equal(plan('__a__', 'b'), undefined, '`__a__b` is not strong');
    assert.equal(plan('`code`', 's'), undefined);
    assert.equal(plan('`code`', ' and'), ' and', 'a space ends the word: what came before renders the same');
    assert.equal(plan('example.com', ' now'), ' now');
  });

  it('never continues the first word of a line, which may be a list marker', () => {
    assert.equal(plan('para\n\n1', '.'), undefined);
    assert.equal(plan('x\n  1', ')'), undefined);
    assert.equal(plan('1', '0'), undefined);
    assert.equal(plan('line\nword', 's'), undefined);
    assert.equal(plan('line\ntwo word', 's'), 's');
  });
});

describe('fenceAppendEnd', () => {
  const fence = '```ts\nconst a = 1;\n';
  const end = (text: string, tailStart = 0, shown = fence.length): number | undefined => fenceAppendEnd(text, tailStart, shown);

  it('accepts any code line of an unindented fence whose opening line is complete', () => {
    assert.equal(end(`${fence}let b`), fence.length + 5);
    const code = `${fence}let b = "**x**";\n\n\n  // <b>&amp;</b>\n`;
    assert.equal(end(code), code.length);
    assert.equal(end(`intro\n\n${fence}x`, 7, 7 + fence.length), 7 + fence.length + 1);
  });

  it('holds back a last line of only spaces and tabs, which markdown-it drops', () => {
    assert.equal(end(`${fence}x\n  `), fence.length + 2);
    assert.equal(end(`${fence}\t`), undefined);
    assert.equal(end(`${fence}  y`), fence.length + 3);
  });

  it('stops before a line that could close the fence', () => {
    assert.equal(end(`${fence}x\n\``), fence.length + 2);
    assert.equal(end(`${fence}x\ny\n\`\`\`\n\nAfter the code.`), fence.length + 4, 'the code lines, not the closing fence nor what follows');
    assert.equal(end(`${fence}x\n   ~~~ not code\nz`), fence.length + 2);
    assert.equal(end(`${fence}x\n    \`\`\`\nz`), fence.length + 11, 'indented 4: code, not a fence');
  });

  it('refuses what could close the fence, an incomplete opening line, an indented fence, \\r and NUL', () => {
    assert.equal(end(`${fence}\`\`\``), undefined);
    assert.equal(end(`${fence}  ~~`), undefined);
    assert.equal(end('```t' + 's\nx', 0, 4), undefined, 'the info string is still being written');
    assert.equal(end('  ```ts\nx\ny', 0, 10), undefined, 'markdown-it strips the indent from each line');
    assert.equal(end(`${fence}a\r\nb`), undefined);
    assert.equal(end(`${fence}a\0`), undefined);
    assert.equal(end(`para\n${fence}x`, 0, 5 + fence.length), undefined, 'the tail must start with the fence');
  });
});

describe('StreamingMessageRenderer between full renders', () => {
  /** Streams `text` and checks after every frame that the screen renders exactly a prefix. */
  function checkPrefixes(text: string, seed: number, maxDelta: number, minFrames: number): void {
    const random = seededRandom(seed);
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { minFrames, now: scheduler.now });
    // The same prefix is often still on screen a frame later; rendering it once is enough.
    const expected = new Map<number, string>();
    for (const delta of randomDeltas(text, random, maxDelta)) {
      streaming.append(delta);
      // Mostly one frame at a time, so that text is left waiting for the next full render.
      if (random() >= 0.6) continue;
      scheduler.runOneFrame();
      const shown = text.slice(0, streaming.shownLength);
      if (!expected.has(shown.length)) expected.set(shown.length, withoutHighlighting(oneShot(shown)));
      assert.equal(withoutHighlighting(container.innerHTML), expected.get(shown.length), `after ${JSON.stringify(shown.slice(-60))}`);
    }
    streaming.finish(text);
    assert.equal(container.innerHTML, oneShot(text));
  }

  it('always shows exactly the rendering of a prefix of the text', () => {
    let seed = 100;
    // Link reference definitions apply backwards, so such a text renders differently until it ends.
    for (const text of MARKDOWN_CORPUS.filter((t) => !/^\s*\[[^\]]+\]:/m.test(t))) {
      for (const maxDelta of [2, 9]) checkPrefixes(text, seed++, maxDelta, 4);
    }
  });

  it('holds for a long realistic answer (the render benchmark\'s)', () => {
    // Kept short: jsdom holds on to every document DOMPurify parses, so memory grows per render.
    checkPrefixes(generateAnswer(60, 5), 7, 12, 6);
  });

  it('shows plain words the frame they arrive, without rendering again', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const { renderer, calls } = countingRenderer();
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: scheduler.now });
    streaming.append('A **bold** start');
    scheduler.runFrames();
    assert.equal(calls(), 1);
    for (const word of ' and then some plain words, one by one'.split(/(?= )/)) {
      streaming.append(word);
      scheduler.runOneFrame();
      assert.equal(streaming.shownLength, streaming.text.length);
    }
    assert.equal(calls(), 1);
    assert.equal(container.innerHTML, oneShot(streaming.text));
  });

  it('appends code lines to an open fence as plain text and highlights it once, in the frame it closes', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const { renderer, calls } = countingRenderer();
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { now: scheduler.now });
    streaming.append('```python\n');
    scheduler.runFrames();
    const lines = Array.from({ length: 200 }, (_, i) => `value_${i} = compute(${i}) * 2  # line ${i}\n`);
    for (const line of lines) {
      streaming.append(line);
      scheduler.runOneFrame();
    }
    scheduler.runFrames();
    assert.equal(calls(), 1, '~8 KB of code, one render: when the fence opened');
    assert.equal(container.querySelector('code')?.textContent, lines.join(''));
    assert.equal(container.querySelector('code span'), null, 'an open fence is plain text');
    streaming.append('```\n\nAfter');
    scheduler.runOneFrame();
    assert.equal(calls(), 2, 'the closed fence and the new tail, in one pass in the frame the closing line came');
    assert.ok(container.querySelector('code span.hljs-number'), 'highlighted once closed');
    streaming.finish();
    assert.equal(container.innerHTML, oneShot(streaming.text));
  });

  it('keeps an open fence plain in the tail, highlights closed ones before it', () => {
    const html = (source: string, openFence: boolean): string => {
      const div = doc.createElement('div');
      div.append(markdown.render(source, { streaming: true, openFence }));
      return div.innerHTML;
    };
    const source = '- item\n\n  ```js\n  let a = 1;\n  ```\n\n```js\nlet b = 2;\n';
    const rendered = html(source, true);
    assert.equal((rendered.match(/hljs-keyword/g) ?? []).length, 1, rendered);
    assert.match(rendered, /<code class="language-js">let b = 2;\n<\/code>/);
    assert.equal((html(source, false).match(/hljs-keyword/g) ?? []).length, 2);
  });

  it('renders held-back text a few frames later even if nothing else arrives', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { minFrames: 3, now: scheduler.now });
    streaming.append('First words');
    scheduler.runOneFrame();
    streaming.append(' and `code`');
    scheduler.runOneFrame();
    assert.equal(streaming.shownLength, 'First words and'.length, 'inline code waits for a full render');
    scheduler.runOneFrame();
    assert.ok(scheduler.pending > 0, 'a frame stays scheduled for the waiting text');
    scheduler.runFrames();
    assert.equal(container.innerHTML, oneShot('First words and `code`'));
  });

  it('freezes a finished paragraph as it is on screen instead of rendering it again', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const { renderer, calls } = countingRenderer();
    const streaming = new StreamingMessageRenderer(container, renderer, scheduler.schedule, () => undefined, { minFrames: 2, now: scheduler.now });
    streaming.append('A first paragraph');
    scheduler.runFrames();
    const paragraph = blockNodes(container)[0];
    streaming.append(' that grows');
    scheduler.runFrames();
    streaming.append('\n\nThen a second one');
    scheduler.runFrames();
    assert.equal(calls(), 2, 'one render for each paragraph, none for freezing the first');
    assert.equal(blockNodes(container)[0], paragraph);
    assert.equal(streaming.frozenNodeCount, 2, '<p> and the newline after it');
    streaming.finish();
    assert.equal(container.innerHTML, oneShot('A first paragraph that grows\n\nThen a second one'));
  });
});
