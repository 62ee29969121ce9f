import type { FoundryOptions, VertexOptions } from './cloudFronts';
import type { BedrockOptions } from './bedrock';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import type { StopReason, Usage } from '@anthropic-ai/sdk/resources/messages';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The SDK's ErrorType lacks `request_too_large`, which the API still sends with 413. */
export type ServerErrorType = ErrorType | 'request_too_large';

export type CacheTtl = '5m' | '1h';

export interface ContentBlockJson extends JsonObject {
  type: string;
}

export interface MessageJson {
  role: 'user' | 'assistant' | 'system';
  content: string | ContentBlockJson[];
}

/** The prompt-shaped part of a request: what tokens and the cache are computed from. */
export interface PromptRequest {
  model: string;
  messages: MessageJson[];
  system?: string | ContentBlockJson[];
  tools?: ContentBlockJson[];
  thinking?: JsonObject;
  tool_choice?: JsonObject;
  /** Automatic caching: a top-level breakpoint placed on the last block. */
  cache_control?: JsonObject | null;
}

/** A validated `POST /v1/messages` body (only the fields the server acts on are typed). */
export interface MessagesRequest extends PromptRequest {
  max_tokens: number;
  stop_sequences?: string[];
  stream?: boolean;
  raw: JsonObject;
}

/** What matchers see: enough to pick a reply or a fault without parsing the body again. */
export interface MatchInput {
  method: string;
  path: string;
  body: unknown;
  model?: string;
  stream: boolean;
  lastUserText: string;
  /** Set for requests inside a message batch. */
  customId?: string;
}

/** Declarative matchers travel over the control endpoints; functions only work in-process. */
export interface RequestMatcherSpec {
  path?: string;
  model?: string;
  stream?: boolean;
  /** Substring of the last user text. */
  textIncludes?: string;
  customId?: string;
}
export type RequestMatcher = RequestMatcherSpec | ((input: MatchInput) => boolean);

export interface ScriptedError {
  type: ServerErrorType;
  message?: string;
  /** Defaults to the status the API uses for `type`. */
  status?: number;
}

export interface ScriptedToolUse {
  name: string;
  input: JsonObject;
  id?: string;
}

export interface ScriptedReply {
  text?: string;
  thinking?: string;
  signature?: string;
  toolUse?: ScriptedToolUse;
  stopReason?: StopReason;
  stopSequence?: string | null;
  chunkDelayMs?: number;
  chunkSize?: number;
  /** Overrides the counted output tokens. */
  outputTokens?: number;
  /** Answer with this error instead of a message (an `errored` result inside a batch). */
  error?: ScriptedError;
  /** Queue entries with `when` are only taken by matching requests. */
  when?: RequestMatcher;
}

export type Responder = (req: MessagesRequest, input: MatchInput) => ScriptedReply | Promise<ScriptedReply>;
export type ResponderName = 'echo' | 'demo';

export type StatusFaultKind = 'rate-limit' | 'overloaded' | 'api-error' | 'unauthorized' | 'too-large';
export type StreamFaultKind = 'reset-mid-stream' | 'stall' | 'malformed-sse' | 'stream-error' | 'ping-only';
/**
 * `reset-mid-body`: the request is served (a batch is created, a cancel takes effect), then the
 * connection drops after the status line, headers and half of a JSON body: the client saw a 2xx
 * whose body was cut off.
 */
export type FaultKind = StatusFaultKind | 'reset-before-headers' | 'reset-mid-body' | StreamFaultKind;

export interface FaultSpec {
  kind: FaultKind;
  /** How many requests it hits; default 1. */
  times?: number | 'always';
  when?: RequestMatcher;
  /** `retry-after` for rate-limit, in seconds (fractions allowed; default 1). */
  retryAfterSeconds?: number;
  /** Stream faults fire after this many content_block_delta events (default 2). */
  afterChunks?: number;
  message?: string;
  /** Error type of the `event: error` for stream-error (default overloaded_error). */
  errorType?: ServerErrorType;
  /**
   * ping-only: how long the stream sends nothing but `ping` events (as the API does while the
   * model thinks before its next token) before it carries on to the end (default 3000 ms).
   */
  holdMs?: number;
  /** ping-only: the gap between pings (default 1000 ms). */
  pingIntervalMs?: number;
}

export type RequestOutcome = 'completed' | 'error' | 'reset' | 'stalled' | 'aborted' | 'malformed' | 'error-event';

export interface RequestRecord {
  seq: number;
  requestId: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased; `x-api-key` and `authorization` are removed. */
  headers: Record<string, string>;
  /** Which header carried a key (never the key itself). */
  authVia: 'x-api-key' | 'bearer' | 'both' | 'none';
  body: unknown;
  /** Server clock (ms) when the request arrived. */
  time: number;
  /** 0 when the connection was dropped before headers. */
  status: number;
  stream: boolean;
  usage?: Usage;
  fault?: FaultKind;
  outcome?: RequestOutcome;
  errorType?: ServerErrorType;
  /** Bedrock requests: the error type refused with (`x-amzn-ErrorType`), and the access key id that signed. */
  bedrockError?: string;
  awsAccessKeyId?: string;
  /** The client's port: matched against a proxy's tunnels to show a request came through it. */
  remotePort?: number;
}

export interface ModelSpec {
  id: string;
  displayName: string;
  /** RFC 3339. The list is ordered newest first. */
  createdAt: string;
  maxInputTokens: number;
  maxTokens: number;
  line?: 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos' | null;
  minCacheableTokens?: number;
  lifecycle?: 'active' | 'deprecated' | 'retired';
  /** Accepted `thinking.type` values; all of them when absent. */
  thinkingTypes?: readonly ThinkingType[];
  /** Accepted `output_config.effort` values; all of them when absent, none = effort unsupported. */
  effortLevels?: readonly ('low' | 'medium' | 'high' | 'xhigh' | 'max')[];
  /** `output_config.format`; true when absent. */
  structuredOutputs?: boolean;
}

export type GatewayAuthHeader = 'any' | 'x-api-key' | 'bearer';

export type ThinkingType = 'enabled' | 'adaptive' | 'disabled' | 'between_tools';

export interface TestServerOptions {
  /** Default 0 (ephemeral). Always bound to 127.0.0.1. */
  port?: number;
  /** Expected key (x-api-key or Authorization: Bearer). `null` accepts any non-empty key. Default 'test-key'. */
  apiKey?: string | null;
  /**
   * Where the key must be. `any` (default) is the Anthropic API: `x-api-key` or `Authorization: Bearer`.
   * `x-api-key` or `bearer` make a gateway that reads only that one and answers 401 without it.
   */
  authHeader?: GatewayAuthHeader;
  models?: ModelSpec[];
  /** Base clock; `advance()` adds an offset on top. Default Date.now. */
  now?: () => number;
  /** Freeze the base clock so only `advance()` moves time. */
  manualClock?: boolean;
  responder?: ResponderName | Responder;
  /** Delay before every API response (time to first byte). */
  latencyMs?: number;
  /**
   * Time a Messages request spends reading its prompt after the cache is accounted and before its
   * response begins. Its cache writes are readable only by requests that arrive after its response
   * has begun, whatever this is (as on the real API); a longer time widens the window in which
   * overlapping requests miss. Default 25.
   */
  promptProcessingMs?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP, for certificate-authority tests. */
  tls?: { key: string; cert: string };
  /** Serve `/_control/*`. Default false (the CLI turns it on). */
  control?: boolean;
  /** Minimum cacheable prefix for every model, replacing each model's own (the catalog's) figure. */
  minCacheableTokens?: number;
  /** How many blocks before a breakpoint are checked for a hit. Default 20. */
  cacheLookbackBlocks?: number;
  /** Time a batch takes to process, on the server clock. Default 1000. */
  batchProcessingMs?: number | ((requestCount: number) => number);
  /** How long a canceled batch stays `canceling`. Default 0. */
  batchCancelGraceMs?: number;
  /** Extra `ping` after every N deltas (one always follows message_start). Default 0 = none. */
  pingEveryChunks?: number;
  /** Default text chunk size (chars) for streamed replies. Default 24. */
  chunkSize?: number;
  /** Request body limit, as the API's 32 MB. */
  maxBodyBytes?: number;
  /** Body limit of `POST /v1/messages/batches`, as the API's 256 MB. */
  maxBatchBodyBytes?: number;
  log?: (line: string) => void;
  /** Amazon Bedrock Runtime (`/model/{id}/invoke*`): test credentials, region, denied models. */
  bedrock?: BedrockOptions;
  /** Google Vertex AI (`/v1/projects/...:rawPredict`): accepted tokens, project, denied models. */
  vertex?: VertexOptions;
  /** Microsoft Foundry (`/anthropic/v1/...`): resource key, Entra tokens, deployments. */
  foundry?: FoundryOptions;
}
