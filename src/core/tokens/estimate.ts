/**
 * A fast local token estimate, used until an exact figure (a response's usage or count_tokens)
 * is known. Claude's tokenizer averages a little under 4 characters per token on English and
 * code; the estimate rounds up so that it errs towards "bigger than it is".
 */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 3.8);
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
