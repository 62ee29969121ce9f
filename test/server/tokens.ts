/**
 * Deterministic token counter. It is not Claude's tokenizer; it only has to be the same everywhere
 * (count_tokens, usage, cache accounting, tests) so expected figures can be computed exactly.
 *
 * Rule:
 * - text = ceil(UTF-8 bytes / 4); the empty string is 0.
 * - every prompt block costs BLOCK_OVERHEAD_TOKENS (3) plus its payload:
 *   `text` blocks -> the text; a base64 `image` -> the documented ceil(width * height / 750) after
 *   the API's downscaling (src/core/media); a base64 PDF `document` -> 2,250 a page (the middle of
 *   the documented 1,500-3,000) plus its title and context; any other block (tool_use, tool_result,
 *   thinking, a tool definition...) -> the text of its canonical JSON (sorted keys, top-level
 *   `cache_control` removed).
 * - a string `system` or string message `content` is one text block.
 * - every message adds MESSAGE_OVERHEAD_TOKENS (4), charged on its first block.
 * - order is tools -> system -> messages; the input total is the sum over blocks.
 * - output = text of each output block (text, thinking, JSON of tool input), at least 1.
 */
import { mediaPayloadTokens } from './media';
import type { ContentBlockJson, JsonObject, JsonValue } from './types';

export const BLOCK_OVERHEAD_TOKENS = 3;
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const BYTES_PER_TOKEN = 4;

export function countTextTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

function canonicalize(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) return value.map(canonicalize);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = canonicalize(item);
    }
    return out;
  }
  return null;
}

/** JSON with sorted keys: two blocks with the same content always produce the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** The block as it identifies a cache prefix: `cache_control` marks a breakpoint, it is not content. */
export function withoutCacheControl(block: object): JsonObject {
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(block)) {
    if (key !== 'cache_control' && value !== undefined) copy[key] = canonicalize(value);
  }
  return copy;
}

export function countBlockTokens(block: object): number {
  const plain = withoutCacheControl(block);
  const media = plain['type'] === 'image' || plain['type'] === 'document' ? mediaPayloadTokens(plain) : undefined;
  if (media !== undefined) {
    const extra = ['title', 'context'].reduce((sum, key) => sum + (typeof plain[key] === 'string' ? countTextTokens(plain[key]) : 0), 0);
    return BLOCK_OVERHEAD_TOKENS + media + extra;
  }
  const payload = plain['type'] === 'text' && typeof plain['text'] === 'string' ? plain['text'] : canonicalJson(plain);
  return BLOCK_OVERHEAD_TOKENS + countTextTokens(payload);
}

export type PromptSection = 'tools' | 'system' | 'messages';

export interface PromptBlock {
  section: PromptSection;
  /** Path as the API names it in errors, e.g. `messages.0.content.4`. */
  path: string;
  canonical: string;
  tokens: number;
  /** The raw `cache_control` value when present and not null. */
  cacheControl?: unknown;
}

/** Loose on purpose so tests can pass the SDK's own param objects. */
export interface PromptInput {
  system?: string | readonly object[] | null;
  tools?: readonly object[] | null;
  messages: readonly { role: string; content: string | readonly object[] }[];
}

function promptBlock(section: PromptSection, path: string, block: object, extraTokens = 0): PromptBlock {
  const raw = (block as Record<string, unknown>)['cache_control'];
  const result: PromptBlock = {
    section,
    path,
    canonical: canonicalJson(withoutCacheControl(block)),
    tokens: countBlockTokens(block) + extraTokens,
  };
  if (raw !== undefined && raw !== null) result.cacheControl = raw;
  return result;
}

function textBlock(text: string): ContentBlockJson {
  return { type: 'text', text };
}

/** The prompt in cache order (tools -> system -> messages), one entry per block boundary. */
export function flattenPrompt(req: PromptInput): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  (req.tools ?? []).forEach((tool, i) => blocks.push(promptBlock('tools', `tools.${i}`, tool)));
  if (typeof req.system === 'string') {
    if (req.system.length > 0) blocks.push(promptBlock('system', 'system', textBlock(req.system)));
  } else {
    (req.system ?? []).forEach((block, i) => blocks.push(promptBlock('system', `system.${i}`, block)));
  }
  req.messages.forEach((message, i) => {
    const content = typeof message.content === 'string' ? [textBlock(message.content)] : message.content;
    const stringPath = typeof message.content === 'string';
    if (content.length === 0) {
      // An empty final assistant turn still costs its framing.
      blocks.push(promptBlock('messages', `messages.${i}.content`, textBlock(''), MESSAGE_OVERHEAD_TOKENS));
      return;
    }
    content.forEach((block, j) => {
      const path = stringPath ? `messages.${i}.content` : `messages.${i}.content.${j}`;
      blocks.push(promptBlock('messages', path, block, j === 0 ? MESSAGE_OVERHEAD_TOKENS : 0));
    });
  });
  return blocks;
}

/** What `count_tokens` returns and what `usage` splits into input / cache write / cache read. */
export function countInputTokens(req: PromptInput): number {
  return flattenPrompt(req).reduce((sum, block) => sum + block.tokens, 0);
}

export interface OutputPiece {
  type: string;
  text?: string;
  thinking?: string;
  input?: unknown;
}

export function countOutputTokens(blocks: readonly OutputPiece[]): number {
  let total = 0;
  for (const block of blocks) {
    if (block.type === 'text') total += countTextTokens(block.text ?? '');
    else if (block.type === 'thinking') total += countTextTokens(block.thinking ?? '');
    else if (block.type === 'tool_use') total += countTextTokens(JSON.stringify(block.input ?? {}));
  }
  return Math.max(1, total);
}
