import * as l10n from '@vscode/l10n';
import type { FriendlyError } from '../anthropic/errors';
import type { AssistantTurn, TurnError } from './conversation';

/** What a failed turn keeps of a mapped API error: the message, the action, the wait it asked for. */
export function turnErrorFrom(friendly: FriendlyError): TurnError {
  return {
    kind: friendly.kind,
    message: friendly.message,
    retryable: friendly.retryable,
    ...(friendly.action ? { action: friendly.action } : {}),
    ...(friendly.retryAfterMs !== undefined ? { retryAfterMs: friendly.retryAfterMs } : {}),
    ...(friendly.fact ? { fact: friendly.fact } : {}),
  };
}

/** Every user-visible string of a failed answer's advice, translated through @vscode/l10n (see core/util/l10n). */
export const turnErrorMessages = {
  willRetry: (fact: string, attempt: number, attempts: number): string =>
    l10n.t('{0} Claude Studio will try again by itself (attempt {1} of {2}).', fact, attempt, attempts),
  gaveUp: (fact: string, attempts: number): string => l10n.t('{0} Claude Studio tried {1} times; Retry sends it again.', fact, attempts),
  notRetried: (fact: string): string => l10n.t('{0} Retry sends it again.', fact),
  keptContinue: (fact: string): string =>
    l10n.t('{0} The partial answer is kept: Continue picks up where it stopped; Retry starts the answer over.', fact),
  keptRetry: (fact: string): string => l10n.t('{0} The partial answer is kept; Retry starts the answer over.', fact),
} as const;

/** What the session did about a failed request, which decides what its message may promise. */
export interface ErrorOutcome {
  /** Requests sent for this answer so far (the first one included). */
  readonly attempts: number;
  /** Set while a countdown runs: the session sends attempt `attempts + 1` of this many by itself. */
  readonly willRetryOf?: number;
  /** Text had arrived before the failure (it is kept). */
  readonly partial: boolean;
  /** Continue can resume the kept text (see canContinueTurn). */
  readonly continuable: boolean;
}

/**
 * The error as the user reads it: what happened, then only what is true of what comes next (a
 * retry by itself, how often it tried, what Continue and Retry will do with a partial answer).
 * Errors with no `fact` (a bad key, a rate limit with its wait…) already say all of it.
 */
export function explainTurnError(error: TurnError, outcome: ErrorOutcome): TurnError {
  const fact = error.fact ?? (outcome.partial ? error.message : undefined);
  if (fact === undefined) return error;
  let message: string;
  if (outcome.partial) message = outcome.continuable ? turnErrorMessages.keptContinue(fact) : turnErrorMessages.keptRetry(fact);
  else if (outcome.willRetryOf !== undefined) message = turnErrorMessages.willRetry(fact, outcome.attempts + 1, outcome.willRetryOf);
  else if (outcome.attempts > 1) message = turnErrorMessages.gaveUp(fact, outcome.attempts);
  else message = turnErrorMessages.notRetried(fact);
  return { ...error, message };
}

/**
 * Whether Continue can resume an answer: the newest one, cut off by the token limit, or ended by
 * an error after some text arrived (the text so far goes back as the start of the answer).
 */
export function canContinueTurn(turn: AssistantTurn): boolean {
  if (turn.status === 'done') return turn.stopReason === 'max_tokens';
  // A recipe's answer is its steps' work; Retry runs it again, there is nothing to resume.
  return turn.status === 'error' && turn.recipe === undefined && turn.text.trim() !== '' && turn.error?.retryAt === undefined;
}
