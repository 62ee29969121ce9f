/**
 * Google Vertex AI and Microsoft Foundry in front of the same answers, cache accounting and faults
 * as `/v1/messages`, for the real `@anthropic-ai/vertex-sdk` and `@anthropic-ai/foundry-sdk`:
 *
 *   POST /v1/projects/{p}/locations/{r}/publishers/anthropic/models/{model}:rawPredict        (JSON)
 *   POST /v1/projects/{p}/locations/{r}/publishers/anthropic/models/{model}:streamRawPredict  (SSE)
 *   POST /v1/projects/{p}/locations/{r}/publishers/anthropic/models/count-tokens:rawPredict
 *   POST /anthropic/v1/messages[/count_tokens]                                                (Foundry)
 *
 * Vertex checks the OAuth bearer token and the project, names models by their Vertex id (or the
 * Anthropic id) and answers platform errors in Google's shape (`{"error": {code, message, status}}`);
 * Foundry checks the resource key (`x-api-key`) or an Entra ID bearer token and the deployment name,
 * and answers its own refusals in Azure's shape (`{"error": {code, message}}`). Anything the model
 * itself refuses comes back in the Anthropic API's envelope, as both services pass it through.
 */
import { PROVIDER_MODEL_IDS } from '../../src/core/providers/modelIds';
import { sendBody } from './http';
import type { RequestContext } from './http';
import { handleCountTokens, handleMessages } from './messages';
import { isObject } from './validate';
import { isApiVersion } from './validateModel';
import type { ApiVersion } from './validateModel';
import { ApiError, invalidRequest } from './errors';
import { parseJsonBody, readBody, header } from './http';

export interface VertexOptions {
  /** OAuth access tokens the server accepts. Default ['test-vertex-token']. */
  tokens?: string[];
  /** The only project the tokens may use. Default 'test-project'. */
  projectId?: string;
  /** Vertex or catalog model ids the identity may not use: 403 PERMISSION_DENIED. */
  deniedModels?: string[];
}

export interface FoundryOptions {
  /** The resource key (`x-api-key`). Default 'test-foundry-key'. */
  apiKey?: string;
  /** Entra ID tokens accepted as `Authorization: Bearer`. Default ['test-entra-token']. */
  entraTokens?: string[];
  /** Deployment name → catalog model; every catalog id is also a deployment of itself. */
  deployments?: Record<string, string>;
}

export const VERTEX_VERSION = 'vertex-2023-10-16';
const VERTEX_ROUTE = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(rawPredict|streamRawPredict)$/;

/** A refusal in the service's own shape (Google or Azure), with its status. */
class PlatformError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super('platform error');
  }
}

const google = (code: number, status: string, message: string): PlatformError => new PlatformError(code, { error: { code, message, status } });
const azure = (status: number, code: string, message: string): PlatformError => new PlatformError(status, { error: { code, message } });

export function isVertexPath(path: string): boolean {
  return path.startsWith('/v1/projects/');
}

export function isFoundryPath(path: string): boolean {
  return path.startsWith('/anthropic/');
}

function bearer(ctx: RequestContext): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header(ctx, 'authorization') ?? '')?.[1];
}

async function readJson(ctx: RequestContext): Promise<Record<string, unknown>> {
  const raw = await readBody(ctx.req, ctx.state.options.maxBodyBytes);
  if (raw.tooLarge) throw new ApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.', 413);
  const body = parseJsonBody(raw.text);
  if (ctx.record) ctx.record.body = body;
  if (!isObject(body)) throw invalidRequest('The request body must be a JSON object.');
  return body;
}

async function run(ctx: RequestContext, serve: () => Promise<void>): Promise<void> {
  try {
    await serve();
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    if (ctx.record) ctx.record.outcome = 'error';
    ctx.state.options.log(`refused ${ctx.method} ${ctx.path}: ${error.status} ${JSON.stringify(error.body)}`);
    sendBody(ctx, error.status, 'application/json', JSON.stringify(error.body));
  }
}

/** The catalog model a Vertex model name stands for. */
function vertexCatalogId(ctx: RequestContext, model: string): string | undefined {
  const mapped = Object.entries(PROVIDER_MODEL_IDS).find(([, ids]) => ids.vertex === model)?.[0];
  if (mapped !== undefined) return mapped;
  return ctx.state.models.get(model) !== undefined ? model : undefined;
}

function vertexVersion(body: Record<string, unknown>): ApiVersion {
  const version = body['anthropic_version'];
  if (version === VERTEX_VERSION) return '2023-06-01';
  if (typeof version === 'string' && isApiVersion(version)) return version;
  throw invalidRequest(`anthropic_version: Input should be '${VERTEX_VERSION}'${version === undefined ? '' : `; got ${JSON.stringify(version)}`}`);
}

export function serveVertex(ctx: RequestContext): Promise<void> {
  return run(ctx, async () => {
    const options = ctx.state.options.vertex;
    const route = VERTEX_ROUTE.exec(ctx.path);
    if (!route || ctx.method !== 'POST') throw google(404, 'NOT_FOUND', `The requested URL ${ctx.path} was not found on this server.`);
    const [, project = '', region = '', model = '', method = ''] = route.map((part) => decodeURIComponent(part));
    const token = bearer(ctx);
    if (token === undefined) {
      throw google(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');
    }
    if (!options.tokens.includes(token)) {
      throw google(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');
    }
    const resource = `projects/${project}/locations/${region}/publishers/anthropic/models/${model}`;
    if (project !== options.projectId) {
      throw google(403, 'PERMISSION_DENIED', `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`);
    }
    const body = await readJson(ctx);
    ctx.version = vertexVersion(body);
    const { anthropic_version: _version, ...rest } = body;
    if (model === 'count-tokens' && method === 'rawPredict') {
      // The body names the model as Vertex does (`claude-haiku-4-5@20251001`, Google's own example).
      const counted = typeof rest['model'] === 'string' ? rest['model'] : '';
      const countedId = vertexCatalogId(ctx, counted);
      const countedResource = `projects/${project}/locations/${region}/publishers/anthropic/models/${counted}`;
      if (countedId === undefined) throw google(404, 'NOT_FOUND', `Publisher Model \`${countedResource}\` not found.`);
      ctx.body = { ...rest, model: countedId };
      return handleCountTokens(ctx);
    }
    const catalogId = vertexCatalogId(ctx, model);
    if (catalogId === undefined) throw google(404, 'NOT_FOUND', `Publisher Model \`${resource}\` not found.`);
    if (options.deniedModels.includes(model) || options.deniedModels.includes(catalogId)) {
      throw google(403, 'PERMISSION_DENIED', `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`);
    }
    if ((method === 'streamRawPredict') !== (rest['stream'] === true)) {
      throw invalidRequest(`stream: ${method} requires "stream": ${method === 'streamRawPredict'}`);
    }
    ctx.body = { ...rest, model: catalogId };
    if (ctx.record) ctx.record.stream = rest['stream'] === true;
    await handleMessages(ctx);
  });
}

export function serveFoundry(ctx: RequestContext): Promise<void> {
  return run(ctx, async () => {
    const options = ctx.state.options.foundry;
    const key = header(ctx, 'x-api-key');
    const token = bearer(ctx);
    const authorized = (key !== undefined && key === options.apiKey) || (token !== undefined && options.entraTokens.includes(token));
    if (!authorized) {
      throw azure(401, '401', 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.');
    }
    const path = ctx.path.slice('/anthropic'.length);
    if (ctx.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) throw azure(404, '404', 'Resource not found');
    const version = header(ctx, 'anthropic-version');
    if (version === undefined || !isApiVersion(version)) throw invalidRequest('anthropic-version: header is required');
    ctx.version = version;
    const body = await readJson(ctx);
    const deployment = typeof body['model'] === 'string' ? body['model'] : '';
    const catalogId = options.deployments[deployment] ?? (ctx.state.models.get(deployment) !== undefined ? deployment : undefined);
    if (catalogId === undefined) {
      throw azure(404, 'DeploymentNotFound', 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.');
    }
    ctx.body = { ...body, model: catalogId };
    if (path === '/v1/messages/count_tokens') return handleCountTokens(ctx);
    if (ctx.record) ctx.record.stream = body['stream'] === true;
    await handleMessages(ctx);
  });
}

/** Fresh per-server options. */
export function vertexOptions(opts: VertexOptions | undefined): Required<VertexOptions> {
  return { tokens: opts?.tokens ?? ['test-vertex-token'], projectId: opts?.projectId ?? 'test-project', deniedModels: opts?.deniedModels ?? [] };
}

export function foundryOptions(opts: FoundryOptions | undefined): Required<FoundryOptions> {
  return { apiKey: opts?.apiKey ?? 'test-foundry-key', entraTokens: opts?.entraTokens ?? ['test-entra-token'], deployments: opts?.deployments ?? {} };
}
