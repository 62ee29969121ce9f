import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import { BUILTIN_MODELS } from '../../../../src/core/anthropic/catalog';
import { createCatalogLoader, loadCatalog } from '../../../../src/core/anthropic/catalogSource';
import type { ModelsClient } from '../../../../src/core/anthropic/catalogSource';

function info(id: string, line: ModelInfo['line'] = 'sonnet'): ModelInfo {
  return {
    type: 'model',
    id,
    display_name: id,
    created_at: '2026-01-01T00:00:00Z',
    deprecated_at: null,
    retires_at: null,
    lifecycle: 'active',
    line,
    max_input_tokens: 1_000_000,
    max_tokens: 128_000,
    capabilities: null,
  };
}

/** A client whose list() walks the given pages and counts calls. */
function pagedClient(pages: ModelInfo[][]): ModelsClient & { calls: number } {
  const client = {
    calls: 0,
    models: {
      list: () => {
        client.calls += 1;
        return (async function* () {
          for (const page of pages) {
            await Promise.resolve();
            yield* page;
          }
        })();
      },
    },
  };
  return client;
}

/** An async iterable whose first step settles as `step` does (a rejection, or never). */
function failingIterable(step: () => Promise<never>): AsyncIterable<ModelInfo> {
  return { [Symbol.asyncIterator]: () => ({ next: step }) };
}

function throwingClient(err: unknown): ModelsClient & { calls: number } {
  const client = {
    calls: 0,
    models: {
      list: () => {
        client.calls += 1;
        return failingIterable(() => Promise.reject(err));
      },
    },
  };
  return client;
}

describe('loadCatalog', () => {
  it('falls back to the built-in catalog when the API throws', async () => {
    const err = APIError.generate(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }, undefined, new Headers());
    const result = await loadCatalog(throwingClient(err));
    assert.equal(result.source, 'builtin');
    assert.equal(result.models, BUILTIN_MODELS);
    assert.equal(result.error?.kind, 'auth');
  });

  it('merges every page the client yields', async () => {
    const client = pagedClient([[info('claude-sonnet-5-5'), info('claude-new-1')], [info('claude-haiku-5-5', 'haiku')]]);
    const result = await createCatalogLoader().load(client);
    assert.equal(result.source, 'api');
    assert.deepEqual(result.models.slice(0, 3).map((m) => m.id), ['claude-sonnet-5-5', 'claude-new-1', 'claude-haiku-5-5']);
    assert.equal(result.models[1]?.pricing.estimated, true);
    assert.equal(result.error, undefined);
  });

  it('caches per client until the TTL passes (injected clock)', async () => {
    let t = 1_000;
    const loader = createCatalogLoader({ ttlMs: 10_000, now: () => t });
    const client = pagedClient([[info('claude-sonnet-5-5')]]);
    await loader.load(client);
    t += 9_999;
    await loader.load(client);
    assert.equal(client.calls, 1);
    t += 2;
    const again = await loader.load(client);
    assert.equal(client.calls, 2);
    assert.equal(again.loadedAt, t);
    const other = pagedClient([[info('claude-opus-5-5', 'opus')]]);
    await loader.load(other);
    assert.equal(other.calls, 1);
    loader.clear();
    await loader.load(client);
    assert.equal(client.calls, 3);
  });

  it('retries a failed load after the shorter failure TTL', async () => {
    let t = 0;
    const loader = createCatalogLoader({ failureTtlMs: 500, now: () => t });
    const client = throwingClient(new Error('boom'));
    await loader.load(client);
    await loader.load(client);
    assert.equal(client.calls, 1);
    t = 501;
    await loader.load(client);
    assert.equal(client.calls, 2);
  });

  it('shares one request between concurrent callers', async () => {
    const loader = createCatalogLoader();
    const client = pagedClient([[info('claude-sonnet-5-5')]]);
    const [a, b] = await Promise.all([loader.load(client), loader.load(client)]);
    assert.equal(a, b);
    assert.equal(client.calls, 1);
  });

  it('gives up after timeoutMs and reports a timeout', async () => {
    const hanging: ModelsClient = {
      models: {
        list: (_params, options) =>
          failingIterable(
            () =>
              new Promise<never>((_resolve, reject) => {
                options?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
              }),
          ),
      },
    };
    const result = await createCatalogLoader().load(hanging, { timeoutMs: 20 });
    assert.equal(result.source, 'builtin');
    assert.equal(result.error?.kind, 'timeout');
  });

  it("does not cache the fallback when the caller aborted", async () => {
    const loader = createCatalogLoader();
    const controller = new AbortController();
    controller.abort();
    const client = pagedClient([[info('claude-sonnet-5-5')]]);
    const first = await loader.load(client, { signal: controller.signal });
    assert.equal(first.source, 'builtin');
    const second = await loader.load(client);
    assert.equal(second.source, 'api');
  });

  it('walks real SDK pages through auto-pagination', async () => {
    const requested: string[] = [];
    const fetch = async (input: string | URL | Request): Promise<Response> => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      requested.push(url.search);
      const second = url.searchParams.get('after_id') === 'claude-new-1';
      const body = second
        ? { data: [info('claude-haiku-5-5', 'haiku')], has_more: false, first_id: 'claude-haiku-5-5', last_id: 'claude-haiku-5-5' }
        : { data: [info('claude-sonnet-5-5'), info('claude-new-1')], has_more: true, first_id: 'claude-sonnet-5-5', last_id: 'claude-new-1' };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: 'http://127.0.0.1:1', fetch, maxRetries: 0 });
    const result = await createCatalogLoader().load(client);
    assert.equal(result.source, 'api');
    assert.deepEqual(result.models.slice(0, 3).map((m) => m.id), ['claude-sonnet-5-5', 'claude-new-1', 'claude-haiku-5-5']);
    assert.equal(requested.length, 2);
    assert.match(requested[1] ?? '', /after_id=claude-new-1/);
  });
});
