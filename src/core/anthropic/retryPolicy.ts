/**
 * What the SDK may send twice: the one place that decides it.
 *
 * SDK 1.17 resends a request whose answer was cut off part-way through its body (within
 * `maxRetries`). The answer that was cut may have been a 2xx: the server already created the
 * batch, cancelled it or deleted it, and a resend would create a second batch or fail on the
 * deleted one. So a 2xx answer to a request that changes something is marked
 * `x-should-retry: false`, which the SDK obeys for exactly this case. Failures before an answer
 * (connection refused, 429, 529, 5xx) keep the SDK's usual retries.
 *
 * A create is stricter still (see {@link CREATE_ONCE}): a timeout or a 5xx may come after the
 * server made the batch, so the SDK never resends it; the batch journal reconciles instead.
 */
import type { ClientOptions } from '@anthropic-ai/sdk';

/** The fetch the SDK calls. */
export type SdkFetch = NonNullable<ClientOptions['fetch']>;

/** Request options for a call that creates something billed or stateful: the SDK never resends it. */
export const CREATE_ONCE = Object.freeze({ maxRetries: 0 });

/** Methods that change nothing on the server. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** POST endpoints that change nothing on the server (counting tokens is free and stateless). */
const READ_ONLY_POSTS: readonly RegExp[] = [/\/v1\/messages\/count_tokens$/];

/** Statuses whose Response may not have a body. */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/** True when the SDK may resend this request after its 2xx answer was cut off. */
export function mayResendAfterAnswer(method: string | undefined, url: string): boolean {
  if (READ_METHODS.has((method ?? 'GET').toUpperCase())) return true;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return false;
  }
  return READ_ONLY_POSTS.some((pattern) => pattern.test(path));
}

function urlOf(input: Parameters<SdkFetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * Wraps `fetch` so the SDK never resends a request that changes something once a 2xx answer to it
 * has begun (see the file comment). Everything else passes through untouched.
 */
export function withoutResendOfAcceptedWrites(fetch: SdkFetch): SdkFetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : undefined);
    if (!response.ok || mayResendAfterAnswer(method, urlOf(input))) return response;
    // A fetch Response's headers are immutable: build a new one around the same body stream.
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    const marked = new Response(NULL_BODY_STATUSES.has(response.status) ? null : response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
    // The SDK reads `url` for error messages; a new Response has an empty one.
    Object.defineProperty(marked, 'url', { value: response.url });
    return marked;
  };
}
