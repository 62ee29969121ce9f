/**
 * HTTP routing: body reading, auth and version checks, request faults, then the API routes.
 * Order follows what a client observes from the API: auth before anything else, then headers,
 * then the endpoint's own validation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from './clock';
import { handleControl } from './control';
import type { ControlApi } from './control';
import { ApiError, invalidRequest } from './errors';
import { faultError } from './faults';
import { dropConnection, header, parseJsonBody, queryObject, readBody, sendBody, sendError, sendJson } from './http';
import type { RequestContext } from './http';
import { newId } from './ids';
import { answerBatchItem, handleCountTokens, handleMessages, matchInputOf } from './messages';
import { API_VERSIONS, isApiVersion } from './validateModel';
import { authVia, safeHeaders } from './records';
import type { ServerState } from './state';
import type { RequestRecord, StatusFaultKind } from './types';
import { isBedrockPath, serveBedrock } from './bedrock';
import { isFoundryPath, isVertexPath, serveFoundry, serveVertex } from './cloudFronts';

type Handler = (ctx: RequestContext, params: string[]) => void | Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v1\/messages$/, handler: (ctx) => handleMessages(ctx) },
  { method: 'POST', pattern: /^\/v1\/messages\/count_tokens$/, handler: (ctx) => handleCountTokens(ctx) },
  { method: 'GET', pattern: /^\/v1\/models$/, handler: (ctx) => sendJson(ctx, 200, ctx.state.models.list(ctx.query)) },
  { method: 'GET', pattern: /^\/v1\/models\/([^/]+)$/, handler: (ctx, [id]) => sendJson(ctx, 200, ctx.state.models.retrieve(id ?? '')) },
  {
    method: 'POST',
    pattern: /^\/v1\/messages\/batches$/,
    handler: async (ctx) => {
      const { state } = ctx;
      sendJson(ctx, 200, await state.batches.create(ctx.body, (customId, params) => answerBatchItem(state, ctx.version, customId, params)));
    },
  },
  { method: 'GET', pattern: /^\/v1\/messages\/batches$/, handler: (ctx) => sendJson(ctx, 200, ctx.state.batches.list(ctx.query)) },
  { method: 'GET', pattern: /^\/v1\/messages\/batches\/([^/]+)$/, handler: (ctx, [id]) => sendJson(ctx, 200, ctx.state.batches.retrieve(id ?? '')) },
  { method: 'DELETE', pattern: /^\/v1\/messages\/batches\/([^/]+)$/, handler: (ctx, [id]) => sendJson(ctx, 200, ctx.state.batches.delete(id ?? '')) },
  { method: 'POST', pattern: /^\/v1\/messages\/batches\/([^/]+)\/cancel$/, handler: (ctx, [id]) => sendJson(ctx, 200, ctx.state.batches.cancel(id ?? '')) },
  {
    method: 'GET',
    pattern: /^\/v1\/messages\/batches\/([^/]+)\/results$/,
    handler: (ctx, [id]) => sendBody(ctx, 200, 'application/x-jsonl', ctx.state.batches.results(id ?? '')),
  },
];

function authenticate(ctx: RequestContext): void {
  const bearer = /^Bearer\s+(.+)$/i.exec(header(ctx, 'authorization') ?? '')?.[1];
  const apiKeyHeader = header(ctx, 'x-api-key');
  const mode = ctx.state.options.authHeader;
  // A gateway that reads one header only: the other one is as good as none.
  if (mode === 'x-api-key' && !apiKeyHeader) throw new ApiError('authentication_error', 'x-api-key header is required');
  if (mode === 'bearer' && !bearer) throw new ApiError('authentication_error', 'Authorization header is required (Bearer <key>)');
  // The SDK sends `apiKey` as a Bearer token; raw clients and curl use x-api-key. The API accepts both.
  const key = mode === 'bearer' ? bearer : (apiKeyHeader ?? bearer);
  if (!key) throw new ApiError('authentication_error', 'x-api-key header is required');
  const expected = ctx.state.options.apiKey;
  if (expected !== null && key !== expected) throw new ApiError('authentication_error', 'invalid x-api-key');
}

function route(ctx: RequestContext): { handler: Handler; params: string[] } {
  let pathMatched = false;
  for (const candidate of ROUTES) {
    const found = candidate.pattern.exec(ctx.path);
    if (!found) continue;
    pathMatched = true;
    if (candidate.method === ctx.method) return { handler: candidate.handler, params: found.slice(1).map(decodeURIComponent) };
  }
  if (pathMatched) throw new ApiError('invalid_request_error', `Method ${ctx.method} is not allowed for ${ctx.path}`, 405);
  throw new ApiError('not_found_error', 'Not Found');
}

function recordOf(ctx: RequestContext): RequestRecord {
  return ctx.state.records.add({
    requestId: ctx.requestId,
    method: ctx.method,
    path: ctx.path,
    query: queryObject(ctx.query),
    headers: safeHeaders(ctx.req.headers),
    authVia: authVia(ctx.req.headers),
    body: undefined,
    time: ctx.state.clock.now(),
    status: 0,
    stream: false,
    ...(ctx.req.socket.remotePort !== undefined ? { remotePort: ctx.req.socket.remotePort } : {}),
  });
}

async function serveApi(ctx: RequestContext): Promise<void> {
  const { state } = ctx;
  // Message Batches take a larger body (256 MB) than every other endpoint (32 MB).
  const batchCreate = ctx.method === 'POST' && ctx.path === '/v1/messages/batches';
  const raw = await readBody(ctx.req, batchCreate ? state.options.maxBatchBodyBytes : state.options.maxBodyBytes);
  const record = recordOf(ctx);
  ctx.record = record;
  await sleep(state.options.latencyMs, ctx.signal);
  if (raw.tooLarge) throw new ApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.', 413);
  ctx.body = parseJsonBody(raw.text);
  record.body = ctx.body;
  authenticate(ctx);
  const version = header(ctx, 'anthropic-version');
  if (!version) throw invalidRequest('anthropic-version: header is required');
  if (!isApiVersion(version)) {
    throw invalidRequest(`anthropic-version: Input should be ${API_VERSIONS.map((v) => `'${v}'`).join(', ')}; got '${version}'`);
  }
  ctx.version = version;

  const input = matchInputOf(ctx.method, ctx.path, ctx.body);
  record.stream = input.stream;
  const fault = state.faults.take(input, 'request');
  if (fault) {
    record.fault = fault.kind;
    if (fault.kind === 'reset-before-headers') return dropConnection(ctx);
    if (fault.kind === 'reset-mid-body') ctx.cutBody = true;
    else throw faultError({ ...fault, kind: fault.kind as StatusFaultKind });
  }
  const { handler, params } = route(ctx);
  await handler(ctx, params);
}

export async function handleRequest(state: ServerState, control: ControlApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const aborter = new AbortController();
  const abort = (): void => aborter.abort();
  state.shutdown.addEventListener('abort', abort, { once: true });
  res.on('close', () => {
    state.shutdown.removeEventListener('abort', abort);
    abort();
  });
  const ctx: RequestContext = {
    req,
    res,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    requestId: newId('req'),
    body: undefined,
    signal: aborter.signal,
    state,
    arrival: state.cache.arrive(),
    version: API_VERSIONS[API_VERSIONS.length - 1] ?? '2026-10-21',
  };
  try {
    if (ctx.path.startsWith('/_control/') && state.options.control) {
      ctx.body = parseJsonBody((await readBody(req, state.options.maxBodyBytes)).text);
      await handleControl(ctx, control);
    } else if (isBedrockPath(ctx.path)) {
      ctx.record = recordOf(ctx);
      await serveBedrock(ctx);
    } else if (isVertexPath(ctx.path)) {
      ctx.record = recordOf(ctx);
      await serveVertex(ctx);
    } else if (isFoundryPath(ctx.path)) {
      ctx.record = recordOf(ctx);
      await serveFoundry(ctx);
    } else {
      await serveApi(ctx);
    }
  } catch (error) {
    if (error instanceof ApiError) {
      // A refused request is what a strict server is for: say so where the test's output is read.
      if (error.status >= 400 && error.status < 500 && ctx.record?.fault === undefined && !ctx.path.startsWith('/_control/')) {
        state.options.log(`refused ${ctx.method} ${ctx.path}: ${error.status} ${error.type}: ${error.message}`);
      }
      return sendError(ctx, error);
    }
    state.options.log(`test server: unexpected error on ${ctx.method} ${ctx.path}: ${(error as Error).stack ?? String(error)}`);
    if (!res.headersSent) sendError(ctx, new ApiError('api_error', 'Internal server error'));
    else res.destroy();
  }
}
