import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEFORE_MARGIN_CLASS, BlockChunks, CHUNK_BLOCKS, CHUNK_CLASS } from '../../../src/webview/render/blockChunks';
import { StreamingMessageRenderer } from '../../../src/webview/render/streaming';
import { createRenderer, createWindow, ManualScheduler, oneShotHtml, seededRandom, streamAtRandom } from './helpers';

const win = createWindow();
const doc = win.document;
const markdown = createRenderer(win);

/** `<p>` elements named by number, each followed by a newline text node, as markdown-it renders. */
function paragraphs(from: number, count: number): Node[] {
  return Array.from({ length: count }, (_, i) => {
    const p = doc.createElement('p');
    p.textContent = String(from + i);
    return [p, doc.createTextNode('\n')];
  }).flat();
}

/** Each chunk's text, paragraphs joined by `,`. */
function layout(container: Element): string[] {
  return Array.from(container.children).map((chunk) => {
    assert.ok(chunk.classList.contains(CHUNK_CLASS));
    return Array.from(chunk.children, (p) => p.textContent).join(',');
  });
}

describe('BlockChunks', () => {
  it('puts element i in chunk floor(i / size), a text node with the element before it', () => {
    const container = doc.createElement('div');
    const chunks = new BlockChunks(container, 3);
    chunks.append(paragraphs(0, 4));
    chunks.append(paragraphs(4, 3));
    assert.deepEqual(layout(container), ['0,1,2', '3,4,5', '6']);
    assert.equal(chunks.nodeCount, 14);
    // The newline after "2" stays in the first chunk, with the element before it.
    assert.equal(container.children[0]?.lastChild?.textContent, '\n');
  });

  it('ends as one replace would, whatever was removed from the end and appended again', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const container = doc.createElement('div');
      const chunks = new BlockChunks(container, 4);
      let placed: Node[] = [];
      for (let step = 0; step < 12; step++) {
        // Whole blocks (a paragraph and its newline), as a stream's tail is removed.
        const remove = 2 * Math.floor(random() * Math.min(placed.length / 2, 3));
        chunks.removeLast(placed.slice(placed.length - remove));
        placed = placed.slice(0, placed.length - remove);
        const added = paragraphs(placed.filter((n) => n.nodeType === 1).length, Math.floor(random() * 6));
        chunks.append(added);
        placed.push(...added);
      }
      chunks.trim();
      const whole = doc.createElement('div');
      new BlockChunks(whole, 4).replace(paragraphs(0, placed.filter((n) => n.nodeType === 1).length));
      assert.equal(container.innerHTML, whole.innerHTML, `round ${round}`);
    }
  });

  it('keeps a chunk emptied by a removal for what takes its place, and trim drops it if nothing does', () => {
    const container = doc.createElement('div');
    const chunks = new BlockChunks(container, 2);
    const tail = paragraphs(2, 1);
    chunks.append([...paragraphs(0, 2), ...tail]);
    const second = container.children[1];
    chunks.removeLast(tail);
    assert.equal(container.children.length, 2, 'the emptied chunk stays');
    chunks.append(paragraphs(2, 1));
    assert.equal(container.children[1], second, 'and is filled again: a new chunk would skip its first layout');
    chunks.removeLast(Array.from(second?.childNodes ?? []));
    chunks.trim();
    assert.deepEqual(layout(container), ['0,1']);
  });

  it('marks a chunk whose next chunk starts with a heading or a rule, as that first block changes', () => {
    const container = doc.createElement('div');
    const chunks = new BlockChunks(container, 2);
    chunks.append(paragraphs(0, 2));
    const heading = doc.createElement('h2');
    chunks.append([heading]);
    const first = container.children[0];
    assert.equal(first?.classList.contains(BEFORE_MARGIN_CLASS), true, 'its last block drops the margin the heading has');
    // The stream's tail rendered again: the heading was a paragraph after all.
    chunks.removeLast([heading]);
    chunks.append(paragraphs(2, 1));
    assert.equal(first?.classList.contains(BEFORE_MARGIN_CLASS), false);
    const rule = doc.createElement('hr');
    chunks.removeLast(Array.from(container.children[1]?.childNodes ?? []));
    chunks.append([rule]);
    assert.equal(first?.classList.contains(BEFORE_MARGIN_CLASS), true);
    // Nothing after it in the end: the last chunk carries no mark (a snapshot's would not).
    chunks.removeLast([rule]);
    chunks.trim();
    assert.equal(container.innerHTML, '<div class="md-chunk"><p>0</p>\n<p>1</p>\n</div>');
  });

  it('skips nodes it never placed (a tail still waiting to be inserted)', () => {
    const container = doc.createElement('div');
    const chunks = new BlockChunks(container, 2);
    chunks.append(paragraphs(0, 1));
    chunks.removeLast(paragraphs(1, 1));
    assert.equal(chunks.nodeCount, 2);
    assert.deepEqual(layout(container), ['0']);
  });
});

describe('a long message streamed in chunks', () => {
  const blocks = Array.from({ length: 3 * CHUNK_BLOCKS + 5 }, (_, i) => {
    if (i % 9 === 4 || i % CHUNK_BLOCKS === 0) return `## Heading ${i}`;
    if (i % 9 === 7) return `\`\`\`ts\nconst n${i} = ${i};\n\`\`\``;
    if (i % 9 === 8) return `- item ${i}\n- item ${i + 1}`;
    if (i % 11 === 5) return `| a | b |\n| - | - |\n| ${i} | x |`;
    return `Paragraph ${i} with *emphasis* and \`code\`.`;
  });
  const text = blocks.join('\n\n');

  it('ends with the one-shot rendering, chunked the same way, and never replaces a frozen block', () => {
    const expected = oneShotHtml(markdown, doc, text);
    const chunks = Array.from(doc.createRange().createContextualFragment(expected).children);
    assert.equal(chunks.length, 4, 'four chunks');
    assert.deepEqual(chunks.map((chunk) => chunk.classList.contains(BEFORE_MARGIN_CLASS)), [true, true, true, false], 'each but the last before a heading');
    for (const [seed, maxDelta] of [[1, 3], [2, 40], [3, 400]] as const) {
      assert.equal(streamAtRandom(markdown, doc, text, seed, maxDelta).innerHTML, expected, `deltas ≤${maxDelta}`);
    }
  });

  it('renders a snapshot in the same chunks', () => {
    const container = doc.createElement('div');
    const scheduler = new ManualScheduler();
    new StreamingMessageRenderer(container, markdown, scheduler.schedule).replaceAll(text);
    assert.equal(container.innerHTML, oneShotHtml(markdown, doc, text));
    assert.ok(Array.from(container.children).every((chunk) => chunk.childElementCount <= CHUNK_BLOCKS));
  });
});
