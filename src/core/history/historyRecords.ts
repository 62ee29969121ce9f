import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import type { AssistantStatus, AssistantTurn, Turn, TurnError, TurnRecipe, TurnStep, UserTurn } from '../chat/conversation';
import { historyMessages as msg } from './historyMessages';
import type { ContextBlock, ContextBlockMedia } from '../context/contextSet';
import { IMAGE_MEDIA_TYPES } from '../media/mediaFacts';
import type { MediaStash } from './historyMedia';
import { SHA256, hasMedia, stashingReplacer } from './historyMedia';

/** The log format version this code writes; it reads any version, skipping what it does not know. */
export const HISTORY_FORMAT_VERSION = 1;

/** First line of every log. `system` is fixed for the conversation's lifetime, so it is written once. */
export interface HeaderRecord {
  readonly v: number;
  readonly t: 'conversation';
  readonly id: string;
  readonly title: string;
  readonly createdAt: number;
  readonly system: readonly string[];
}

/** One line of a conversation log after the header. */
export type BodyRecord =
  | { readonly t: 'turn'; readonly turn: Turn }
  | { readonly t: 'delta'; readonly id: string; readonly text?: string; readonly thinking?: string }
  | { readonly t: 'final'; readonly turn: AssistantTurn }
  | { readonly t: 'leaf'; readonly id: string | null }
  | { readonly t: 'title'; readonly title: string }
  | { readonly t: 'removed'; readonly id: string };

/** Conversation ids become file names, so only a safe alphabet is accepted (no `..`, no slashes). */
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
const STATUSES: ReadonlySet<string> = new Set<AssistantStatus>(['streaming', 'done', 'stopped', 'error', 'interrupted']);
const ACTIONS: ReadonlySet<string> = new Set(['setApiKey', 'pickModel', 'reduceContext', 'retry', 'openSettings']);

/** True when `id` can safely name a log file. */
export function isConversationId(id: unknown): id is string {
  return typeof id === 'string' && CONVERSATION_ID.test(id);
}

/** A parsed, validated record, or why the line was skipped (a user-visible reason). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const optional = (value: unknown, check: (v: unknown) => boolean): boolean => value === undefined || check(value);

/** Copies only the named keys that pass `check`; never copies `__proto__` or anything unlisted. */
function pick(source: Json, keys: readonly string[], check: (v: unknown) => boolean): Json | undefined {
  const out: Json = {};
  for (const key of keys) {
    const value = source[key];
    if (value === undefined) continue;
    if (!check(value)) return undefined;
    out[key] = value;
  }
  return out;
}

const nullOr = (check: (v: unknown) => boolean) => (v: unknown): boolean => v === null || check(v);

/** Usage objects of any depth the SDK nests, rebuilt from known keys so nothing foreign rides along. */
const USAGE_COUNTS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'];
const USAGE_TEXT = ['service_tier', 'inference_geo'];
const NESTED_COUNTS: Readonly<Record<string, readonly string[]>> = {
  cache_creation: ['ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens'],
  server_tool_use: ['web_search_requests', 'web_fetch_requests'],
  output_tokens_details: ['thinking_tokens'],
};

function readUsage(value: unknown): Usage | undefined {
  if (!isObject(value) || !isCount(value.input_tokens) || !isCount(value.output_tokens)) return undefined;
  const counts = pick(value, USAGE_COUNTS, nullOr(isCount));
  const texts = pick(value, USAGE_TEXT, nullOr(isText));
  if (counts === undefined || texts === undefined) return undefined;
  const usage: Json = { ...counts, ...texts };
  for (const [key, keys] of Object.entries(NESTED_COUNTS)) {
    const nested = value[key];
    if (nested === undefined) continue;
    if (nested === null) {
      usage[key] = null;
      continue;
    }
    const copy = isObject(nested) ? pick(nested, keys, nullOr(isCount)) : undefined;
    if (copy === undefined) return undefined;
    usage[key] = copy;
  }
  // Validated above field by field; the SDK type lists every field as required but older logs may lack some.
  return usage as unknown as Usage;
}

function readError(value: unknown): TurnError | undefined {
  if (!isObject(value) || !isText(value.kind) || !isText(value.message) || typeof value.retryable !== 'boolean') return undefined;
  if (!optional(value.action, (a) => typeof a === 'string' && ACTIONS.has(a))) return undefined;
  return {
    kind: value.kind,
    message: value.message,
    ...(value.action !== undefined ? { action: value.action as TurnError['action'] } : {}),
    retryable: value.retryable,
  };
}

const STEP_STATUSES: ReadonlySet<string> = new Set(['running', 'done', 'error']);
const MAX_STEPS = 200;

/** A recipe turn's steps; an invalid step drops the whole recipe part, never the turn. */
function readRecipe(value: unknown): TurnRecipe | undefined {
  if (!isObject(value) || !isText(value.name) || !Array.isArray(value.steps) || value.steps.length > MAX_STEPS) return undefined;
  const steps: TurnStep[] = [];
  for (const step of value.steps as unknown[]) {
    if (!isObject(step) || !isText(step.title) || !isText(step.text) || typeof step.status !== 'string' || !STEP_STATUSES.has(step.status)) return undefined;
    if (!optional(step.error, isText) || !optional(step.model, isText)) return undefined;
    const usage = step.usage === undefined ? undefined : readUsage(step.usage);
    if (step.usage !== undefined && usage === undefined) return undefined;
    steps.push({
      title: step.title,
      status: step.status as TurnStep['status'],
      text: step.text,
      ...(usage !== undefined ? { usage } : {}),
      ...(step.error !== undefined ? { error: step.error as string } : {}),
      ...(step.model !== undefined ? { model: step.model as string } : {}),
    });
  }
  return { name: value.name, steps };
}

/**
 * An image or PDF a turn carried: its kind must match its media type; its bytes are base64 `data`
 * (older logs) or a `sha256` naming the stored file (loaded after replay, see historyMedia).
 */
function readMedia(value: unknown): ContextBlockMedia | undefined {
  if (!isObject(value)) return undefined;
  const ref = typeof value.sha256 === 'string' && SHA256.test(value.sha256) && value.data === undefined ? value.sha256 : undefined;
  if (ref === undefined && (typeof value.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value.data))) return undefined;
  const data = ref !== undefined ? '' : (value.data as string);
  if (typeof value.tokens !== 'number' || !Number.isInteger(value.tokens) || value.tokens < 0) return undefined;
  const mediaType = value.mediaType;
  const sizes = {
    ...(isCount(value.width) && isCount(value.height) ? { width: value.width, height: value.height } : {}),
    ...(isCount(value.pages) ? { pages: value.pages } : {}),
    ...(ref !== undefined ? { sha256: ref } : {}),
  };
  if (value.kind === 'document' && mediaType === 'application/pdf') return { kind: 'document', mediaType, data, tokens: value.tokens, ...sizes };
  if (value.kind === 'image' && typeof mediaType === 'string' && (IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
    return { kind: 'image', mediaType: mediaType as ContextBlockMedia['mediaType'], data, tokens: value.tokens, ...sizes };
  }
  return undefined;
}

function readContext(value: unknown): ContextBlock[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const blocks: ContextBlock[] = [];
  for (const block of value) {
    if (!isObject(block) || !isText(block.label) || !isText(block.text)) return undefined;
    const media = block.media === undefined ? undefined : readMedia(block.media);
    if (block.media !== undefined && media === undefined) return undefined;
    blocks.push({ label: block.label, text: block.text, ...(media !== undefined ? { media } : {}) });
  }
  return blocks;
}

function readUser(value: Json): UserTurn | undefined {
  if (!isId(value.id) || !optional(value.parentId, isId) || !isText(value.text) || !isTime(value.createdAt)) return undefined;
  const context = value.context === undefined ? undefined : readContext(value.context);
  if (value.context !== undefined && context === undefined) return undefined;
  return {
    kind: 'user',
    id: value.id,
    ...(value.parentId !== undefined ? { parentId: value.parentId as string } : {}),
    text: value.text,
    ...(context !== undefined ? { context } : {}),
    createdAt: value.createdAt,
  };
}

function readAssistant(value: Json): AssistantTurn | undefined {
  const { id, parentId, model, text, thinking, status, createdAt } = value;
  if (!isId(id) || !isId(parentId) || !isText(model) || !isText(text) || !isText(thinking) || !isTime(createdAt)) return undefined;
  if (typeof status !== 'string' || !STATUSES.has(status)) return undefined;
  if (![value.thinkingSignature, value.stopReason, value.stopSequence, value.answeredBy].every((v) => optional(v, isText))) return undefined;
  const usage = value.usage === undefined ? undefined : readUsage(value.usage);
  const error = value.error === undefined ? undefined : readError(value.error);
  if ((value.usage !== undefined && usage === undefined) || (value.error !== undefined && error === undefined)) return undefined;
  const turn: AssistantTurn = { kind: 'assistant', id, parentId, model, text, thinking, status: status as AssistantStatus, createdAt };
  // Optional fields are set only when present so a replayed turn deep-equals the one that was saved.
  if (value.thinkingSignature !== undefined) turn.thinkingSignature = value.thinkingSignature as string;
  if (value.stopReason !== undefined) turn.stopReason = value.stopReason as string;
  if (value.stopSequence !== undefined) turn.stopSequence = value.stopSequence as string;
  if (usage !== undefined) turn.usage = usage;
  if (value.answeredBy !== undefined) turn.answeredBy = value.answeredBy as string;
  if (error !== undefined) turn.error = error;
  const recipe = value.recipe === undefined ? undefined : readRecipe(value.recipe);
  if (recipe !== undefined) turn.recipe = recipe;
  return turn;
}

/** Rebuilds a turn from untrusted JSON, keeping only known, well-typed fields. */
export function readTurn(value: unknown): Turn | undefined {
  if (!isObject(value)) return undefined;
  if (value.kind === 'user') return readUser(value);
  if (value.kind === 'assistant') return readAssistant(value);
  return undefined;
}

/** Validates a log's first line. */
export function readHeader(value: unknown): HeaderRecord | undefined {
  if (!isObject(value) || value.t !== 'conversation') return undefined;
  const { v, id, title, createdAt, system } = value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return undefined;
  if (!isConversationId(id) || !isText(title) || !isTime(createdAt)) return undefined;
  if (!Array.isArray(system) || !system.every(isText)) return undefined;
  return { v, t: 'conversation', id, title, createdAt, system: [...system] };
}

const invalid = (reason: string): Parsed<never> => ({ ok: false, reason });

/**
 * Validates one body record. Unknown types yield `undefined` (skipped as "from a newer version"),
 * wrong shapes yield a reason.
 */
export function readBodyRecord(value: Json): Parsed<BodyRecord> | undefined {
  switch (value.t) {
    case 'turn': {
      const turn = readTurn(value.turn);
      return turn ? { ok: true, value: { t: 'turn', turn } } : invalid(msg.badTurn);
    }
    case 'final': {
      const turn = readTurn(value.turn);
      return turn?.kind === 'assistant' ? { ok: true, value: { t: 'final', turn } } : invalid(msg.badTurn);
    }
    case 'delta': {
      if (!isId(value.id)) return invalid(msg.badField('id'));
      if (!optional(value.text, isText)) return invalid(msg.badField('text'));
      if (!optional(value.thinking, isText)) return invalid(msg.badField('thinking'));
      return { ok: true, value: { t: 'delta', id: value.id, text: value.text as string | undefined, thinking: value.thinking as string | undefined } };
    }
    case 'leaf':
      return value.id === null || isId(value.id) ? { ok: true, value: { t: 'leaf', id: value.id } } : invalid(msg.badField('id'));
    case 'title':
      return isText(value.title) ? { ok: true, value: { t: 'title', title: value.title } } : invalid(msg.badField('title'));
    case 'removed':
      return isId(value.id) ? { ok: true, value: { t: 'removed', id: value.id } } : invalid(msg.badField('id'));
    case 'conversation':
      return invalid(msg.secondHeader);
    default:
      return undefined;
  }
}

/**
 * One JSONL line (with its newline) for a record. With a `stash`, a turn's images and PDFs are
 * moved into it and the line names them by hash (the caller writes the stash as files first).
 */
export function encodeRecord(record: HeaderRecord | BodyRecord, stash?: MediaStash): string {
  if (stash !== undefined && record.t === 'turn' && hasMedia(record.turn)) return `${JSON.stringify(record, stashingReplacer(stash))}\n`;
  return `${JSON.stringify(record)}\n`;
}

/** The header line for a conversation. */
export function headerFor(conversation: { id: string; title: string; createdAt: number; system: readonly string[] }): HeaderRecord {
  const { id, title, createdAt, system } = conversation;
  return { v: HISTORY_FORMAT_VERSION, t: 'conversation', id, title, createdAt, system: [...system] };
}

export { isObject as isJsonObject };
