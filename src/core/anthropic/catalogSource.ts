import { APIConnectionTimeoutError } from '@anthropic-ai/sdk';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { BUILTIN_MODELS } from './builtinModels';
import { mergeCatalog } from './catalog';
import { describeError } from './errors';
import type { FriendlyError } from './errors';
import type { ModelEntry } from './modelTypes';

/**
 * The part of the SDK client this module uses. `client.models.list()` returns
 * a PagePromise, which is async-iterable across every page; a plain async
 * iterable is enough for tests.
 */
export interface ModelsClient {
  /** Named in connection errors; the SDK client has it. */
  readonly baseURL?: string;
  readonly models: {
    list(
      params?: { limit?: number } | null,
      options?: { signal?: AbortSignal; timeout?: number },
    ): AsyncIterable<ModelInfo>;
  };
}

/** What {@link CatalogLoader.load} returns. */
export interface CatalogResult {
  readonly models: readonly ModelEntry[];
  /** `api` when the Models API answered, `builtin` when we fell back. */
  readonly source: 'api' | 'builtin';
  /** Clock time (ms) the result was produced. */
  readonly loadedAt: number;
  /** Why we fell back, when we did. */
  readonly error?: FriendlyError;
}

/** Per-call options. */
export interface LoadCatalogOptions {
  readonly signal?: AbortSignal;
  /** Upper bound for the whole listing, all pages included. */
  readonly timeoutMs?: number;
}

/** Loader settings. */
export interface CatalogLoaderOptions {
  /** How long an API answer stays fresh. Default 1 hour. */
  readonly ttlMs?: number;
  /** How long to keep serving the fallback before asking the API again. Default 1 minute. */
  readonly failureTtlMs?: number;
  /** Injected clock, for tests. */
  readonly now?: () => number;
  readonly builtin?: readonly ModelEntry[];
}

/** Loads and caches the model catalog, one cache entry per client. */
export interface CatalogLoader {
  load(client: ModelsClient, options?: LoadCatalogOptions): Promise<CatalogResult>;
  /** Forgets every cached result (e.g. after the API key changes). */
  clear(): void;
}

const DEFAULT_TTL_MS = 60 * 60 * 1000;
const DEFAULT_FAILURE_TTL_MS = 60 * 1000;
const DEFAULT_TIMEOUT_MS = 15_000;
const PAGE_SIZE = 100;

interface CacheEntry {
  readonly result: CatalogResult;
  readonly expiresAt: number;
}

async function listAll(client: ModelsClient, signal: AbortSignal, timeoutMs: number): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  for await (const info of client.models.list({ limit: PAGE_SIZE }, { signal, timeout: timeoutMs })) {
    out.push(info);
    // A page iterator may not check the signal between items.
    signal.throwIfAborted();
  }
  return out;
}

/** Creates a loader with its own cache. */
export function createCatalogLoader(options: CatalogLoaderOptions = {}): CatalogLoader {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const failureTtlMs = options.failureTtlMs ?? DEFAULT_FAILURE_TTL_MS;
  const builtin = options.builtin ?? BUILTIN_MODELS;
  // WeakMaps so a replaced client (new key, new base URL) starts afresh and the old one can be collected.
  let cache = new WeakMap<ModelsClient, CacheEntry>();
  let inFlight = new WeakMap<ModelsClient, Promise<CatalogResult>>();

  async function fetchCatalog(client: ModelsClient, opts: LoadCatalogOptions): Promise<CatalogResult> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(opts.signal?.reason);
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const infos = await listAll(client, controller.signal, timeoutMs);
      const result: CatalogResult = { models: mergeCatalog(builtin, infos), source: 'api', loadedAt: now() };
      cache.set(client, { result, expiresAt: now() + ttlMs });
      return result;
    } catch (err) {
      const result: CatalogResult = {
        models: builtin,
        source: 'builtin',
        loadedAt: now(),
        // Our own deadline surfaces from the SDK as a user abort; report it as the timeout it is.
        error: describeError(timedOut ? new APIConnectionTimeoutError() : err, {
          timeoutMs,
          ...(client.baseURL ? { baseURL: client.baseURL } : {}),
        }),
      };
      // A caller's abort says nothing about the API, so it must not pin the fallback.
      if (!opts.signal?.aborted) cache.set(client, { result, expiresAt: now() + failureTtlMs });
      return result;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    load(client, opts = {}) {
      const hit = cache.get(client);
      if (hit && hit.expiresAt > now()) return Promise.resolve(hit.result);
      const pending = inFlight.get(client);
      if (pending) return pending;
      const started = fetchCatalog(client, opts).finally(() => inFlight.delete(client));
      inFlight.set(client, started);
      return started;
    },
    clear() {
      cache = new WeakMap();
      inFlight = new WeakMap();
    },
  };
}

const defaultLoader = createCatalogLoader();

/**
 * Reads the model list from the Models API (all pages) and merges it into the
 * built-in catalog. Never rejects: on any error it resolves to the built-in
 * catalog with `source: 'builtin'` and the reason in `error`. Results are
 * cached per client for an hour.
 */
export function loadCatalog(client: ModelsClient, options: LoadCatalogOptions = {}): Promise<CatalogResult> {
  return defaultLoader.load(client, options);
}
