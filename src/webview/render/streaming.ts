/**
 * Renders a streaming markdown message in time linear in its length.
 *
 * Deltas are buffered and applied once per animation frame. On each frame the source is split
 * (from where the last finished block ended) into finished blocks, each rendered once and
 * appended as frozen DOM, and an open tail, the only part rendered again. Frozen nodes are never
 * touched again, so text selections and focus inside them survive the stream.
 */
import type { FrameScheduler } from '../dom';
import { hasLinkReferenceDefinition, splitFinishedBlocks } from './blocks';
import type { MarkdownRenderer } from './markdown';

export class StreamingMessageRenderer {
  private source = '';
  private pending = '';
  private tailStart = 0;
  private tailNodes: Node[] = [];
  private scheduled = false;
  private finished = false;

  constructor(
    private readonly container: Element,
    private readonly markdown: MarkdownRenderer,
    private readonly schedule: FrameScheduler,
    /** Called after every DOM update, e.g. to keep the transcript scrolled to the bottom. */
    private readonly onRender: () => void = () => undefined,
  ) {}

  /** All text received so far, rendered or not. */
  get text(): string {
    return this.source + this.pending;
  }

  /** Number of frozen top-level nodes; exposed for tests of the linear-time guarantee. */
  get frozenNodeCount(): number {
    return this.container.childNodes.length - this.tailNodes.length;
  }

  append(delta: string): void {
    if (delta.length === 0) return;
    this.pending += delta;
    this.finished = false;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.pending.length > 0 && !this.finished) this.flush(false);
    });
  }

  /**
   * Ends the stream. `finalText` is the host's authoritative text; if it is not what we have
   * (a lost or duplicated delta), we start over from it rather than show something different.
   */
  finish(finalText: string = this.text): void {
    if (finalText !== this.text) {
      this.replaceAll(finalText);
      return;
    }
    if (hasLinkReferenceDefinition(this.text)) {
      this.replaceAll(finalText);
      return;
    }
    this.flush(true);
    this.finished = true;
  }

  /**
   * Renders a complete message (a snapshot, or a final text that differs from the stream) in one
   * piece. Everything counts as tail, so if the host ever streams more into this turn, the next
   * frame re-splits it once from the start.
   */
  replaceAll(text: string): void {
    this.source = text;
    this.pending = '';
    this.tailStart = 0;
    const fragment = this.markdown.render(text);
    this.tailNodes = Array.from(fragment.childNodes);
    this.container.replaceChildren(fragment);
    this.finished = true;
    this.onRender();
  }

  private flush(final: boolean): void {
    this.source += this.pending;
    this.pending = '';
    const { blocks, tailStart } = splitFinishedBlocks(this.source, this.tailStart);
    for (const node of this.tailNodes) node.parentNode?.removeChild(node);
    for (const block of blocks) this.container.append(this.markdown.render(block));
    this.tailStart = tailStart;
    const tail = this.markdown.render(this.source.slice(tailStart), { streaming: !final });
    this.tailNodes = Array.from(tail.childNodes);
    this.container.append(tail);
    this.onRender();
  }
}
