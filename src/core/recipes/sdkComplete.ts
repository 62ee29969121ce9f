import type Anthropic from '@anthropic-ai/sdk';
import type { Complete } from './types';

/**
 * `complete` over the SDK. It streams, only to learn when the response begins (`message_start`):
 * from then on the request's cache writes can be read, so the rest of a parallel group can start.
 */
export function sdkComplete(client: Anthropic): Complete {
  return async (params, signal, onStart) => {
    const stream = client.messages.stream(params, signal ? { signal } : {});
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') onStart?.();
    });
    return stream.finalMessage();
  };
}
