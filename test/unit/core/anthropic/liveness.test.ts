import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Anthropic, { APIUserAbortError } from '@anthropic-ai/sdk';
import { StallWatch, StalledError, liveComplete } from '../../../../src/core/anthropic/liveness';
import { newJob } from '../../../../src/core/batches/model';
import type { BatchFs, LineWriter } from '../../../../src/core/batches/ports';
import { runRequestsNow } from '../../../../src/core/batches/runNow';
import { ChatSession } from '../../../../src/core/chat/chatSession';
import { sdkComplete } from '../../../../src/core/recipes/sdkComplete';
import { FakeClock } from '../history/memoryFs';

describe('StallWatch', () => {
  it('fires once after the timeout with no sign of life, and never after touch() keeps coming', () => {
    const clock = new FakeClock();
    let stalls = 0;
    const watch = new StallWatch(1000, () => stalls++, clock);
    for (let i = 0; i < 10; i++) {
      clock.advance(900);
      watch.touch();
    }
    assert.equal(stalls, 0);
    clock.advance(1000);
    assert.equal(stalls, 1);
    watch.touch();
    clock.advance(5000);
    assert.equal(stalls, 1, 'a stalled watch stays stalled');
    const disposed = new StallWatch(100, () => stalls++, clock);
    disposed.dispose();
    clock.advance(1000);
    assert.equal(stalls, 1);
  });
});

const sse = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const START = sse('message_start', {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } },
});
const TEXT = [
  sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'done' } }),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }),
  sse('message_stop', { type: 'message_stop' }),
].join('');
const PING = sse('ping', { type: 'ping' });

/**
 * A client whose fetch answers with an SSE body the test writes to over time: `script` gets a
 * `send` function and the request's signal, so a test can ping, go silent, or finish.
 */
function scriptedClient(script: (send: (text: string) => void, end: () => void, signal: AbortSignal) => Promise<void>): { client: Anthropic; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? new AbortController().signal;
    signals.push(signal);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true;
        // An open socket keeps Node running; this stands in for it (the stall timer is unref'd).
        const socket = setInterval(() => undefined, 1000);
        signal.addEventListener('abort', () => {
          clearInterval(socket);
          if (!open) return;
          open = false;
          controller.error(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'));
        });
        const send = (text: string): void => {
          if (open) controller.enqueue(encoder.encode(text));
        };
        const end = (): void => {
          clearInterval(socket);
          if (open) controller.close();
          open = false;
        };
        void script(send, end, signal);
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { client: new Anthropic({ apiKey: 'k', baseURL: 'http://127.0.0.1:9', fetch, maxRetries: 0 }), signals };
}

/** Long enough that a loaded machine's first request (SDK set-up) is not mistaken for silence. */
const STALL_MS = 400;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const params = { model: 'm', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('liveComplete (the liveness rule every request follows)', () => {
  it('a stream that only pings for several stall timeouts is alive and finishes', async () => {
    const { client } = scriptedClient(async (send, end) => {
      send(START);
      // Pings only, for three stall timeouts.
      for (let i = 0; i < 12; i++) {
        await sleep(STALL_MS / 4);
        send(PING);
      }
      send(TEXT);
      end();
    });
    const message = await liveComplete(client, params, { stallTimeoutMs: STALL_MS });
    assert.equal(message.content[0]?.type === 'text' && message.content[0].text, 'done');
  });

  it('silence for the stall timeout aborts the HTTP request with StalledError', async () => {
    const { client, signals } = scriptedClient(async (send) => {
      send(START);
    });
    const started = Date.now();
    await assert.rejects(liveComplete(client, params, { stallTimeoutMs: STALL_MS }), (error: unknown) => error instanceof StalledError && error.stallTimeoutMs === STALL_MS);
    assert.ok(Date.now() - started < 5 * STALL_MS);
    assert.equal(signals[0]?.aborted, true, 'the request itself was aborted');
  });

  it('Stop aborts the HTTP request at once, and is not reported as a stall', async () => {
    const { client, signals } = scriptedClient(async (send) => {
      send(START);
    });
    const stop = new AbortController();
    const done = liveComplete(client, params, { stallTimeoutMs: 10_000, signal: stop.signal });
    await sleep(30);
    stop.abort();
    await assert.rejects(done, (error: unknown) => error instanceof APIUserAbortError);
    assert.equal(signals[0]?.aborted, true);
  });
});

/** Pings only, for nearly twice the stall timeout, then the answer. */
async function pingThenAnswer(send: (text: string) => void, end: () => void): Promise<void> {
  send(START);
  for (let i = 0; i < 7; i++) {
    await sleep(STALL_MS / 4);
    send(PING);
  }
  send(TEXT);
  end();
}

/** A request that pings until the test stops it (or, when Stop does not reach it, for ten stall timeouts, then ends cut off). */
async function pingUntilAborted(send: (text: string) => void, end: () => void, signal: AbortSignal): Promise<void> {
  send(START);
  for (let i = 0; i < 40 && !signal.aborted; i++) {
    await sleep(STALL_MS / 4);
    send(PING);
  }
  end();
}

/** Run now's storage, in memory: the lines written to the results file. */
function memoryBatchFs(): { fs: BatchFs; lines: string[] } {
  const lines: string[] = [];
  const writer: LineWriter = { write: async (text) => void lines.push(text), sync: async () => undefined, close: async () => undefined };
  const fs = { mkdir: async () => undefined, createWriter: async () => writer } as unknown as BatchFs;
  return { fs, lines };
}

function chatSession(client: Anthropic): ChatSession {
  return new ChatSession({
    getClient: async () => client,
    getOptions: () => ({ model: 'm', maxTokens: 100, cacheTtl: '5m', stallTimeoutMs: STALL_MS, maxRetries: 0 }),
    describeError: (error) => ({ kind: error instanceof StalledError ? 'stalled' : 'unknown', message: String(error), retryable: false }),
    price: () => ({ costUsd: 0, savedUsd: 0 }),
    now: () => Date.now(),
  });
}

describe('every kind of request follows the liveness rule (pings keep it alive; Stop aborts the HTTP request)', { concurrency: true }, () => {
  it('chat answer', async () => {
    const chat = chatSession(scriptedClient(pingThenAnswer).client);
    await chat.send('think long');
    const answer = chat.turns().at(-1);
    assert.equal(answer?.kind === 'assistant' && answer.status, 'done');

    const { client, signals } = scriptedClient(pingUntilAborted);
    const stopped = chatSession(client);
    const sending = stopped.send('think long');
    await sleep(STALL_MS * 1.5);
    await stopped.stop();
    await sending;
    assert.equal(signals[0]?.aborted, true);
    const turn = stopped.turns().at(-1);
    assert.equal(turn?.kind === 'assistant' && turn.status, 'stopped');
  });

  it('recipe step', async () => {
    const reply = await sdkComplete(scriptedClient(pingThenAnswer).client, { stallTimeoutMs: STALL_MS })(params);
    assert.equal(reply.content[0]?.type === 'text' && reply.content[0].text, 'done');

    const { client, signals } = scriptedClient(pingUntilAborted);
    const stop = new AbortController();
    const step = sdkComplete(client, { stallTimeoutMs: STALL_MS })(params, stop.signal);
    await sleep(STALL_MS * 1.5);
    stop.abort();
    await assert.rejects(step, (error: unknown) => !(error instanceof StalledError));
    assert.equal(signals[0]?.aborted, true);
  });

  it('overflow summary', async () => {
    const chat = chatSession(scriptedClient(pingThenAnswer).client);
    assert.equal(await chat.summarize(10_000, 'Summarize.'), 'done');

    const { client, signals } = scriptedClient(pingUntilAborted);
    const stop = new AbortController();
    const summary = chatSession(client).summarize(10_000, 'Summarize.', stop.signal);
    await sleep(STALL_MS * 1.5);
    stop.abort();
    await assert.rejects(summary, (error: unknown) => !(error instanceof StalledError));
    assert.equal(signals[0]?.aborted, true);
  });

  it('Run now: a pinging request finishes; Stop aborts the one in flight and sends no other', async () => {
    let calls = 0;
    const { client, signals } = scriptedClient(async (send, end, signal) => (++calls === 1 ? pingThenAnswer(send, end) : pingUntilAborted(send, end, signal)));
    const files = ['a', 'b', 'c'].map((label) => ({ uri: `file:///${label}`, label, text: label }));
    const job = newJob(0, 'job_now', 'now', 'now', { prompt: 'p', model: 'm', maxTokens: 10 }, files, ['a', 'b', 'c']);
    const { fs, lines } = memoryBatchFs();
    const stop = new AbortController();
    const running = runRequestsNow(job, (i) => ({ custom_id: ['a', 'b', 'c'][i] ?? '', params }), 1, { client, fs, resultsDir: '/r', resultsFile: '/r/results.jsonl', model: undefined, changed: () => undefined, stallTimeoutMs: STALL_MS }, stop.signal);
    while (calls < 2) await sleep(20);
    await sleep(STALL_MS * 1.5);
    stop.abort();
    await running;
    assert.deepEqual(job.requests.map((r) => r.outcome ?? null), ['succeeded', null, null]);
    assert.equal(lines.length, 1);
    assert.equal(calls, 2, 'nothing was sent after Stop');
    assert.equal(signals[1]?.aborted, true, 'the request in flight was aborted');
  });
});
