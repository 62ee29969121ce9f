/**
 * The stand-in for VS Code's side of the webview (bundled by bench/render.ts, never shipped). It
 * runs in the top page and posts protocol messages into the webview, which lives in a
 * cross-site iframe exactly as in VS Code: a separate renderer process, so the CDP metrics read
 * on the webview frame count the webview's scripting only, not this driver's.
 */
import { DeltaBuffer } from '../src/chat/deltaBuffer';
import { TurnTextMirror } from '../src/chat/turnTextMirror';
import type { AssistantTurnView, ChatSnapshot, ToWebview, UsageView } from '../src/shared/protocol';
import { ANSWER_ID, NAIVE_DELTA, NAIVE_WARM_UP, SYNC, SYNCED } from './renderShared';

export interface RunStats {
  /** Wall time of the run, from the first message until the webview has drawn the last. */
  readonly wallMs: number;
  /** Animation frames of the top page during the run (the webview draws at the same rate when it keeps up). */
  readonly frames: number;
}

export interface RenderBenchHost {
  /** Stores the answer and its deltas ahead of a run, so their transfer is not measured. */
  setAnswer(text: string, deltas: readonly string[]): void;
  /** Streams then one-shot renders `text`, unmeasured, so that every path is compiled and warm. */
  warmUp(text: string, deltas: readonly string[]): Promise<void>;
  /** A transcript with only the user's question; every run starts from here. */
  reset(): Promise<void>;
  /** (a) The app streams the answer, `perFrame` deltas delivered per animation frame. */
  stream(perFrame: number, coalesce: boolean): Promise<RunStats>;
  /** (b) The app renders the finished answer from a `didLoad` snapshot. */
  oneShot(): Promise<RunStats>;
  /** (c) The naive baseline (webview-naive.html only): the whole message re-rendered per delta. */
  naive(perFrame: number, coalesce: boolean): Promise<RunStats>;
  /**
   * The same messages for a turn the webview does not have: what receiving them costs before
   * any rendering, a floor no renderer can go below.
   */
  messagesOnly(perFrame: number, coalesce: boolean): Promise<RunStats>;
}

declare global {
  interface Window {
    renderBench: RenderBenchHost;
  }
}

type Message =
  | ToWebview.Message
  | { readonly type: typeof NAIVE_DELTA | typeof NAIVE_WARM_UP; readonly text: string }
  | { readonly type: typeof SYNC; readonly id: number };

const USER_TURN = { id: 'u1', role: 'user', text: 'Write me a long, detailed guide with plenty of code.' } as const;
const USAGE: UsageView = { inputTokens: 1200, outputTokens: 21_000, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.32, savedUsd: 0 };

const snapshot = (turns: ChatSnapshot['turns'], busy: boolean): ChatSnapshot => ({
  conversationId: 'bench',
  title: 'Benchmark',
  turns,
  busy,
  model: 'claude-bench',
  models: [{ id: 'claude-bench', label: 'Claude Bench', deprecated: false }],
  totals: USAGE,
});

const answer = (text: string, status: AssistantTurnView['status']): AssistantTurnView => ({
  id: ANSWER_ID,
  role: 'assistant',
  text,
  thinking: '',
  status,
  model: 'claude-bench',
  ...(status === 'done' ? { usage: USAGE, stopReason: 'end_turn' } : {}),
});

function webview(): Window {
  const frame = document.querySelector<HTMLIFrameElement>('iframe#webview');
  if (!frame?.contentWindow) throw new Error('the webview iframe is missing');
  return frame.contentWindow;
}

/**
 * The app's messages go through the host's own TurnTextMirror, as the chat controller posts them
 * (a finished answer's update then leaves out the text the webview already has); the bench's own
 * messages go as they are.
 */
const mirror = new TurnTextMirror();
const post = (message: Message): void => {
  const benchOnly = message.type === NAIVE_DELTA || message.type === NAIVE_WARM_UP || message.type === SYNC;
  webview().postMessage(benchOnly ? message : mirror.outgoing(message as ToWebview.Message), '*');
};
const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

let syncs = 0;

/**
 * Resolves once the webview has handled everything posted so far and drawn it. The webview runs
 * in its own process, so waiting for frames of this page would not say that.
 */
function synced(): Promise<void> {
  const id = ++syncs;
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent<unknown>): void => {
      const data = event.data as { type?: unknown; id?: unknown } | null;
      if (data?.type !== SYNCED || data.id !== id) return;
      window.removeEventListener('message', onMessage);
      resolve();
    };
    window.addEventListener('message', onMessage);
    post({ type: SYNC, id });
  });
}

async function measured(body: () => Promise<void>): Promise<RunStats> {
  let frameCount = 0;
  let running = true;
  const tick = (): void => {
    if (!running) return;
    frameCount++;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const start = performance.now();
  await body();
  running = false;
  return { wallMs: performance.now() - start, frames: frameCount };
}

/**
 * Delivers `perFrame` deltas per animation frame to the host's own DeltaBuffer (src/chat/
 * deltaBuffer.ts), which posts what has arrived every 16 ms (every 48 ms while text arrives faster
 * than 4 characters a millisecond, as it does here), then sends what is left, as the chat
 * controller does before a turn's final state. `coalesce: false` posts each delta as a message of
 * its own instead.
 */
async function postDeltas(deltas: readonly string[], perFrame: number, coalesce: boolean, toMessage: (text: string) => Message): Promise<void> {
  const buffer = new DeltaBuffer((message) => post(toMessage(message.text ?? '')), { now: () => performance.now() });
  for (let i = 0; i < deltas.length; ) {
    await nextFrame();
    const batch = deltas.slice(i, i + perFrame);
    i += batch.length;
    if (coalesce) for (const delta of batch) buffer.push(ANSWER_ID, { text: delta });
    else for (const delta of batch) post(toMessage(delta));
  }
  buffer.flush();
}

async function finish(text: string): Promise<void> {
  await nextFrame();
  post({ type: 'didUpdateTurn', turn: answer(text, 'done') });
  post({ type: 'didChangeBusy', busy: false });
  await synced();
}

async function streamThroughApp(text: string, deltas: readonly string[], perFrame: number, coalesce = true): Promise<void> {
  post({ type: 'didAppendTurn', turn: answer('', 'streaming') });
  await postDeltas(deltas, perFrame, coalesce, (delta) => ({ type: 'didStreamDelta', turnId: ANSWER_ID, text: delta }));
  await finish(text);
}

async function messagesOnly(deltas: readonly string[], perFrame: number, coalesce: boolean): Promise<void> {
  await postDeltas(deltas, perFrame, coalesce, (delta) => ({ type: 'didStreamDelta', turnId: 'no-such-turn', text: delta }));
  await synced();
}

async function oneShotThroughApp(text: string): Promise<void> {
  post({ type: 'didLoad', snapshot: snapshot([USER_TURN, answer(text, 'done')], false) });
  await synced();
}

async function naiveInWebview(text: string, deltas: readonly string[], perFrame: number, coalesce: boolean): Promise<void> {
  post({ type: 'didAppendTurn', turn: answer('', 'streaming') });
  post({ type: NAIVE_DELTA, text: '' });
  await postDeltas(deltas, perFrame, coalesce, (delta) => ({ type: NAIVE_DELTA, text: delta }));
  // The app saw no deltas, so the final text makes it render the whole answer once.
  await finish(text);
}

let answerText = '';
let answerDeltas: readonly string[] = [];

window.renderBench = {
  setAnswer(text, deltas) {
    answerText = text;
    answerDeltas = deltas;
  },
  async warmUp(text, deltas) {
    await this.reset();
    await streamThroughApp(text, deltas, 1);
    await oneShotThroughApp(text);
    post({ type: NAIVE_WARM_UP, text });
    await this.reset();
  },
  async reset() {
    post({ type: 'didLoad', snapshot: snapshot([USER_TURN], true) });
    await synced();
  },
  stream: (perFrame, coalesce) => measured(() => streamThroughApp(answerText, answerDeltas, perFrame, coalesce)),
  oneShot: () => measured(() => oneShotThroughApp(answerText)),
  naive: (perFrame, coalesce) => measured(() => naiveInWebview(answerText, answerDeltas, perFrame, coalesce)),
  messagesOnly: (perFrame, coalesce) => measured(() => messagesOnly(answerDeltas, perFrame, coalesce)),
};
