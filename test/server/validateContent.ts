/**
 * Messages, system and tools as the API checks them: every block's type and fields (from the SDK's
 * param types, see blockRules.ts), where `cache_control` may go, and the whitespace rules.
 */
import { BLOCK_FIELDS, CACHE_CONTROL_FIELDS, MESSAGE_BLOCK_TYPES, SYSTEM_BLOCK_TYPES, TOOL_RESULT_BLOCK_TYPES, isBlockType } from './blockRules';
import type { BlockType, Fields } from './blockRules';
import { invalidRequest } from './errors';
import { checkDocumentBlock, checkImageBlock } from './media';
import type { ContentBlockJson, JsonObject, MessageJson } from './types';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Rejects keys the shape does not have and reports the first missing required one, as the API does. */
export function checkFields(value: JsonObject, fields: Fields, path: string): void {
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(fields, key)) throw invalidRequest(`${at(path, key)}: Extra inputs are not permitted`);
  }
  for (const [key, kind] of Object.entries(fields)) {
    if (kind === 'required' && value[key] === undefined) throw invalidRequest(`${at(path, key)}: Field required`);
  }
}

export function checkCacheControl(path: string, value: unknown): '5m' | '1h' {
  if (!isObject(value)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
  checkFields(value, CACHE_CONTROL_FIELDS, path);
  if (value['type'] !== 'ephemeral') throw invalidRequest(`${path}.type: Input should be 'ephemeral'`);
  const ttl = value['ttl'];
  if (ttl === undefined || ttl === '5m') return '5m';
  if (ttl === '1h') return '1h';
  throw invalidRequest(`${path}.ttl: Input should be '5m' or '1h'`);
}

function tagList(types: readonly string[]): string {
  return types.map((t) => `'${t}'`).join(', ');
}

function checkString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidRequest(`${path}: Input should be a valid string`);
  return value;
}

/** One block at `path`, which must be one of `allowed`; nested content is checked too. */
function checkBlock(value: unknown, path: string, allowed: readonly BlockType[]): ContentBlockJson {
  if (!isObject(value)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
  const type = value['type'];
  if (type === undefined) throw invalidRequest(`${path}: Unable to extract tag using discriminator 'type'`);
  if (typeof type !== 'string' || !isBlockType(type) || !allowed.includes(type)) {
    throw invalidRequest(`${path}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${tagList(allowed)}`);
  }
  const where = `${path}.${type}`;
  // A thinking block has no cache_control: the API reports it as an extra input.
  checkFields(value, BLOCK_FIELDS[type], where);
  const cacheControl = value['cache_control'];
  if (cacheControl !== undefined && cacheControl !== null) checkCacheControl(`${where}.cache_control`, cacheControl);
  if (type === 'text') {
    const text = checkString(value['text'], `${where}.text`);
    if (text === '') throw invalidRequest(`${rootOf(path)}: text content blocks must be non-empty`);
    if (text.trim() === '') throw invalidRequest(`${rootOf(path)}: text content blocks must contain non-whitespace text`);
  }
  if (type === 'image') checkImageBlock(value, path);
  if (type === 'document') checkDocumentBlock(value, path);
  if (type === 'thinking') {
    checkString(value['thinking'], `${where}.thinking`);
    checkString(value['signature'], `${where}.signature`);
  }
  if (type === 'tool_use' || type === 'server_tool_use') {
    checkString(value['id'], `${where}.id`);
    checkString(value['name'], `${where}.name`);
    if (!isObject(value['input'])) throw invalidRequest(`${where}.input: Input should be a valid dictionary`);
  }
  if (type === 'tool_result') {
    checkString(value['tool_use_id'], `${where}.tool_use_id`);
    const content = value['content'];
    if (Array.isArray(content)) content.forEach((block, i) => checkBlock(block, `${where}.content.${i}`, TOOL_RESULT_BLOCK_TYPES));
    else if (content !== undefined && typeof content !== 'string') throw invalidRequest(`${where}.content: Input should be a valid string or list`);
  }
  if (type === 'search_result') {
    const content = value['content'];
    if (!Array.isArray(content)) throw invalidRequest(`${where}.content: Input should be a valid list`);
    content.forEach((block, i) => checkBlock(block, `${where}.content.${i}`, ['text']));
  }
  return value as ContentBlockJson;
}

/** The top-level name the API uses for content-rule messages (`messages`, `system`). */
function rootOf(path: string): string {
  return path.split('.')[0] ?? path;
}

function checkBlocks(value: unknown, path: string, allowed: readonly BlockType[]): ContentBlockJson[] {
  if (!Array.isArray(value)) throw invalidRequest(`${path}: Input should be a valid list`);
  return value.map((block: unknown, i) => checkBlock(block, `${path}.${i}`, allowed));
}

export function checkSystem(value: unknown): string | ContentBlockJson[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  return checkBlocks(value, 'system', SYSTEM_BLOCK_TYPES);
}

/** Custom tools have the SDK's `Tool` shape; server tools (with a dated `type`) are taken as they are. */
export function checkTools(value: unknown, toolFields: Fields): ContentBlockJson[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest('tools: Input should be a valid list');
  return value.map((tool: unknown, i): ContentBlockJson => {
    const path = `tools.${i}`;
    if (!isObject(tool)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
    const type = tool['type'];
    if (type === undefined || type === null || type === 'custom') {
      checkFields(tool, toolFields, `${path}.custom`);
      checkString(tool['name'], `${path}.custom.name`);
      if (!isObject(tool['input_schema'])) throw invalidRequest(`${path}.custom.input_schema: Input should be a valid dictionary`);
    } else if (typeof type !== 'string') {
      throw invalidRequest(`${path}.type: Input should be a valid string`);
    }
    const cacheControl = tool['cache_control'];
    if (cacheControl !== undefined && cacheControl !== null) checkCacheControl(`${path}.cache_control`, cacheControl);
    return tool as ContentBlockJson;
  });
}

function checkContent(content: unknown, path: string): string | ContentBlockJson[] {
  if (content === undefined) throw invalidRequest(`${path}: Field required`);
  if (typeof content === 'string') {
    if (content !== '' && content.trim() === '') throw invalidRequest('messages: text content blocks must contain non-whitespace text');
    return content;
  }
  return checkBlocks(content, path, MESSAGE_BLOCK_TYPES);
}

function trailingText(content: string | ContentBlockJson[]): string | undefined {
  if (typeof content === 'string') return content;
  const last = content[content.length - 1];
  return last?.type === 'text' && typeof last['text'] === 'string' ? last['text'] : undefined;
}

export function checkMessages(value: unknown): MessageJson[] {
  if (value === undefined) throw invalidRequest('messages: Field required');
  if (!Array.isArray(value)) throw invalidRequest('messages: Input should be a valid list');
  if (value.length === 0) throw invalidRequest('messages: at least one message is required');
  const messages = value.map((message: unknown, i): MessageJson => {
    const path = `messages.${i}`;
    if (!isObject(message)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
    checkFields(message, { role: 'required', content: 'required' }, path);
    const role = message['role'];
    if (role !== 'user' && role !== 'assistant') throw invalidRequest(`${path}.role: Input should be 'user' or 'assistant'`);
    return { role, content: checkContent(message['content'], `${path}.content`) };
  });
  if (messages[0]?.role !== 'user') throw invalidRequest('messages: first message must use the "user" role');
  messages.forEach((message, i) => {
    const previous = messages[i - 1];
    if (previous && previous.role === message.role) {
      throw invalidRequest(
        `messages: roles must alternate between "user" and "assistant", but found multiple "${message.role}" roles in a row`,
      );
    }
    const finalAssistant = i === messages.length - 1 && message.role === 'assistant';
    if (message.content.length === 0 && !finalAssistant) {
      throw invalidRequest(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    }
    const tail = finalAssistant ? trailingText(message.content) : undefined;
    if (tail !== undefined && tail !== '' && /\s$/.test(tail)) {
      throw invalidRequest('messages: final assistant content cannot end with trailing whitespace');
    }
  });
  return messages;
}
