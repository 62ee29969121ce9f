/**
 * Request validation with the API's messages, for the mistakes a client can realistically make.
 * Unknown fields are accepted: rejecting them would fail on every new SDK parameter.
 */
import { ApiError, invalidRequest, notFound } from './errors';
import { flattenPrompt } from './tokens';
import type { ModelCatalog } from './models';
import type { ContentBlockJson, JsonObject, MessageJson, MessagesRequest } from './types';

const THINKING_DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';
export const MAX_CACHE_BREAKPOINTS = 4;
export const MIN_THINKING_BUDGET = 1024;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Tools are blocks too for caching and counting, but a custom tool may omit `type`. */
function blocksOf(value: unknown, path: string, requireType = true): ContentBlockJson[] {
  if (!Array.isArray(value)) throw invalidRequest(`${path}: Input should be a valid list`);
  return value.map((block: unknown, i) => {
    if (!isObject(block)) throw invalidRequest(`${path}.${i}: Input should be a valid dictionary`);
    if (requireType && typeof block['type'] !== 'string') throw invalidRequest(`${path}.${i}.type: Field required`);
    return block as ContentBlockJson;
  });
}

function checkMessages(value: unknown): MessageJson[] {
  if (value === undefined) throw invalidRequest('messages: Field required');
  if (!Array.isArray(value)) throw invalidRequest('messages: Input should be a valid list');
  if (value.length === 0) throw invalidRequest('messages: at least one message is required');
  const messages = value.map((message: unknown, i): MessageJson => {
    if (!isObject(message)) throw invalidRequest(`messages.${i}: Input should be a valid dictionary`);
    const role = message['role'];
    if (role !== 'user' && role !== 'assistant' && role !== 'system') {
      throw invalidRequest(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    const content = message['content'];
    if (content === undefined) throw invalidRequest(`messages.${i}.content: Field required`);
    return { role, content: typeof content === 'string' ? content : blocksOf(content, `messages.${i}.content`) };
  });
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns[0]?.role !== 'user') throw invalidRequest('messages: first message must use the "user" role');
  turns.forEach((message, i) => {
    const previous = turns[i - 1];
    if (previous && previous.role === message.role) {
      throw invalidRequest(
        `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`,
      );
    }
  });
  messages.forEach((message, i) => {
    const finalAssistant = i === messages.length - 1 && message.role === 'assistant';
    if (message.content.length === 0 && !finalAssistant) {
      throw invalidRequest(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    }
    if (typeof message.content !== 'string' && message.content.some((b) => b.type === 'text' && b['text'] === '')) {
      throw invalidRequest('messages: text content blocks must be non-empty');
    }
  });
  return messages;
}

function checkCacheControl(path: string, value: unknown): '5m' | '1h' {
  if (!isObject(value) || value['type'] !== 'ephemeral') throw invalidRequest(`${path}.type: Input should be 'ephemeral'`);
  const ttl = value['ttl'];
  if (ttl === undefined || ttl === null || ttl === '5m') return '5m';
  if (ttl === '1h') return '1h';
  throw invalidRequest(`${path}.ttl: Input should be '5m' or '1h'`);
}

function checkBreakpoints(req: MessagesRequest): void {
  const blocks = flattenPrompt(req);
  const marked: { path: string; ttl: '5m' | '1h' }[] = [];
  for (const block of blocks) {
    if (block.cacheControl === undefined) continue;
    marked.push({ path: `${block.path}.cache_control`, ttl: checkCacheControl(`${block.path}.cache_control`, block.cacheControl) });
  }
  const lastBlock = blocks[blocks.length - 1];
  if (req.cache_control) {
    const ttl = checkCacheControl('cache_control', req.cache_control);
    if (lastBlock && lastBlock.cacheControl === undefined) marked.push({ path: 'cache_control', ttl });
  }
  if (marked.length > MAX_CACHE_BREAKPOINTS) {
    throw invalidRequest(`A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${marked.length}.`);
  }
  let seenShort = false;
  for (const point of marked) {
    if (point.ttl === '5m') seenShort = true;
    else if (seenShort) {
      throw invalidRequest(
        `${point.path}.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. ` +
          'Note that blocks are processed in the following order: `tools`, `system`, `messages`.',
      );
    }
  }
}

function checkThinking(body: JsonObject, maxTokens: number | undefined): JsonObject | undefined {
  const thinking = body['thinking'];
  if (thinking === undefined || thinking === null) return undefined;
  if (!isObject(thinking)) throw invalidRequest('thinking: Input should be a valid dictionary');
  const type = thinking['type'];
  if (type === 'enabled') {
    const budget = thinking['budget_tokens'];
    if (budget === undefined) throw invalidRequest('thinking.enabled.budget_tokens: Field required');
    if (!isInteger(budget)) throw invalidRequest('thinking.enabled.budget_tokens: Input should be a valid integer');
    if (budget < MIN_THINKING_BUDGET) {
      throw invalidRequest(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
    }
    if (maxTokens !== undefined && budget >= maxTokens) {
      throw invalidRequest(
        `\`max_tokens\` must be greater than \`thinking.budget_tokens\`. Please consult our documentation at ${THINKING_DOCS}#max-tokens-and-context-window-size`,
      );
    }
  } else if (type !== 'disabled' && type !== 'adaptive' && type !== 'between_tools') {
    throw invalidRequest(
      `thinking: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive', 'between_tools'`,
    );
  }
  return thinking;
}

function checkTemperature(body: JsonObject, thinking: JsonObject | undefined): number | undefined {
  const temperature = body['temperature'];
  if (temperature === undefined || temperature === null) return undefined;
  if (typeof temperature !== 'number') throw invalidRequest('temperature: Input should be a valid number');
  if (temperature < 0) throw invalidRequest('temperature: Input should be greater than or equal to 0');
  if (temperature > 1) throw invalidRequest('temperature: Input should be less than or equal to 1');
  const thinkingOn = thinking !== undefined && (thinking['type'] === 'enabled' || thinking['type'] === 'adaptive');
  if (thinkingOn && temperature !== 1) {
    throw invalidRequest(
      `\`temperature\` may only be set to 1 when thinking is enabled. Please consult our documentation at ${THINKING_DOCS}#feature-compatibility`,
    );
  }
  return temperature;
}

export interface ValidateOptions {
  models: ModelCatalog;
  /** count_tokens takes no max_tokens. */
  countTokens?: boolean;
}

export function validateMessagesBody(body: unknown, options: ValidateOptions): MessagesRequest {
  if (!isObject(body)) throw invalidRequest('Request body must be a JSON object');
  const model = body['model'];
  if (model === undefined) throw invalidRequest('model: Field required');
  if (typeof model !== 'string') throw invalidRequest('model: Input should be a valid string');

  let maxTokens: number | undefined;
  if (!options.countTokens) {
    const value = body['max_tokens'];
    if (value === undefined) throw invalidRequest('max_tokens: Field required');
    if (!isInteger(value)) throw invalidRequest('max_tokens: Input should be a valid integer');
    if (value < 1) throw invalidRequest('max_tokens: Input should be greater than or equal to 1');
    maxTokens = value;
  }
  const messages = checkMessages(body['messages']);

  const system = body['system'];
  if (system !== undefined && system !== null && typeof system !== 'string') blocksOf(system, 'system');
  const tools = body['tools'];
  if (tools !== undefined && tools !== null) blocksOf(tools, 'tools', false);
  const stop = body['stop_sequences'];
  if (stop !== undefined && (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string'))) {
    throw invalidRequest('stop_sequences: Input should be a valid list of strings');
  }
  const stream = body['stream'];
  if (stream !== undefined && typeof stream !== 'boolean') throw invalidRequest('stream: Input should be a valid boolean');
  const cacheControl = body['cache_control'];

  const spec = options.models.get(model);
  if (!spec) throw notFound(`model: ${model}`);
  if (maxTokens !== undefined && maxTokens > spec.maxTokens) {
    throw invalidRequest(`max_tokens: ${maxTokens} > ${spec.maxTokens}, which is the maximum allowed number of output tokens for ${model}`);
  }
  const thinking = checkThinking(body, maxTokens);
  const temperature = checkTemperature(body, thinking);

  const req: MessagesRequest = { model, max_tokens: maxTokens ?? 0, messages, raw: body };
  if (typeof system === 'string' || Array.isArray(system)) req.system = system as string | ContentBlockJson[];
  if (Array.isArray(tools)) req.tools = tools as ContentBlockJson[];
  if (thinking) req.thinking = thinking;
  if (isObject(body['tool_choice'])) req.tool_choice = body['tool_choice'];
  if (Array.isArray(stop)) req.stop_sequences = stop as string[];
  if (stream === true) req.stream = true;
  if (temperature !== undefined) req.temperature = temperature;
  if (isObject(cacheControl)) req.cache_control = cacheControl;
  else if (cacheControl !== undefined && cacheControl !== null) checkCacheControl('cache_control', cacheControl);
  checkBreakpoints(req);
  return req;
}

export function assertPromptFits(inputTokens: number, model: string, options: ValidateOptions): void {
  const spec = options.models.get(model);
  if (spec && inputTokens > spec.maxInputTokens) {
    throw new ApiError('invalid_request_error', `prompt is too long: ${inputTokens} tokens > ${spec.maxInputTokens} maximum`);
  }
}
