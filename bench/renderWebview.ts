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
