/**
 * The liveness rule every Messages request follows (the chat, recipe steps, the overflow
 * summary, Run now): the request streams, and a stall timer restarts on every byte the server
 * sends, `ping` events included, so a healthy stream that only pings through a long think is
 * never taken for a dead one. Silence for the stall timeout aborts the HTTP request; so does Stop.
 *
 * Pings never reach `MessageStream` listeners (the SDK drops them while parsing), so the timer
 * is fed by a per-request middleware that watches the response body as it arrives.
 */
import * as l10n from '@vscode/l10n';
import type Anthropic from '@anthropic-ai/sdk';
import type { Middleware } from '@anthropic-ai/sdk';
import type { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { Message, MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import type { Clock } from '../util/clock';
import { systemClock } from '../util/clock';
import type { Disposable } from '../util/emitter';

export interface LivenessOptions {
  /** How long the server may send nothing at all before the request is aborted as stalled. */
  readonly stallTimeoutMs: number;
  /** Stop: aborting it aborts the HTTP request. */
  readonly signal?: AbortSignal;
  /** The SDK's own retries for this request (the chat retries by itself, visibly, and passes 0). */
  readonly maxRetries?: number;
}

/** The request was aborted because the server sent nothing for `stallTimeoutMs`. */
export class StalledError extends Error {
  constructor(readonly stallTimeoutMs: number) {
    super(l10n.t('Nothing arrived from the API for {0} s, so the request was stopped.', Math.round(stallTimeoutMs / 1000)));
    this.name = 'StalledError';
  }
}

/**
 * A restartable timer: `touch()` on every sign of life; after `ms` without one, `onStall` runs
 * once. Disposing it stops it for good.
 */
export class StallWatch implements Disposable {
  private timer: Disposable | undefined;
  private done = false;

  constructor(private readonly ms: number, private readonly onStall: () => void, private readonly clock: Clock = systemClock) {
    this.touch();
  }

  touch(): void {
    if (this.done) return;
    this.timer?.dispose();
    this.timer = this.clock.setTimer(() => {
      this.done = true;
      this.onStall();
    }, this.ms);
  }

  dispose(): void {
    this.done = true;
    this.timer?.dispose();
  }
}

/** A middleware that calls `touch` when the response starts and on every chunk of its body. */
export function activityTap(touch: () => void): Middleware {
  return async (request, next) => {
    const response = await next(request);
    touch();
    if (response.body === null) return response;
    const tapped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          touch();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(tapped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export interface LiveStream {
  /** The SDK's stream, for `text`, `thinking` and `streamEvent` listeners. */
  readonly stream: MessageStream<unknown>;
  /**
   * The whole message. Rejects with {@link StalledError} when the server went silent, and as the
   * SDK does otherwise (`APIUserAbortError` after Stop).
   */
  finalMessage(): Promise<Message>;
}

/** Streams one Messages request under the liveness rule (see the file comment). */
export function liveStream(client: Anthropic, params: MessageCreateParamsBase, options: LivenessOptions, clock: Clock = systemClock): LiveStream {
  const controller = new AbortController();
  let stalled = false;
  const watch = new StallWatch(options.stallTimeoutMs, () => {
    stalled = true;
    controller.abort(new StalledError(options.stallTimeoutMs));
  }, clock);
  const outer = options.signal;
  const onStop = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onStop();
  else outer?.addEventListener('abort', onStop, { once: true });
  const stream = client.messages.stream(params, {
    signal: controller.signal,
    middleware: [activityTap(() => watch.touch())],
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
  });
  const settled = stream.finalMessage().then(
    (message) => message,
    (error: unknown) => {
      throw stalled ? new StalledError(options.stallTimeoutMs) : error;
    },
  ).finally(() => {
    watch.dispose();
    outer?.removeEventListener('abort', onStop);
  });
  // The caller may only listen to events; an unobserved rejection must not crash the host.
  settled.catch(() => undefined);
  return { stream, finalMessage: () => settled };
}

/** One whole answer under the liveness rule: streamed (so pings count), resolved at the end. */
export function liveComplete(client: Anthropic, params: MessageCreateParamsBase, options: LivenessOptions): Promise<Message> {
  return liveStream(client, params, options).finalMessage();
}
