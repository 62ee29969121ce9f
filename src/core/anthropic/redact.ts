/**
 * Secret scrubbing for anything that may reach a log, a notification or the
 * webview. Errors can echo request data (proxies especially), so every string
 * taken from an error goes through here.
 */

// Anthropic keys (sk-ant-api03-…, sk-ant-admin01-…, sk-ant-oat01-…) and bearer tokens.
const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_-]+/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const API_KEY_HEADER = /(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;

/** The text a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

/** Replaces anything that looks like an Anthropic key or bearer token. */
export function redactSecrets(text: string): string {
  return text
    .replace(ANTHROPIC_KEY, `sk-ant-${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(API_KEY_HEADER, `$1${REDACTED}`);
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
