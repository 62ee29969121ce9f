/**
 * Building Message Batch requests from files: one request per file, a custom_id from a table
 * (the API allows only ^[a-zA-Z0-9_-]{1,64}$, so paths are never encoded into ids), a shared
 * system prompt marked for caching, and splitting into several batches at the API's limits.
 */
import type { ContentBlockParam, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { MediaKind, MediaType } from '../media/mediaFacts';
import { imageTokens, pdfTokens } from '../media/mediaFacts';
import { countPdfPages, probeImage } from '../media/probe';
import type { ModelEntry } from '../anthropic/modelTypes';
import { costOf } from '../anthropic/cost';
import { estimateTokens } from '../tokens/estimate';
import { formatUsdFixed } from '../util/l10n';

/** The API's per-batch limits (Message Batches docs: 100,000 requests or 256 MB, whichever first). */
export const MAX_REQUESTS_PER_BATCH = 100_000;
/** 256 MB; read as decimal megabytes, the smaller reading, so a batch never exceeds either. */
export const MAX_BYTES_PER_BATCH = 256_000_000;

export const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export interface BatchFile {
  /** URI string of the file. */
  readonly uri: string;
  /** Workspace-relative path shown to the model and in the tree. */
  readonly label: string;
  /** The file's text; empty for an image or PDF, whose bytes are in `media`. */
  readonly text: string;
  /** An image or PDF: sent as an `image` / `document` block where a text file's content goes. */
  readonly media?: BatchMedia;
}

/** The bytes of an image or PDF in a batch request, as read (and scaled down) like chat context. */
export interface BatchMedia {
  readonly kind: MediaKind;
  readonly mediaType: MediaType;
  /** Base64. */
  readonly data: string;
  /** `PNG, 1568x1176 px` / `PDF, 3 pages`: said in the file's tag. */
  readonly description: string;
  /** The documented estimate (media/mediaFacts): the cost estimate adds it. */
  readonly tokens: number;
}

/** What a request is built from. */
type FileInput = Pick<BatchFile, 'label' | 'text' | 'media'>;

const escapeLabel = (label: string): string => label.replace(/"/g, '&quot;');

/**
 * The user turn's content for a file between `before` and `after`: one string for a text file; for
 * an image or PDF, the same tags as text blocks around the image or document block.
 */
function fileContent(file: FileInput, before: string, after: string): string | ContentBlockParam[] {
  const media = file.media;
  if (media === undefined) return `${before}${userMessage(file)}${after}`;
  const source = { type: 'base64' as const, media_type: media.mediaType, data: media.data };
  const block: ContentBlockParam = media.mediaType === 'application/pdf'
    ? { type: 'document', source: { ...source, media_type: 'application/pdf' } }
    : { type: 'image', source: { ...source, media_type: media.mediaType } };
  return [
    { type: 'text', text: `${before}<file path="${escapeLabel(file.label)}" type="${escapeLabel(media.description)}">` },
    block,
    { type: 'text', text: `</file>${after}` },
  ];
}

/**
 * A per-file request shape other than the plain prompt (a prompt recipe turned into a batch):
 * `system` is the shared, cached system prompt; the user turn is the file as material, then `task`.
 * JSON data, so a job keeps it and can rebuild its requests (resend after a crash, retry).
 */
export interface RequestTemplate {
  readonly system: string;
  readonly task: string;
  /** `output_config.format` schema (structured outputs). */
  readonly schema?: Record<string, unknown>;
}

export interface BatchSpec {
  readonly prompt: string;
  readonly model: string;
  readonly maxTokens: number;
  readonly template?: RequestTemplate;
}

export interface BatchRequestParams {
  readonly custom_id: string;
  readonly params: MessageCreateParamsNonStreaming;
}

export const BATCH_SYSTEM_PREAMBLE =
  'You are given one file of a code base. Do what the instructions below ask for this file only. ' +
  'When the instructions ask for a changed version of the file, answer with the complete new file in one fenced code block.';

/** custom_id of the i-th request of a job: a job tag plus an index, unique and within the pattern. */
export function customIdFor(jobTag: string, index: number): string {
  const id = `${jobTag}-${index.toString(36)}`;
  if (!CUSTOM_ID_PATTERN.test(id)) throw new Error(`Invalid custom_id ${id}`);
  return id;
}

/** A job tag usable inside custom_ids: letters, digits, '_' only, at most 24 characters. */
export function jobTagOf(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '').slice(0, 24) || 'job';
}

export function systemBlocks(prompt: string): MessageCreateParamsNonStreaming['system'] {
  return [{ type: 'text', text: `${BATCH_SYSTEM_PREAMBLE}\n\n<instructions>\n${prompt}\n</instructions>`, cache_control: { type: 'ephemeral' } }];
}

export function userMessage(file: Pick<BatchFile, 'label' | 'text'>): string {
  return `<file path="${file.label.replace(/"/g, '&quot;')}">\n${file.text}\n</file>`;
}

/** The user turn of a templated request: the file as the material, then the task. */
export function templateMessage(template: RequestTemplate, file: Pick<BatchFile, 'label' | 'text'>): string {
  return `<material>\n${userMessage(file)}\n</material>\n\n${template.task}`;
}

export function buildRequest(spec: BatchSpec, customId: string, file: FileInput): BatchRequestParams {
  const template = spec.template;
  if (template !== undefined) {
    return {
      custom_id: customId,
      params: {
        model: spec.model,
        max_tokens: spec.maxTokens,
        // The shared instructions first and cached; the file, which differs per request, after.
        system: [{ type: 'text', text: template.system, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: fileContent(file, '<material>\n', `\n</material>\n\n${template.task}`) }],
        ...(template.schema ? { output_config: { format: { type: 'json_schema' as const, schema: template.schema } } } : {}),
      },
    };
  }
  return {
    custom_id: customId,
    params: {
      model: spec.model,
      max_tokens: spec.maxTokens,
      system: systemBlocks(spec.prompt),
      messages: [{ role: 'user', content: fileContent(file, '', '') }],
    },
  };
}

/** Bytes a request adds to the create body (its JSON plus a separating comma). */
export function requestBytes(request: BatchRequestParams): number {
  return Buffer.byteLength(JSON.stringify(request), 'utf8') + 1;
}

/** UTF-8 bytes of `text` inside a JSON string literal (escapes counted, quotes not), without allocating. */
export function jsonEscapedBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6; // a lone surrogate is written as \udXXX
    } else if (c >= 0xdc00 && c <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

/**
 * The same as requestBytes(buildRequest(spec, customId, file)) without building the JSON of the
 * file text: the request with an empty file plus the escaped size of the text.
 */
export function fileRequestBytes(spec: BatchSpec, customId: string, file: FileInput): number {
  return requestBytes(buildRequest(spec, customId, { label: file.label, text: '', ...(file.media !== undefined ? { media: file.media } : {}) })) + jsonEscapedBytes(file.text);
}

/**
 * Splits items into consecutive chunks that each stay within the count and byte limits. An item
 * larger than the byte limit on its own is reported in `tooLarge` instead of being sent.
 */
export function splitByLimits<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: { maxCount: number; maxBytes: number } = { maxCount: MAX_REQUESTS_PER_BATCH, maxBytes: MAX_BYTES_PER_BATCH },
): { chunks: T[][]; tooLarge: T[] } {
  const envelope = 64; // {"requests":[ ... ]}
  const chunks: T[][] = [];
  const tooLarge: T[] = [];
  let current: T[] = [];
  let bytes = envelope;
  for (const item of items) {
    const size = sizeOf(item);
    if (size + envelope > limits.maxBytes) {
      tooLarge.push(item);
      continue;
    }
    if (current.length >= limits.maxCount || bytes + size > limits.maxBytes) {
      chunks.push(current);
      current = [];
      bytes = envelope;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return { chunks, tooLarge };
}

export interface CostEstimate {
  readonly requests: number;
  readonly inputTokens: number;
  /** Input at the batch price (the shared system prompt priced as one cache write, then reads). */
  readonly inputUsd: number;
  /** Output if every answer used all of max_tokens: an upper bound. */
  readonly maxOutputUsd: number;
  readonly estimated: boolean;
}

/** Estimates what a batch costs at the batch discount, from token estimates of the files. */
export function estimateCost(spec: BatchSpec, files: readonly FileInput[], model: Pick<ModelEntry, 'pricing'>, batch = true): CostEstimate {
  const template = spec.template;
  const systemTokens = estimateTokens(template ? template.system : `${BATCH_SYSTEM_PREAMBLE}\n${spec.prompt}`);
  const taskTokens = template ? estimateTokens(template.task) : 0;
  let inputTokens = 0;
  let inputUsd = 0;
  files.forEach((file, i) => {
    const tokens = estimateTokens(userMessage(file)) + taskTokens + (file.media?.tokens ?? 0);
    inputTokens += tokens + systemTokens;
    const usage = i === 0
      ? { input_tokens: tokens, output_tokens: 0, cache_creation_input_tokens: systemTokens }
      : { input_tokens: tokens, output_tokens: 0, cache_read_input_tokens: systemTokens };
    inputUsd += costOf(usage, model, { batch }).total;
  });
  const maxOutputUsd = costOf({ input_tokens: 0, output_tokens: spec.maxTokens * files.length }, model, { batch }).total;
  return { requests: files.length, inputTokens, inputUsd, maxOutputUsd, estimated: model.pricing.estimated };
}

/** The text of a request's system blocks up to the last one marked for caching, and after it. */
function splitCached(system: MessageCreateParamsNonStreaming['system']): { cached: string; rest: string } {
  if (system === undefined) return { cached: '', rest: '' };
  if (typeof system === 'string') return { cached: '', rest: system };
  const last = system.reduce((at, block, i) => (block.cache_control ? i : at), -1);
  return { cached: system.slice(0, last + 1).map((b) => b.text).join('\n'), rest: system.slice(last + 1).map((b) => b.text).join('\n') };
}

/** The documented cost of the images and PDFs in messages (read from their bytes), which their text does not show. */
function mediaTokensOf(messages: MessageCreateParamsNonStreaming['messages']): number {
  let tokens = 0;
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if ((block.type !== 'image' && block.type !== 'document') || block.source.type !== 'base64') continue;
      const bytes = Buffer.from(block.source.data, 'base64');
      if (block.type === 'document') tokens += pdfTokens(countPdfPages(bytes) ?? 1);
      else {
        const info = probeImage(bytes);
        tokens += info !== undefined ? imageTokens(info.width, info.height) : 0;
      }
    }
  }
  return tokens;
}

function messagesText(messages: MessageCreateParamsNonStreaming['messages']): string {
  return messages.map((m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => ('text' in b && typeof b.text === 'string' ? b.text : '')).join('\n'))).join('\n');
}

/**
 * A built request to estimate, with input its text does not show yet: a later stage of a recipe
 * carries earlier answers, which are counted at their max_tokens since they are not written yet.
 */
export interface PreparedRequest {
  readonly params: MessageCreateParamsNonStreaming;
  /** Tokens the request will carry beyond its text, sent after the cached prefix. */
  readonly unseenInputTokens?: number;
}

/**
 * Estimates prepared requests (already built, e.g. a recipe's first stage): a cached system
 * prefix is priced as one write by the first request and reads by the others that share it.
 */
export function estimatePreparedCost(requests: readonly MessageCreateParamsNonStreaming[], model: Pick<ModelEntry, 'pricing'>, batch = true): CostEstimate {
  return estimateRequestsCost(requests.map((params) => ({ params })), model, batch);
}

/** {@link estimatePreparedCost} for requests that may carry input not written yet. */
export function estimateRequestsCost(requests: readonly PreparedRequest[], model: Pick<ModelEntry, 'pricing'>, batch = true): CostEstimate {
  const written = new Set<string>();
  let inputTokens = 0;
  let inputUsd = 0;
  let maxOutputTokens = 0;
  for (const { params, unseenInputTokens = 0 } of requests) {
    const { cached, rest } = splitCached(params.system);
    const cachedTokens = cached ? estimateTokens(cached) : 0;
    const plain = estimateTokens(`${rest}\n${messagesText(params.messages)}`) + mediaTokensOf(params.messages) + unseenInputTokens;
    inputTokens += cachedTokens + plain;
    const read = written.has(cached);
    if (cached) written.add(cached);
    const usage = read
      ? { input_tokens: plain, output_tokens: 0, cache_read_input_tokens: cachedTokens }
      : { input_tokens: plain, output_tokens: 0, cache_creation_input_tokens: cachedTokens };
    inputUsd += costOf(usage, model, { batch }).total;
    maxOutputTokens += params.max_tokens;
  }
  const maxOutputUsd = costOf({ input_tokens: 0, output_tokens: maxOutputTokens }, model, { batch }).total;
  return { requests: requests.length, inputTokens, inputUsd, maxOutputUsd, estimated: model.pricing.estimated };
}

export function formatUsd(usd: number): string {
  if (usd === 0) return formatUsdFixed(0, 0);
  return formatUsdFixed(usd, usd < 0.01 ? 4 : 2);
}
