/**
 * A client middleware that turns the catalog model a request names into the provider's id (see
 * modelIds.ts), so everything above the client keeps speaking catalog ids. It runs before the
 * provider client's own adapter, which moves the id into the URL path and signs the request.
 */
import type { Middleware } from '@anthropic-ai/sdk';
import type { ResolvedModelId } from './modelIds';

/** What InvokeModel documents for Claude's request body. */
export const BEDROCK_LEGACY_VERSION = 'bedrock-2023-05-31';

export function modelIdMiddleware(resolve: (model: string) => ResolvedModelId): Middleware {
  return async (request, next) => {
    if (typeof request.body !== 'string') return next(request);
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return next(request);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return next(request);
    const fields = body as Record<string, unknown>;
    const model = fields['model'];
    if (typeof model !== 'string') return next(request);
    const resolved = resolve(model);
    // The Bedrock adapter moves this header into the body as `anthropic_version`.
    if (resolved.legacyVersion) request.headers.set('anthropic-version', BEDROCK_LEGACY_VERSION);
    if (resolved.id === model) return next(request);
    return next({ ...request, body: JSON.stringify({ ...fields, model: resolved.id }) });
  };
}
