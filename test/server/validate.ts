/**
 * Request validation as API 2026-10-21 does it, with its messages: unknown fields, block types and
 * fields, whitespace rules, where `cache_control` may go, the model's thinking types, effort and
 * limits, prefill with thinking, and the removed sampling parameters. The field tables come from
 * the SDK's types (blockRules.ts), so a new SDK parameter is a typecheck failure here, not a 400.
 */
import { COUNT_TOKENS_FIELDS, MESSAGE_FIELDS, TOOL_FIELDS } from './blockRules';
import type { Fields } from './blockRules';
import { ApiError, invalidRequest, notFound } from './errors';
import type { ModelCatalog } from './models';
import { checkRequestMedia } from './media';
import { flattenPrompt } from './tokens';
import { checkCacheControl, checkFields, checkMessages, checkSystem, checkTools, isObject } from './validateContent';
import { NO_SAMPLING_SINCE, SAMPLING_PARAMETERS, checkOutputConfig, checkPrefill, checkSampling, checkThinking } from './validateModel';
import type { ApiVersion } from './validateModel';
import type { MessagesRequest } from './types';

export { isObject } from './validateContent';
export { MIN_THINKING_BUDGET } from './validateModel';
export const MAX_CACHE_BREAKPOINTS = 4;

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
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

export interface ValidateOptions {
  models: ModelCatalog;
  /** The request's `anthropic-version` (already checked to be one the API knows). */
  version: ApiVersion;
  /** count_tokens takes no max_tokens and fewer fields. */
  countTokens?: boolean;
}

/** Sampling parameters are fields of the older versions only. */
function fieldsFor(options: ValidateOptions): Fields {
  const base: Fields = options.countTokens ? COUNT_TOKENS_FIELDS : MESSAGE_FIELDS;
  if (options.version >= NO_SAMPLING_SINCE || options.countTokens) return base;
  return { ...base, ...Object.fromEntries(SAMPLING_PARAMETERS.map((key) => [key, 'optional' as const])) };
}

export function validateMessagesBody(body: unknown, options: ValidateOptions): MessagesRequest {
  if (!isObject(body)) throw invalidRequest('Request body must be a JSON object');
  // The removed parameters get their own message before the generic unknown-field one.
  if (!options.countTokens) checkSampling(body, options.version, undefined);
  checkFields(body, fieldsFor(options), '');
  const model = body['model'];
  if (typeof model !== 'string') throw invalidRequest('model: Input should be a valid string');

  let maxTokens: number | undefined;
  if (!options.countTokens) {
    const value = body['max_tokens'];
    if (!isInteger(value)) throw invalidRequest('max_tokens: Input should be a valid integer');
    if (value < 1) throw invalidRequest('max_tokens: Input should be greater than or equal to 1');
    maxTokens = value;
  }
  const messages = checkMessages(body['messages']);
  checkRequestMedia(messages);
  const system = checkSystem(body['system']);
  const tools = checkTools(body['tools'], TOOL_FIELDS);
  const stop = body['stop_sequences'];
  if (stop !== undefined && (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string'))) {
    throw invalidRequest('stop_sequences: Input should be a valid list of strings');
  }
  const stream = body['stream'];
  if (stream !== undefined && typeof stream !== 'boolean') throw invalidRequest('stream: Input should be a valid boolean');
  const cacheControl = body['cache_control'];
  if (cacheControl !== undefined && cacheControl !== null) checkCacheControl('cache_control', cacheControl);

  const spec = options.models.get(model);
  // A retired model answers like an unknown one.
  if (!spec || spec.lifecycle === 'retired') throw notFound(`model: ${model}`);
  if (maxTokens !== undefined && maxTokens > spec.maxTokens) {
    throw invalidRequest(`max_tokens: ${maxTokens} > ${spec.maxTokens}, which is the maximum allowed number of output tokens for ${model}`);
  }
  const thinking = checkThinking(body['thinking'], spec, maxTokens);
  checkOutputConfig(body['output_config'], spec);
  checkPrefill(messages, thinking);
  if (!options.countTokens) checkSampling(body, options.version, thinking);

  const req: MessagesRequest = { model, max_tokens: maxTokens ?? 0, messages, raw: body };
  if (system !== undefined) req.system = system;
  if (tools !== undefined) req.tools = tools;
  if (thinking) req.thinking = thinking;
  if (isObject(body['tool_choice'])) req.tool_choice = body['tool_choice'];
  if (Array.isArray(stop)) req.stop_sequences = stop as string[];
  if (stream === true) req.stream = true;
  if (isObject(cacheControl)) req.cache_control = cacheControl;
  checkBreakpoints(req);
  return req;
}

export function assertPromptFits(inputTokens: number, model: string, options: Pick<ValidateOptions, 'models'>): void {
  const spec = options.models.get(model);
  if (spec && inputTokens > spec.maxInputTokens) {
    throw new ApiError('invalid_request_error', `prompt is too long: ${inputTokens} tokens > ${spec.maxInputTokens} maximum`);
  }
}
