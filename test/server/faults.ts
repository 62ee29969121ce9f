/**
 * Injectable faults. Request-phase faults (status errors, reset before headers) hit any API
 * request unless `when` narrows them; stream faults only hit streaming `POST /v1/messages`
 * and are consumed when the stream starts, so a validation error does not use them up.
 */
import { matches } from './matcher';
import { ApiError } from './errors';
import type { FaultKind, FaultSpec, MatchInput, StatusFaultKind, StreamFaultKind } from './types';

const STREAM_KINDS: readonly FaultKind[] = ['reset-mid-stream', 'stall', 'malformed-sse', 'stream-error', 'ping-only'];

export function isStreamFault(kind: FaultKind): kind is StreamFaultKind {
  return STREAM_KINDS.includes(kind);
}

const KNOWN_KINDS: readonly FaultKind[] = [
  'rate-limit',
  'overloaded',
  'api-error',
  'unauthorized',
  'too-large',
  'reset-before-headers',
  'reset-mid-body',
  ...STREAM_KINDS,
];

export function assertFaultSpec(spec: FaultSpec): void {
  if (!KNOWN_KINDS.includes(spec.kind)) throw new TypeError(`unknown fault kind: ${String(spec.kind)}`);
  const times = spec.times;
  if (times !== undefined && times !== 'always' && !(Number.isInteger(times) && times > 0)) {
    throw new TypeError(`fault times must be a positive integer or 'always', got ${String(times)}`);
  }
  for (const field of ['holdMs', 'pingIntervalMs'] as const) {
    const value = spec[field];
    if (value !== undefined && !(Number.isFinite(value) && value >= (field === 'holdMs' ? 0 : 1))) {
      throw new TypeError(`fault ${field} must be a ${field === 'holdMs' ? 'non-negative' : 'positive'} number of ms, got ${String(value)}`);
    }
  }
}

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultInjector {
  private armed: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    assertFaultSpec(spec);
    this.armed.push({ spec, remaining: spec.times === 'always' ? Infinity : (spec.times ?? 1) });
  }

  clear(): void {
    this.armed = [];
  }

  get pending(): number {
    return this.armed.length;
  }

  take(input: MatchInput, phase: 'request' | 'stream'): FaultSpec | undefined {
    const found = this.armed.find(({ spec }) => {
      if (isStreamFault(spec.kind) !== (phase === 'stream')) return false;
      if (phase === 'stream' && !(input.stream && (input.path === '/v1/messages' || input.path === '/anthropic/v1/messages' || input.path.endsWith('/invoke-with-response-stream') || input.path.endsWith(':streamRawPredict')))) return false;
      return matches(spec.when, input);
    });
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining <= 0) this.armed = this.armed.filter((fault) => fault !== found);
    return found.spec;
  }
}

/** The error a status fault answers with, worded like the API. */
export function faultError(spec: FaultSpec & { kind: StatusFaultKind }): ApiError {
  switch (spec.kind) {
    case 'rate-limit':
      return new ApiError(
        'rate_limit_error',
        spec.message ?? 'This request would exceed the rate limit for your organization of 50 requests per minute.',
        429,
        { 'retry-after': String(spec.retryAfterSeconds ?? 1), 'anthropic-ratelimit-requests-remaining': '0' },
      );
    case 'overloaded':
      return new ApiError('overloaded_error', spec.message ?? 'Overloaded', 529);
    case 'api-error':
      return new ApiError('api_error', spec.message ?? 'Internal server error', 500);
    case 'unauthorized':
      return new ApiError('authentication_error', spec.message ?? 'invalid x-api-key', 401);
    case 'too-large':
      return new ApiError('request_too_large', spec.message ?? 'Request exceeds the maximum allowed number of bytes.', 413);
  }
}
