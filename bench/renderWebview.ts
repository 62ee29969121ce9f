/**
 * Bench-only code that runs inside the webview frame, next to the real bundle (bundled by
 * bench/render.ts, never shipped):
 * - a probe the runner reads: the answer's final DOM and the long tasks the frame observed;
 * - a sync point for the host: messages are handled in order, so answering a sync message two
 *   frames after it arrives means everything posted before it has been rendered;
 * - with `data-naive` on its script tag, the naive baseline: on every delta, re-parse and
 *   re-render the whole message with the same markdown-it + highlight.js + DOMPurify pipeline.
 *   It listens for its own message type, which the app ignores, so the app renders nothing
 *   until the final `didUpdateTurn`, which it renders in one piece (the baseline's last render).
 */
import { createMarkdownRenderer } from '../src/webview/render/markdown';
import { ANSWER_ID, NAIVE_DELTA, NAIVE_WARM_UP, SYNC, SYNCED } from './renderShared';

export interface LongTasks {
  readonly count: number;
  readonly longestMs: number;
}

export interface WebviewProbe {
  /** innerHTML of the answer's body, to check that every run ends with the same DOM. */
  answerHtml(): string;
  /** `longtask` entries (over 50 ms) since the last call. */
  takeLongTasks(): LongTasks;
  /**
   * Keystroke-to-paint of every key typed since the last call, in ms: from the key event's
   * timestamp to the end of the frame that paints its character (the rendering step after the
   * first animation frame that follows the `input` event: a task posted from that rAF callback
   * runs once the frame's style, layout and paint are done). This is the webview's own part of
   * the delay, what its main thread makes the user wait.
   */
  takeKeyLatencies(): number[];
  /**
   * The same keys as the Event Timing API reports them (to the frame's presentation, 8 ms
   * granularity, only entries of 16 ms or more; a key with none counts as 16). Presentation
   * includes the compositor and display, which a headless software renderer on a loaded machine
   * delays by up to seconds even when the page is idle, so this is printed, not judged.
   */
  takeKeyPresentations(): number[];
}

declare global {
  interface Window {
    benchProbe: WebviewProbe;
    /** What the webview posted to the "host": filled by the stub `acquireVsCodeApi` in the page. */
    benchPosted: unknown[];
  }
}

let longTasks: number[] = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // longtask is Chromium-only; the CDP trace is the authoritative figure anyway.
}

/** Keys pressed (keydown listener) and the Event Timing durations Chromium reported for them. */
let keys: number[] = [];
const keyDurations = new Map<number, number>();
let keyPainted: number[] = [];
let lastKeyAt: number | undefined;
window.addEventListener('keydown', (event) => {
  keys.push(Math.round(event.timeStamp));
  lastKeyAt = event.timeStamp;
}, true);
window.addEventListener('input', () => {
  const at = lastKeyAt;
  lastKeyAt = undefined;
  if (at === undefined) return;
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => keyPainted.push(performance.now() - at);
    channel.port2.postMessage(0);
  });
}, true);
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name !== 'keydown') continue;
      const at = Math.round(entry.startTime);
      keyDurations.set(at, Math.max(keyDurations.get(at) ?? 0, entry.duration));
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
} catch {
  // Event Timing is Chromium's; the bench runs in Chromium.
}

function transcript(): HTMLElement {
  const element = document.getElementById('transcript');
  if (!element) throw new Error('the webview has no #transcript');
  return element;
}

function answerBody(): HTMLElement {
  const body = transcript().querySelector<HTMLElement>(`.turn[data-turn-id="${ANSWER_ID}"] .turn-body`);
  if (!body) throw new Error('the answer turn has no body');
  return body;
}

window.benchProbe = {
  answerHtml: () => answerBody().innerHTML,
  takeLongTasks: () => {
    const taken = { count: longTasks.length, longestMs: Math.max(0, ...longTasks) };
    longTasks = [];
    return taken;
  },
  takeKeyLatencies: () => {
    const taken = keyPainted.map((ms) => Math.round(ms * 10) / 10);
    keyPainted = [];
    return taken;
  },
  takeKeyPresentations: () => {
    // An entry's startTime is the key event's timeStamp; allow 1 ms of rounding either way.
    const found = (at: number): number | undefined => keyDurations.get(at) ?? keyDurations.get(at - 1) ?? keyDurations.get(at + 1);
    const latencies = keys.map((at) => found(at) ?? 16);
    keys = [];
    keyDurations.clear();
    return latencies;
  },
};

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as { type?: unknown; id?: unknown } | null;
  if (data?.type !== SYNC || !event.source) return;
  const source = event.source as Window;
  requestAnimationFrame(() => requestAnimationFrame(() => source.postMessage({ type: SYNCED, id: data.id }, '*')));
});

function installNaiveRenderer(): void {
  // Its own pipeline instance, built exactly as the app builds one.
  const markdown = createMarkdownRenderer(window);
  let text = '';
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as { type?: unknown; text?: unknown } | null;
    if (typeof data?.text !== 'string') return;
    if (data.type === NAIVE_WARM_UP) {
      markdown.render(data.text);
      return;
    }
    if (data.type !== NAIVE_DELTA) return;
    // An empty delta starts a new message.
    text = data.text === '' ? '' : text + data.text;
    answerBody().replaceChildren(markdown.render(text, { streaming: true }));
    // Follow the output as the transcript does; reading scrollHeight forces a layout per delta.
    const scroller = transcript();
    scroller.scrollTop = scroller.scrollHeight;
  });
}

if (document.currentScript?.hasAttribute('data-naive')) installNaiveRenderer();
