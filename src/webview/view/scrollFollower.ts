/**
 * Where the transcript is scrolled: it follows streaming output only while the reader is at the
 * bottom (otherwise a "jump to latest" button appears), persists the position for a webview that
 * is created again, and puts the reader back after a snapshot redraws the transcript.
 *
 * Following costs one scrollTop write per frame and no layout read: the write clamps a too-large
 * value to the end, and the scroll event it causes is recognised as ours (the position is the one
 * we set) and skipped, so only the reader's own scrolling is measured and persisted.
 *
 * The write is made at the start of the next frame, not where the output was rendered: clamping
 * needs the layout, which is stale right after a render (a write there forces a synchronous layout
 * of the whole transcript, every frame: it was most of the webview's script time while streaming),
 * and is clean again once the browser has laid out and painted that render. New output shows a
 * frame before the view moves to it. The write is a `'read'` callback, so it runs before that
 * frame's other callbacks insert more output (which would stale the layout again).
 *
 * Only the reader stops the following while output comes in: a scroll event that is not ours,
 * with output rendered since our last scroll to the end, stops it only if the reader just used the
 * wheel, a key, the pointer (the scrollbar, a drag) or touch in the transcript, because the
 * browser moves the view by itself too. For one: when a streamed answer's blocks each skipped
 * rendering off screen (content-visibility, transcript.css; now a chunk of blocks at a time, and
 * the view that follows is on the last chunk), a block rendered again (a closed code fence, a
 * table) replaced nodes that had their height with new ones that skipped their first layout at a
 * height of 0: the answer was shorter for that layout, scrollTop was clamped to its new end, and
 * the block got its height back in the same frame, but the view stayed where the clamp put it,
 * above the end. Taken for the reader's scroll, that stopped the following mid-answer, with "jump
 * to latest" shown to someone who never scrolled; a scroll like it now takes the view back to
 * the end at the next frame.
 */
import type { HostApi } from '../api';
import { el, type FrameScheduler } from '../dom';
import { icon } from '../icons';
import { strings } from '../strings';
import type { ScrollAnchor, TurnWindow } from './turnWindow';

/** Within this many pixels of the end counts as "at the bottom" (sub-pixel and rounding slack). */
const BOTTOM_SLACK_PX = 24;
/** Past any end: scrollTop clamps it to the bottom without us reading scrollHeight first. */
const FAR_BELOW = Number.MAX_SAFE_INTEGER;
/**
 * A scroll this soon after the reader's input is theirs: the event comes a frame or two after the
 * wheel or key, and a smooth scroll goes on for a few frames more.
 */
const READER_INPUT_MS = 500;
/** What the reader scrolls with, inside the transcript; the pointer (the scrollbar, a drag) counts while held. */
const READER_INPUTS = ['wheel', 'keydown', 'touchstart', 'touchmove', 'focusin'] as const;

export interface ScrollFollowerDeps {
  readonly api: HostApi;
  readonly schedule: FrameScheduler;
  /** The conversation shown, whose position is persisted. */
  readonly conversationId: () => string;
  /** Clock for "the reader just scrolled", in milliseconds; `performance.now` by default. */
  readonly now?: () => number;
}

export class ScrollFollower {
  /** Whether new output is followed; set only by `setStick` (true from the constructor on). */
  private stick = false;
  private persistQueued = false;
  private followQueued = false;
  /** Where our last scroll to the bottom landed, until its scroll event arrives. */
  private ownScrollTop: number | undefined;
  /** What the last persisted position said, so following the output persists nothing new. */
  private persistedAtBottom: boolean | undefined;
  private readonly jumpButton: HTMLButtonElement;
  /** Watches the view's size and the newest turn's (see `watch`). */
  private readonly resizes: ResizeObserver | undefined;
  private watched: Element | undefined;
  /** When the reader last used the wheel, a key, the pointer or touch in the transcript. */
  private readerInputAt = Number.NEGATIVE_INFINITY;
  /** A pointer held down in the transcript: dragging its scrollbar, or a selection past its edge. */
  private pointerHeld = false;
  /** Output was rendered (or the view resized) since our last scroll to the end. */
  private changedSinceWrite = false;
  private readonly now: () => number;

  constructor(
    private readonly root: HTMLElement,
    private readonly deps: ScrollFollowerDeps,
  ) {
    this.jumpButton = el(root.ownerDocument, 'button', {
      id: 'scroll-to-bottom',
      className: 'icon-button jump-button',
      attrs: { type: 'button', 'aria-label': strings.jumpToLatest, title: strings.jumpToLatest },
    }, [icon(root.ownerDocument, 'arrowDown')]);
    this.jumpButton.hidden = true;
    this.setStick(true);
    this.jumpButton.addEventListener('click', () => {
      this.setStick(true);
      this.scrollToBottom();
    });
    root.after(this.jumpButton);
    this.now = deps.now ?? (() => performance.now());
    root.addEventListener('scroll', () => this.onScroll(), { passive: true });
    const onInput = (): void => {
      this.readerInputAt = this.now();
    };
    for (const type of READER_INPUTS) root.addEventListener(type, onInput, { passive: true });
    root.addEventListener('pointerdown', () => {
      this.pointerHeld = true;
    }, { passive: true });
    const release = (): void => {
      if (!this.pointerHeld) return;
      this.pointerHeld = false;
      this.readerInputAt = this.now();
    };
    const win = root.ownerDocument.defaultView;
    win?.addEventListener('pointerup', release, { passive: true });
    win?.addEventListener('pointercancel', release, { passive: true });
    // The view gets shorter when the composer grows (a context chip, a suggestion, a longer draft):
    // a reader at the bottom stays there instead of having the last lines slip under the composer.
    // Nor does the newest turn growing with no render leave them above its end (see `watch`).
    const Observer = root.ownerDocument.defaultView?.ResizeObserver;
    this.resizes = Observer === undefined ? undefined : new Observer(() => {
      if (this.stick) this.follow();
    });
    this.resizes?.observe(root);
  }

  /**
   * Keeps a reader at the bottom there while `element`, the newest turn, changes size with no
   * render to follow: an image that loads, a late layout, a block that opens.
   */
  watch(element: Element | undefined): void {
    if (element === this.watched) return;
    if (this.watched) this.resizes?.unobserve(this.watched);
    this.watched = element;
    if (element) this.resizes?.observe(element);
  }

  /** Whether new output is followed (the reader is at the bottom). */
  get following(): boolean {
    return this.stick;
  }

  /** The user just sent something: show it and what follows, wherever they had scrolled. */
  followFromNowOn(): void {
    this.setStick(true);
  }

  /**
   * Keeps the newest output in view, but only for a reader who has not scrolled away: at the next
   * frame, once for any number of calls in this one.
   */
  follow(): void {
    this.changedSinceWrite = true;
    if (!this.stick) {
      if (this.jumpButton.hidden) this.jumpButton.hidden = false;
      return;
    }
    if (this.followQueued) return;
    this.followQueued = true;
    this.deps.schedule(() => {
      this.followQueued = false;
      // The reader may have scrolled away in between.
      if (this.stick) this.scrollToBottom();
    }, 'read');
  }

  /**
   * After a snapshot was drawn: back to the anchor captured before the redraw, else to the
   * position saved by an earlier webview, else to the end.
   */
  restore(turns: TurnWindow, anchor: ScrollAnchor | undefined): void {
    if (anchor && turns.scrollToAnchor(anchor)) {
      this.setStick(false);
      return;
    }
    const saved = this.deps.api.getState().scroll;
    if (saved && saved.conversationId === this.deps.conversationId() && !saved.atBottom) {
      this.setStick(false);
      turns.scrollToDistanceFromEnd(saved.top);
      return;
    }
    this.setStick(true);
    this.scrollToBottom();
  }

  /**
   * Following or not. While following, the browser's scroll anchoring is off (class `following`,
   * transcript.css): our own writes keep the view at the end, and an anchoring shift made between
   * a write and its scroll event (a block above the anchor re-rendered a few pixels taller or
   * shorter in the same frame as a large chunk of output) would make that event look like the
   * reader's, and the reader would be left behind the output with "jump to latest" shown. A
   * reader who scrolled up has anchoring back, so a block above them that changes size does not
   * move what they are reading.
   */
  private setStick(value: boolean): void {
    if (value === this.stick) return;
    this.stick = value;
    // A class, not an inline style: no style attribute anywhere in the view (CSP, and the hostile
    // output tests take one for injected markup).
    this.root.classList.toggle('following', value);
  }

  private isAtBottom(): boolean {
    const r = this.root;
    return r.scrollHeight - r.scrollTop - r.clientHeight <= BOTTOM_SLACK_PX;
  }

  private scrollToBottom(): void {
    this.changedSinceWrite = false;
    this.root.scrollTop = FAR_BELOW;
    // Layout was clean before the write (see follow), so neither it nor this read forces one.
    this.ownScrollTop = this.root.scrollTop;
    if (!this.jumpButton.hidden) this.jumpButton.hidden = true;
  }

  /** Whether the reader could have made the scroll that just happened. */
  private readerScrolling(): boolean {
    return this.pointerHeld || this.now() - this.readerInputAt <= READER_INPUT_MS;
  }

  private onScroll(): void {
    const own = this.ownScrollTop !== undefined && this.root.scrollTop === this.ownScrollTop;
    this.ownScrollTop = undefined;
    if (own) {
      // Our own scroll to the bottom: still following, and nothing new to persist.
      if (this.persistedAtBottom === true) return;
    } else if (this.stick && this.changedSinceWrite && !this.readerScrolling()) {
      // The browser moved the view as output came in (a clamp): back to the end at the next frame.
      this.follow();
      return;
    } else {
      this.setStick(this.isAtBottom());
      if (this.stick && !this.jumpButton.hidden) this.jumpButton.hidden = true;
    }
    if (this.persistQueued) return;
    this.persistQueued = true;
    this.deps.schedule(() => {
      this.persistQueued = false;
      // The distance from the end, not scrollTop: a new webview renders fewer older turns above
      // the reader, but the same turns below, so this distance still leads to the same place.
      const scroll = { conversationId: this.deps.conversationId(), top: this.root.scrollHeight - this.root.scrollTop, atBottom: this.stick };
      const saved = this.deps.api.getState().scroll;
      this.persistedAtBottom = scroll.atBottom;
      // Only write when something changed.
      if (saved && saved.conversationId === scroll.conversationId && saved.atBottom === scroll.atBottom && (scroll.atBottom || saved.top === scroll.top)) return;
      this.deps.api.patchState({ scroll });
    }, 'read');
  }
}
