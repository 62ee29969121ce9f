import { isoTime } from './clock';

const WINDOW_MS = 60_000;

export interface RateLimits {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { requests: 4000, inputTokens: 2_000_000, outputTokens: 400_000 };

/**
 * Produces the `anthropic-ratelimit-*` headers from a one-minute window on the server clock.
 * Nothing is enforced (use the rate-limit fault for 429s); clients only get plausible numbers.
 */
export class RateLimitTracker {
  private events: { at: number; input: number; output: number }[] = [];

  constructor(private readonly now: () => number, private readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {}

  note(input: number, output: number): void {
    this.events.push({ at: this.now(), input, output });
  }

  headers(): Record<string, string> {
    const now = this.now();
    this.events = this.events.filter((event) => event.at > now - WINDOW_MS);
    const reset = isoTime((this.events[0]?.at ?? now) + WINDOW_MS);
    const input = this.events.reduce((sum, event) => sum + event.input, 0);
    const output = this.events.reduce((sum, event) => sum + event.output, 0);
    const remaining = (limit: number, used: number): string => String(Math.max(0, limit - used));
    const { requests, inputTokens, outputTokens } = this.limits;
    return {
      'anthropic-ratelimit-requests-limit': String(requests),
      'anthropic-ratelimit-requests-remaining': remaining(requests, this.events.length),
      'anthropic-ratelimit-requests-reset': reset,
      'anthropic-ratelimit-input-tokens-limit': String(inputTokens),
      'anthropic-ratelimit-input-tokens-remaining': remaining(inputTokens, input),
      'anthropic-ratelimit-input-tokens-reset': reset,
      'anthropic-ratelimit-output-tokens-limit': String(outputTokens),
      'anthropic-ratelimit-output-tokens-remaining': remaining(outputTokens, output),
      'anthropic-ratelimit-output-tokens-reset': reset,
      'anthropic-ratelimit-tokens-limit': String(inputTokens + outputTokens),
      'anthropic-ratelimit-tokens-remaining': remaining(inputTokens + outputTokens, input + output),
      'anthropic-ratelimit-tokens-reset': reset,
    };
  }

  clear(): void {
    this.events = [];
  }
}
