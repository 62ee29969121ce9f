/** Turns a scripted reply into the blocks, stop reason and Message the API would produce. */
import type { ContentBlock, Message, RefusalStopDetails, StopReason, Usage } from '@anthropic-ai/sdk/resources/messages';
import { newId, signatureFor } from './ids';
import { countOutputTokens, countTextTokens, BYTES_PER_TOKEN } from './tokens';
import type { CacheUsage } from './cache';
import type { JsonObject, MessagesRequest, ScriptedReply } from './types';

export type PlannedBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: JsonObject };

export interface ReplyPlan {
  blocks: PlannedBlock[];
  stopReason: StopReason;
  stopSequence: string | null;
  outputTokens: number;
  thinkingTokens: number;
  chunkSize: number;
  chunkDelayMs: number;
}

export interface PlanDefaults {
  chunkSize: number;
  chunkDelayMs: number;
}

/** Longest prefix of `text` that fits in `tokens` by the counter's byte rule. */
function truncateToTokens(text: string, tokens: number): string {
  const limit = Math.max(0, tokens) * BYTES_PER_TOKEN;
  let bytes = 0;
  let out = '';
  for (const char of text) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > limit) break;
    out += char;
  }
  return out;
}

function applyStopSequences(text: string, sequences: readonly string[] | undefined): { text: string; hit: string | null } {
  let cut = -1;
  let hit: string | null = null;
  for (const sequence of sequences ?? []) {
    const at = sequence ? text.indexOf(sequence) : -1;
    if (at >= 0 && (cut < 0 || at < cut)) {
      cut = at;
      hit = sequence;
    }
  }
  return cut >= 0 ? { text: text.slice(0, cut), hit } : { text, hit: null };
}

export function planReply(req: MessagesRequest, reply: ScriptedReply, defaults: PlanDefaults): ReplyPlan {
  let thinking = reply.thinking;
  let text = reply.text;
  let stopReason: StopReason = reply.stopReason ?? (reply.toolUse ? 'tool_use' : 'end_turn');
  let stopSequence = reply.stopSequence ?? null;

  if (reply.stopReason === undefined) {
    // Emulate generation limits only when the script did not dictate the outcome.
    if (text !== undefined) {
      const stopped = applyStopSequences(text, req.stop_sequences);
      if (stopped.hit !== null) {
        text = stopped.text;
        stopReason = 'stop_sequence';
        stopSequence = stopped.hit;
      }
    }
    const thinkingCost = thinking ? countTextTokens(thinking) : 0;
    const textCost = text ? countTextTokens(text) : 0;
    if (thinkingCost + textCost > req.max_tokens) {
      if (thinking !== undefined && thinkingCost > req.max_tokens) thinking = truncateToTokens(thinking, req.max_tokens);
      if (text !== undefined) text = truncateToTokens(text, req.max_tokens - thinkingCost);
      stopReason = 'max_tokens';
      stopSequence = null;
    }
  }

  const blocks: PlannedBlock[] = [];
  if (thinking !== undefined) blocks.push({ type: 'thinking', thinking, signature: reply.signature ?? signatureFor(thinking) });
  if (text !== undefined || (!reply.toolUse && thinking === undefined)) blocks.push({ type: 'text', text: text ?? '' });
  if (reply.toolUse && stopReason !== 'max_tokens') {
    blocks.push({ type: 'tool_use', id: reply.toolUse.id ?? newId('toolu'), name: reply.toolUse.name, input: reply.toolUse.input });
  }
  return {
    blocks,
    stopReason,
    stopSequence: stopReason === 'stop_sequence' ? stopSequence : null,
    outputTokens: reply.outputTokens ?? countOutputTokens(blocks),
    thinkingTokens: thinking ? countTextTokens(thinking) : 0,
    chunkSize: Math.max(1, reply.chunkSize ?? defaults.chunkSize),
    chunkDelayMs: Math.max(0, reply.chunkDelayMs ?? defaults.chunkDelayMs),
  };
}

export function contentOf(block: PlannedBlock): ContentBlock {
  switch (block.type) {
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'text':
      return { type: 'text', text: block.text, citations: null };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input, caller: { type: 'direct' } };
  }
}

export function usageOf(cache: CacheUsage, outputTokens: number, thinkingTokens: number, tier: 'standard' | 'batch'): Usage {
  return {
    input_tokens: cache.input_tokens,
    cache_creation_input_tokens: cache.cache_creation_input_tokens,
    cache_read_input_tokens: cache.cache_read_input_tokens,
    cache_creation: { ...cache.cache_creation },
    output_tokens: outputTokens,
    output_tokens_details: thinkingTokens > 0 ? { thinking_tokens: thinkingTokens } : null,
    server_tool_use: null,
    service_tier: tier,
    inference_geo: null,
    speed: null,
  };
}

export function stopDetailsOf(stopReason: StopReason): RefusalStopDetails | null {
  return stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: null } : null;
}

export function buildMessage(req: MessagesRequest, plan: ReplyPlan, usage: Usage, id = newId('msg')): Message {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content: plan.blocks.map(contentOf),
    stop_reason: plan.stopReason,
    stop_sequence: plan.stopSequence,
    stop_details: stopDetailsOf(plan.stopReason),
    container: null,
    diagnostics: null,
    usage,
  };
}
