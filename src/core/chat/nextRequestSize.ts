import type { Conversation } from './conversation';
import { activePath } from './conversation';
import { estimateTokens } from '../tokens/estimate';

/** How big the next request will be, and whether that figure is exact or estimated. */
export interface RequestSize {
  readonly tokens: number;
  readonly exact: boolean;
}

/**
 * The size of the next request without asking the API: the newest finished answer's usage says
 * exactly how big everything up to it was (input + cache read + cache write + its output); only
 * what came after it (the draft) is estimated. With no answer yet, everything is estimated.
 */
export function nextRequestSize(conversation: Conversation, draft: string): RequestSize {
  const path = activePath(conversation);
  let exactUpTo = -1;
  let exactTokens = 0;
  for (let i = path.length - 1; i >= 0; i--) {
    const turn = path[i];
    if (turn?.kind === 'assistant' && turn.status === 'done' && turn.usage !== undefined) {
      const usage = turn.usage;
      exactTokens =
        usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + usage.output_tokens;
      exactUpTo = i;
      break;
    }
  }
  let estimated = estimateTokens(draft);
  if (exactUpTo < 0) estimated += conversation.system.reduce((sum, block) => sum + estimateTokens(block), 0);
  for (let i = exactUpTo + 1; i < path.length; i++) estimated += estimateTokens(path[i]?.text ?? '');
  return { tokens: exactTokens + estimated, exact: estimated === 0 && exactUpTo >= 0 };
}
