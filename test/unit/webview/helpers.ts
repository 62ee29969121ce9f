/**
 * Shared fixtures for webview unit tests: a jsdom window, a markdown renderer bound to it, a
 * fake VS Code API that records posts, and a frame scheduler driven by hand.
 */
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { FromWebview } from '../../../src/shared/protocol';
import type { HostApi, PersistedState } from '../../../src/webview/api';
import { BlockChunks } from '../../../src/webview/render/blockChunks';
import { createMarkdownRenderer, type MarkdownRenderer } from '../../../src/webview/render/markdown';
import { StreamingMessageRenderer } from '../../../src/webview/render/streaming';
import { seededRandom } from '../../../bench/seededRandom';

export function createWindow(): JSDOM['window'] {
  const dom = new JSDOM('<!doctype html><html><body><div id="app"></div></body></html>', { pretendToBeVisual: true });
  return dom.window;
}

export function createRenderer(win: JSDOM['window'] = createWindow()): MarkdownRenderer {
  return createMarkdownRenderer(win);
}

/**
 * The HTML of `text` rendered whole, at once, its blocks in chunks as a message shows them: what
 * any streamed rendering of it must end as.
 */
export function oneShotHtml(markdown: MarkdownRenderer, doc: Document, text: string): string {
  const container = doc.createElement('div');
  new BlockChunks(container).replace(Array.from(markdown.render(text).childNodes));
  return container.innerHTML;
}

/** A message container's top-level rendered nodes, in order, out of their chunks. */
export function blockNodes(container: Element): Node[] {
  return Array.from(container.children).flatMap((chunk) => Array.from(chunk.childNodes));
}

/** The HTML of `text` rendered whole, as markdown renders it (no chunks). */
export function renderedHtml(markdown: MarkdownRenderer, doc: Document, text: string): string {
  const container = doc.createElement('div');
  container.append(markdown.render(text));
  return container.innerHTML;
}

export interface FakeApi extends HostApi {
  readonly posted: FromWebview.Message[];
  state: PersistedState;
}

export function createFakeApi(initial: PersistedState = { draft: '' }): FakeApi {
  const api: FakeApi = {
    posted: [],
    state: initial,
    post: (message) => {
      api.posted.push(message);
    },
    getState: () => api.state,
    patchState: (patch) => {
      api.state = { ...api.state, ...patch };
    },
  };
  return api;
}

/** Collects frame callbacks; `runFrames()` plays them like requestAnimationFrame would. */
export class ManualScheduler {
  private queue: (() => void)[] = [];
  private frames = 0;
  readonly schedule = (callback: () => void): void => {
    this.queue.push(callback);
  };
  /** A clock that advances one 60 Hz frame per frame played, for renderers' time limits. */
  readonly now = (): number => (this.frames * 1000) / 60;
  get pending(): number {
    return this.queue.length;
  }
  /** Plays the callbacks queued so far, not those they queue: exactly one frame. */
  runOneFrame(): void {
    const current = this.queue;
    this.queue = [];
    this.frames++;
    for (const callback of current) callback();
  }
  runFrames(): void {
    while (this.queue.length > 0) {
      const current = this.queue;
      this.queue = [];
      this.frames++;
      for (const callback of current) callback();
    }
  }
}

/** Deterministic PRNG (mulberry32) so random-delta tests are reproducible: the benchmarks' own. */
export { seededRandom };

/** Cuts `text` into random pieces of 1..maxLen characters. */
export function randomDeltas(text: string, random: () => number, maxLen: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const len = 1 + Math.floor(random() * maxLen);
    out.push(text.slice(i, i + len));
    i += len;
  }
  return out;
}

/**
 * Streams `text` in random deltas of at most `maxDelta` characters, running frames at random
 * points, checks after each frame that no frozen node was replaced (the same objects stay, in
 * order, at the front), finishes with `text`, and returns the container.
 */
export function streamAtRandom(markdown: MarkdownRenderer, doc: Document, text: string, seed: number, maxDelta: number): HTMLElement {
  const random = seededRandom(seed);
  const scheduler = new ManualScheduler();
  const container = doc.createElement('div');
  const streaming = new StreamingMessageRenderer(container, markdown, scheduler.schedule, () => undefined, { now: scheduler.now });
  let frozen: Node[] = [];
  for (const delta of randomDeltas(text, random, maxDelta)) {
    streaming.append(delta);
    if (random() < 0.5) {
      scheduler.runFrames();
      const nowFrozen = blockNodes(container).slice(0, streaming.frozenNodeCount);
      assert.ok(frozen.every((node, i) => nowFrozen[i] === node), 'a frozen node was re-rendered');
      frozen = nowFrozen;
    }
  }
  streaming.finish(text);
  return container;
}
