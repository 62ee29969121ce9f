/**
 * Places a rendered message's top-level blocks in chunks of `CHUNK_BLOCKS` elements: the
 * message's container holds the chunks, each chunk a run of blocks, in order.
 *
 * Why: off screen, a streamed message skips rendering (content-visibility, transcript.css). With
 * every block a child of the message, every frame of a long stream lays out and checks the
 * visibility of every block, skipped ones included: 770 of them at 320k characters, and a layout
 * grew from 0.9 to 3.5-4 ms along such a stream. Skipping a chunk at a time, a frame handles the
 * chunks plus the blocks of the chunk it is in: 1.5 to 2.1-2.3 ms, and the stream's main-thread
 * work about halved (npm run bench:render).
 *
 * The chunk of a block depends only on its place among the message's elements (element `i` is
 * in chunk `floor(i / CHUNK_BLOCKS)`; a text node goes with the element before it), never on
 * when it was inserted: a message streamed in any deltas and the same message rendered whole end
 * as the same DOM. Removing the last nodes (a stream's open tail, rendered again) and appending
 * new ones puts them where a render of the whole would.
 */

export const CHUNK_CLASS = 'md-chunk';

/**
 * On a chunk whose next chunk starts with a block that has a top margin (a heading, a rule): its
 * last block then drops its bottom margin (markdown.css), since margins do not collapse across a
 * chunk's edge. Set here rather than by a `:has()` rule, which made every insertion into a chunk
 * restyle its neighbour: 534 ms of style work over the 320k stream instead of 307.
 */
export const BEFORE_MARGIN_CLASS = 'md-chunk-before-margin';

const TOP_MARGIN_TAGS = /^(?:H[1-6]|HR)$/;

/** Top-level elements per chunk. */
export const CHUNK_BLOCKS = 32;

export class BlockChunks {
  private readonly chunks: HTMLElement[] = [];
  /** Top-level elements and nodes placed, in all chunks. */
  private elements = 0;
  private nodes = 0;

  constructor(
    private readonly container: Element,
    private readonly size = CHUNK_BLOCKS,
  ) {}

  /** Top-level nodes placed (text nodes between blocks included). */
  get nodeCount(): number {
    return this.nodes;
  }

  /** Appends `nodes` after the nodes placed, each in its chunk (created as needed). */
  append(nodes: readonly Node[]): void {
    let run: Node[] = [];
    let runChunk: HTMLElement | undefined;
    for (const node of nodes) {
      const chunk = this.chunkFor(node);
      if (chunk !== runChunk) {
        runChunk?.append(...run);
        run = [];
        runChunk = chunk;
      }
      run.push(node);
      this.nodes++;
      if (node.nodeType === 1) {
        if (this.elements > 0 && this.elements % this.size === 0) {
          this.chunks[this.elements / this.size - 1]?.classList.toggle(BEFORE_MARGIN_CLASS, TOP_MARGIN_TAGS.test((node as Element).tagName));
        }
        this.elements++;
      }
    }
    runChunk?.append(...run);
  }

  /**
   * Removes `nodes`, which must be the last nodes placed (those not placed are skipped). A chunk
   * left empty stays, for the nodes that take their place; `trim` drops it if none do.
   */
  removeLast(nodes: readonly Node[]): void {
    for (const node of nodes) {
      const parent = node.parentNode;
      if (parent === null || !this.chunks.includes(parent as HTMLElement)) continue;
      parent.removeChild(node);
      this.nodes--;
      if (node.nodeType === 1) this.elements--;
    }
  }

  /** Drops the empty chunks at the end: a message rendered whole has none. */
  trim(): void {
    const keep = this.elements === 0 ? (this.nodes > 0 ? 1 : 0) : Math.floor((this.elements - 1) / this.size) + 1;
    for (const chunk of this.chunks.splice(keep)) chunk.remove();
    this.chunks.at(-1)?.classList.remove(BEFORE_MARGIN_CLASS);
  }

  /** Replaces everything in the container with `nodes`. */
  replace(nodes: readonly Node[]): void {
    this.chunks.length = 0;
    this.elements = 0;
    this.nodes = 0;
    this.container.replaceChildren();
    this.append(nodes);
  }

  /** The chunk `node` goes in if appended now, created (at the end) if it does not exist yet. */
  private chunkFor(node: Node): HTMLElement {
    const element = node.nodeType === 1 ? this.elements : this.elements - 1;
    const index = Math.max(0, Math.floor(element / this.size));
    let chunk = this.chunks[index];
    if (chunk === undefined) {
      chunk = this.container.ownerDocument.createElement('div');
      chunk.className = CHUNK_CLASS;
      this.chunks.push(chunk);
      // Created in order: chunks before `index` exist, so this one goes at the end.
      this.container.append(chunk);
    }
    return chunk;
  }
}
