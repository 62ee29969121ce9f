/**
 * A fast local token estimate, used until an exact figure (a response's usage or count_tokens)
 * is known. Claude's tokenizer averages a little under 4 characters per token on English and
 * code; the estimate rounds up so that it errs towards "bigger than it is".
 */
const ASCII_CHARS_PER_TOKEN = 3.8;

/**
 * Text that is not ASCII tokenizes far worse than 3.8 characters a token (CJK is about one a
 * character). Its UTF-8 length says how much of it there is without a loop in JavaScript: every
 * byte past the first of a character counts half a token, so an accented or Cyrillic letter
 * (2 bytes) is half a token, a CJK character (3) one, an emoji (4 bytes, 2 UTF-16 units) two.
 * ASCII text (most code) is estimated exactly as before, so plans and budgets built on it stay.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length < MEMO_MIN_CHARS) return estimateOnce(text);
  let tokens = memo.get(text);
  if (tokens !== undefined) {
    memo.delete(text);
  } else {
    tokens = estimateOnce(text);
    memoChars += text.length;
  }
  memo.set(text, tokens);
  while (memo.size > MEMO_ENTRIES || (memoChars > MEMO_MAX_CHARS && memo.size > 1)) {
    const oldest = memo.keys().next().value;
    if (oldest === undefined) break;
    memo.delete(oldest);
    memoChars -= oldest.length;
  }
  return tokens;
}

/**
 * The token count sizes the request on every keystroke, so an attached 1 MB file is estimated
 * several times a keystroke; measuring its UTF-8 length costs ~0.4 ms each time when it is not
 * ASCII. Long texts keep their estimate here (a few, least recently used dropped first). The Map
 * is keyed by the text itself: the same string is found at pointer speed, and an edited text is
 * a different key, never a stale figure.
 */
const MEMO_MIN_CHARS = 64 * 1024;
const MEMO_ENTRIES = 16;
const MEMO_MAX_CHARS = 8 * 1024 * 1024;
const memo = new Map<string, number>();
let memoChars = 0;

function estimateOnce(text: string): number {
  const extraBytes = Buffer.byteLength(text, 'utf8') - text.length;
  if (extraBytes <= 0) return Math.ceil(text.length / ASCII_CHARS_PER_TOKEN);
  // extraBytes / 2 is the fewest UTF-16 units they can be spread over; the rest is taken as ASCII.
  return Math.ceil((text.length - extraBytes / 2) / ASCII_CHARS_PER_TOKEN + extraBytes / 2);
}

/** Formats a token count compactly: 950, 12.3k, 1.25M. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(Math.round(count));
  if (count < 1_000_000) return `${trim((count / 1000).toFixed(count < 10_000 ? 2 : 1))}k`;
  return `${trim((count / 1_000_000).toFixed(2))}M`;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
