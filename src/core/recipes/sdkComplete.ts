import type Anthropic from '@anthropic-ai/sdk';
import type { LivenessOptions } from '../anthropic/liveness';
import { liveStream } from '../anthropic/liveness';
import type { Complete } from './types';

/**
 * `complete` over the SDK, under the liveness rule every request follows (a stall timer that any
 * server event restarts, pings included; the run's signal aborts the HTTP request). It streams,
 * which also tells when the response begins (`message_start`): from then on the request's cache
 * writes can be read, so the rest of a parallel group can start.
 */
export function sdkComplete(client: Anthropic, liveness: Pick<LivenessOptions, 'stallTimeoutMs'>): Complete {
  return async (params, signal, onStart) => {
    const live = liveStream(client, params, { stallTimeoutMs: liveness.stallTimeoutMs, ...(signal ? { signal } : {}) });
    live.stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') onStart?.();
    });
    return live.finalMessage();
  };
}
