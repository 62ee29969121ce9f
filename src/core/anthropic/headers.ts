/**
 * Rules for user-supplied request headers. A custom header must never replace
 * the credentials or the API version the SDK sends, or a workspace setting
 * could silently redirect a user's key or change the wire format.
 */

/** Header names (lower case) a user may not set. */
export const PROTECTED_HEADER_NAMES: ReadonlySet<string> = new Set([
  'x-api-key',
  'authorization',
  'proxy-authorization',
  'anthropic-version',
]);

// RFC 9110 token characters.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Why a header cannot be used, or `undefined` when it can. */
export type HeaderProblem = 'protected' | 'invalidName' | 'invalidValue';

/** Checks one custom header. */
export function checkHeader(name: string, value: string): HeaderProblem | undefined {
  if (!TOKEN.test(name)) return 'invalidName';
  if (PROTECTED_HEADER_NAMES.has(name.toLowerCase())) return 'protected';
  // CR/LF would let a value smuggle in a second header.
  if (/[\r\n\0]/.test(value)) return 'invalidValue';
  return undefined;
}

/**
 * How the key goes to an Anthropic-compatible endpoint: `bearer` is `Authorization: Bearer <key>`
 * (what the SDK sends, and what the Anthropic API accepts), `x-api-key` is the header some gateways
 * read instead.
 */
export type AuthHeader = 'bearer' | 'x-api-key';
export const AUTH_HEADERS: readonly AuthHeader[] = ['bearer', 'x-api-key'];

/** The headers that carry `key` the chosen way; `null` removes the SDK's own `Authorization`. */
export function authHeaders(choice: AuthHeader, key: string): Record<string, string | null> {
  return choice === 'x-api-key' ? { Authorization: null, 'x-api-key': key } : { 'x-api-key': null, Authorization: `Bearer ${key}` };
}

/** How a user would recognise the header: for messages. */
export function authHeaderLabel(choice: AuthHeader): string {
  return choice === 'x-api-key' ? 'an x-api-key header' : 'the Authorization header (Bearer)';
}
