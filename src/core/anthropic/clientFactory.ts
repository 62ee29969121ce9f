import * as l10n from '@vscode/l10n';
import Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { authHeaders, checkHeader } from './headers';
import type { AuthHeader } from './headers';
import { isLoopbackHost } from './loopback';
import { redactSecrets, rememberSecrets } from './redact';
import { withoutResendOfAcceptedWrites } from './retryPolicy';

/** What {@link createClient} needs. */
export interface CreateClientOptions {
  readonly apiKey: string;
  /** Empty or undefined means the SDK default (`https://api.anthropic.com`). */
  readonly baseURL?: string;
  /** Per-request timeout; the SDK retries timeouts, so a call can take longer overall. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** How the key is sent (default `bearer`, as the SDK sends it); a gateway may read only one of the two. */
  readonly authHeader?: AuthHeader;
  /** For tests and for hosts that need a proxy-aware fetch. */
  readonly fetch?: ClientOptions['fetch'];
  /** The user confirmed (in user settings) that a plain `http://` base URL to another host is fine. */
  readonly allowInsecureHttp?: boolean;
  /** The environment the SDK reads; only to cancel what it would add (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The endpoint when no base URL is set; always passed, so `ANTHROPIC_BASE_URL` is never read. */
export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** Every user-visible string of this module, for vscode.l10n. */
export const clientMessages = {
  missingKey: (): string => l10n.t('No Anthropic API key is set. Run "Claude Studio: Set API Key" to add one.'),
  badBaseURL: (): string => l10n.t('The base URL is not a valid URL. Use an http:// or https:// address, or leave it empty for the default.'),
  badBaseURLScheme: (scheme: string): string =>
    l10n.t('The base URL must use http:// or https:// (it uses {0}:). Leave it empty to use the default.', scheme),
  badBaseURLCredentials: (): string => l10n.t('The base URL must not contain a user name or password.'),
  insecureHttp: (host: string): string =>
    l10n.t('The base URL uses plain http:// to {0}, which would send your API key unencrypted. Use https://, or set "claudeStudio.allowInsecureHttp" to true in your user settings if this network is yours.', host),
  badTimeout: (): string => l10n.t('The request timeout must be a positive number of milliseconds.'),
  badRetries: (): string => l10n.t('The retry count must be a whole number of zero or more.'),
  badHeader: (name: string): string =>
    l10n.t('The custom header "{0}" cannot be used: it is not a valid header, or it would replace the API key or API version.', name),
} as const;

/** Thrown for options that cannot make a working client; its message is safe to show. */
export class ClientConfigError extends Error {
  override readonly name = 'ClientConfigError';
}

function validatedBaseURL(raw: string | undefined, allowInsecureHttp: boolean): string {
  const trimmed = raw?.trim();
  if (!trimmed) return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ClientConfigError(clientMessages.badBaseURL());
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientConfigError(clientMessages.badBaseURLScheme(url.protocol.slice(0, -1)));
  }
  // Credentials in the URL would end up in logs and error messages.
  if (url.username || url.password) throw new ClientConfigError(clientMessages.badBaseURLCredentials());
  // Loopback never leaves the machine (the test server, a local gateway); anything else in clear text needs the user's word.
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new ClientConfigError(clientMessages.insecureHttp(url.host));
  }
  return trimmed;
}

/**
 * The SDK adds the headers of `ANTHROPIC_CUSTOM_HEADERS` to every request, underneath the
 * client's own, past the header rules. Naming each of them with a null value removes it (the
 * SDK parses the variable the same way: one `name: value` per line).
 */
function cancelEnvironmentHeaders(env: Readonly<Record<string, string | undefined>>): Record<string, null> {
  const out: Record<string, null> = {};
  for (const line of (env['ANTHROPIC_CUSTOM_HEADERS'] ?? '').split('\n')) {
    const colon = line.indexOf(':');
    const name = colon >= 0 ? line.substring(0, colon).trim() : '';
    if (name !== '') out[name] = null;
  }
  return out;
}

/**
 * Creates the one SDK client the extension uses. Validates everything first so
 * a bad setting fails here with a readable message rather than on the first
 * request. The key is handed to the SDK and never logged or put in an error.
 */
export function createClient(options: CreateClientOptions): Anthropic {
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
    throw new ClientConfigError(clientMessages.missingKey());
  }
  const baseURL = validatedBaseURL(options.baseURL, options.allowInsecureHttp === true);
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new ClientConfigError(clientMessages.badTimeout());
  }
  if (!Number.isInteger(options.maxRetries) || options.maxRetries < 0) {
    throw new ClientConfigError(clientMessages.badRetries());
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (checkHeader(name, value) !== undefined) throw new ClientConfigError(clientMessages.badHeader(redactSecrets(name)));
    headers[name] = value;
  }
  const apiKey = options.apiKey.trim();
  // Error texts made from now on may echo these; they are redacted wherever they are stored or shown.
  rememberSecrets([apiKey, ...Object.values(headers)], Object.keys(headers));

  // Everything the SDK would otherwise take from the environment is given explicitly: the key
  // (so ANTHROPIC_AUTH_TOKEN is not read), the base URL (not ANTHROPIC_BASE_URL), the headers
  // (ANTHROPIC_CUSTOM_HEADERS cancelled), the log level (not ANTHROPIC_LOG) and tracing: off, so
  // no span of the process-wide OpenTelemetry provider is made and no traceparent/baggage is sent.
  return new Anthropic({
    apiKey,
    authToken: null,
    baseURL,
    timeout: Math.round(options.timeoutMs),
    maxRetries: options.maxRetries,
    // Last, so nothing replaces the key's header; the other one is removed (SDK 1.17 sends Bearer for apiKey).
    defaultHeaders: { ...cancelEnvironmentHeaders(options.env ?? process.env), ...headers, ...authHeaders(options.authHeader ?? 'bearer', apiKey) },
    logLevel: 'warn',
    openTelemetry: { traces: false, propagation: false },
    // The one retry policy: a write whose 2xx answer was cut off is never sent again.
    fetch: withoutResendOfAcceptedWrites(options.fetch ?? globalThis.fetch),
  });
}
