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
