import type {
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ContextBlock } from '../context/contextSet';
import { findModel } from '../anthropic/catalog';
import { estimateTokens } from '../tokens/estimate';
import type { CachePlan, CacheTtlChoice, MessageBlockRef, PlannableBlock } from './cachePlanner';
import { planCache } from './cachePlanner';
import type { Conversation, Turn } from './conversation';
import { activePath } from './conversation';

/** Used when the model is not in the catalog: the most common published minimum. */
const FALLBACK_MIN_CACHEABLE_TOKENS = 1024;

/**
 * What the request needs from the settings; parsed and validated before it gets here.
 * There is no temperature: API version 2026-10-21 (the SDK's) rejects sampling parameters.
 */
export interface RequestOptions {
  readonly model: string;
  readonly maxTokens: number;
  readonly stopSequences?: readonly string[];
  readonly thinking?: { readonly mode: 'off' | 'enabled' | 'adaptive'; readonly budgetTokens: number };
  readonly effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max' | null;
  /** `auto` lets the planner pick 1h for a large stable prefix when the user pauses long. */
  readonly cacheTtl: CacheTtlChoice;
  /** Defaults to the model's figure from the catalog. */
  readonly minCacheableTokens?: number;
  /** Typical pause between the user's turns, for the `auto` TTL. */
  readonly gapHintMs?: number;
  /** The previous request's `plan.tail`, when the caller kept it. */
  readonly previousBreakpoint?: MessageBlockRef;
}

/** The request and where its cache breakpoints went (for the usage ledger and diagnostics). */
export interface BuiltRequest {
  readonly params: MessageCreateParamsStreaming;
  readonly cachePlan: CachePlan;
}

/**
 * A local estimate is enough here: it only decides whether a prefix clears the minimum and which
 * TTL policy applies; what is really cached is reported back in `usage`.
 */
export function estimateBlockTokens(block: PlannableBlock): number {
  if (block.type === 'text') return estimateTokens(block.text);
  if (block.type === 'image' || block.type === 'document') {
    const known = mediaTokens.get(block.source);
    if (known !== undefined) return known;
  }
  const { cache_control: _ignored, ...rest } = block as PlannableBlock & { cache_control?: unknown };
  return estimateTokens(JSON.stringify(rest));
}

/**
 * The documented estimate of each image or PDF block this builder made, by its source object (kept
 * by the planner's copies): base64 is no text, and estimating it as text would count megabytes.
 */
const mediaTokens = new WeakMap<object, number>();

/** A context block as the API's blocks: its text, then its image or PDF when it has one. */
function contextParams(context: ContextBlock): ContentBlockParam[] {
  const text: TextBlockParam = { type: 'text', text: context.text };
  const media = context.media;
  if (media === undefined) return [text];
  let block: ImageBlockParam | DocumentBlockParam;
  if (media.mediaType === 'application/pdf') {
    block = { type: 'document', source: { type: 'base64', media_type: media.mediaType, data: media.data } };
  } else {
    block = { type: 'image', source: { type: 'base64', media_type: media.mediaType, data: media.data } };
  }
  mediaTokens.set(block.source, media.tokens);
  return [text, block];
}

/**
 * Turns the active path into the API's messages. Roles must alternate, so an assistant turn
 * that failed before writing anything is left out and the user turns around it are merged;
 * a stopped answer is sent as far as it got, so the next question can refer to it.
 */
export function transcriptMessages(path: readonly Turn[]): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const turn of path) {
    const role = turn.kind;
    let text = turn.text;
    if (turn.kind === 'assistant') {
      if (turn.status === 'streaming') continue;
      text = text.trimEnd();
      if (text === '') continue;
    }
    // Attached context goes first, one block each, so the cache planner sees it as a stable run.
    const blocks: ContentBlockParam[] = turn.kind === 'user' && turn.context !== undefined ? turn.context.flatMap(contextParams) : [];
    if (text !== '' || blocks.length === 0) blocks.push({ type: 'text', text });
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role && Array.isArray(last.content)) {
      (last.content as ContentBlockParam[]).push(...blocks);
    } else {
      messages.push({ role, content: blocks });
    }
  }
  return messages;
}

/**
 * The conversation's fixed system prompt as the API's blocks. Every request that carries the
 * chat's prompt (a chat turn, a recipe step) builds it here, so the bytes, and with them the
 * cached prefix, are the same.
 */
export function systemBlocks(system: readonly string[]): TextBlockParam[] {
  return system.map((text): TextBlockParam => ({ type: 'text', text }));
}

/**
 * Builds the streaming request for the conversation's active path. Byte-stable: the same
 * conversation always yields the same prefix, which is what lets the prompt cache pay.
 */
export function buildRequest(conversation: Conversation, options: RequestOptions): MessageCreateParamsStreaming {
  return buildRequestWithPlan(conversation, options).params;
}

/** {@link buildRequest}, plus the cache plan that placed its breakpoints. */
export function buildRequestWithPlan(conversation: Conversation, options: RequestOptions): BuiltRequest {
  const { request, plan } = planCache(
    {
      system: systemBlocks(conversation.system),
      messages: transcriptMessages(activePath(conversation)),
    },
    {
      ttl: options.cacheTtl,
      minCacheableTokens: options.minCacheableTokens ?? findModel(options.model)?.minCacheableTokens ?? FALLBACK_MIN_CACHEABLE_TOKENS,
      countTokens: estimateBlockTokens,
      ...(options.gapHintMs !== undefined ? { gapHintMs: options.gapHintMs } : {}),
      ...(options.previousBreakpoint !== undefined ? { previousBreakpoint: options.previousBreakpoint } : {}),
    },
  );
  const { system, messages } = request;

  const params: MessageCreateParamsStreaming = {
    model: options.model,
    max_tokens: options.maxTokens,
    messages,
    stream: true,
    ...(system.length > 0 ? { system } : {}),
  };
  const thinking = options.thinking?.mode ?? 'off';
  if (thinking === 'enabled') {
    params.thinking = { type: 'enabled', budget_tokens: options.thinking?.budgetTokens ?? 1024 };
  } else if (thinking === 'adaptive') {
    params.thinking = { type: 'adaptive' };
  }
  if (options.effort) params.output_config = { effort: options.effort };
  if (options.stopSequences && options.stopSequences.length > 0) params.stop_sequences = [...options.stopSequences];
  return { params, cachePlan: plan };
}
