/**
 * A 1,000-turn conversation in the transcript: only the newest turns are rendered at once, older
 * ones in chunks as the reader scrolls up, far chunks drop their DOM, and everything that
 * addresses a turn by id still works. jsdom has no layout and no IntersectionObserver, so both
 * are faked: every user turn is 50 px tall, every answer 150 px, the panel 500 px, and the test
 * decides when an observed element comes near the visible area.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssistantTurnView, ChatSnapshot, TurnView, UsageView } from '../../../src/shared/protocol';
import type { PersistedState } from '../../../src/webview/api';
import { ChatApp } from '../../../src/webview/app';
import { createFakeApi, createRenderer, createWindow, ManualScheduler, type FakeApi } from './helpers';

const zero: UsageView = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, savedUsd: 0 };
const PANEL = 500;
const INITIAL = 20;
const CHUNK = 20;

const answer = (i: number, extra: Partial<AssistantTurnView> = {}): AssistantTurnView => ({
  id: `a${i}`, role: 'assistant', text: `Answer *${i}*`, thinking: '', status: 'done', ...extra,
});
/** `pairs` questions and answers, u0 a0 u1 a1 … */
const conversation = (pairs: number): TurnView[] =>
  Array.from({ length: pairs }, (_, i): TurnView[] => [{ id: `u${i}`, role: 'user', text: `Question ${i}` }, answer(i)]).flat();
const snapshot = (turns: TurnView[], overrides: Partial<ChatSnapshot> = {}): ChatSnapshot => ({
  conversationId: 'long', title: 'Long', busy: false, model: 'm', models: [], totals: zero, turns, ...overrides,
});

type Win = ReturnType<typeof createWindow>;

/** IntersectionObserver that reports only when the test says so. */
class FakeObserver {
  readonly targets = new Set<Element>();
  constructor(
    private readonly callback: IntersectionObserverCallback,
    readonly options: IntersectionObserverInit = {},
  ) {}
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
  fire(target: Element, isIntersecting: boolean): void {
    assert.ok(this.targets.has(target), 'reported an element nobody observes');
    const entry = { target, isIntersecting, boundingClientRect: target.getBoundingClientRect(), rootBounds: null } as IntersectionObserverEntry;
    this.callback([entry], this as unknown as IntersectionObserver);
  }
}

/** Block layout of the transcript: turns stacked, a dropped chunk as tall as its pinned height. */
function fakeLayout(win: Win, root: HTMLElement): void {
  const heightOf = (e: Element): number => {
    if (e.classList.contains('turn')) return e.classList.contains('turn-user') ? 50 : 150;
    if (!e.classList.contains('turn-chunk')) return 0;
    const pinned = (e as HTMLElement).style.height;
    return pinned ? parseFloat(pinned) : Array.from(e.children).reduce((sum, child) => sum + heightOf(child), 0);
  };
  const offsetOf = (target: Element): number => {
    let offset = 0;
    const walk = (parent: Element): void => {
      for (const e of Array.from(parent.children)) {
        if (e === target) return;
        if (e.contains(target)) return walk(e);
        offset += heightOf(e);
      }
    };
    walk(root);
    return offset;
  };
  let top = 0;
  const scrollHeight = (): number => Array.from(root.children).reduce((sum, e) => sum + heightOf(e), 0);
  Object.defineProperty(root, 'scrollHeight', { get: scrollHeight });
  Object.defineProperty(root, 'clientHeight', { get: () => PANEL });
  Object.defineProperty(root, 'scrollTop', {
    get: () => top,
    set: (value: number) => {
      top = Math.max(0, Math.min(value, scrollHeight() - PANEL));
    },
  });
  const rect = (y: number, height: number): DOMRect => ({ x: 0, y, top: y, bottom: y + height, left: 0, right: 400, width: 400, height, toJSON: () => ({}) });
  win.HTMLElement.prototype.getBoundingClientRect = function (this: HTMLElement): DOMRect {
    if (this === root) return rect(0, PANEL);
    return root.contains(this) ? rect(offsetOf(this) - top, heightOf(this)) : rect(0, 0);
  };
}

interface Harness {
  app: ChatApp;
  api: FakeApi;
  win: Win;
  doc: Document;
  root: HTMLElement;
  scheduler: ManualScheduler;
  /** The observer watching the sentinel, and the one watching chunks. */
  sentinelObserver(): FakeObserver;
  chunkObserver(): FakeObserver;
}

function setup(turns: TurnView[], state: PersistedState = { draft: '' }): Harness {
  const win = createWindow();
  const observers: FakeObserver[] = [];
  Object.defineProperty(win, 'IntersectionObserver', {
    value: function (callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
      const observer = new FakeObserver(callback, options);
      observers.push(observer);
      return observer;
    },
  });
  const api = createFakeApi(state);
  const scheduler = new ManualScheduler();
  const app = new ChatApp(win.document.getElementById('app') as HTMLElement, { api, win, schedule: scheduler.schedule, now: () => 0, newId: () => 'id', markdown: createRenderer(win) });
  const root = win.document.getElementById('transcript') as HTMLElement;
  fakeLayout(win, root);
  app.handle({ type: 'didLoad', snapshot: snapshot(turns) });
  const byMargin = (margin: string) => (): FakeObserver => {
    const found = observers.find((o) => o.options.rootMargin === margin);
    assert.ok(found, `no observer with margin ${margin}`);
    return found;
  };
  return { app, api, win, doc: win.document, root, scheduler, sentinelObserver: byMargin('100% 0px 0px 0px'), chunkObserver: byMargin('300% 0px 300% 0px') };
}

const ids = (scope: ParentNode): string[] => Array.from(scope.querySelectorAll('.turn')).map((t) => t.getAttribute('data-turn-id') ?? '');
const sentinel = (h: Harness): Element | null => h.root.querySelector(':scope > .transcript-sentinel');
const turn = (h: Harness, id: string): HTMLElement | null => h.root.querySelector<HTMLElement>(`.turn[data-turn-id="${id}"]`);
/** Reports the sentinel near until `id` is rendered. */
function scrollUpTo(h: Harness, id: string): HTMLElement {
  while (!turn(h, id)) scrollUp(h);
  return turn(h, id) as HTMLElement;
}
function scrollUp(h: Harness): void {
  const s = sentinel(h);
  assert.ok(s, 'no sentinel: everything is rendered');
  h.sentinelObserver().fire(s, true);
}

describe('a 1,000-turn conversation', () => {
  it('renders only the newest turns, scrolled to the end, with a sentinel above them', () => {
    const h = setup(conversation(500));
    assert.deepEqual(ids(h.root), conversation(500).slice(-INITIAL).map((t) => t.id));
    assert.equal(h.root.firstElementChild, sentinel(h));
    assert.ok(h.sentinelObserver().targets.has(sentinel(h) as Element));
    assert.equal(h.root.scrollTop, h.root.scrollHeight - PANEL, 'at the end');
    assert.ok(h.root.classList.contains('settling'), 'laid out in full until the first frame');
    h.scheduler.runFrames();
    assert.equal(h.root.classList.contains('settling'), false);
  });

  it('renders the next chunk above when the sentinel comes near, without moving the view', () => {
    const h = setup(conversation(500));
    h.root.scrollTop = 100;
    const first = turn(h, 'u490') as HTMLElement;
    const before = first.getBoundingClientRect().top;
    scrollUp(h);
    assert.deepEqual(ids(h.root), conversation(500).slice(-(INITIAL + CHUNK)).map((t) => t.id));
    assert.equal(first.getBoundingClientRect().top, before, 'the reader sees the same thing');
    assert.equal(h.root.scrollTop, 100 + 10 * 50 + 10 * 150);
    assert.equal(h.root.querySelector('.turn-chunk')?.getAttribute('aria-live'), 'off', 'old turns are not announced');
    assert.equal(h.root.firstElementChild, sentinel(h), 'the sentinel moved up and is observed anew');
    assert.ok(h.sentinelObserver().targets.has(sentinel(h) as Element));
    for (let i = 0; i < 100 && sentinel(h); i++) scrollUp(h);
    assert.equal(sentinel(h), null, 'no sentinel once everything is rendered');
    assert.deepEqual(ids(h.root), conversation(500).map((t) => t.id));
  });

  it('takes deltas and updates for turns whether rendered or not', () => {
    const h = setup(conversation(500));
    h.app.handle({ type: 'didUpdateTurn', turn: answer(5, { text: 'Fixed **later**' }) });
    h.app.handle({ type: 'didStreamDelta', turnId: 'a6', text: ' and more' });
    assert.equal(turn(h, 'a5'), null, 'not appended at the end');
    assert.equal(h.root.querySelectorAll('.turn').length, INITIAL);

    h.app.handle({ type: 'didAppendTurn', turn: answer(500, { text: '', status: 'streaming' }) });
    h.app.handle({ type: 'didStreamDelta', turnId: 'a500', text: 'Streaming *now*' });
    h.scheduler.runFrames();
    assert.equal(turn(h, 'a500')?.querySelector('.turn-body em')?.textContent, 'now');
    h.app.handle({ type: 'didUpdateTurn', turn: answer(499, { text: 'Replaced' }) });
    assert.equal(turn(h, 'a499')?.querySelector('.turn-body')?.textContent?.trim(), 'Replaced');

    while (sentinel(h)) scrollUp(h);
    assert.equal(turn(h, 'a5')?.querySelector('.turn-body strong')?.textContent, 'later');
    assert.equal(turn(h, 'a6')?.querySelector('.turn-body')?.textContent?.trim(), 'Answer 6 and more');
  });

  it('a turn removed while parked or in a chunk is gone, and stays gone when rendered later', () => {
    const h = setup(conversation(500));
    scrollUp(h);
    h.app.handle({ type: 'didRemoveTurn', turnId: 'a5' });
    h.app.handle({ type: 'didRemoveTurn', turnId: 'a485' });
    assert.equal(turn(h, 'a485'), null, 'a rendered turn leaves the DOM');
    while (sentinel(h)) scrollUp(h);
    assert.deepEqual(ids(h.root), conversation(500).map((t) => t.id).filter((id) => id !== 'a5' && id !== 'a485'));
  });

  it('keeps Copy, Edit, versions and locks working on turns rendered later', () => {
    const turns = conversation(500);
    turns[900] = { id: 'u450', role: 'user', text: 'Edited question', branch: { index: 2, count: 2 } };
    const h = setup(turns);
    const user = scrollUpTo(h, 'u450');
    (user.querySelector('.turn-copy') as HTMLButtonElement).click();
    (turn(h, 'a450')?.querySelector('.turn-copy') as HTMLButtonElement).click();
    (user.querySelector('.branch-prev') as HTMLButtonElement).click();
    assert.deepEqual(h.api.posted, [
      { type: 'copyText', text: 'Edited question' },
      { type: 'copyText', text: 'Answer *450*' },
      { type: 'switchBranch', turnId: 'u450', direction: -1 },
    ]);
    (user.querySelector('.turn-edit') as HTMLButtonElement).click();
    const input = user.querySelector<HTMLTextAreaElement>('.edit-box textarea');
    assert.equal(input?.value, 'Edited question');

    h.app.handle({ type: 'didChangeBusy', busy: true });
    scrollUp(h);
    assert.equal((turn(h, 'u440')?.querySelector('.turn-edit') as HTMLButtonElement).disabled, true, 'a new chunk arrives locked');
    assert.equal((turn(h, 'u440')?.querySelector('.branch-prev') as HTMLButtonElement | null), null);
  });

  it('ArrowUp edits the newest question even when the newest turns are all answers', () => {
    const turns: TurnView[] = [{ id: 'q', role: 'user', text: 'Go on' }, ...Array.from({ length: 60 }, (_, i) => answer(i))];
    const h = setup(turns);
    assert.equal(turn(h, 'q'), null);
    const composer = h.doc.getElementById('composer-input') as HTMLTextAreaElement;
    composer.dispatchEvent(new h.win.KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, cancelable: true }));
    assert.equal(h.doc.activeElement, turn(h, 'q')?.querySelector('.edit-box textarea'));
  });
});

describe('the reading position of a long conversation', () => {
  it('survives a redraw of the same chat, even when the turn at the top was replaced', () => {
    const h = setup(conversation(500));
    scrollUp(h);
    scrollUp(h);
    h.root.scrollTop = 1025; // u475 starts 25 px above the top (60 turns rendered, from u470)
    h.root.dispatchEvent(new h.win.Event('scroll'));
    h.app.handle({ type: 'didLoad', snapshot: snapshot(conversation(500)) });
    assert.equal(turn(h, 'u475')?.getBoundingClientRect().top, -25, 'older turns rendered again as needed');

    // Another version of u475 (a new id, and new turns after it): the turn above stays put.
    const other = conversation(500).map((t, i) => (i < 950 ? t : { ...t, id: `${t.id}b` }));
    const aboveTop = (turn(h, 'a474') as HTMLElement).getBoundingClientRect().top;
    h.app.handle({ type: 'didLoad', snapshot: snapshot(other) });
    assert.equal(turn(h, 'a474')?.getBoundingClientRect().top, aboveTop);
    assert.equal(turn(h, 'u475b')?.getBoundingClientRect().top, aboveTop + 150);
  });

  it('is saved as the distance from the end, which a new webview restores', () => {
    const h = setup(conversation(500));
    scrollUp(h);
    scrollUp(h);
    h.root.scrollTop = 1025;
    h.root.dispatchEvent(new h.win.Event('scroll'));
    h.scheduler.runFrames();
    const distance = h.root.scrollHeight - 1025;
    assert.deepEqual(h.api.state.scroll, { conversationId: 'long', top: distance, atBottom: false });

    const fresh = setup(conversation(500), h.api.state);
    assert.equal(fresh.root.scrollHeight - fresh.root.scrollTop, distance);
    assert.equal(turn(fresh, 'u475')?.getBoundingClientRect().top, -25, 'the same turn at the same place');
    assert.equal(fresh.doc.getElementById('scroll-to-bottom')?.hidden, true);
    fresh.root.dispatchEvent(new fresh.win.Event('scroll'));
    assert.equal(fresh.doc.getElementById('scroll-to-bottom')?.hidden, true, 'not at the end, but nothing new below');
  });
});

describe('far chunks', () => {
  it('drop their DOM but keep their height, take updates, and come back when near', () => {
    const h = setup(conversation(500));
    scrollUp(h);
    scrollUp(h);
    const chunk = h.root.querySelectorAll<HTMLElement>('.turn-chunk')[1] as HTMLElement; // u480…a489
    const height = h.root.scrollHeight;
    const top = h.root.scrollTop;
    h.chunkObserver().fire(chunk, false);
    assert.equal(chunk.children.length, 0);
    assert.equal(chunk.style.height, `${10 * 50 + 10 * 150}px`);
    assert.deepEqual([h.root.scrollHeight, h.root.scrollTop], [height, top], 'nothing moved');

    h.app.handle({ type: 'didUpdateTurn', turn: answer(485, { text: 'Updated *while away*' }) });
    h.app.handle({ type: 'didStreamDelta', turnId: 'a486', text: '!' });
    assert.equal(turn(h, 'a485'), null, 'not appended');
    h.chunkObserver().fire(chunk, true);
    assert.equal(chunk.style.height, '');
    assert.equal(ids(chunk).length, CHUNK);
    assert.equal(turn(h, 'a485')?.querySelector('.turn-body em')?.textContent, 'while away');
    assert.equal(turn(h, 'a486')?.querySelector('.turn-body')?.textContent?.trim(), 'Answer 486!');
    (turn(h, 'a486')?.querySelector('.turn-copy') as HTMLButtonElement).click();
    assert.deepEqual(h.api.posted.at(-1), { type: 'copyText', text: 'Answer *486*!' });
  });

  it('stay while they hold an open editor, the focus or selected text', () => {
    const h = setup(conversation(500));
    scrollUp(h);
    const chunk = h.root.querySelector<HTMLElement>('.turn-chunk') as HTMLElement;
    (turn(h, 'u485')?.querySelector('.turn-edit') as HTMLButtonElement).click();
    (h.doc.getElementById('composer-input') as HTMLTextAreaElement).focus();
    h.chunkObserver().fire(chunk, false);
    assert.equal(ids(chunk).length, CHUNK, 'the editor keeps its chunk');
    (turn(h, 'u485')?.querySelector('.edit-cancel') as HTMLButtonElement).click();
    assert.equal(h.doc.activeElement, turn(h, 'u485')?.querySelector('.turn-edit'));
    h.chunkObserver().fire(chunk, false);
    assert.equal(ids(chunk).length, CHUNK, 'so does the focus');
    (h.doc.getElementById('composer-input') as HTMLTextAreaElement).focus();
    h.doc.getSelection()?.selectAllChildren(turn(h, 'u486')?.querySelector('.turn-text') as HTMLElement);
    h.chunkObserver().fire(chunk, false);
    assert.equal(ids(chunk).length, CHUNK, 'and selected text');
    h.doc.getSelection()?.collapseToEnd();
    h.chunkObserver().fire(chunk, false);
    assert.equal(ids(chunk).length, 0, 'a mere caret does not');
  });
});
