/**
 * Recipes through the real SDK against the local test server: the parallel steps of a run share
 * one cached prefix, written by the first request and read by the others.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { findModel } from '../../../src/core/anthropic/catalog';
import { createClient } from '../../../src/core/anthropic/clientFactory';
import type { ModelEntry } from '../../../src/core/anthropic/modelTypes';
import { builtinRecipes } from '../../../src/core/recipes/builtins';
import { runRecipe } from '../../../src/core/recipes/engine';
import { sdkComplete } from '../../../src/core/recipes/sdkComplete';
import type { Complete } from '../../../src/core/recipes/types';
import type { TestServer } from '../../server';
import { DEFAULT_MIN_CACHEABLE_TOKENS } from '../../server/models';
import { startTestServer } from '../../server';

const MODEL = findModel('claude-sonnet-5-5') as ModelEntry;
let server: TestServer;

before(async () => {
  // As on the real API, a cache write is readable only once its response has begun: requests
  // that overlap the writer miss. That is what the engine's "first request alone" is for.
  server = await startTestServer({ promptProcessingMs: 150 });
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function complete(): Complete {
  return sdkComplete(createClient({ apiKey: server.apiKey, baseURL: server.url, timeoutMs: 10_000, maxRetries: 0 }), { stallTimeoutMs: 10_000 });
}

/** Well over the server's (and Sonnet's) 1024-token minimum cacheable prefix. */
const MATERIAL = `\`src/big.ts\` (lines 1-300):\n\n\`\`\`ts\n${Array.from({ length: 300 }, (_, i) => `export function step${i}(input: number): number { return input * ${i} + 1; }`).join('\n')}\n\`\`\``;

describe('recipes over the SDK and the test server', () => {
  it('multi-persona: requests 2..N of the parallel group read the prefix the first one wrote', async () => {
    const recipe = builtinRecipes().find((r) => r.id === 'personas')!;
    const result = await runRecipe(recipe, { material: MATERIAL }, { complete: complete(), model: MODEL, concurrency: 4 });
    const usage = server.records.filter((record) => record.path === '/v1/messages').map((record) => record.usage);
    assert.equal(usage.length, 4, 'three views and a synthesis');
    const [first, ...others] = usage;
    assert.ok(DEFAULT_MIN_CACHEABLE_TOKENS <= 1024);
    assert.ok((first?.cache_creation_input_tokens ?? 0) > DEFAULT_MIN_CACHEABLE_TOKENS, 'the first view writes the shared prefix');
    assert.equal(first?.cache_read_input_tokens ?? 0, 0);
    for (const [i, u] of others.entries()) {
      assert.equal(u?.cache_read_input_tokens, first?.cache_creation_input_tokens, `request ${i + 2} reads the whole shared prefix`);
      assert.equal(u?.cache_creation_input_tokens ?? 0, 0, `request ${i + 2} writes nothing`);
    }
    // The figures reported per step are the server's own.
    assert.deepEqual(result.steps.map((step) => step.usage?.cache_read_input_tokens), others.length === 3 ? [0, ...others.map((u) => u?.cache_read_input_tokens)] : []);
    assert.equal(result.steps.at(-1)?.title, 'Synthesis');
    assert.ok(result.costUsd > 0);
    console.log(JSON.stringify({ prefixTokens: first?.cache_creation_input_tokens, readsAfterFirst: others.map((u) => u?.cache_read_input_tokens), costUsd: result.costUsd }));
  });

  it('without the first request going alone, the overlapping views each write their own copy', async () => {
    const recipe = builtinRecipes().find((r) => r.id === 'personas')!;
    // The engine sends everything at once when it judges the prefix too short to cache.
    const allAtOnce: ModelEntry = { ...MODEL, minCacheableTokens: Number.MAX_SAFE_INTEGER };
    await runRecipe(recipe, { material: MATERIAL }, { complete: complete(), model: allAtOnce, concurrency: 4 });
    const views = server.records.filter((record) => record.path === '/v1/messages').slice(0, 3).map((record) => record.usage);
    for (const u of views) {
      assert.ok((u?.cache_creation_input_tokens ?? 0) > 0, 'every view writes');
      assert.equal(u?.cache_read_input_tokens ?? 0, 0, 'no view reads');
    }
  });

  it('self-consistency sends no temperature and every sample reads the cache after the first', async () => {
    const recipe = builtinRecipes().find((r) => r.id === 'vote')!;
    await runRecipe(recipe, { material: MATERIAL, samples: 4 }, { complete: complete(), model: MODEL, concurrency: 4 });
    const records = server.records.filter((record) => record.path === '/v1/messages');
    assert.equal(records.length, 4);
    for (const record of records) assert.equal((record.body as { temperature?: unknown }).temperature, undefined);
    assert.ok(records.slice(1).every((record) => (record.usage?.cache_read_input_tokens ?? 0) > 0));
  });
});
