/**
 * `/_control/*`: JSON endpoints that drive a server running in another process (e2e tests, the
 * demo). Served only when the `control` option is on; they need no API key and are not recorded.
 * Matchers travel as data (RequestMatcherSpec); function matchers are in-process only.
 */
import { ApiError, invalidRequest } from './errors';
import { sendJson } from './http';
import type { RequestContext } from './http';
import { isObject } from './validate';
import type { FaultSpec, RequestRecord, ResponderName, ScriptedReply } from './types';

export interface ControlApi {
  script(...replies: ScriptedReply[]): void;
  setResponder(responder: ResponderName): void;
  fault(spec: FaultSpec): void;
  readonly records: readonly RequestRecord[];
  reset(): void;
  readonly clock: { now(): number; advance(ms: number): number };
}

function asReplies(body: unknown): ScriptedReply[] {
  const list = Array.isArray(body) ? body : isObject(body) ? body['replies'] : undefined;
  if (!Array.isArray(list) || !list.every(isObject)) throw invalidRequest('replies: expected an array of reply objects');
  return list as unknown as ScriptedReply[];
}

function asFault(body: unknown): FaultSpec {
  if (!isObject(body) || typeof body['kind'] !== 'string') throw invalidRequest('kind: Field required');
  if (body['when'] !== undefined && !isObject(body['when'])) throw invalidRequest('when: expected a matcher object');
  return body as unknown as FaultSpec;
}

export async function handleControl(ctx: RequestContext, api: ControlApi): Promise<void> {
  const action = `${ctx.method} ${ctx.path.slice('/_control'.length)}`;
  const body = ctx.body;
  switch (action) {
    case 'POST /script': {
      const replies = asReplies(body);
      api.script(...replies);
      return sendJson(ctx, 200, { ok: true, queued: replies.length });
    }
    case 'POST /responder': {
      const name = isObject(body) ? body['responder'] : undefined;
      if (name !== 'echo' && name !== 'demo') throw invalidRequest("responder: Input should be 'echo' or 'demo'");
      api.setResponder(name);
      return sendJson(ctx, 200, { ok: true });
    }
    case 'POST /fault': {
      try {
        api.fault(asFault(body));
      } catch (error) {
        if (error instanceof TypeError) throw invalidRequest(error.message);
        throw error;
      }
      return sendJson(ctx, 200, { ok: true });
    }
    case 'GET /records':
      return sendJson(ctx, 200, { records: api.records });
    case 'POST /reset':
      api.reset();
      return sendJson(ctx, 200, { ok: true });
    case 'POST /clock/advance': {
      const ms = isObject(body) ? body['ms'] : undefined;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw invalidRequest('ms: expected a non-negative number');
      return sendJson(ctx, 200, { now: api.clock.advance(ms) });
    }
    case 'GET /clock':
      return sendJson(ctx, 200, { now: api.clock.now() });
    default:
      throw new ApiError('not_found_error', `Unknown control endpoint: ${action}`);
  }
}
