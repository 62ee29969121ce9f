import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { Conversation, Turn } from './conversation';
import { activePath } from './conversation';

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
  readonly cacheTtl: '5m' | '1h';
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
    const block: TextBlockParam = { type: 'text', text };
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role && Array.isArray(last.content)) {
      (last.content as ContentBlockParam[]).push(block);
    } else {
      messages.push({ role, content: [block] });
    }
  }
  return messages;
}

/**
 * Builds the streaming request for the conversation's active path. Byte-stable: the same
 * conversation always yields the same prefix, which is what lets the prompt cache pay.
 */
export function buildRequest(conversation: Conversation, options: RequestOptions): MessageCreateParamsStreaming {
  const cacheControl: CacheControlEphemeral =
    options.cacheTtl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const system: TextBlockParam[] = conversation.system.map((text) => ({ type: 'text', text }));
  const messages = transcriptMessages(activePath(conversation));
  placeBreakpoints(system, messages, cacheControl);

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
  return params;
}

/** End of system and end of the newest user turn: the prefix the next turn will read back. */
function placeBreakpoints(system: TextBlockParam[], messages: MessageParam[], cacheControl: CacheControlEphemeral): void {
  const lastSystem = system[system.length - 1];
  if (lastSystem !== undefined) lastSystem.cache_control = cacheControl;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role !== 'user' || !Array.isArray(message.content)) continue;
    const lastBlock = message.content[message.content.length - 1];
    if (lastBlock !== undefined && lastBlock.type === 'text') lastBlock.cache_control = cacheControl;
    break;
  }
}
