/** Request context and response helpers shared by every route. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errorEnvelope } from './errors';
import type { ServerState } from './state';
import type { ApiVersion } from './validateModel';
import type { RequestRecord } from './types';
import { OFFLINE_SERVER_HEADER } from '../../src/core/anthropic/offlineServer';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  requestId: string;
  body: unknown;
  /** Aborted when the client disconnects or the server closes. */
  signal: AbortSignal;
  state: ServerState;
  record?: RequestRecord;
  /** Prompt-cache stamp taken when the request arrived: it reads only writes whose response began before. */
  arrival: number;
  /** The `anthropic-version` header, once checked. */
  version: ApiVersion;
  /** The `reset-mid-body` fault: the answer's headers and half its body go out, then the socket is destroyed. */
  cutBody?: boolean;
}

export function header(ctx: RequestContext, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Every API response carries a request-id and the rate-limit headers, errors included; and the
 * header the API never sends by which the extension knows its own offline server (the badge).
 */
export function responseHeaders(ctx: RequestContext, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = { 'request-id': ctx.requestId, [OFFLINE_SERVER_HEADER]: ctx.state.options.demo ? 'demo' : 'test' };
  const rateLimits = ctx.path.startsWith('/v1/') ? ctx.state.rateLimits.headers() : {};
  return { ...base, ...rateLimits, ...extra };
}

function markStatus(ctx: RequestContext, status: number): void {
  if (ctx.record) ctx.record.status = status;
}

export function sendBody(ctx: RequestContext, status: number, contentType: string, body: string, extra: Record<string, string> = {}): void {
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  markStatus(ctx, status);
  ctx.res.writeHead(status, {
    ...responseHeaders(ctx, extra),
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
  });
  if (ctx.cutBody === true && status < 300) {
    if (ctx.record) ctx.record.outcome = 'reset';
    const bytes = Buffer.from(body);
    const socket = ctx.req.socket;
    // Flushed before the socket goes, so the client reads the 2xx and a part of the body first.
    ctx.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setTimeout(() => socket.destroy(), 20));
    return;
  }
  ctx.res.end(body);
}

export function sendJson(ctx: RequestContext, status: number, body: unknown, extra: Record<string, string> = {}): void {
  sendBody(ctx, status, 'application/json', JSON.stringify(body), extra);
}

export function sendError(ctx: RequestContext, error: ApiError): void {
  if (ctx.record) {
    ctx.record.outcome = 'error';
    ctx.record.errorType = error.type;
  }
  sendJson(ctx, error.status, errorEnvelope(error.type, error.message, ctx.requestId), error.headers);
}

/** Kills the socket before any byte of response: the client sees a connection reset. */
export function dropConnection(ctx: RequestContext): void {
  markStatus(ctx, 0);
  if (ctx.record) ctx.record.outcome = 'reset';
  ctx.req.socket.destroy();
}

export interface RawBody {
  text: string;
  tooLarge: boolean;
}

/** Reads the whole body but keeps at most `limit` bytes, so an oversized upload still gets a clean 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) tooLarge = true;
    else chunks.push(buffer);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError('invalid_request_error', `There was an error parsing the body: ${(error as Error).message}`);
  }
}

export function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  query.forEach((value, key) => {
    out[key] = out[key] === undefined ? value : `${out[key]},${value}`;
  });
  return out;
}
