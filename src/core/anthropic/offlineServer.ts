/**
 * How the extension knows it talks to its own offline server (the test server, or `npm run demo`)
 * rather than to the API or a local proxy in front of it: that server sends this header on every
 * response, which neither the API nor a proxy does. A loopback `baseURL` alone says nothing: a
 * corporate gateway or a logging proxy on 127.0.0.1 forwards to the real, paid API.
 */
import type { ClientOptions } from '@anthropic-ai/sdk';

export const OFFLINE_SERVER_HEADER = 'x-claude-studio-offline-server';

type Fetch = NonNullable<ClientOptions['fetch']>;

/** `fetch` that calls `onSeen` for every response that carries {@link OFFLINE_SERVER_HEADER}. */
export function watchOfflineServer(fetch: Fetch, onSeen: () => void): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.headers.get(OFFLINE_SERVER_HEADER) !== null) onSeen();
    return response;
  };
}
