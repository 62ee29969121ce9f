import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findModel } from '../../../../src/core/anthropic/catalog';
import type { ModelEntry } from '../../../../src/core/anthropic/modelTypes';
import { cachedPrefixOf, cacheStats, fitParts, nextRequestCost, priceParts, sizeLevel } from '../../../../src/core/tokens/breakdown';

const model = {
  minCacheableTokens: 1024,
  pricing: { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, batchDiscount: 0.5, estimated: false, source: 'pricingPage' },
} satisfies Pick<ModelEntry, 'pricing' | 'minCacheableTokens'>;

describe('fitParts', () => {
  it('gives the difference to the newest part, so the parts add up to the figure shown', () => {
    const parts = [{ kind: 'system', tokens: 100 }, { kind: 'history', tokens: 900 }, { kind: 'draft', tokens: 10 }] as const;
    assert.deepEqual(fitParts(parts, 1025), [{ kind: 'system', tokens: 100 }, { kind: 'history', tokens: 900 }, { kind: 'draft', tokens: 25 }]);
    assert.deepEqual(fitParts(parts, 995), [{ kind: 'system', tokens: 100 }, { kind: 'history', tokens: 895 }, { kind: 'draft', tokens: 0 }]);
    assert.deepEqual(fitParts(parts, 1010), parts);
  });

  it('takes a context part when there is one', () => {
    const parts = [{ kind: 'system', tokens: 10 }, { kind: 'context', tokens: 500 }, { kind: 'history', tokens: 90 }] as const;
    assert.deepEqual(fitParts(parts, 620)[1], { kind: 'context', tokens: 520 });
  });
});

describe('sizeLevel', () => {
  it('warns near the window and errors past it', () => {
    assert.equal(sizeLevel(100_000, 200_000), 'ok');
    assert.equal(sizeLevel(160_000, 200_000), 'warning');
    assert.equal(sizeLevel(200_000, 200_000), 'warning');
    assert.equal(sizeLevel(200_001, 200_000), 'error');
  });
});

describe('nextRequestCost', () => {
  const usage = { input_tokens: 5, output_tokens: 300, cache_read_input_tokens: 40_000, cache_creation_input_tokens: 2_000 };

  it('prices what the last request cached at the cache-read rate and the rest as a cache write', () => {
    const prefix = cachedPrefixOf(usage, 1_000);
    assert.deepEqual(prefix, { tokens: 42_000, ttl: '5m', sentAt: 1_000 });
    const cost = nextRequestCost(45_000, prefix, model, 1_000 + 60_000);
    assert.equal(cost.cachedTokens, 42_000);
    assert.equal(cost.newTokens, 3_000);
    assert.ok(Math.abs(cost.costUsd - (42_000 * 0.3 + 3_000 * 3.75) / 1e6) < 1e-12);
    assert.ok(Math.abs(cost.cachedUsd + cost.newUsd - cost.costUsd) < 1e-12);
  });

  it('prices everything afresh once the cache entry has expired', () => {
    const cost = nextRequestCost(45_000, cachedPrefixOf(usage, 0), model, 6 * 60_000);
    assert.equal(cost.cachedTokens, 0);
    assert.ok(Math.abs(cost.costUsd - (45_000 * 3.75) / 1e6) < 1e-12);
  });

  it('keeps a 1-hour entry for an hour', () => {
    const prefix = cachedPrefixOf({ ...usage, cache_creation: { ephemeral_1h_input_tokens: 2_000, ephemeral_5m_input_tokens: 0 } }, 0);
    assert.equal(prefix?.ttl, '1h');
    assert.equal(nextRequestCost(45_000, prefix, model, 30 * 60_000).cachedTokens, 42_000);
  });

  it('charges plain input below the minimum cacheable size', () => {
    const cost = nextRequestCost(500, undefined, model, 0);
    assert.equal(cost.cacheWrite, false);
    assert.ok(Math.abs(cost.costUsd - (500 * 3) / 1e6) < 1e-12);
  });

  it('works with a catalog model', () => {
    const entry = findModel('claude-sonnet-5-5');
    assert.ok(entry);
    assert.ok(nextRequestCost(10_000, undefined, entry, 0).costUsd > 0);
  });
});

describe('priceParts', () => {
  it('puts the cached tokens on the oldest parts', () => {
    const cost = nextRequestCost(45_000, cachedPrefixOf({ input_tokens: 0, output_tokens: 1, cache_read_input_tokens: 42_000 }, 0), model, 1);
    const priced = priceParts([{ kind: 'system', tokens: 2_000 }, { kind: 'history', tokens: 42_000 }, { kind: 'draft', tokens: 1_000 }], cost);
    assert.deepEqual(priced.map((part) => part.cachedTokens), [2_000, 40_000, 0]);
    const sum = priced.reduce((total, part) => total + part.costUsd, 0);
    assert.ok(Math.abs(sum - cost.costUsd) < 1e-12);
  });
});

describe('cacheStats', () => {
  it('counts the requests that read from the cache', () => {
    assert.deepEqual(
      cacheStats([
        { input_tokens: 10, output_tokens: 1 },
        { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 500 },
        { input_tokens: 1, output_tokens: 1, cache_read_input_tokens: 700, cache_creation_input_tokens: 20 },
      ]),
      { requests: 3, hits: 2, readTokens: 1_200 },
    );
  });
});
