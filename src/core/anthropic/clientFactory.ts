import Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions } from '@anthropic-ai/sdk';
import { checkHeader } from './headers';
import { redactSecrets } from './redact';

/** What {@link createClient} needs. */
export interface CreateClientOptions {
  readonly apiKey: string;
  /** Empty or undefined means the SDK default (`https://api.anthropic.com`). */
  readonly baseURL?: string;
  /** Per-request timeout; the SDK retries timeouts, so a call can take longer overall. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** For tests and for hosts that need a proxy-aware fetch. */
  readonly fetch?: ClientOptions['fetch'];
}

/** Every user-visible string of this module, for vscode.l10n. */
export const clientMessages = {
  missingKey: (): string => 'No Anthropic API key is set. Run "Claude Studio: Set API Key" to add one.',
  badBaseURL: (): string => 'The base URL is not a valid URL. Use an http:// or https:// address, or leave it empty for the default.',
  badBaseURLScheme: (scheme: string): string =>
    `The base URL must use http:// or https:// (it uses ${scheme}:). Leave it empty to use the default.`,
  badBaseURLCredentials: (): string => 'The base URL must not contain a user name or password.',
  badTimeout: (): string => 'The request timeout must be a positive number of milliseconds.',
  badRetries: (): string => 'The retry count must be a whole number of zero or more.',
  badHeader: (name: string): string =>
    `The custom header "${name}" cannot be used: it is not a valid header, or it would replace the API key or API version.`,
} as const;

/** Thrown for options that cannot make a working client; its message is safe to show. */
export class ClientConfigError extends Error {
  override readonly name = 'ClientConfigError';
}

function validatedBaseURL(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  if (!trimmed) return undefined;
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
  return trimmed;
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
  const baseURL = validatedBaseURL(options.baseURL);
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

  return new Anthropic({
    apiKey: options.apiKey.trim(),
    ...(baseURL ? { baseURL } : {}),
    timeout: Math.round(options.timeoutMs),
    maxRetries: options.maxRetries,
    defaultHeaders: headers,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
