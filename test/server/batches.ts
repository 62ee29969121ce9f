/**
 * Message Batches. Every request is answered when the batch is created (so scripted replies are
 * consumed in a predictable order), but each result only becomes visible at its completion time:
 * request i of n completes at created + processingMs * (i + 1) / n on the server clock. Status is
 * derived from the clock on every read, so no timers run and a manual clock drives everything.
 * Cancel: requests not complete at the cancel time end `canceled`; the batch stays `canceling`
 * for cancelGraceMs. Requests that would complete after expires_at (24 h) end `expired`.
 * Results come in a shuffled order, as the API promises none: a client must match them by
 * custom_id. The order is fixed per batch, so downloading twice gives the same bytes.
 */
import type { DeletedMessageBatch, MessageBatch, MessageBatchRequestCounts } from '@anthropic-ai/sdk/resources/messages/batches';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { isoTime } from './clock';
import { invalidRequest, notFound } from './errors';
import type { ErrorEnvelope } from './errors';
import { newId } from './ids';
import { paginate } from './pagination';
import type { PageBody } from './pagination';
import { BATCH_FIELDS, BATCH_REQUEST_FIELDS } from './blockRules';
import { checkFields, isObject } from './validateContent';

export const BATCH_EXPIRY_MS = 24 * 60 * 60_000;
export const MAX_BATCH_REQUESTS = 100_000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export type BatchItemResult =
  | { type: 'succeeded'; message: Message }
  | { type: 'errored'; error: ErrorEnvelope }
  | { type: 'canceled' }
  | { type: 'expired' };

export type AnswerBatchItem = (customId: string, params: unknown) => Promise<BatchItemResult>;

interface StoredItem {
  customId: string;
  doneAt: number;
  result: BatchItemResult;
}

interface StoredBatch {
  id: string;
  seq: number;
  createdAt: number;
  items: StoredItem[];
  /** Index order of the results file. */
  resultOrder: number[];
  cancelAt?: number;
}

/** A permutation of 0..n-1 from a seeded generator (mulberry32); never the identity when n > 1. */
export function shuffledOrder(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? j, order[i] ?? i];
  }
  if (n > 1 && order.every((value, i) => value === i)) order.reverse();
  return order;
}

export interface BatchStoreOptions {
  now: () => number;
  processingMs: (requestCount: number) => number;
  cancelGraceMs: number;
  resultsUrl: (id: string) => string;
}

export class BatchStore {
  private readonly batches = new Map<string, StoredBatch>();
  private seq = 0;

  constructor(private readonly options: BatchStoreOptions) {}

  clear(): void {
    this.batches.clear();
  }

  async create(body: unknown, answer: AnswerBatchItem): Promise<MessageBatch> {
    const requests = this.checkCreate(body);
    const createdAt = this.options.now();
    const duration = Math.max(0, this.options.processingMs(requests.length));
    const items: StoredItem[] = [];
    for (const [i, request] of requests.entries()) {
      const result = await answer(request.customId, request.params);
      items.push({ customId: request.customId, result, doneAt: createdAt + (duration * (i + 1)) / requests.length });
    }
    const seq = ++this.seq;
    const batch: StoredBatch = { id: newId('msgbatch'), seq, createdAt, items, resultOrder: shuffledOrder(items.length, seq * 7919 + items.length) };
    this.batches.set(batch.id, batch);
    return this.view(batch);
  }

  retrieve(id: string): MessageBatch {
    return this.view(this.find(id));
  }

  list(query: URLSearchParams): PageBody<MessageBatch> {
    const newestFirst = [...this.batches.values()].sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
    return paginate(newestFirst.map((batch) => this.view(batch)), query);
  }

  cancel(id: string): MessageBatch {
    const batch = this.find(id);
    if (batch.cancelAt === undefined && this.view(batch).processing_status === 'in_progress') batch.cancelAt = this.options.now();
    return this.view(batch);
  }

  delete(id: string): DeletedMessageBatch {
    const batch = this.find(id);
    if (this.view(batch).processing_status !== 'ended') {
      throw invalidRequest(`Message batch ${id} cannot be deleted while it is still processing. Cancel it first.`);
    }
    this.batches.delete(id);
    return { id, type: 'message_batch_deleted' };
  }

  /** The JSONL body served at results_url. */
  results(id: string): string {
    const batch = this.find(id);
    if (this.view(batch).processing_status !== 'ended') throw notFound(`Results for message batch ${id} are not available until it has ended`);
    const lines = batch.resultOrder.map((index) => {
      const item = batch.items[index];
      return item ? JSON.stringify({ custom_id: item.customId, result: this.finalResult(batch, item) }) : '';
    });
    return lines.join('\n') + '\n';
  }

  private find(id: string): StoredBatch {
    const batch = this.batches.get(id);
    if (!batch) throw notFound(`message_batch: ${id}`);
    return batch;
  }

  private endAt(batch: StoredBatch): number {
    const lastDone = Math.max(...batch.items.map((item) => item.doneAt));
    const natural = Math.min(lastDone, batch.createdAt + BATCH_EXPIRY_MS);
    return batch.cancelAt === undefined ? natural : Math.min(natural, batch.cancelAt + this.options.cancelGraceMs);
  }

  private finalResult(batch: StoredBatch, item: StoredItem): BatchItemResult {
    if (batch.cancelAt !== undefined && item.doneAt > batch.cancelAt) return { type: 'canceled' };
    if (item.doneAt > batch.createdAt + BATCH_EXPIRY_MS) return { type: 'expired' };
    return item.result;
  }

  private view(batch: StoredBatch): MessageBatch {
    const now = this.options.now();
    const endAt = this.endAt(batch);
    const ended = now >= endAt;
    const counts: MessageBatchRequestCounts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const item of batch.items) {
      const visible = ended || (item.doneAt <= now && (batch.cancelAt === undefined || item.doneAt <= batch.cancelAt));
      if (visible) counts[this.finalResult(batch, item).type]++;
      else counts.processing++;
    }
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : batch.cancelAt !== undefined ? 'canceling' : 'in_progress',
      request_counts: counts,
      created_at: isoTime(batch.createdAt),
      expires_at: isoTime(batch.createdAt + BATCH_EXPIRY_MS),
      ended_at: ended ? isoTime(endAt) : null,
      cancel_initiated_at: batch.cancelAt === undefined ? null : isoTime(batch.cancelAt),
      archived_at: null,
      results_url: ended ? this.options.resultsUrl(batch.id) : null,
    };
  }

  private checkCreate(body: unknown): { customId: string; params: unknown }[] {
    if (!isObject(body)) throw invalidRequest('Request body must be a JSON object');
    checkFields(body, BATCH_FIELDS, '');
    const requests = body['requests'];
    if (!Array.isArray(requests)) throw invalidRequest('requests: Input should be a valid list');
    if (requests.length === 0) throw invalidRequest('requests: List should have at least 1 item after validation, not 0');
    if (requests.length > MAX_BATCH_REQUESTS) {
      throw invalidRequest(`requests: List should have at most ${MAX_BATCH_REQUESTS} items after validation, not ${requests.length}`);
    }
    const seen = new Set<string>();
    return requests.map((request: unknown, i) => {
      if (!isObject(request)) throw invalidRequest(`requests.${i}: Input should be a valid dictionary`);
      checkFields(request, BATCH_REQUEST_FIELDS, `requests.${i}`);
      const customId = request['custom_id'];
      if (typeof customId !== 'string') throw invalidRequest(`requests.${i}.custom_id: Field required`);
      if (!CUSTOM_ID.test(customId)) throw invalidRequest(`requests.${i}.custom_id: String should match pattern '${CUSTOM_ID.source}'`);
      if (seen.has(customId)) throw invalidRequest(`requests: custom_id values must be unique within a batch, found '${customId}' twice`);
      seen.add(customId);
      if (!isObject(request['params'])) throw invalidRequest(`requests.${i}.params: Field required`);
      return { customId, params: request['params'] };
    });
  }
}
