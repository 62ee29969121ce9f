import * as l10n from '@vscode/l10n';

/** Every user-visible string of the chat session, in one place for vscode.l10n. */
export const sessionMessages = {
  get busy(): string { return l10n.t('A response is still streaming; stop it first.'); },
  stalled: (ms: number): string =>
    l10n.t('The answer stopped arriving: nothing came for {0} s, so the request was stopped.', Math.round(ms / 1000)),
  continuePrompt: 'Continue exactly where you stopped.',
} as const;

/** Backoff for automatic retries: the API's retry-after when it gave one, else 1 s, 2 s, 4 s… up to 30 s. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, 120_000);
  return Math.min(1000 * 2 ** attempt, 30_000);
}

/** Waits `ms`, or less if `signal` aborts; resolves true when the full time passed. */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The user's typical pause between messages in this conversation (the median gap between user
 * turns), which decides whether a 1-hour cache entry would outlive the pauses; undefined before
 * the second message.
 */
export function typicalGapMs(userTurnTimes: readonly number[]): number | undefined {
  const gaps: number[] = [];
  for (let i = 1; i < userTurnTimes.length; i++) {
    const gap = (userTurnTimes[i] ?? 0) - (userTurnTimes[i - 1] ?? 0);
    if (gap >= 0) gaps.push(gap);
  }
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1 ? gaps[middle] : ((gaps[middle - 1] ?? 0) + (gaps[middle] ?? 0)) / 2;
}
