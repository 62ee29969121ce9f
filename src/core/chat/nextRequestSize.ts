import type { MessageCountTokensParams, MessageParam, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { Conversation } from './conversation';
import { activePath, appendUserTurn } from './conversation';
import type { RequestOptions } from './requestBuilder';
import { buildRequest } from './requestBuilder';
import { estimateTokens } from '../tokens/estimate';
import type { CachedPrefix, RequestPart } from '../tokens/breakdown';
import { cachedPrefixOf } from '../tokens/breakdown';
import type { ContextBlock } from '../context/contextSet';
import { contextBlockTokens } from '../context/contextSet';

/** How big the next request will be, and whether that figure is exact or estimated. */
export interface RequestSize {
  readonly tokens: number;
  readonly exact: boolean;
  /** The same figure split by part (the split is local; the parts add up to `tokens`). */
  readonly parts: readonly RequestPart[];
  /** What the last answer's request left in the prompt cache, for pricing the next one. */
  readonly cachedPrefix?: CachedPrefix;
}

export interface NextRequestOptions {
  /**
   * The system prompt a conversation with no turns yet would be given. It is only fixed when the
   * first message is sent, so until then the caller's preview stands in for it.
   */
  readonly pendingSystem?: readonly string[];
  /** Context the next message will carry (attached files not sent yet, or updated since). */
  readonly pendingContext?: readonly ContextBlock[];
}

/**
 * The size of the next request without asking the API: the newest finished answer's usage says
 * exactly how big everything up to it was (input + cache read + cache write + its output); only
 * what came after it (the draft) is estimated. With no answer yet, everything is estimated.
 */
export function nextRequestSize(conversation: Conversation, draft: string, options: NextRequestOptions = {}): RequestSize {
  const path = activePath(conversation);
  let exactUpTo = -1;
  let usage: Usage | undefined;
  let sentAt = 0;
  for (let i = path.length - 1; i >= 0; i--) {
    const turn = path[i];
    if (turn?.kind === 'assistant' && turn.status === 'done' && turn.usage !== undefined) {
      usage = turn.usage;
      sentAt = turn.createdAt;
      exactUpTo = i;
      break;
    }
  }
  const systemTokens = systemOf(conversation, options).reduce((sum, block) => sum + estimateTokens(block), 0);
  let after = 0;
  for (let i = exactUpTo + 1; i < path.length; i++) {
    const turn = path[i];
    after += estimateTokens(turn?.text ?? '');
    if (turn?.kind === 'user') for (const block of turn.context ?? []) after += contextBlockTokens(block);
  }
  const draftTokens = estimateTokens(draft);
  const contextTokens = (options.pendingContext ?? []).reduce((sum, block) => sum + contextBlockTokens(block), 0);
  let history = after;
  let tokens = systemTokens + after + contextTokens + draftTokens;
  if (usage !== undefined) {
    const prefix = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + usage.output_tokens;
    // The usage covers system and history together; the system's share of it is the estimate.
    history += Math.max(0, prefix - systemTokens);
    tokens = Math.max(prefix, systemTokens) + after + contextTokens + draftTokens;
  }
  const parts: RequestPart[] = [{ kind: 'system', tokens: systemTokens }, { kind: 'history', tokens: history }];
  if (contextTokens > 0) parts.push({ kind: 'context', tokens: contextTokens });
  if (draft !== '') parts.push({ kind: 'draft', tokens: draftTokens });
  const cachedPrefix = usage !== undefined ? cachedPrefixOf(usage, sentAt) : undefined;
  return {
    tokens,
    exact: usage !== undefined && after === 0 && contextTokens === 0 && draftTokens === 0,
    parts,
    ...(cachedPrefix !== undefined ? { cachedPrefix } : {}),
  };
}

/**
 * The count_tokens params for the request that sending `draft` would make: built by the same
 * request builder on a scratch copy (the conversation is not touched), without what
 * count_tokens does not take (`max_tokens`, `stream`, `stop_sequences`) or need
 * (`cache_control` marks breakpoints, it adds no tokens, and leaving it out keeps the content
 * hash stable while the planner moves breakpoints).
 */
export function nextRequestParams(conversation: Conversation, draft: string, options: RequestOptions, next: NextRequestOptions = {}): MessageCountTokensParams {
  const scratch: Conversation = { ...conversation, system: systemOf(conversation, next), turns: new Map(conversation.turns) };
  const context = next.pendingContext ?? [];
  if (draft.trim() !== '' || context.length > 0) appendUserTurn(scratch, draft, 0, context);
  const built = buildRequest(scratch, options);
  const params: MessageCountTokensParams = {
    model: built.model,
    messages: built.messages.map(withoutBreakpoints),
  };
  if (built.system !== undefined) params.system = typeof built.system === 'string' ? built.system : built.system.map((block) => withoutCacheControl(block));
  if (built.thinking !== undefined) params.thinking = built.thinking;
  if (built.output_config !== undefined) params.output_config = built.output_config;
  if (built.tools !== undefined) params.tools = built.tools;
  if (built.tool_choice !== undefined) params.tool_choice = built.tool_choice;
  return params;
}

function systemOf(conversation: Conversation, options: NextRequestOptions): readonly string[] {
  return conversation.turns.size === 0 && conversation.system.length === 0 && options.pendingSystem !== undefined
    ? options.pendingSystem
    : conversation.system;
}

function withoutBreakpoints<M extends MessageParam>(message: M): M {
  if (typeof message.content === 'string') return message;
  // Same blocks, minus a key that only marks a breakpoint: still the message type it was.
  return { ...message, content: message.content.map((block) => withoutCacheControl(block)) } as M;
}

function withoutCacheControl<T extends object>(block: T): T {
  if (!('cache_control' in block)) return block;
  const { cache_control: _ignored, ...rest } = block as T & { cache_control?: unknown };
  return rest as T;
}
