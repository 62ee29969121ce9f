import type { FriendlyError } from '../anthropic/errors';
import type { TurnError } from './conversation';

/** What a failed turn keeps of a mapped API error: the message, the action, the wait it asked for. */
export function turnErrorFrom(friendly: FriendlyError): TurnError {
  return {
    kind: friendly.kind,
    message: friendly.message,
    retryable: friendly.retryable,
    ...(friendly.action ? { action: friendly.action } : {}),
    ...(friendly.retryAfterMs !== undefined ? { retryAfterMs: friendly.retryAfterMs } : {}),
  };
}
