import type { MatchInput, MessageJson, RequestMatcher } from './types';

/** Text of the last user turn: what echo quotes and what matchers and the demo look at. */
export function lastUserText(messages: readonly MessageJson[] | undefined): string {
  const last = [...(messages ?? [])].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .filter((block) => block.type === 'text' && typeof block['text'] === 'string')
    .map((block) => String(block['text']))
    .join('\n');
}

export function matches(matcher: RequestMatcher | undefined, input: MatchInput): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'function') return matcher(input);
  if (matcher.path !== undefined && matcher.path !== input.path) return false;
  if (matcher.model !== undefined && matcher.model !== input.model) return false;
  if (matcher.stream !== undefined && matcher.stream !== input.stream) return false;
  if (matcher.customId !== undefined && matcher.customId !== input.customId) return false;
  if (matcher.textIncludes !== undefined && !input.lastUserText.includes(matcher.textIncludes)) return false;
  return true;
}
