import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import * as l10n from '@vscode/l10n';
import { formatInteger } from '../util/l10n';
import { ClientConfigError } from './clientFactory';
import { authHeaderLabel } from './headers';
import type { AuthHeader } from './headers';
import { parseRetryAfter } from './retryAfter';
import { redactSecrets, safeExcerpt } from './redact';

export { parseRetryAfter } from './retryAfter';
export { redactSecrets } from './redact';

/** What went wrong, in terms the UI can act on. */
export type FriendlyErrorKind =
  | 'auth'
  | 'permission'
  | 'notFound'
  | 'invalidRequest'
  | 'tooLarge'
  | 'rateLimited'
  | 'overloaded'
  | 'server'
  | 'connection'
  | 'timeout'
  | 'aborted'
  | 'unknown';

/** The one thing the UI should offer the user next. */
export type FriendlyErrorAction = 'setApiKey' | 'pickModel' | 'reduceContext' | 'retry' | 'openSettings';

/** An error made fit to show: no stack trace, no secrets. */
export interface FriendlyError {
  readonly kind: FriendlyErrorKind;
  readonly message: string;
  /** The API's own explanation, redacted and shortened, for a "details" disclosure. */
  readonly detail?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly action?: FriendlyErrorAction;
  readonly status?: number;
  /** Quote this to Anthropic support. */
  readonly requestId?: string;
  /**
   * What happened, without advice (the message adds "already retried"-style advice that only a
   * caller knows to be true): the chat composes its own from this and what it did.
   */
  readonly fact?: string;
}

/** What the caller knows that the error does not say. */
export interface ErrorContext {
  readonly model?: string;
  /** The configured base URL, to name the host we could not reach. */
  readonly baseURL?: string;
  /** How the key was sent, to tell a gateway's refusal of the header from a wrong key. */
  readonly authHeader?: AuthHeader;
  /** The proxy requests go through (no credentials), to name it when it refuses. */
  readonly proxy?: string;
  /** The request timeout, to say how long we waited. */
  readonly timeoutMs?: number;
  /** Clock for http-date `retry-after` values. */
  readonly now?: () => number;
}

const DEFAULT_HOST = 'api.anthropic.com';

function formatDelay(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 120 ? l10n.t('{0} s', seconds) : l10n.t('{0} min', Math.ceil(seconds / 60));
}

/** Every user-visible string of this module, translated through @vscode/l10n (see core/util/l10n). */
export const errorMessages = {
  auth: (): string => l10n.t('Your Anthropic API key was not accepted. Set a valid key to continue.'),
  gatewayWantsOtherHeader: (host: string, sent: AuthHeader, wanted: AuthHeader): string =>
    l10n.t(
      'The endpoint at {0} expects the key in {1}, but Claude Studio sent it as {2}. Set "claudeStudio.authHeader" to "{3}" in your user settings.',
      host, authHeaderLabel(wanted), authHeaderLabel(sent), wanted,
    ),
  gatewayAuth: (host: string, sent: AuthHeader, other: AuthHeader): string =>
    l10n.t(
      'The endpoint at {0} did not accept the key, sent as {1}. Check the key; if this gateway reads it from {2} instead, set "claudeStudio.authHeader" to "{3}" in your user settings.',
      host, authHeaderLabel(sent), authHeaderLabel(other), other,
    ),
  permission: (): string => l10n.t('Your API key is not allowed to make this request. Check its workspace and permissions in the Claude Console.'),
  billing: (): string => l10n.t('Anthropic could not bill this request. Check your plan, credit balance and spend limits in the Claude Console.'),
  spendLimit: (): string => l10n.t('Your organization has reached its spend limit. Raise the limit in the Claude Console, or wait for it to reset.'),
  notFoundModel: (model: string): string => l10n.t('The model "{0}" was not found or is not available to your key. Pick another model.', model),
  notFound: (): string => l10n.t('The requested model or resource was not found. Pick another model.'),
  promptTooLong: (tokens: number, max: number): string =>
    l10n.t(
      'The conversation is too long: {0} tokens, but the model accepts at most {1}. Remove about {2} tokens: detach large files, drop older messages or start a new conversation.',
      formatInteger(tokens), formatInteger(max), formatInteger(tokens - max),
    ),
  contextOverflow: (input: number, maxTokens: number, limit: number): string =>
    l10n.t(
      "The prompt ({0} tokens) plus the maximum reply length ({1}) exceed the model's limit of {2} tokens. Lower the claudeStudio.maxTokens setting or remove some context.",
      formatInteger(input), formatInteger(maxTokens), formatInteger(limit),
    ),
  tooLarge: (): string => l10n.t('The request is too large. Detach large files or images, or drop older messages, and try again.'),
  invalidRequest: (): string => l10n.t('Anthropic rejected the request as invalid. Check your Claude Studio settings; the details say what was wrong.'),
  rateLimitedIn: (ms: number): string => l10n.t('You have hit your rate limit. Try again in {0}.', formatDelay(ms)),
  rateLimited: (): string => l10n.t('You have hit your rate limit. Try again in a moment.'),
  overloadedFact: (): string => l10n.t("Anthropic's servers are overloaded right now."),
  serverFact: (): string => l10n.t("Anthropic's servers could not handle the request."),
  overloaded: (): string => l10n.t("Anthropic's servers are overloaded right now. Claude Studio already retried; try again in a moment."),
  server: (): string => l10n.t("Anthropic's servers could not handle the request. Claude Studio already retried; try again in a moment."),
  timeoutAfter: (ms: number): string => l10n.t('The request timed out after {0}. Try again, or raise claudeStudio.request.timeoutSeconds.', formatDelay(ms)),
  timeout: (): string => l10n.t('The request timed out. Try again.'),
  connection: (host: string): string => l10n.t('Cannot reach {0}. Check your network, proxy and the claudeStudio.baseURL setting.', host),
  certificate: (host: string, code: string): string =>
    l10n.t(
      'The certificate of {0} is not trusted ({1}). If your network inspects HTTPS with its own certificate authority, add that authority to the operating system\'s store, or name its PEM file in NODE_EXTRA_CA_CERTS and restart VS Code; behind a proxy that re-signs traffic, "http.proxyStrictSSL": false also lets requests through.',
      host, code,
    ),
  awsCredentials: (): string =>
    l10n.t('No AWS credentials were found for Amazon Bedrock. Sign in with the AWS CLI ("aws configure", or "aws sso login" for an SSO profile), set "claudeStudio.bedrock.profile" to a profile in ~/.aws, or start VS Code with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set.'),
  proxyRefused: (proxy: string, status: number): string =>
    status === 407
      ? l10n.t('The proxy at {0} refused the connection ({1}). It wants credentials: set "http.proxyAuthorization", or put the user name and password in "http.proxy".', proxy, status)
      : l10n.t('The proxy at {0} refused the connection ({1}). Check the "http.proxy" and "http.noProxy" settings.', proxy, status),
  malformedStream: (): string => l10n.t('Part of the answer arrived unreadable (a malformed stream event), so it was cut short.'),
  connectionLost: (host: string): string => l10n.t('The connection to {0} was lost before the answer finished.', host),
  aborted: (): string => l10n.t('Stopped by the user.'),
  unknown: (): string => l10n.t('Something went wrong while talking to Claude. Try again; if it keeps happening, check the Claude Studio output log.'),
} as const;

function hostOf(baseURL: string | undefined): string {
  if (!baseURL) return DEFAULT_HOST;
  try {
    return new URL(baseURL).host || DEFAULT_HOST;
  } catch {
    return safeExcerpt(baseURL, 80);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isAbortLike(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return true;
  return isRecord(err) && err['name'] === 'AbortError';
}

/** Socket failures while a response body is read: undici reports them as `terminated` or by code. */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

function isDroppedConnection(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; isRecord(current) && depth < 4; current = current['cause'], depth++) {
    if (current['message'] === 'terminated') return true;
    const code = current['code'];
    if (typeof code === 'string' && DROPPED_CODES.has(code)) return true;
  }
  return false;
}

/** Node's fetch says `terminated` when the socket closes while a response body is read (the host was reached). */
function isBodyCutOff(err: unknown): boolean {
  for (let current: unknown = err, depth = 0; isRecord(current) && depth < 4; current = current['cause'], depth++) {
    if (current['message'] === 'terminated') return true;
  }
  return false;
}

/** TLS verification failures, as Node names them. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const PROXY_REFUSED = /Proxy response \((\d{3})\)/;

/** An untrusted certificate or a proxy that refused the tunnel: a setting to change, not a retry. */
function networkCause(err: unknown, ctx: ErrorContext): string | undefined {
  for (let current: unknown = err, depth = 0; isRecord(current) && depth < 6; current = current['cause'], depth++) {
    const code = current['code'];
    if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) return errorMessages.certificate(hostOf(ctx.baseURL), code);
    const refused = typeof current['message'] === 'string' ? PROXY_REFUSED.exec(current['message']) : null;
    if (refused) return errorMessages.proxyRefused(ctx.proxy ?? 'http.proxy', Number(refused[1]));
  }
  return undefined;
}

/** A base URL other than the Anthropic API's: a gateway, whose 401 may be about the header rather than the key. */
function isGateway(ctx: ErrorContext): boolean {
  // Only the Anthropic provider sends the key in a chosen header (others sign their own way).
  const { baseURL } = ctx;
  return ctx.authHeader !== undefined && baseURL !== undefined && baseURL.trim() !== '' && hostOf(baseURL) !== DEFAULT_HOST;
}

const sentHeader = (ctx: ErrorContext): AuthHeader => ctx.authHeader ?? 'bearer';
const otherHeader = (header: AuthHeader): AuthHeader => (header === 'bearer' ? 'x-api-key' : 'bearer');

/** Says a header is missing or required ("x-api-key header is required", "missing Authorization header"). */
const ASKS_FOR: Record<AuthHeader, RegExp> = {
  'x-api-key': /x-api-key\b[^.]*\b(required|missing|expected)\b|\b(missing|no|requires?|expected)\b[^.]*x-api-key/i,
  bearer: /\b(authorization|bearer)\b[^.]*\b(required|missing|expected)\b|\b(missing|no|requires?|expected)\b[^.]*\b(authorization|bearer)\b/i,
};

/** The other header, when a 401's text asks for it: the gateway reads only that one. */
function headerAsked(apiText: string, sent: AuthHeader): AuthHeader | undefined {
  const other = otherHeader(sent);
  return ASKS_FOR[other].test(apiText) ? other : undefined;
}

const PROMPT_TOO_LONG = /prompt is too long:\s*([\d,]+)\s*tokens?\s*>\s*([\d,]+)/i;
const CONTEXT_OVERFLOW = /exceed context limit:\s*([\d,]+)\s*\+\s*([\d,]+)\s*>\s*([\d,]+)/i;
const toInt = (s: string | undefined): number => Number((s ?? '').replace(/,/g, ''));

function kindFromStatus(status: number | undefined): FriendlyErrorKind | undefined {
  if (status === undefined) return undefined;
  if (status === 401) return 'auth';
  if (status === 402 || status === 403) return 'permission';
  if (status === 404) return 'notFound';
  if (status === 408) return 'timeout';
  if (status === 413) return 'tooLarge';
  if (status === 429) return 'rateLimited';
  if (status === 529) return 'overloaded';
  if (status === 409 || status >= 500) return 'server';
  if (status === 499) return 'connection';
  if (status >= 400) return 'invalidRequest';
  return undefined;
}

/** Errors sent mid-stream have no HTTP status; the envelope's `type` says what they are. */
function kindFromType(type: string | null): FriendlyErrorKind | undefined {
  switch (type) {
    case 'authentication_error':
      return 'auth';
    case 'permission_error':
    case 'billing_error':
      return 'permission';
    case 'not_found_error':
      return 'notFound';
    case 'request_too_large':
      return 'tooLarge';
    case 'rate_limit_error':
      return 'rateLimited';
    case 'overloaded_error':
      return 'overloaded';
    case 'timeout_error':
      return 'timeout';
    case 'api_error':
      return 'server';
    case 'invalid_request_error':
      return 'invalidRequest';
    default:
      return undefined;
  }
}

const RETRYABLE: ReadonlySet<FriendlyErrorKind> = new Set(['rateLimited', 'overloaded', 'server', 'timeout', 'connection']);

const ACTIONS: Partial<Record<FriendlyErrorKind, FriendlyErrorAction>> = {
  auth: 'setApiKey',
  notFound: 'pickModel',
  tooLarge: 'reduceContext',
  rateLimited: 'retry',
  overloaded: 'retry',
  server: 'retry',
  timeout: 'retry',
  connection: 'retry',
  invalidRequest: 'openSettings',
  permission: 'openSettings',
};

function requestIdOf(err: APIError): string | undefined {
  if (err.requestID) return err.requestID;
  const body = err.error;
  return isRecord(body) && typeof body['request_id'] === 'string' ? body['request_id'] : undefined;
}

function describeApiError(err: APIError, ctx: ErrorContext): FriendlyError {
  const apiText = err.apiMessage ?? (typeof err.error === 'string' ? err.error : err.message);
  const detail = apiText ? safeExcerpt(apiText) : undefined;
  let kind: FriendlyErrorKind = kindFromStatus(err.status) ?? kindFromType(err.type) ?? 'unknown';
  if (kind === 'server' && err.type === 'overloaded_error') kind = 'overloaded';

  let message: string | undefined;
  const tooLong = apiText ? PROMPT_TOO_LONG.exec(apiText) : null;
  const overflow = apiText ? CONTEXT_OVERFLOW.exec(apiText) : null;
  if ((kind === 'invalidRequest' || kind === 'tooLarge') && tooLong) {
    kind = 'tooLarge';
    message = errorMessages.promptTooLong(toInt(tooLong[1]), toInt(tooLong[2]));
  } else if ((kind === 'invalidRequest' || kind === 'tooLarge') && overflow) {
    kind = 'tooLarge';
    message = errorMessages.contextOverflow(toInt(overflow[1]), toInt(overflow[2]), toInt(overflow[3]));
  }

  let headerAction: FriendlyErrorAction | undefined;
  const wanted = kind === 'auth' && isGateway(ctx) && apiText ? headerAsked(apiText, sentHeader(ctx)) : undefined;
  if (wanted !== undefined) {
    message = errorMessages.gatewayWantsOtherHeader(hostOf(ctx.baseURL), sentHeader(ctx), wanted);
    headerAction = 'openSettings';
  }

  const spendLimited = /spend_limit/.test(err.errorCode ?? '');
  const retryAfterMs = kind === 'rateLimited' || kind === 'overloaded' ? parseRetryAfter(err.headers, ctx.now?.() ?? Date.now()) : undefined;
  message ??= messageFor(kind, err, ctx, retryAfterMs, spendLimited);

  const retryable = RETRYABLE.has(kind) && !spendLimited;
  const action = spendLimited ? 'openSettings' : (headerAction ?? ACTIONS[kind]);
  const requestId = requestIdOf(err);
  return {
    kind,
    message,
    ...(detail ? { detail } : {}),
    retryable,
    ...(retryAfterMs !== undefined && retryable ? { retryAfterMs } : {}),
    ...(action ? { action } : {}),
    ...(err.status !== undefined ? { status: err.status } : {}),
    ...(requestId ? { requestId } : {}),
    ...(kind === 'overloaded' && !spendLimited ? { fact: errorMessages.overloadedFact() } : {}),
    ...(kind === 'server' ? { fact: errorMessages.serverFact() } : {}),
  };
}

function messageFor(
  kind: FriendlyErrorKind,
  err: APIError,
  ctx: ErrorContext,
  retryAfterMs: number | undefined,
  spendLimited: boolean,
): string {
  switch (kind) {
    case 'auth':
      return isGateway(ctx) ? errorMessages.gatewayAuth(hostOf(ctx.baseURL), sentHeader(ctx), otherHeader(sentHeader(ctx))) : errorMessages.auth();
    case 'permission':
      return err.status === 402 || err.type === 'billing_error' ? errorMessages.billing() : errorMessages.permission();
    case 'notFound':
      return ctx.model ? errorMessages.notFoundModel(ctx.model) : errorMessages.notFound();
    case 'tooLarge':
      return errorMessages.tooLarge();
    case 'rateLimited':
      if (spendLimited) return errorMessages.spendLimit();
      return retryAfterMs !== undefined ? errorMessages.rateLimitedIn(retryAfterMs) : errorMessages.rateLimited();
    case 'overloaded':
      return errorMessages.overloaded();
    case 'server':
      return errorMessages.server();
    case 'timeout':
      return ctx.timeoutMs ? errorMessages.timeoutAfter(ctx.timeoutMs) : errorMessages.timeout();
    case 'connection':
      return errorMessages.connection(hostOf(ctx.baseURL));
    case 'invalidRequest':
      return errorMessages.invalidRequest();
    default:
      return errorMessages.unknown();
  }
}

function causeText(err: APIConnectionError): string | undefined {
  const cause: unknown = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return safeExcerpt(cause.message);
  return err.message ? safeExcerpt(err.message) : undefined;
}

function redactResult(fe: FriendlyError): FriendlyError {
  // Model names and base URLs come from settings, which a user could paste a key into.
  return { ...fe, message: redactSecrets(fe.message), ...(fe.detail ? { detail: redactSecrets(fe.detail) } : {}), ...(fe.fact ? { fact: redactSecrets(fe.fact) } : {}) };
}

/**
 * Turns anything thrown while talking to the API into a {@link FriendlyError}.
 * Never includes a stack trace or an API key. A user abort comes back as kind
 * `aborted`, which the UI should not show as an error.
 */
export function describeError(err: unknown, ctx: ErrorContext = {}): FriendlyError {
  if (isAbortLike(err)) {
    return { kind: 'aborted', message: errorMessages.aborted(), retryable: false };
  }
  if (err instanceof ClientConfigError) {
    // A setting that cannot make a working client (e.g. http:// to another host): its own message says what to change.
    return redactResult({ kind: 'invalidRequest', message: err.message, retryable: false, action: 'openSettings' });
  }
  if (err instanceof APIConnectionTimeoutError) {
    const message = ctx.timeoutMs ? errorMessages.timeoutAfter(ctx.timeoutMs) : errorMessages.timeout();
    return redactResult({ kind: 'timeout', message, retryable: true, action: 'retry' });
  }
  if (err instanceof APIConnectionError) {
    const detail = causeText(err);
    // The Bedrock client wraps a failed AWS credential chain in a connection error: nothing was sent.
    if (/Failed to resolve AWS credentials/.test(err.message)) {
      return redactResult({ kind: 'auth', message: errorMessages.awsCredentials(), ...(detail ? { detail } : {}), retryable: false, action: 'openSettings' });
    }
    const network = networkCause(err, ctx);
    if (network !== undefined) return redactResult({ kind: 'connection', message: network, ...(detail ? { detail } : {}), retryable: false, action: 'openSettings' });
    if (isBodyCutOff(err)) {
      // SDK 1.17 wraps a drop while the answer was read (mid-stream, batch results) in APIConnectionError.
      const lost = errorMessages.connectionLost(hostOf(ctx.baseURL));
      return redactResult({ kind: 'connection', message: lost, fact: lost, ...(detail ? { detail } : {}), retryable: true, action: 'retry' });
    }
    const message = errorMessages.connection(hostOf(ctx.baseURL));
    return redactResult({ kind: 'connection', message, ...(detail ? { detail } : {}), retryable: true, action: 'retry' });
  }
  if (err instanceof APIError) {
    return redactResult(describeApiError(err, ctx));
  }
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : undefined;
  const detail = text ? safeExcerpt(text) : undefined;
  if (isRecord(err) && err['cause'] instanceof SyntaxError) {
    return redactResult({ kind: 'server', message: errorMessages.malformedStream(), fact: errorMessages.malformedStream(), ...(detail ? { detail } : {}), retryable: true, action: 'retry' });
  }
  if (isDroppedConnection(err)) {
    const lost = errorMessages.connectionLost(hostOf(ctx.baseURL));
    return redactResult({ kind: 'connection', message: lost, fact: lost, ...(detail ? { detail } : {}), retryable: true, action: 'retry' });
  }
  return redactResult({ kind: 'unknown', message: errorMessages.unknown(), ...(detail ? { detail } : {}), retryable: false });
}
