/**
 * Which turns of a long transcript have DOM. A snapshot may carry a thousand turns; rendering
 * them all (markdown, highlighting, sanitizing) would block the webview for seconds, and keeping
 * all of them rendered makes every frame and the webview's memory grow with the chat's length.
 *
 * - The newest turns are rendered at once, as direct children of the transcript.
 * - The older ones are parked here as data, oldest first. A sentinel at the top tells us (an
 *   IntersectionObserver) when the reader comes within a screen of the rendered part's top; the
 *   next chunk is then rendered into a `.turn-chunk` above, without moving what the reader sees.
 * - A chunk the reader has left far behind drops its DOM and keeps its height, so the scrollbar
 *   and everything around it stay put; it is rendered again when the reader comes near.
 *
 * Turns without DOM still take what the host sends for them (an update, a late delta), so they
 * render as the host last described them.
 */
import type { AssistantTurnView, ToWebview, TurnView } from '../../shared/protocol';
import { el } from '../dom';

/**
 * Turns a snapshot renders at once: ten exchanges fill a tall panel a few times over, and if short
 * answers do not, the sentinel asks for more right after the first paint.
 */
const INITIAL_TURNS = 20;
/**
 * A chunk of older turns stops at this many, or once rendering took this long (ms), whichever
 * comes first: each chunk is one task, well under the 50 ms that makes scrolling stutter.
 */
const CHUNK_TURNS = 20;
const CHUNK_BUDGET_MS = 8;
/** Render the next chunk when the sentinel is within one transcript height above the visible area. */
const PRELOAD_MARGIN = '100% 0px 0px 0px';
/** A chunk further than this from the visible area drops its DOM; nearer, it is rendered again. */
const KEEP_MARGIN = '300% 0px 300% 0px';

export interface TurnWindowDeps {
  /** Builds a turn's element; the transcript also registers the turn by id. */
  readonly render: (turn: TurnView) => HTMLElement;
  /** Readies freshly rendered turns before they go in (e.g. disables locked buttons). */
  readonly prepare: (turns: ParentNode) => void;
  /** Forgets a turn whose DOM is dropped; returns its latest view if it changed since it was rendered. */
  readonly release: (turnId: string) => TurnView | undefined;
  /** Whether the DOM under `element` must stay, e.g. because it holds an open editor. */
  readonly pinned: (element: HTMLElement) => boolean;
  readonly now: () => number;
}

interface Chunk {
  readonly element: HTMLElement;
  /** The chunk's turns as rendered, or as released when its DOM was dropped; oldest first. */
  views: TurnView[];
  dropped: boolean;
}

export class TurnWindow {
  /** Turns not rendered yet, oldest first; chunks are taken from the end (the newest of them). */
  private parked: TurnView[] = [];
  /** Rendered older chunks in document order (oldest first). */
  private chunks: Chunk[] = [];
  private readonly byElement = new Map<Element, Chunk>();
  private readonly sentinel: HTMLElement;
  private readonly sentinelObserver: IntersectionObserver | undefined;
  private readonly chunkObserver: IntersectionObserver | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: TurnWindowDeps,
  ) {
    const doc = root.ownerDocument;
    this.sentinel = el(doc, 'div', { className: 'transcript-sentinel', attrs: { 'aria-hidden': 'true' } });
    const Observer = doc.defaultView?.IntersectionObserver;
    if (Observer) {
      this.sentinelObserver = new Observer((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.renderOlder();
      }, { root, rootMargin: PRELOAD_MARGIN });
      this.chunkObserver = new Observer((entries) => this.onChunksMoved(entries), { root, rootMargin: KEEP_MARGIN });
    }
    root.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  /** Renders the newest of `turns` at the end of the (emptied) transcript and parks the others. */
  show(turns: readonly TurnView[]): void {
    this.chunkObserver?.disconnect();
    this.chunks = [];
    this.byElement.clear();
    const split = Math.max(0, turns.length - INITIAL_TURNS);
    this.parked = turns.slice(0, split);
    for (const turn of turns.slice(split)) this.root.append(this.deps.render(turn));
    this.rearm();
  }

  /**
   * Renders the next chunk of older turns above the rendered ones, newest first, so a chunk cut
   * short by its time budget still joins up with them. The reader's view must not move: the
   * scroll position grows by exactly the height that went in above it.
   */
  renderOlder(): void {
    if (this.parked.length === 0) return;
    const r = this.root;
    const heightBefore = r.scrollHeight;
    const topBefore = r.scrollTop;
    const start = this.deps.now();
    const views: TurnView[] = [];
    const elements: HTMLElement[] = [];
    while (views.length < CHUNK_TURNS && (views.length === 0 || this.deps.now() - start < CHUNK_BUDGET_MS)) {
      const turn = this.parked.pop();
      if (!turn) break;
      views.unshift(turn);
      elements.unshift(this.deps.render(turn));
    }
    // The transcript is a live region (role=log): old turns coming into view are not news.
    const element = el(r.ownerDocument, 'div', { className: 'turn-chunk', attrs: { 'aria-live': 'off' } }, elements);
    const chunk: Chunk = { element, views, dropped: false };
    this.deps.prepare(chunk.element);
    this.chunks.unshift(chunk);
    this.byElement.set(chunk.element, chunk);
    this.sentinel.after(chunk.element);
    this.chunkObserver?.observe(chunk.element);
    r.scrollTop = topBefore + (r.scrollHeight - heightBefore);
    this.rearm();
  }

  /** Renders older chunks while `more()` holds and turns are parked. */
  renderWhile(more: () => boolean): void {
    while (this.parked.length > 0 && more()) this.renderOlder();
  }

  /** The element of a turn, rendering it if need be; undefined if there is no such turn. */
  element(turnId: string): HTMLElement | undefined {
    const dropped = this.chunks.find((chunk) => chunk.dropped && chunk.views.some((turn) => turn.id === turnId));
    if (dropped) this.restore(dropped);
    this.renderWhile(() => this.parked.some((turn) => turn.id === turnId));
    return Array.from(this.root.querySelectorAll<HTMLElement>('.turn')).find((e) => e.getAttribute('data-turn-id') === turnId);
  }

  /** The newest user message (what ArrowUp edits), rendering it if need be. */
  lastUserTurn(): HTMLElement | undefined {
    const newest = Array.from(this.root.querySelectorAll<HTMLElement>(':scope > .turn-user')).at(-1);
    if (newest) return newest;
    // The newest turns can all be answers (a chain of Continues): look further up.
    for (const chunk of [...this.chunks].reverse()) {
      if (!chunk.views.some((turn) => turn.role === 'user')) continue;
      if (chunk.dropped) this.restore(chunk);
      return Array.from(chunk.element.querySelectorAll<HTMLElement>('.turn-user')).at(-1);
    }
    const id = this.parked.findLast((turn) => turn.role === 'user')?.id;
    return id === undefined ? undefined : this.element(id);
  }

  /** Forgets a turn that left the conversation, parked or in a chunk; its DOM is the caller's. */
  forget(turnId: string): void {
    this.parked = this.parked.filter((turn) => turn.id !== turnId);
    for (const chunk of this.chunks) chunk.views = chunk.views.filter((turn) => turn.id !== turnId);
  }

  /** The view of a turn without DOM, if there is one. */
  view(turnId: string): TurnView | undefined {
    for (const list of [this.parked, ...this.chunks.filter((chunk) => chunk.dropped).map((chunk) => chunk.views)]) {
      const turn = list.find((candidate) => candidate.id === turnId);
      if (turn !== undefined) return turn;
    }
    return undefined;
  }

  /** Replaces the view of a turn without DOM; false if it has DOM (or does not exist). */
  update(turn: AssistantTurnView): boolean {
    return this.replace(turn.id, () => turn);
  }

  /** Adds a delta to a turn without DOM; false if it has DOM (or does not exist). */
  appendDelta(message: ToWebview.DidStreamDelta): boolean {
    return this.replace(message.turnId, (turn) => turn.role === 'assistant'
      ? { ...turn, text: turn.text + (message.text ?? ''), thinking: turn.thinking + (message.thinking ?? '') }
      : turn);
  }

  /**
   * Where the reader is, to come back to after a redraw. Pixels from the top or from the end would
   * not survive one: the top moves with how many older turns are rendered, the end with what the
   * new snapshot holds below the reader (another version of a message). So the anchor is the
   * topmost visible turn or, if `next` lacks it (the version switcher replaced it), the nearest
   * turn above it that `next` still has.
   */
  anchor(next: readonly TurnView[]): ScrollAnchor | undefined {
    const ids = new Set(next.map((turn) => turn.id));
    const turns = Array.from(this.root.querySelectorAll<HTMLElement>('.turn'));
    const top = this.root.getBoundingClientRect().top;
    for (let i = turns.findIndex((turn) => turn.getBoundingClientRect().bottom > top); i >= 0; i--) {
      const turn = turns[i];
      const turnId = turn?.getAttribute('data-turn-id');
      if (turn && turnId && ids.has(turnId)) return { turnId, offset: turn.getBoundingClientRect().top - top };
    }
    return undefined;
  }

  /** Puts the anchor's turn back where it was, rendering older turns as needed; false if it is gone. */
  scrollToAnchor(anchor: ScrollAnchor): boolean {
    const turn = this.element(anchor.turnId);
    if (!turn) return false;
    this.root.scrollTop += turn.getBoundingClientRect().top - this.root.getBoundingClientRect().top - anchor.offset;
    return true;
  }

  /** Scrolls to `distance` pixels above the end, rendering older turns until there is such a place. */
  scrollToDistanceFromEnd(distance: number): void {
    const r = this.root;
    // Not while the panel has no size: nothing would ever be tall enough.
    this.renderWhile(() => r.clientHeight > 0 && r.scrollHeight < distance);
    r.scrollTop = r.scrollHeight - distance;
  }

  private replace(turnId: string, next: (turn: TurnView) => TurnView): boolean {
    for (const list of [this.parked, ...this.chunks.filter((chunk) => chunk.dropped).map((chunk) => chunk.views)]) {
      const index = list.findIndex((turn) => turn.id === turnId);
      const turn = list[index];
      if (turn === undefined) continue;
      list[index] = next(turn);
      return true;
    }
    return false;
  }

  /**
   * Drops chunks that left the margin, then renders again those that came back, nearest first,
   * within the chunk budget. The rest are observed anew, which makes the observer report them
   * again next frame: a fast scroll becomes several short tasks, not one long one.
   */
  private onChunksMoved(entries: readonly IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const chunk = this.byElement.get(entry.target);
      if (chunk && !entry.isIntersecting && !chunk.dropped) this.drop(chunk);
    }
    const distance = (entry: IntersectionObserverEntry): number => Math.abs(entry.boundingClientRect.top - (entry.rootBounds?.top ?? 0));
    const start = this.deps.now();
    for (const entry of entries.filter((e) => e.isIntersecting).sort((a, b) => distance(a) - distance(b))) {
      const chunk = this.byElement.get(entry.target);
      if (!chunk?.dropped) continue;
      if (this.deps.now() - start < CHUNK_BUDGET_MS) {
        this.restore(chunk);
      } else {
        this.chunkObserver?.unobserve(chunk.element);
        this.chunkObserver?.observe(chunk.element);
      }
    }
  }

  /**
   * A backstop for the observers: in Chromium the sentinel's observer was seen to stay silent
   * after a chunk went in and scroll anchoring moved the content, leaving the reader stuck at the
   * top of what is rendered, and a chunk left blank would be worse. Both checks are cheap: the
   * sentinel is the top of the content, and dropped chunks are bare elements.
   */
  private onScroll(): void {
    const r = this.root;
    if (this.parked.length > 0 && r.scrollTop <= r.clientHeight) this.renderOlder();
    // Scrolling follows streaming output every frame: measure nothing unless a chunk is dropped.
    if (!this.chunks.some((chunk) => chunk.dropped)) return;
    const view = r.getBoundingClientRect();
    const start = this.deps.now();
    for (const chunk of this.chunks) {
      if (!chunk.dropped || this.deps.now() - start >= CHUNK_BUDGET_MS) continue;
      const box = chunk.element.getBoundingClientRect();
      if (box.bottom > view.top - view.height && box.top < view.bottom + view.height) this.restore(chunk);
    }
  }

  /**
   * Drops a far chunk's DOM. Its height is pinned first (CSSOM, which the CSP allows) so nothing
   * moves. Kept when dropping would lose something: the focus, selected text, an open editor.
   */
  private drop(chunk: Chunk): void {
    const { element } = chunk;
    const doc = element.ownerDocument;
    const selection = doc.getSelection();
    const selected = selection !== null && !selection.isCollapsed && selection.getRangeAt(0).intersectsNode(element);
    if (selected || this.deps.pinned(element) || element.contains(doc.activeElement)) return;
    element.style.height = `${element.getBoundingClientRect().height}px`;
    chunk.views = chunk.views.map((turn) => this.deps.release(turn.id) ?? turn);
    element.replaceChildren();
    chunk.dropped = true;
  }

  private restore(chunk: Chunk): void {
    const fragment = chunk.element.ownerDocument.createDocumentFragment();
    fragment.append(...chunk.views.map((turn) => this.deps.render(turn)));
    this.deps.prepare(fragment);
    chunk.element.replaceChildren(fragment);
    chunk.element.style.removeProperty('height');
    chunk.dropped = false;
  }

  /**
   * Puts the sentinel on top while turns are parked. Observing it again makes the observer report
   * where it is now: after a chunk it moved up by the chunk's height but may still be within the
   * margin, and an observer reports only changes, so chunks keep coming until a screen's worth is
   * rendered above the reader.
   */
  private rearm(): void {
    this.sentinelObserver?.unobserve(this.sentinel);
    if (this.parked.length === 0) {
      this.sentinel.remove();
      return;
    }
    this.root.prepend(this.sentinel);
    this.sentinelObserver?.observe(this.sentinel);
  }
}

/** Where the reader was: a turn, and how far its top was below the top of the visible area. */
export interface ScrollAnchor {
  readonly turnId: string;
  readonly offset: number;
}
