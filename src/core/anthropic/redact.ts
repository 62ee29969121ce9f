/**
 * Secret scrubbing for every text that is stored or shown: errors in the batch journal, recipe
 * steps, chat history, notifications and the log. Errors can echo request data (a gateway that
 * echoes headers puts `Authorization: Bearer <key>` in its error body), so every such text goes
 * through {@link redactSecrets}.
 *
 * Patterns alone only know key formats; a gateway key or a custom header value can look like
 * anything. So the client factory and the key store tell this module the literal values in use
 * ({@link rememberSecrets}), and those are replaced wherever they appear.
 */

/** The text a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

// Anthropic keys (sk-ant-api03-…, sk-ant-admin01-…, sk-ant-oat01-…) and bearer tokens.
const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_-]+/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;

/** Header names whose value is a credential, whatever the value looks like. */
const AUTH_HEADER_NAMES = ['authorization', 'proxy-authorization', 'x-api-key'] as const;

/** Literal values shorter than this are not replaced on their own (too likely to be ordinary words). */
const MIN_LITERAL_LENGTH = 8;
/** Old keys stay known for a while: texts made with them may still be shown. */
const MAX_REMEMBERED = 32;

const literals = new Set<string>();
const headerNames = new Set<string>(AUTH_HEADER_NAMES);
let headerPattern = buildHeaderPattern();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `name: value`, `name=value`, `"name":"value"` and the same with escaped quotes (JSON inside a
 * JSON string). The value is an optional auth scheme (`Bearer`, `Basic`, …) and one token.
 */
function buildHeaderPattern(): RegExp {
  const names = [...headerNames].map(escapeRegExp).join('|');
  return new RegExp(`((?:\\\\?["'])?\\b(?:${names})(?:\\\\?["'])?[ \\t]*[:=][ \\t]*(?:\\\\?["'])?)((?:[A-Za-z]+[ \\t]+)?[^\\s"'\\\\,;}\\]]+)`, 'gi');
}

/**
 * Tells the redaction about secrets in use: the API key (any format) and custom header values,
 * plus the names of custom headers whose values are to be hidden wherever they follow the name.
 */
export function rememberSecrets(values: readonly string[], names: readonly string[] = []): void {
  for (const raw of values) {
    const value = raw.trim();
    if (value.length < MIN_LITERAL_LENGTH) continue;
    literals.delete(value);
    literals.add(value);
    if (literals.size > MAX_REMEMBERED) literals.delete(literals.values().next().value as string);
  }
  let namesChanged = false;
  for (const name of names) {
    const lower = name.trim().toLowerCase();
    if (lower !== '' && !headerNames.has(lower)) {
      headerNames.add(lower);
      namesChanged = true;
    }
  }
  if (namesChanged) headerPattern = buildHeaderPattern();
}

/** Forgets every remembered secret (tests). */
export function forgetSecrets(): void {
  literals.clear();
  headerNames.clear();
  for (const name of AUTH_HEADER_NAMES) headerNames.add(name);
  headerPattern = buildHeaderPattern();
}

/**
 * Replaces the secrets in use, anything that looks like an Anthropic key or a bearer token, and
 * the values of credential headers (and of the user's custom headers) in plain text or JSON.
 */
export function redactSecrets(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...literals].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(ANTHROPIC_KEY, `sk-ant-${REDACTED}`)
    .replace(headerPattern, (match: string, prefix: string, value: string) => (value.includes(REDACTED.slice(0, -1)) ? match : `${prefix}${REDACTED}`))
    .replace(BEARER, `$1${REDACTED}`);
}

/**
 * Makes a one-paragraph, secret-free excerpt of an error text: stack frames
 * are dropped and the result is capped so a proxy's HTML error page cannot
 * flood the UI.
 */
export function safeExcerpt(text: string, maxLength = 300): string {
  const lines = text.split(/\r?\n/).filter((line) => !/^\s+at\s/.test(line));
  const joined = lines.join(' ').replace(/\s+/g, ' ').trim();
  const clean = redactSecrets(joined);
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
