/**
 * Following streamed output: pinned to the end it writes scrollTop once per frame, at the start of
 * the next one (when layout is clean), and reads no layout (scrollHeight); its own scroll events are
 * not taken for the reader's, nor are the browser's (a clamp); a reader who scrolled away is left
 * alone and offered "jump to latest".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScrollFollower } from '../../../src/webview/view/scrollFollower';
import { createFakeApi, createWindow, ManualScheduler } from './helpers';

const PANEL = 500;

/** What the fake ResizeObserver watches, and a way to report a change in size as the browser would. */
interface Resizes {
  readonly observed: Set<Element>;
  fire(): void;
}

interface Setup {
  root: HTMLElement;
  follower: ScrollFollower;
  api: ReturnType<typeof createFakeApi>;
  scheduler: ManualScheduler;
  layout: { height: number; reads: number };
  /** The browser moved the view (our write, a clamp): sets scrollTop, fires `scroll`, runs the frames. */
  scroll: (top: number) => void;
  /** The reader scrolls with the wheel: a `wheel` event, then the scroll it makes. */
  readerScrolls: (top: number) => void;
  /** Output `height` px tall, followed to its end, and the scroll event of that write handled. */
  atEnd: (height: number) => void;
  jump: () => HTMLButtonElement;
  writes: { count: number };
  resizes: Resizes;
  clock: { now: number };
}

function setup(): Setup {
  const win = createWindow();
  const observed = new Set<Element>();
  let notify: (() => void) | undefined;
  Object.assign(win, {
    ResizeObserver: class {
      constructor(callback: () => void) {
        notify = callback;
      }
      observe(target: Element): void {
        observed.add(target);
      }
      unobserve(target: Element): void {
        observed.delete(target);
      }
      disconnect(): void {
        observed.clear();
      }
    },
  });
  const resizes: Resizes = { observed, fire: () => notify?.() };
  const doc = win.document;
  const root = doc.createElement('div');
  doc.getElementById('app')?.append(root);
  const layout = { height: 400, reads: 0 };
  let top = 0;
  const writes = { count: 0 };
  Object.defineProperty(root, 'scrollHeight', { get: () => (layout.reads++, layout.height) });
  Object.defineProperty(root, 'clientHeight', { get: () => PANEL });
  Object.defineProperty(root, 'scrollTop', {
    get: () => top,
    set: (value: number) => {
      writes.count++;
      top = Math.max(0, Math.min(value, layout.height - PANEL));
    },
  });
  const api = createFakeApi();
  const scheduler = new ManualScheduler();
  const clock = { now: 10_000 };
  const follower = new ScrollFollower(root, { api, schedule: scheduler.schedule, conversationId: () => 'c1', now: () => clock.now });
  /** What the browser does after scrollTop changed, by script or by the reader. */
  const scroll = (value: number): void => {
    top = value;
    root.dispatchEvent(new win.Event('scroll'));
    scheduler.runFrames();
  };
  const readerScrolls = (value: number): void => {
    root.dispatchEvent(new win.Event('wheel'));
    scroll(value);
  };
  const atEnd = (height: number): void => {
    layout.height = height;
    follower.follow();
    scheduler.runFrames();
    scroll(root.scrollTop);
  };
  const jump = (): HTMLButtonElement => doc.getElementById('scroll-to-bottom') as HTMLButtonElement;
  return { root, follower, api, scheduler, layout, scroll, readerScrolls, atEnd, jump, writes, resizes, clock };
}

describe('ScrollFollower', () => {
  it('keeps a pinned reader at the end without reading layout, and ignores its own scroll events', () => {
    const { root, follower, api, layout, scroll, scheduler } = setup();
    layout.height = 3000;
    layout.reads = 0;
    for (let i = 0; i < 50; i++) {
      layout.height += 20;
      follower.follow();
      scheduler.runFrames();
      assert.equal(root.scrollTop, layout.height - PANEL, 'at the end');
      scroll(root.scrollTop);
    }
    assert.equal(follower.following, true);
    assert.equal(layout.reads, 1, 'scrollHeight read once, to persist "at the bottom" the first time');
    assert.deepEqual(api.state.scroll, { conversationId: 'c1', top: PANEL, atBottom: true });
  });

  it('leaves a reader who scrolled up where they are, offers the jump, and follows again at the end', () => {
    const { root, follower, api, layout, readerScrolls, jump, scheduler, atEnd } = setup();
    atEnd(3000);
    readerScrolls(1000);
    assert.equal(follower.following, false);
    assert.deepEqual(api.state.scroll, { conversationId: 'c1', top: 2000, atBottom: false });
    layout.height = 3200;
    follower.follow();
    scheduler.runFrames();
    assert.equal(root.scrollTop, 1000, 'not moved');
    assert.equal(jump().hidden, false);
    readerScrolls(3200 - PANEL);
    assert.equal(follower.following, true, 'back at the end');
    assert.equal(jump().hidden, true);
    layout.height = 3400;
    follower.follow();
    scheduler.runFrames();
    assert.equal(root.scrollTop, 3400 - PANEL);
  });

  it('takes the reader scrolling away in the same frame as a follow for the reader', () => {
    const { root, follower, layout, readerScrolls, scheduler } = setup();
    layout.height = 3000;
    follower.follow();
    scheduler.runFrames();
    // Our scroll to the end, then the reader's wheel before the event: the position differs.
    readerScrolls(root.scrollTop - 300);
    assert.equal(follower.following, false);
  });

  it("turns the browser's scroll anchoring off while following (class 'following'), and on again for a reader who scrolled up", () => {
    const { root, follower, readerScrolls, jump, atEnd } = setup();
    // Anchoring would move our own scroll to the end when a block above the anchor changes size
    // in the same frame as a large chunk of output; the event would then look like the reader's.
    assert.equal(root.classList.contains('following'), true, 'off from the start: a new view follows');
    atEnd(3000);
    assert.equal(root.classList.contains('following'), true);
    readerScrolls(1000);
    assert.equal(follower.following, false);
    assert.equal(root.classList.contains('following'), false, 'on for the reader: what they read stays put');
    jump().click();
    assert.equal(follower.following, true);
    assert.equal(root.classList.contains('following'), true);
  });

  it('writes scrollTop at the next frame, once for all the renders of this one', () => {
    const { root, follower, layout, scheduler, writes } = setup();
    layout.height = 3000;
    for (let i = 0; i < 5; i++) follower.follow();
    assert.equal(writes.count, 0, 'nothing written where the output was rendered');
    scheduler.runFrames();
    assert.equal(writes.count, 1);
    assert.equal(root.scrollTop, 3000 - PANEL);
  });

  it('does not scroll at the next frame for a reader who scrolled away in between', () => {
    const { root, follower, layout, scheduler, readerScrolls, atEnd } = setup();
    atEnd(3000);
    layout.height = 3200;
    follower.follow();
    readerScrolls(1000);
    scheduler.runFrames();
    assert.equal(root.scrollTop, 1000);
    assert.equal(follower.following, false);
  });

  it('keeps a reader at the end there when the newest turn grows with no render, and leaves one who scrolled up alone', () => {
    const { root, follower, layout, scroll, readerScrolls, jump, scheduler, resizes, atEnd } = setup();
    const first = root.ownerDocument.createElement('div');
    const second = root.ownerDocument.createElement('div');
    follower.watch(first);
    assert.ok(resizes.observed.has(first) && resizes.observed.has(root));
    atEnd(3000);
    // The newest turn grows by 340 px with no render (an image that loaded, a late layout).
    layout.height = 3340;
    resizes.fire();
    scheduler.runFrames();
    assert.equal(root.scrollTop, 3340 - PANEL, 'back at the end');
    scroll(root.scrollTop);
    follower.watch(second);
    assert.ok(!resizes.observed.has(first) && resizes.observed.has(second), 'only the newest turn is watched');
    // Scrolled up to read: blocks coming into view change the turn's size, and nothing moves.
    readerScrolls(1000);
    layout.height = 3400;
    resizes.fire();
    scheduler.runFrames();
    assert.equal(root.scrollTop, 1000);
    assert.equal(jump().hidden, true, 'no "jump to latest" for a size change alone');
  });
  it('stays with the output when the browser moves the view: a block rendered again clamps it above the end for one layout', () => {
    const { root, follower, api, scroll, jump, clock, atEnd } = setup();
    atEnd(3000);
    assert.deepEqual(api.state.scroll, { conversationId: 'c1', top: PANEL, atBottom: true });
    clock.now += 5000;
    // A block rendered again skipped its first layout at a height of 0: the answer was 1200 px
    // shorter, scrollTop was clamped to that end; the block has its height back by the event.
    follower.follow();
    scroll(3000 - 1200 - PANEL);
    assert.equal(follower.following, true, 'still following');
    assert.equal(jump().hidden, true, 'no "jump to latest"');
    assert.equal(root.scrollTop, 3000 - PANEL, 'back at the end at the next frame');
    scroll(root.scrollTop);
    assert.deepEqual(api.state.scroll, { conversationId: 'c1', top: PANEL, atBottom: true }, 'nothing persisted for it');
  });

  it("takes a scroll for the reader's a short while after their input, and for as long as they hold the pointer (the scrollbar)", () => {
    const { root, follower, scroll, jump, scheduler, clock, atEnd } = setup();
    const win = root.ownerDocument.defaultView!;
    atEnd(3000);
    // A key in the transcript, and the smooth scroll it starts lands 300 ms later.
    root.dispatchEvent(new win.Event('keydown', { bubbles: true }));
    clock.now += 300;
    scroll(1200);
    assert.equal(follower.following, false, 'the key scrolled');
    jump().click();
    scheduler.runFrames();
    scroll(root.scrollTop);
    assert.equal(follower.following, true);
    // The scrollbar, held for five seconds.
    root.dispatchEvent(new win.Event('pointerdown', { bubbles: true }));
    clock.now += 5000;
    scroll(800);
    assert.equal(follower.following, false, 'dragged up');
    win.dispatchEvent(new win.Event('pointerup'));
    jump().click();
    scheduler.runFrames();
    scroll(root.scrollTop);
    // Released a second ago: a clamp now is the browser's.
    clock.now += 1000;
    follower.follow();
    scroll(1500);
    assert.equal(follower.following, true);
  });

  it('takes a scroll that is not ours, with no output since our last one, as before: away from the end, following stops', () => {
    const { root, follower, scroll, jump, scheduler, clock, atEnd } = setup();
    atEnd(3000);
    clock.now += 5000;
    // A script (or assistive technology) brings an earlier turn into view once the answer is done.
    scroll(200);
    assert.equal(follower.following, false);
    assert.equal(root.scrollTop, 200, 'left where it was put');
    follower.follow();
    scheduler.runFrames();
    assert.equal(jump().hidden, false);
  });

  it('does not count input elsewhere (the composer) as the reader scrolling the transcript', () => {
    const { root, follower, scroll, clock, atEnd } = setup();
    const doc = root.ownerDocument;
    atEnd(3000);
    clock.now += 5000;
    const composer = doc.createElement('textarea');
    doc.body.append(composer);
    composer.dispatchEvent(new doc.defaultView!.Event('keydown', { bubbles: true }));
    follower.follow();
    scroll(1000);
    assert.equal(follower.following, true);
    assert.equal(root.scrollTop, 3000 - PANEL);
  });
});
