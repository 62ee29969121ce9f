import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MarkdownRenderer } from '../../../src/webview/render/markdown';
import { STREAMED_CLASS, StreamingMessageRenderer } from '../../../src/webview/render/streaming';
import { MARKDOWN_CORPUS } from './corpus';
import { createRenderer, createWindow, ManualScheduler, oneShotHtml, renderedHtml, streamAtRandom } from './helpers';

const win = createWindow();
const doc = win.document;
const markdown = createRenderer(win);

const oneShot = (text: string): string => oneShotHtml(markdown, doc, text);
const rendered = (text: string): string => renderedHtml(markdown, doc, text);

const stream = (text: string, seed: number, maxDelta: number): HTMLElement => streamAtRandom(markdown, doc, text, seed, maxDelta);

describe('StreamingMessageRenderer', () => {
  it('ends with exactly the one-shot rendering, for every sample and several delta sizes', () => {
    let seed = 1;
    for (const text of MARKDOWN_CORPUS) {
      const expected = oneShot(text);
      for (const maxDelta of [2, 11, 80]) {
        assert.equal(stream(text, seed++, maxDelta).innerHTML, expected, `sample ${JSON.stringify(text.slice(0, 40))}, deltas ≤${maxDelta}`);
      }
    }
  });

  it('coalesces deltas: one render per frame, however many deltas arrived', () => {
    const scheduler = new ManualScheduler();
    let renders = 0;
    const counting: MarkdownRenderer = {
      ...markdown,
      render: (s, o) => (renders++, markdown.render(s, o)),
      renderStream: (s, t, o) => (renders++, markdown.renderStream(s, t, o)),
    };
    const streaming = new StreamingMessageRenderer(doc.createElement('div'), counting, scheduler.schedule, () => undefined, { now: scheduler.now });
    for (const ch of 'just one paragraph being typed') streaming.append(ch);
    assert.equal(scheduler.pending, 1);
    scheduler.runFrames();
    assert.equal(renders, 1);
  });

  it('does work linear in the text length (each finished block rendered once)', () => {
    // A stub renderer: this test measures how much source is rendered, not what it looks like
    // (DOMPurify under jsdom is ~50x slower than in a browser and would dominate the runtime).
    const work = (paragraphs: number): { chars: number; length: number } => {
      const text = Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i} has a few words, **bold** and \`code\`.`).join('\n\n');
      let chars = 0;
      const counting: MarkdownRenderer = {
        ...markdown,
        render: (source) => {
          chars += source.length;
          const fragment = doc.createDocumentFragment();
          fragment.append(doc.createElement('p'));
          return fragment;
        },
        renderStream: (source) => {
          chars += source.length;
          const fragment = doc.createDocumentFragment();
          const tail = doc.createElement('p');
          fragment.append(doc.createElement('p'), tail);
          return { fragment, tail };
        },
      };
      const scheduler = new ManualScheduler();
      const streaming = new StreamingMessageRenderer(doc.createElement('div'), counting, scheduler.schedule, () => undefined, { now: scheduler.now });
      for (let i = 0; i < text.length; i += 5) {
        streaming.append(text.slice(i, i + 5));
        scheduler.runFrames();
      }
      streaming.finish(text);
      return { chars, length: text.length };
    };
    const small = work(100);
    const large = work(400);
    // Re-rendering everything per frame would be ~length²/10 characters; we stay linear.
    assert.ok(large.chars < 20 * large.length, `rendered ${large.chars} chars for ${large.length}`);
    assert.ok(large.chars / small.chars < 4 * 1.2, 'work grows faster than the text');
  });

  it('restarts from the host text when the final text differs from the streamed one', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
    streaming.append('Hello wrold\n\nsecond');
    scheduler.runFrames();
    streaming.finish('Hello world\n\nsecond');
    assert.equal(container.innerHTML, oneShot('Hello world\n\nsecond'));
  });

  it('re-renders in one piece at the end when a link reference definition arrived late', () => {
    const text = 'See [the docs][d].\n\nMore text.\n\n[d]: https://example.com/docs\n';
    const container = stream(text, 42, 4);
    assert.equal(container.innerHTML, oneShot(text));
    assert.equal(container.querySelector('a')?.getAttribute('href'), 'https://example.com/docs');
  });

  it('can continue streaming after a snapshot was rendered with replaceAll', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
    streaming.replaceAll('- a\n\n- b\n');
    streaming.append('\nafter\n\nmore');
    scheduler.runFrames();
    streaming.finish();
    assert.equal(container.innerHTML, oneShot('- a\n\n- b\n\nafter\n\nmore'));
  });

  it('marks a message streamed from its first delta, until it is rendered whole again (its blocks may then skip rendering off screen)', () => {
    const scheduler = new ManualScheduler();
    const streamed = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(streamed, markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
    streaming.append('First');
    assert.ok(streamed.classList.contains(STREAMED_CLASS));
    scheduler.runFrames();
    streaming.finish();
    assert.ok(streamed.classList.contains(STREAMED_CLASS), 'an answer that ends as it streamed keeps it');
    streaming.append(' and continued.');
    scheduler.runFrames();
    streaming.finish('First and continued, but corrected.');
    assert.equal(streamed.className, '', 'rendered whole at the end: laid out at once, like a snapshot');

    // A snapshot, then more text into it (Continue): the snapshot's blocks were not laid out one by
    // one at the end of the message, so it stays unmarked.
    const snapshot = doc.createElement('div');
    const continued = new StreamingMessageRenderer(snapshot, markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
    continued.replaceAll('Cut off');
    continued.append(' here.');
    scheduler.runFrames();
    continued.finish();
    assert.equal(snapshot.className, '');
  });

  it('keeps the open tail cheap: no auto-detection while streaming, highlighted once finished', () => {
    const scheduler = new ManualScheduler();
    const container = doc.createElement('div');
    const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
    const code = '```\nimport os\ndef main():\n    print(os.getcwd())\n    return 0\n';
    streaming.append(code);
    scheduler.runFrames();
    assert.equal(container.querySelector('code span'), null);
    streaming.append('```\n');
    scheduler.runFrames();
    assert.ok(container.querySelector('code span[class^="hljs-"]'));
  });
});

describe('renderStream: finished blocks and the tail in one pass', () => {
  const html = (nodes: readonly Node[]): string => nodes.map((n) => (n.nodeType === 1 ? (n as Element).outerHTML : n.textContent)).join('');

  it('renders as the two parts rendered apart, and says where the tail starts', () => {
    const blocks = '# Title\n\nSome *text*.\n\n```\nconst unlabelled = { a: 1, b: [2, 3] };\nfunction f(x) { return x * 2; }\n```\n\n- a\n- b\n\n';
    const tail = 'Para with `code`\n\n```js\nlet open = 1;\n';
    const { fragment, tail: first } = markdown.renderStream(blocks + tail, blocks.length, { streaming: true, openFence: true });
    const nodes = Array.from(fragment.childNodes);
    const at = first ? nodes.indexOf(first) : -1;
    assert.ok(at > 0);
    assert.equal(html(nodes.slice(0, at)), rendered(blocks), 'blocks as a one-shot render: auto-detected highlighting included');
    const expectedTail = doc.createElement('div');
    expectedTail.append(markdown.render(tail, { streaming: true, openFence: true }));
    assert.equal(html(nodes.slice(at)), expectedTail.innerHTML);
    assert.match(html(nodes.slice(at)), /<code class="language-js">let open = 1;\n<\/code>/, 'the open fence is plain');
  });

  it('has no tail node when the tail renders nothing', () => {
    const { fragment, tail } = markdown.renderStream('Done.\n\n', 'Done.\n\n'.length);
    assert.equal(tail, null);
    assert.equal(html(Array.from(fragment.childNodes)), rendered('Done.\n\n'));
  });
});

describe('StreamingMessageRenderer text bookkeeping', () => {
  it('keeps the text, its length and what is shown right across frozen blocks', () => {
    // Frames only read the open tail (reading the whole text would copy it on every frame).
    const scheduler = new ManualScheduler();
    const streaming = new StreamingMessageRenderer(doc.createElement('div'), markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
    const paragraph = 'Words and more words, **bold** and `code` in a paragraph.\n\n';
    streaming.append(paragraph.repeat(400));
    scheduler.runFrames();
    streaming.append('Last');
    scheduler.runFrames();
    assert.equal(streaming.text, `${paragraph.repeat(400)}Last`);
    assert.equal(streaming.length, streaming.text.length);
    assert.equal(streaming.shownLength, streaming.text.length);
  });
});
