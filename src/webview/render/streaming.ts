/**
 * Renders a streaming markdown message in time linear in its length, with little work per frame.
 *
 * Deltas are buffered and applied once per animation frame. The source is split (from where the
 * last finished block ended) into finished blocks, each rendered once and appended as frozen
 * DOM, and an open tail, the only part rendered again. Frozen nodes are never touched again, so
 * text selections and focus inside them survive the stream.
 *
 * A full render of the tail (markdown-it, highlight.js, DOMPurify: hundreds of microseconds even
 * for a short paragraph, milliseconds for a long list or table) is amortized like the growth of a
 * doubling array: it happens only once the text that arrived since the last full render is at
 * least `growth` (1/2) of the length the tail had then. Each render of a tail of length L is
 * then paid for by L/2 new characters, so all tail renders together cost O(length of the
 * message) whatever the size of the open block: a new paragraph renders every few frames, a long
 * list or table that stays open renders ever more rarely. Two bounds around that rule:
 * - at least `minFrames` (8) frames between full renders: a render has a fixed cost however short
 *   the tail (so a short tail is rendered no more often than every 133 ms at 60 Hz, quick enough
 *   that a closing `**` does not feel late, since plain words show every frame anyway);
 * - at most `maxWaitMs` (250 ms) of waiting: once text that appends cannot show has waited that
 *   long, the tail is rendered whatever its size. 250 ms keeps a new list item, row or closing
 *   `**` of a long block from feeling stuck, yet at the bench's pace (one frame per 16 ms, ~200
 *   characters a frame) it still allows a tail of up to ~6 KB to grow by half between renders.
 *   It costs at most 4 renders a second, so even a very long block cannot dominate a frame budget.
 * In the frames between, new text is shown only if appending it as a text node is exactly what a
 * render would show (see append.ts): plain words on the current line, or any line of an open
 * code fence. So the screen always shows a correct rendering of a prefix of the message, and
 * plain words appear the frame they arrive.
 *
 * An open code fence is shown as plain text and grows by appends alone: it is highlighted once,
 * when its closing line arrives and it becomes a finished block, not re-highlighted as it grows.
 *
 * When a block finishes and the tail's DOM is already its exact rendering (no code, which is
 * highlighted once finished), those nodes are frozen as they are instead of being rendered a
 * second time.
 *
 * When text arrives faster than anyone reads (more than `fastPace`, 4 characters a millisecond:
 * a screenful every few frames, several times the pace of the fastest model), full renders back
 * off to at most one every `fastGapMs` (600 ms), and a closed fence waits for that render too.
 * Each full render has a fixed cost (a sanitizer document, a cold start of the DOM and parser
 * code between frames), so at that pace fewer, larger renders cost much less in total, and the
 * screen, scrolling past faster than it can be read, looks the same. At a model's real pace (a
 * few hundred characters a second) the rules above are unchanged.
 *
 * A full render does not run in the animation frame that decides it but in a task of its own
 * right after it (`runTask`): the frame then lays out and paints what appends showed, and the
 * render's layout and paint fall in the next frame, instead of one long task doing both.
 *
 * Text waiting for a render is rendered even if no more text arrives, so frames keep coming while
 * it waits. Except while text arrives fast: nothing can make a render due before `fastGapMs` have
 * passed or the pace has dropped below `fastPace` (more text only keeps the pace up, and brings a
 * frame of its own), so a timer (`runTask` with a delay) comes back then, instead of a frame every
 * frame in between. Each first `requestAnimationFrame` of a frame costs the webview about 60 µs
 * of script: at a fast pace that was 13% of its scripting (npm run bench:render -- --profile).
 *
 * Nor is a large render shown in one frame: the browser styles, lays out and paints every element
 * a frame inserts, so a render of hundreds of elements (a backed-off render at a fast pace holds
 * 600 ms of text: 400-800 elements, 25-40 ms of rendering work in one frame) is inserted a slice
 * of about `insertBudget` (250) elements a frame, in order, the open tail last. The screen still
 * shows a prefix of the message, rendered exactly, and no frame inserts more than the budget (or
 * one top-level block, if a single block is larger). `finish` inserts what is left at once.
 *
 * Nodes go into the container's chunks of blocks (blockChunks.ts), where a render of the whole
 * message would put them, so the stream ends as the same DOM as a snapshot.
 */
import type { FrameScheduler, TaskRunner } from '../dom';
import { appendText, applyInlineAppend, fenceAppendEnd, openFenceCode, planInlineAppend } from './append';
import { BlockChunks } from './blockChunks';
import { hasLinkReferenceDefinition, splitFinishedBlocks } from './blocks';
import type { MarkdownRenderer } from './markdown';
import { resolveStreamingOptions, type StreamingOptions } from './streamingOptions';

export type { StreamingOptions } from './streamingOptions';

/**
 * The container of a message streamed from its first delta carries this class until the message
 * is rendered whole again (`replaceAll`): each of its chunks of blocks (blockChunks.ts) was
 * filled at the end of a growing message and laid out there, which lets them skip rendering once
 * off screen (transcript.css). A message rendered whole (a snapshot) is laid out once and then
 * not again, and needs none of it.
 */
export const STREAMED_CLASS = 'streamed';

export class StreamingMessageRenderer {
  /**
   * The text of the finished (frozen) blocks. Never read while streaming: the per-frame work
   * only touches `tail`, so it costs the same at the end of a long answer as at its start.
   */
  private head = '';
  /** The text from the end of the last finished block: the open tail, as received. */
  private tail = '';
  private pending = '';
  private tailNodes: Node[] = [];
  /** Where the rendered nodes go: the container's chunks (see blockChunks.ts). */
  private readonly chunks: BlockChunks;
  /** Rendered top-level nodes not inserted yet, in order (the tail's, if any, last; see above). */
  private backlog: Node[] = [];
  /** `tail.slice(0, shown)` is on screen; the rest waits for an append or a full render. */
  private shown = 0;
  /** The `<code>` of the open fence the tail consists of, while appends to it are possible. */
  private fenceCode: Element | undefined;
  private framesSinceRender: number;
  /** Length of the open tail right after the last full render: the base of the growth rule. */
  private renderedTailLength = 0;
  /** When text that appends could not show started waiting for a full render, if it is. */
  private waitingSince: number | undefined;
  private scheduled = false;
  /** A full render waits in `runTask`; `renderGeneration` tells it whether it is still wanted. */
  private renderQueued = false;
  private renderGeneration = 0;
  /** A timer will come back to text waiting at a fast pace (see above). */
  private wakeQueued = false;
  /** Set by `renderDue` when the pace alone kept a render back: ms until that can change. */
  private fastWaitMs: number | undefined;
  /** When the last full render happened, and the length of all text then: the pace since. */
  private renderedAt: number | undefined;
  private lengthAtRender = 0;
  private finished = false;
  private readonly minFrames: number;
  private readonly growth: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private readonly fastPace: number;
  private readonly fastGapMs: number;
  private readonly insertBudget: number;
  /** Where full renders run: a task after the frame, or (no `runTask` given) the frame itself. */
  private readonly runTask: TaskRunner | undefined;

  constructor(
    private readonly container: Element,
    private readonly markdown: MarkdownRenderer,
    private readonly schedule: FrameScheduler,
    /** Called after every DOM update, e.g. to keep the transcript scrolled to the bottom. */
    private readonly onRender: () => void = () => undefined,
    options: StreamingOptions = {},
  ) {
    ({
      minFrames: this.minFrames,
      growth: this.growth,
      maxWaitMs: this.maxWaitMs,
      now: this.now,
      fastPace: this.fastPace,
      fastGapMs: this.fastGapMs,
      insertBudget: this.insertBudget,
      runTask: this.runTask,
    } = resolveStreamingOptions(options));
    // The first text of a message is rendered in the frame it arrives.
    this.framesSinceRender = this.minFrames;
    this.chunks = new BlockChunks(container);
  }

  /** All text received so far, rendered or not. */
  get text(): string {
    return this.head + this.tail + this.pending;
  }

  /** Length of all text received so far (cheaper than `text.length`, which joins strings). */
  get length(): number {
    return this.head.length + this.tail.length + this.pending.length;
  }

  /** Length of the text on screen (the rest waits for the next full render); for tests. */
  get shownLength(): number {
    return this.head.length + this.shown;
  }

  /** Number of frozen top-level nodes; exposed for tests of the linear-time guarantee. */
  get frozenNodeCount(): number {
    return this.chunks.nodeCount + this.backlog.length - this.tailNodes.length;
  }

  append(delta: string): void {
    if (delta.length === 0) return;
    if (this.length === 0) this.container.classList.add(STREAMED_CLASS);
    this.pending += delta;
    this.finished = false;
    this.requestFrame();
  }

  /**
   * Ends the stream. `finalText` is the host's authoritative text; if it is not what we have
   * (a lost or duplicated delta), we start over from it rather than show something different.
   */
  finish(finalText: string = this.text): void {
    this.cancelQueuedRender();
    if (finalText !== this.text || hasLinkReferenceDefinition(finalText)) {
      this.replaceAll(finalText);
      return;
    }
    this.takePending();
    if (this.tailRendersExactly(this.tail.length)) {
      // Everything is on screen, and rendered as a final render would: nothing left to render.
      // The tail stays the tail, so that a continued answer can still extend its last block.
      this.settleTail(false);
    } else {
      this.render(true);
    }
    this.insertBacklog(Infinity);
    this.chunks.trim();
    this.finished = true;
    this.onRender();
  }

  /**
   * Renders a complete message (a snapshot, or a final text that differs from the stream) in one
   * piece. Everything counts as tail, so if the host ever streams more into this turn, the next
   * full render re-splits it once from the start.
   */
  replaceAll(text: string): void {
    this.cancelQueuedRender();
    this.head = '';
    this.tail = text;
    this.pending = '';
    this.backlog = [];
    const fragment = this.markdown.render(text);
    this.tailNodes = Array.from(fragment.childNodes);
    this.chunks.replace(this.tailNodes);
    this.container.classList.remove(STREAMED_CLASS);
    this.settleTail(false);
    this.finished = true;
    this.onRender();
  }

  private requestFrame(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (!this.finished) this.frame();
    });
  }

  private frame(): void {
    this.takePending();
    this.framesSinceRender++;
    const appended = this.shown < this.tail.length && this.appendInPlace();
    if (!this.renderQueued && this.needsRender()) {
      if (this.renderDue()) {
        this.queueRender();
      } else {
        // Come back even if no more text arrives: what waits must not wait for the next delta.
        this.comeBack();
      }
    }
    // After a render in this frame (without `runTask`), so that it shows in this frame too.
    const inserted = this.insertBacklog(this.insertBudget);
    if (appended || inserted) this.onRender();
  }

  /**
   * Inserts nodes of the backlog, in order, up to `budget` elements (and always its first node);
   * whether it inserted any. What is left is inserted by the next frames.
   */
  private insertBacklog(budget: number): boolean {
    if (this.backlog.length === 0) return false;
    let count = 0;
    let left = budget;
    for (; count < this.backlog.length; count++) {
      const node = this.backlog[count];
      const cost = node?.nodeType === 1 ? (node as Element).getElementsByTagName('*').length + 1 : 0;
      if (count > 0 && cost > left) break;
      left -= cost;
    }
    this.chunks.append(this.backlog.splice(0, count));
    if (this.backlog.length > 0) this.requestFrame();
    return true;
  }

  /** At the next frame, or at a fast pace once a render can be due (see above). */
  private comeBack(): void {
    const wait = this.fastWaitMs;
    if (wait === undefined || this.runTask === undefined) {
      this.requestFrame();
      return;
    }
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    this.runTask(() => {
      this.wakeQueued = false;
      if (!this.finished) this.requestFrame();
    }, wait);
  }

  private queueRender(): void {
    this.renderQueued = true;
    const generation = this.renderGeneration;
    const runTask = this.runTask;
    if (!runTask) {
      // In the frame that decided it: `frame` inserts it and tells `onRender` right after.
      this.runQueuedRender(generation);
      return;
    }
    runTask(() => {
      // Its nodes are inserted, and `onRender` told, by the next frame (see `render`).
      this.runQueuedRender(generation);
    });
  }

  /** Runs a queued full render unless `finish` or `replaceAll` dropped it. */
  private runQueuedRender(generation: number): void {
    if (generation !== this.renderGeneration) return;
    this.renderQueued = false;
    if (this.finished) return;
    this.takePending();
    this.render(false);
  }

  /** Moves the text received since into the tail, where frames and renders work on it. */
  private takePending(): void {
    this.tail += this.pending;
    this.pending = '';
  }

  private cancelQueuedRender(): void {
    this.renderQueued = false;
    this.renderGeneration++;
  }

  /** Shows new text by appending it, if that is exactly what a render would show. */
  private appendInPlace(): boolean {
    if (this.fenceCode) {
      const end = fenceAppendEnd(this.tail, 0, this.shown);
      if (end === undefined) return false;
      appendText(this.fenceCode, this.tail.slice(this.shown, end));
      this.shown = end;
      return true;
    }
    const plan = planInlineAppend(this.tail, this.shown);
    if (!plan || !applyInlineAppend(this.tailNodes, plan)) return false;
    this.shown = plan.shown;
    return true;
  }

  /**
   * Whether the text waiting for a full render has waited enough: the tail grew by `growth` of
   * its rendered length (and `minFrames` passed), or the wait reached `maxWaitMs`, or an open
   * fence on screen got its closing line (it is then highlighted at once). While text arrives
   * faster than `fastPace`, not before `fastGapMs` since the last full render.
   */
  private renderDue(): boolean {
    const now = this.now();
    this.waitingSince ??= now;
    this.fastWaitMs = undefined;
    const sinceRender = this.renderedAt === undefined ? undefined : now - this.renderedAt;
    const arrived = this.length - this.lengthAtRender;
    const fast = sinceRender !== undefined && sinceRender > 0 && arrived / sinceRender >= this.fastPace;
    if (fast) {
      if (sinceRender < this.fastGapMs) {
        // Until the gap ends or, if no more text arrives, the pace drops below fastPace.
        this.fastWaitMs = Math.ceil(Math.min(this.fastGapMs, arrived / this.fastPace) - sinceRender) + 1;
        return false;
      }
    } else if (this.fenceClosed()) {
      return true;
    }
    if (now - this.waitingSince >= this.maxWaitMs) return true;
    return this.framesSinceRender >= this.minFrames && this.tail.length - this.renderedTailLength >= this.growth * this.renderedTailLength;
  }

  /** Whether a full render has something to show: text not on screen yet. */
  private needsRender(): boolean {
    return /\S/.test(this.tail.slice(this.shown));
  }

  /**
   * Whether the open fence on screen got its closing line: it is then rendered (highlighted) at
   * once, before more text piles up in the tail behind it.
   */
  private fenceClosed(): boolean {
    return this.fenceCode !== undefined && splitFinishedBlocks(this.tail).blocks.length > 0;
  }

  private render(final: boolean): void {
    const { blocks, tailStart, openFence } = splitFinishedBlocks(this.tail);
    let from = 0;
    // The tail on screen may already be the finished blocks' final rendering: freeze it as it is.
    if (blocks.length > 0 && this.tailRendersExactly(tailStart)) {
      this.tailNodes = [];
      from = tailStart;
    }
    this.removeTail();
    const text = this.tail.slice(from);
    this.head += this.tail.slice(0, tailStart);
    this.tail = this.tail.slice(tailStart);
    if (/\S/.test(text)) {
      // Newly finished blocks and the tail in one pass: the blocks are independent, so this
      // renders them as a render of the whole message would.
      const { fragment, tail } = this.markdown.renderStream(text, tailStart - from, { streaming: !final, openFence: !final && openFence });
      const nodes = Array.from(fragment.childNodes);
      const at = tail ? nodes.indexOf(tail) : -1;
      this.tailNodes = at < 0 ? [] : nodes.slice(at);
      // Inserted by the frames (see above): a render in a task between two frames inserting
      // too would add its slice to the next frame's.
      this.backlog.push(...nodes);
      this.requestFrame();
    }
    this.settleTail(!final);
  }

  /**
   * Whether the tail's DOM can become the frozen rendering of the blocks that end at `end`: it
   * renders `source.slice(tailStart, shown)` (always true: appends are exact), everything after
   * that up to `end` is blank, and it holds no code (an open fence is shown plain, and streaming
   * renders skip auto-detection).
   */
  private tailRendersExactly(end: number): boolean {
    if (this.tailNodes.length === 0 || end < this.shown) return false;
    if (/\S/.test(this.tail.slice(this.shown, end))) return false;
    return this.tailNodes.every((node) => node.nodeType !== 1 || ((node as Element).tagName !== 'PRE' && !(node as Element).querySelector('pre')));
  }

  private removeTail(): void {
    this.chunks.removeLast(this.tailNodes);
    // The tail's nodes not inserted yet are the backlog's last ones.
    if (this.tailNodes.length > 0) this.backlog = this.backlog.filter((node) => !this.tailNodes.includes(node));
    this.tailNodes = [];
  }

  /** After a full render: everything is shown, and the tail may be an open fence to append to. */
  private settleTail(streaming: boolean): void {
    this.renderedAt = this.now();
    this.lengthAtRender = this.length;
    this.shown = this.tail.length;
    this.renderedTailLength = this.tail.length;
    this.waitingSince = undefined;
    this.framesSinceRender = 0;
    this.fenceCode = streaming ? openFenceCode(this.tailNodes) : undefined;
  }
}
