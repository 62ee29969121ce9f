import type { ServerErrorType } from './types';

const STATUS_BY_TYPE: Record<ServerErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
  memory_precondition_failed_error: 412,
  memory_path_conflict_error: 409,
};

export function statusForErrorType(type: ServerErrorType): number {
  return STATUS_BY_TYPE[type];
}

/** The body every API error carries, streamed or not. */
export interface ErrorEnvelope {
  type: 'error';
  error: { type: ServerErrorType; message: string };
  request_id: string | null;
}

export function errorEnvelope(type: ServerErrorType, message: string, requestId: string | null): ErrorEnvelope {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** Thrown by handlers; the router turns it into the envelope with the right status. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: ServerErrorType;
  readonly headers: Record<string, string>;

  constructor(type: ServerErrorType, message: string, status?: number, headers: Record<string, string> = {}) {
    super(message);
    this.type = type;
    this.status = status ?? statusForErrorType(type);
    this.headers = headers;
  }
}

export function invalidRequest(message: string): ApiError {
  return new ApiError('invalid_request_error', message);
}

export function notFound(message: string): ApiError {
  return new ApiError('not_found_error', message);
}
