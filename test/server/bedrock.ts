/**
 * Amazon Bedrock Runtime's InvokeModel and InvokeModelWithResponseStream for Claude, in front of
 * the same answers, cache accounting and faults as `/v1/messages`:
 *
 *   POST /model/{modelId}/invoke                       JSON Message
 *   POST /model/{modelId}/invoke-with-response-stream  AWS event-stream of `chunk` events
 *
 * What Bedrock checks, it checks here first: a SigV4 signature (service `bedrock`) made with test
 * credentials, the model id in the path (base id or cross-region inference profile, from the
 * catalog's provider ids), `anthropic_version` in the body and no `model` or `stream` there.
 * Errors are Bedrock's: the `x-amzn-ErrorType` header and a `{"message": ...}` body.
 */
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { BEDROCK_GEOS, bedrockBaseId, catalogIdOfBedrock, isLegacyBedrockId, PROVIDER_MODEL_IDS } from '../../src/core/providers/modelIds';
import type { BedrockGeo } from '../../src/core/providers/modelIds';
import { sleep } from './clock';
import { ApiError } from './errors';
import { EventStreamWriter } from './eventStream';
import { faultError } from './faults';
import { dropConnection, readBody, sendBody } from './http';
import type { RequestContext } from './http';
import { handleMessages, matchInputOf } from './messages';
import type { MessagesFront } from './messages';
import { isObject } from './validate';
import type { ApiVersion } from './validateModel';
import { isSigV4Failure, verifySigV4 } from './sigv4';
import type { AwsTestCredentials } from './sigv4';
import type { StatusFaultKind } from './types';

export type { AwsTestCredentials } from './sigv4';

/** What the default test server accepts: the access key id and secret tests sign with. */
export const DEFAULT_AWS_CREDENTIALS: AwsTestCredentials = Object.freeze({
  accessKeyId: 'AKIDTESTSERVER00001',
  secretAccessKey: 'test-server-secret-access-key',
});

export interface BedrockOptions {
  /** The keys the server knows. Default: {@link DEFAULT_AWS_CREDENTIALS}. */
  credentials?: AwsTestCredentials[];
  /** The region this endpoint is (`bedrock-runtime.<region>.amazonaws.com`). null accepts any scope's region. Default null. */
  region?: string | null;
  /** Bedrock ids (base or profile) or catalog ids the credentials may not invoke: 403 AccessDeniedException. */
  deniedModels?: string[];
}

/** The body version InvokeModel documents for Claude. */
export const BEDROCK_VERSION = 'bedrock-2023-05-31';
const ROUTE = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/;
const CORAL = 'http://internal.amazon.com/coral/com.amazon.bedrock/';
const CORAL_SERVICE = 'http://internal.amazon.com/coral/com.amazon.coral.service/';

/** A Bedrock error: status, `x-amzn-ErrorType` and `{"message"}`. */
export class BedrockError extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

const STATUS_OF: Readonly<Record<string, number>> = {
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
};

export function isBedrockPath(path: string): boolean {
  return path.startsWith('/model/');
}

/** The Anthropic API's errors as Bedrock reports them. */
function fromApiError(error: ApiError): BedrockError {
  switch (error.type) {
    case 'not_found_error':
      return new BedrockError(404, 'ResourceNotFoundException', error.message);
    case 'rate_limit_error':
      return new BedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    case 'overloaded_error':
      return new BedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
    case 'api_error':
      return new BedrockError(500, 'InternalServerException', 'The server encountered an internal error while processing the request.');
    case 'timeout_error':
      return new BedrockError(408, 'ModelTimeoutException', 'Model has timed out in processing the request.');
    case 'request_too_large':
      return new BedrockError(400, 'ValidationException', 'Input is too long for requested model.');
    case 'authentication_error':
    case 'permission_error':
      return new BedrockError(403, 'AccessDeniedException', error.message);
    default:
      return new BedrockError(400, 'ValidationException', error.message);
  }
}

function send(ctx: RequestContext, status: number, body: string, extra: Record<string, string>): void {
  sendBody(ctx, status, 'application/json', body, { 'x-amzn-requestid': ctx.requestId, ...extra });
}

export function sendBedrockError(ctx: RequestContext, error: BedrockError): void {
  if (ctx.record) {
    ctx.record.outcome = 'error';
    ctx.record.bedrockError = error.type;
  }
  const namespace = error.type in STATUS_OF ? CORAL_SERVICE : CORAL;
  send(ctx, error.status, JSON.stringify({ message: error.message }), { 'x-amzn-errortype': `${error.type}:${namespace}` });
}

const malformed = (detail: string): BedrockError =>
  new BedrockError(400, 'ValidationException', `Malformed input request: ${detail}, please reformat your input and try again.`);

/** The catalog model a Bedrock id names; a profile the model does not have is no id at all. */
function resolveModel(bedrockId: string): string {
  const catalogId = catalogIdOfBedrock(bedrockId);
  const invalid = new BedrockError(400, 'ValidationException', 'The provided model identifier is invalid.');
  if (catalogId === undefined) throw invalid;
  const base = bedrockBaseId(bedrockId);
  if (base !== bedrockId) {
    const geo = bedrockId.slice(0, bedrockId.length - base.length - 1) as BedrockGeo;
    if (!BEDROCK_GEOS.includes(geo) || !(PROVIDER_MODEL_IDS[catalogId]?.bedrock?.profiles.includes(geo) ?? false)) throw invalid;
  }
  return catalogId;
}

/** The body's `anthropic_version` as the version the request is validated under. */
function versionOf(body: Record<string, unknown>, bedrockId: string): ApiVersion {
  const version = body['anthropic_version'];
  if (version === undefined) throw malformed('#: required key [anthropic_version] not found');
  if (version === BEDROCK_VERSION) return '2023-06-01';
  if (version === '2026-10-21') {
    // platform.claude.com: the ARN-versioned models do not take 2026-10-21 on Bedrock.
    if (isLegacyBedrockId(bedrockId)) throw new BedrockError(400, 'ValidationException', `anthropic_version 2026-10-21 is not supported by ${bedrockId}. Use ${BEDROCK_VERSION}.`);
    return '2026-10-21';
  }
  throw malformed(`#/anthropic_version: ${JSON.stringify(version)} is not a valid enum value`);
}

const BEDROCK_FRONT: MessagesFront = {
  sendMessage: (ctx, message) =>
    send(ctx, 200, JSON.stringify(message), {
      'x-amzn-bedrock-input-token-count': String(message.usage.input_tokens),
      'x-amzn-bedrock-output-token-count': String(message.usage.output_tokens),
      'x-amzn-bedrock-invocation-latency': '1',
    }),
  openStream: (ctx, message: Message) => {
    const writer = new EventStreamWriter(ctx.res, { inputTokenCount: message.usage.input_tokens, outputTokenCount: message.usage.output_tokens });
    writer.start({ 'x-amzn-requestid': ctx.requestId });
    return writer;
  },
};

/** Serves one Bedrock Runtime request; every refusal is Bedrock's error shape. */
export async function serveBedrock(ctx: RequestContext): Promise<void> {
  try {
    await invoke(ctx);
  } catch (error) {
    if (error instanceof ApiError) return sendBedrockError(ctx, fromApiError(error));
    if (!(error instanceof BedrockError)) throw error;
    if (error.status < 500) ctx.state.options.log(`refused ${ctx.method} ${ctx.path}: ${error.status} ${error.type}: ${error.message}`);
    sendBedrockError(ctx, error);
  }
}

async function invoke(ctx: RequestContext): Promise<void> {
  const { state } = ctx;
  const raw = await readBody(ctx.req, state.options.maxBodyBytes);
  const record = ctx.record;
  if (record) record.body = raw.text;
  await sleep(state.options.latencyMs, ctx.signal);
  const route = ROUTE.exec(ctx.path);
  if (!route) throw new BedrockError(404, 'UnknownOperationException', 'The requested operation is not recognized by the service.');
  if (ctx.method !== 'POST') throw new BedrockError(405, 'UnknownOperationException', `Method ${ctx.method} is not allowed for ${ctx.path}`);
  const signed = verifySigV4(
    { method: ctx.method, rawPath: ctx.path, query: ctx.query, headers: ctx.req.headers, body: raw.text },
    { credentials: state.options.bedrock.credentials, service: 'bedrock', region: state.options.bedrock.region },
  );
  if (isSigV4Failure(signed)) throw new BedrockError(STATUS_OF[signed.type] ?? 403, signed.type, signed.message);
  if (record) record.awsAccessKeyId = signed.accessKeyId;
  if (raw.tooLarge) throw new BedrockError(400, 'ValidationException', 'Input is too long for requested model.');

  const bedrockId = decodeURIComponent(route[1] ?? '');
  const stream = route[2] === 'invoke-with-response-stream';
  const catalogId = resolveModel(bedrockId);
  const denied = state.options.bedrock.deniedModels;
  if (denied.includes(bedrockId) || denied.includes(bedrockBaseId(bedrockId)) || denied.includes(catalogId)) {
    throw new BedrockError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.text);
  } catch {
    throw malformed('#: expected type: JSONObject, found: String');
  }
  if (!isObject(body)) throw malformed('#: expected type: JSONObject');
  for (const key of ['model', 'stream']) {
    if (key in body) throw malformed(`#: extraneous key [${key}] is not permitted`);
  }
  ctx.version = versionOf(body, bedrockId);
  const { anthropic_version: _version, anthropic_beta: betas, ...rest } = body;
  if (betas !== undefined && !(Array.isArray(betas) && betas.every((b) => typeof b === 'string'))) {
    throw malformed('#/anthropic_beta: expected type: JSONArray of strings');
  }
  ctx.body = { ...rest, model: catalogId, ...(stream ? { stream: true } : {}) };
  if (record) record.stream = stream;

  const input = matchInputOf('POST', ctx.path, ctx.body);
  const fault = state.faults.take(input, 'request');
  if (fault) {
    if (record) record.fault = fault.kind;
    if (fault.kind === 'reset-before-headers') return dropConnection(ctx);
    if (fault.kind === 'reset-mid-body') ctx.cutBody = true;
    else throw faultError({ ...fault, kind: fault.kind as StatusFaultKind });
  }
  await handleMessages(ctx, BEDROCK_FRONT);
}

/** Fresh per-server Bedrock options. */
export function bedrockOptions(opts: BedrockOptions | undefined): Required<BedrockOptions> {
  return {
    credentials: opts?.credentials ?? [DEFAULT_AWS_CREDENTIALS],
    region: opts?.region ?? null,
    deniedModels: opts?.deniedModels ?? [],
  };
}
