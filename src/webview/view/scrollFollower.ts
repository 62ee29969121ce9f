/**
 * Where the transcript is scrolled: it follows streaming output only while the reader is at the
 * bottom (otherwise a "jump to latest" button appears), persists the position for a webview that
 * is created again, and puts the reader back after a snapshot redraws the transcript.
 */
import type { HostApi } from '../api';
import { el, type FrameScheduler } from '../dom';
import { icon } from '../icons';
import { strings } from '../strings';
import type { ScrollAnchor, TurnWindow } from './turnWindow';

/** Within this many pixels of the end counts as "at the bottom" (sub-pixel and rounding slack). */
const BOTTOM_SLACK_PX = 24;

export interface ScrollFollowerDeps {
  readonly api: HostApi;
  readonly schedule: FrameScheduler;
  /** The conversation shown, whose position is persisted. */
  readonly conversationId: () => string;
}

export class ScrollFollower {
  private stick = true;
  private persistQueued = false;
  private readonly jumpButton: HTMLButtonElement;

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
    this.jumpButton.addEventListener('click', () => {
      this.stick = true;
      this.scrollToBottom();
    });
    root.after(this.jumpButton);
    root.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  /** Whether new output is followed (the reader is at the bottom). */
  get following(): boolean {
    return this.stick;
  }

  /** The user just sent something: show it and what follows, wherever they had scrolled. */
  followFromNowOn(): void {
    this.stick = true;
  }

  /** Keeps the newest output in view, but only for a reader who has not scrolled away. */
  follow(): void {
    if (this.stick) this.scrollToBottom();
    else this.jumpButton.hidden = false;
  }

  /**
   * After a snapshot was drawn: back to the anchor captured before the redraw, else to the
   * position saved by an earlier webview, else to the end.
   */
  restore(turns: TurnWindow, anchor: ScrollAnchor | undefined): void {
    if (anchor && turns.scrollToAnchor(anchor)) {
      this.stick = false;
      return;
    }
    const saved = this.deps.api.getState().scroll;
    if (saved && saved.conversationId === this.deps.conversationId() && !saved.atBottom) {
      this.stick = false;
      turns.scrollToDistanceFromEnd(saved.top);
      return;
    }
    this.stick = true;
    this.scrollToBottom();
  }

  private isAtBottom(): boolean {
    const r = this.root;
    return r.scrollHeight - r.scrollTop - r.clientHeight <= BOTTOM_SLACK_PX;
  }

  private scrollToBottom(): void {
    this.root.scrollTop = this.root.scrollHeight;
    this.jumpButton.hidden = true;
  }

  private onScroll(): void {
    this.stick = this.isAtBottom();
    if (this.stick) this.jumpButton.hidden = true;
    if (this.persistQueued) return;
    this.persistQueued = true;
    this.deps.schedule(() => {
      this.persistQueued = false;
      // The distance from the end, not scrollTop: a new webview renders fewer older turns above
      // the reader, but the same turns below, so this distance still leads to the same place.
      const scroll = { conversationId: this.deps.conversationId(), top: this.root.scrollHeight - this.root.scrollTop, atBottom: this.stick };
      const saved = this.deps.api.getState().scroll;
      // Auto-follow scrolls every frame while streaming; only write when something changed.
      if (saved && saved.conversationId === scroll.conversationId && saved.atBottom === scroll.atBottom && (scroll.atBottom || saved.top === scroll.top)) return;
      this.deps.api.patchState({ scroll });
    });
  }
}
