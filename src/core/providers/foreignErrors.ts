/**
 * A provider's client loaded from its own bundle carries its own copy of the Anthropic SDK, so its
 * errors are not instances of this bundle's classes and `describeError` would not know them. This
 * turns them into this bundle's classes, keeping status, body, headers, message and cause.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes of another copy of the SDK. */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/** A plain test, so one failed check does not narrow the error away for the next. */
const isA = (value: Error, cls: ErrorClass): boolean => value instanceof cls;

interface ForeignApiError {
  readonly status?: number;
  readonly error?: unknown;
  readonly headers?: Headers;
  readonly message: string;
}

/** `error` as this bundle's SDK error when it is one of `foreign`'s; anything else unchanged. */
export function hostError(error: unknown, foreign: SdkErrorClasses | undefined): unknown {
  if (foreign === undefined || !(error instanceof Error)) return error;
  // Most specific first: the timeout and abort classes extend the connection/API ones.
  if (isA(error, foreign.APIUserAbortError)) return new APIUserAbortError({ message: error.message });
  if (isA(error, foreign.APIConnectionTimeoutError)) return new APIConnectionTimeoutError({ message: error.message });
  if (isA(error, foreign.APIConnectionError)) return new APIConnectionError({ message: error.message, cause: (error as { cause?: unknown }).cause as Error | undefined });
  if (isA(error, foreign.APIError)) {
    const api = error as ForeignApiError;
    const body = api.error;
    return APIError.generate(api.status, typeof body === 'object' && body !== null ? body : undefined, api.message, api.headers);
  }
  return error;
}
