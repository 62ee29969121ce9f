/** `POST /v1/messages`, `POST /v1/messages/count_tokens`, and the batch-item answer built on them. */
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { BatchItemResult } from './batches';
import { ApiError, errorEnvelope } from './errors';
import { sendJson, responseHeaders } from './http';
import type { RequestContext } from './http';
import { lastUserText } from './matcher';
import { writeMessageStream } from './messageStream';
import { buildMessage, planReply, usageOf } from './reply';
import type { ReplyPlan } from './reply';
import { sleep } from './clock';
import { SseWriter } from './sse';
import type { EventSink } from './sse';
import type { ServerState } from './state';
import { countInputTokens } from './tokens';
import { assertPromptFits, isObject, validateMessagesBody } from './validate';
import type { ApiVersion } from './validateModel';
import type { MatchInput, MessageJson, MessagesRequest, ScriptedError } from './types';

/** Best-effort view of a body that may not have passed validation yet (faults match before it). */
export function matchInputOf(method: string, path: string, body: unknown, customId?: string): MatchInput {
  const fields = isObject(body) ? body : {};
  const messages = Array.isArray(fields['messages']) ? (fields['messages'].filter(isObject) as unknown as MessageJson[]) : [];
  const input: MatchInput = {
    method,
    path,
    body,
    stream: fields['stream'] === true,
    lastUserText: lastUserText(messages),
  };
  if (typeof fields['model'] === 'string') input.model = fields['model'];
  if (customId !== undefined) input.customId = customId;
  return input;
}

function scriptedError(error: ScriptedError): ApiError {
  const fallback: Record<string, string> = { overloaded_error: 'Overloaded', api_error: 'Internal server error' };
  return new ApiError(error.type, error.message ?? fallback[error.type] ?? error.type, error.status);
}

/**
 * Picks the reply, applies cache accounting and builds the Message; throws a scripted error.
 * `begin()` must be called as the response starts: only then are its cache writes readable, by
 * requests arriving after that.
 */
async function answer(
  state: ServerState,
  req: MessagesRequest,
  input: MatchInput,
  arrival: number,
  tier: 'standard' | 'batch',
): Promise<{ message: Message; plan: ReplyPlan; begin: () => void }> {
  const reply = await state.script.next(req, input);
  if (reply.error) throw scriptedError(reply.error);
  const plan = planReply(req, reply, { chunkSize: state.options.chunkSize, chunkDelayMs: 0 });
  // Only requests that produce a response touch the cache, as a failed one would not.
  const processingMs = state.options.promptProcessingMs;
  const accounted = state.cache.accountPending(req, arrival);
  if (processingMs > 0 && tier === 'standard') await sleep(processingMs, state.shutdown);
  const usage = usageOf(accounted.usage, plan.outputTokens, plan.thinkingTokens, tier);
  return { message: buildMessage(req, plan, usage), plan, begin: accounted.commit };
}

function validated(state: ServerState, version: ApiVersion, body: unknown, countTokens = false): MessagesRequest {
  const options = { models: state.models, version, countTokens };
  const req = validateMessagesBody(body, options);
  assertPromptFits(countInputTokens(req), req.model, options);
  return req;
}

/** How an answer goes out: the Anthropic API's JSON and SSE, or another service's wire format (Bedrock). */
export interface MessagesFront {
  sendMessage(ctx: RequestContext, message: Message): void;
  /** Starts the streamed response (headers sent) and returns where its events go. */
  openStream(ctx: RequestContext, message: Message): EventSink;
}

const ANTHROPIC_FRONT: MessagesFront = {
  sendMessage: (ctx, message) => sendJson(ctx, 200, message),
  openStream: (ctx) => {
    const sse = new SseWriter(ctx.res);
    sse.start(responseHeaders(ctx));
    return sse;
  },
};

/** `POST /v1/messages`, with `ctx.body` in the Anthropic API's shape (another front translates first). */
export async function handleMessages(ctx: RequestContext, front: MessagesFront = ANTHROPIC_FRONT): Promise<void> {
  const { state } = ctx;
  const req = validated(state, ctx.version, ctx.body);
  const input = matchInputOf(ctx.method, ctx.path, ctx.body);
  const { message, plan, begin } = await answer(state, req, input, ctx.arrival, 'standard');
  const { usage } = message;
  state.rateLimits.note(usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0), usage.output_tokens);
  if (ctx.record) {
    ctx.record.usage = usage;
    ctx.record.stream = req.stream === true;
  }
  if (!req.stream) {
    begin();
    front.sendMessage(ctx, message);
    if (ctx.record) ctx.record.outcome = 'completed';
    return;
  }
  const fault = state.faults.take(input, 'stream');
  if (fault && ctx.record) ctx.record.fault = fault.kind;
  begin();
  const sse = front.openStream(ctx, message);
  if (ctx.record) ctx.record.status = 200;
  const outcome = await writeMessageStream(
    { sse, signal: ctx.signal, requestId: ctx.requestId, pingEveryChunks: state.options.pingEveryChunks },
    message,
    plan,
    fault,
  );
  if (ctx.record) ctx.record.outcome = outcome;
}

export function handleCountTokens(ctx: RequestContext): void {
  const req = validated(ctx.state, ctx.version, ctx.body, true);
  sendJson(ctx, 200, { input_tokens: countInputTokens(req) });
  if (ctx.record) ctx.record.outcome = 'completed';
}

/** One request of a batch: the same validation and scripting as messages, errors become results. */
export async function answerBatchItem(state: ServerState, version: ApiVersion, customId: string, params: unknown): Promise<BatchItemResult> {
  try {
    const req = validated(state, version, params);
    if (req.stream) throw new ApiError('invalid_request_error', 'stream: streaming is not supported in message batches');
    const input = matchInputOf('POST', '/v1/messages', params, customId);
    const { message, begin } = await answer(state, req, input, state.cache.arrive(), 'batch');
    begin();
    return { type: 'succeeded', message };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { type: 'errored', error: errorEnvelope(error.type, error.message, null) };
  }
}
