import { foundryOptions, vertexOptions } from './cloudFronts';
import type { FoundryOptions, VertexOptions } from './cloudFronts';
import { bedrockOptions } from './bedrock';
import type { BedrockOptions } from './bedrock';
/** Everything a request handler can touch, built once per server from its options. */
import { BatchStore } from './batches';
import { PromptCache } from './cache';
import { createClock } from './clock';
import type { ServerClock } from './clock';
import { FaultInjector } from './faults';
import { DEFAULT_MODELS, ModelCatalog } from './models';
import { RateLimitTracker } from './rateLimit';
import { RecordLog } from './records';
import { ReplyScript, resolveResponder } from './script';
import type { GatewayAuthHeader, TestServerOptions } from './types';

export const DEFAULT_API_KEY = 'test-key';
export const DEFAULT_CHUNK_SIZE = 24;
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_BATCH_BODY_BYTES = 256 * 1024 * 1024;
export const DEFAULT_BATCH_PROCESSING_MS = 1000;
export const DEFAULT_BATCH_CANCEL_GRACE_MS = 100;
export const DEFAULT_CACHE_LOOKBACK_BLOCKS = 20;
/**
 * A real response begins hundreds of milliseconds after the request; a short default keeps tests
 * fast while requests sent together still arrive before each other's response begins (and so
 * miss each other's cache writes, as on the API).
 */
export const DEFAULT_PROMPT_PROCESSING_MS = 25;

export interface ResolvedOptions {
  apiKey: string | null;
  authHeader: GatewayAuthHeader;
  latencyMs: number;
  promptProcessingMs: number;
  control: boolean;
  chunkSize: number;
  pingEveryChunks: number;
  maxBodyBytes: number;
  maxBatchBodyBytes: number;
  log: (line: string) => void;
  bedrock: Required<BedrockOptions>;
  vertex: Required<VertexOptions>;
  foundry: Required<FoundryOptions>;
  /** Started as the offline demo (the `demo` responder): said in the offline-server header. */
  demo: boolean;
}

export interface ServerState {
  options: ResolvedOptions;
  clock: ServerClock;
  models: ModelCatalog;
  script: ReplyScript;
  faults: FaultInjector;
  cache: PromptCache;
  batches: BatchStore;
  records: RecordLog;
  rateLimits: RateLimitTracker;
  /** Set once listening; results_url is built from it. */
  baseUrl: string;
  /** Aborted by close(): wakes every sleep and stalled stream. */
  shutdown: AbortSignal;
}

export function createState(opts: TestServerOptions, shutdown: AbortSignal): ServerState {
  const clock = createClock(opts.now, opts.manualClock ?? false);
  const models = new ModelCatalog(opts.models ?? DEFAULT_MODELS, opts.minCacheableTokens);
  const processing = opts.batchProcessingMs ?? DEFAULT_BATCH_PROCESSING_MS;
  const state: ServerState = {
    options: {
      apiKey: opts.apiKey === undefined ? DEFAULT_API_KEY : opts.apiKey,
      authHeader: opts.authHeader ?? 'any',
      latencyMs: opts.latencyMs ?? 0,
      promptProcessingMs: opts.promptProcessingMs ?? DEFAULT_PROMPT_PROCESSING_MS,
      control: opts.control ?? false,
      chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
      pingEveryChunks: opts.pingEveryChunks ?? 0,
      maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxBatchBodyBytes: opts.maxBatchBodyBytes ?? DEFAULT_MAX_BATCH_BODY_BYTES,
      log: opts.log ?? (() => undefined),
      bedrock: bedrockOptions(opts.bedrock),
      vertex: vertexOptions(opts.vertex),
      foundry: foundryOptions(opts.foundry),
      demo: opts.responder === 'demo',
    },
    clock,
    models,
    script: new ReplyScript(resolveResponder(opts.responder)),
    faults: new FaultInjector(),
    cache: new PromptCache({
      now: clock.now,
      lookbackBlocks: opts.cacheLookbackBlocks ?? DEFAULT_CACHE_LOOKBACK_BLOCKS,
      minTokens: (model) => models.minCacheableTokens(model),
    }),
    batches: new BatchStore({
      now: clock.now,
      processingMs: typeof processing === 'function' ? processing : () => processing,
      cancelGraceMs: opts.batchCancelGraceMs ?? DEFAULT_BATCH_CANCEL_GRACE_MS,
      resultsUrl: (id) => `${state.baseUrl}/v1/messages/batches/${id}/results`,
    }),
    records: new RecordLog(),
    rateLimits: new RateLimitTracker(clock.now),
    baseUrl: '',
    shutdown,
  };
  return state;
}
