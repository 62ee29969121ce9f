import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ModelInfo } from '@anthropic-ai/sdk/resources/models';
import {
  BUILTIN_MODELS,
  DEFAULT_MODEL,
  costOf,
  findModel,
  isUsable,
  mergeCatalog,
} from '../../../../src/core/anthropic/catalog';
import type { ModelEntry } from '../../../../src/core/anthropic/catalog';

const load = createRequire(__filename);
const sdkRoot = dirname(load.resolve('@anthropic-ai/sdk'));

/** The literal ids of the SDK's `export type Model = ...` union. */
function sdkModelIds(): string[] {
  const dts = readFileSync(join(sdkRoot, 'resources/messages/messages.d.ts'), 'utf8');
  const line = /export type Model = ([^;]+);/.exec(dts)?.[1];
  assert.ok(line, 'Model union not found in the SDK');
  return [...line.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
}

function sdkDeprecated(): Record<string, string> {
  const mod: unknown = load(join(sdkRoot, 'internal/data/deprecated-models.js'));
  const table = (mod as { DEPRECATED_MODELS: Record<string, string> }).DEPRECATED_MODELS;
  return table;
}

const near = (actual: number, expected: number, msg?: string): void =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${msg ?? ''} expected ${expected}, got ${actual}`);

describe('built-in catalog', () => {
  it('covers every SDK model id that is not past its end of life', () => {
    const deprecated = sdkDeprecated();
    const today = Date.now();
    const ids = sdkModelIds();
    assert.ok(ids.length >= 20, `expected many SDK ids, got ${ids.length}`);
    for (const id of ids) {
      const eol = deprecated[id] ? Date.parse(deprecated[id].replace(/(\d+)(st|nd|rd|th)/, '$1')) : undefined;
      const model = findModel(id);
      if (eol !== undefined && eol < today) continue;
      assert.ok(model, `${id} missing from the catalog`);
      assert.ok(isUsable(model), `${id} should be usable`);
    }
  });

  it('marks the SDK-deprecated models deprecated with their end-of-life date', () => {
    const opus45 = findModel('claude-opus-4-5');
    assert.deepEqual(opus45?.lifecycle, { status: 'deprecated', endOfLife: '2027-01-22' });
    assert.deepEqual(findModel('claude-opus-4-5-20251101')?.lifecycle, opus45?.lifecycle);
    for (const [id, eol] of Object.entries(sdkDeprecated())) {
      const model = findModel(id);
      const date = new Date(Date.parse(`${eol.replace(/(\d+)(st|nd|rd|th)/, '$1')} UTC`));
      assert.deepEqual(model?.lifecycle, { status: model?.lifecycle.status === 'retired' ? 'retired' : 'deprecated', endOfLife: date.toISOString().slice(0, 10) }, id);
    }
  });

  it('marks the models the SDK dropped (Sonnet 4.5, SDK 1.15) and the past-end-of-life ones retired', () => {
    const sonnet45 = findModel('claude-sonnet-4-5');
    assert.deepEqual(sonnet45?.lifecycle, { status: 'retired', endOfLife: '2026-11-30' });
    assert.deepEqual(findModel('claude-sonnet-4-5-20250929')?.lifecycle, sonnet45?.lifecycle);
    assert.equal(isUsable(sonnet45 ?? assert.fail('missing')), false);
    assert.equal(findModel('claude-mythos-preview')?.lifecycle.status, 'retired');
  });

  it('has a usable, generally available default model', () => {
    const model = findModel(DEFAULT_MODEL);
    assert.ok(model);
    assert.equal(model.lifecycle.status, 'active');
    assert.equal(model.availability, 'general');
    assert.equal(model.line, 'sonnet');
    assert.equal(model.pricing.estimated, false);
  });

  it('has sane figures for every entry', () => {
    const ids = new Set<string>();
    for (const m of BUILTIN_MODELS) {
      assert.ok(!ids.has(m.id), `duplicate ${m.id}`);
      ids.add(m.id);
      assert.ok(m.contextWindow >= 200_000 && m.maxOutputTokens >= 64_000, m.id);
      const p = m.pricing;
      assert.ok(p.output > p.input && p.cacheWrite1h > p.cacheWrite5m && p.cacheWrite5m > p.input, m.id);
      assert.ok(p.cacheRead < p.input, m.id);
      assert.equal(p.batchDiscount, 0.5);
      assert.ok([512, 1024, 2048, 4096].includes(m.minCacheableTokens), m.id);
      assert.equal(p.estimated, p.source === 'lineFallback', m.id);
    }
  });

  it('findModel trims and returns undefined for unknown ids', () => {
    assert.equal(findModel(' claude-opus-4-6 ')?.displayName, 'Claude Opus 4.6');
    assert.equal(findModel('claude-unknown-9'), undefined);
  });
});

describe('costOf', () => {
  const sonnet = findModel('claude-sonnet-4-6') as ModelEntry; // $3 / $15, writes 3.75 / 6, reads 0.30

  it('prices input, output, a 5m/1h write split and reads', () => {
    const c = costOf(
      {
        input_tokens: 1000,
        output_tokens: 2000,
        cache_creation_input_tokens: 3000,
        cache_read_input_tokens: 10_000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      },
      sonnet,
    );
    near(c.input, 0.003);
    near(c.output, 0.03);
    near(c.cacheWrite5m, 0.00375);
    near(c.cacheWrite1h, 0.012);
    near(c.cacheWrite, 0.01575);
    near(c.cacheRead, 0.003);
    near(c.total, 0.003 + 0.03 + 0.01575 + 0.003);
    // reads at input price 0.03 - paid 0.003 - write premium (0.01575 - 0.009)
    near(c.savedByCache, 0.03 - 0.003 - 0.00675);
    assert.equal(c.estimated, false);
  });

  it('prices writes without a breakdown at the 5-minute rate', () => {
    const c = costOf({ input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 1_000_000, cache_creation: null }, sonnet);
    near(c.cacheWrite5m, 3.75);
    near(c.cacheWrite1h, 0);
    near(c.savedByCache, -0.75);
  });

  it('halves everything on the batch API, by option or by service tier', () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 };
    const full = costOf(usage, sonnet);
    const batch = costOf(usage, sonnet, { batch: true });
    near(full.total, 3 + 15 + 0.3);
    near(batch.total, (3 + 15 + 0.3) / 2);
    near(costOf({ ...usage, service_tier: 'batch' }, sonnet).total, batch.total);
    near(costOf({ ...usage, service_tier: 'batch' }, sonnet, { batch: false }).total, full.total);
  });

  it('applies a long-prompt tier to the whole request', () => {
    const haiku = findModel('claude-haiku-5-5') as ModelEntry;
    const short = costOf({ input_tokens: 100_000, output_tokens: 1_000_000 }, haiku);
    near(short.output, 0.5);
    const long = costOf({ input_tokens: 90_000, output_tokens: 1_000_000, cache_read_input_tokens: 20_000 }, haiku);
    near(long.output, 2.5);
    near(long.input, 0.045);
  });

  it('ignores negative or missing counts', () => {
    const c = costOf({ input_tokens: -5, output_tokens: Number.NaN }, sonnet);
    assert.equal(c.total, 0);
  });
});

function info(partial: Partial<ModelInfo> & Pick<ModelInfo, 'id'>): ModelInfo {
  return {
    type: 'model',
    display_name: partial.id,
    created_at: '2026-01-01T00:00:00Z',
    deprecated_at: null,
    retires_at: null,
    lifecycle: 'active',
    line: null,
    max_input_tokens: null,
    max_tokens: null,
    capabilities: null,
    ...partial,
  };
}

const supported = (yes: boolean): { supported: boolean } => ({ supported: yes });

describe('mergeCatalog', () => {
  it("prefers the API's limits, lifecycle and capabilities and keeps built-in prices", () => {
    const merged = mergeCatalog(BUILTIN_MODELS, [
      info({
        id: 'claude-opus-4-6',
        display_name: 'Claude Opus 4.6 (API)',
        line: 'opus',
        max_input_tokens: 500_000,
        max_tokens: 64_000,
        lifecycle: 'deprecated',
        retires_at: '2027-02-05T00:00:00Z',
        capabilities: {
          batch: supported(true),
          citations: supported(true),
          code_execution: supported(true),
          context_management: { supported: false, clear_thinking_20251015: null, clear_tool_uses_20250919: null, compact_20260112: null },
          effort: { supported: true, low: supported(true), medium: supported(true), high: supported(true), max: supported(false), xhigh: null },
          image_input: supported(true),
          pdf_input: supported(true),
          server_tools: { supported: false, code_execution: supported(false), web_search: supported(false) },
          structured_outputs: supported(true),
          thinking: {
            supported: true,
            types: { adaptive: supported(true), enabled: supported(false), disabled: supported(true), between_tools: supported(false) },
          },
        },
      }),
    ]);
    const opus = merged[0];
    assert.ok(opus);
    assert.equal(opus.origin, 'api');
    assert.equal(opus.displayName, 'Claude Opus 4.6 (API)');
    assert.equal(opus.contextWindow, 500_000);
    assert.equal(opus.maxOutputTokens, 64_000);
    assert.deepEqual(opus.lifecycle, { status: 'deprecated', endOfLife: '2027-02-05' });
    assert.deepEqual(opus.capabilities, {
      thinkingEnabled: false,
      thinkingAdaptive: true,
      effortLevels: ['low', 'medium', 'high'],
      structuredOutputs: true,
    });
    assert.deepEqual(opus.pricing, findModel('claude-opus-4-6')?.pricing);
    // Built-in models the API did not list are kept, after the API's.
    assert.equal(merged.length, BUILTIN_MODELS.length);
    assert.ok(merged.slice(1).every((m) => m.origin === 'builtin'));
  });

  it("prices an unknown model like its line's newest priced model, flagged estimated", () => {
    const merged = mergeCatalog(BUILTIN_MODELS, [
      info({ id: 'claude-sonnet-6', line: 'sonnet', max_input_tokens: 2_000_000, max_tokens: 256_000 }),
      info({ id: 'claude-mythos-6', line: 'mythos' }),
      info({ id: 'claude-lineless', line: null }),
    ]);
    const [sonnet6, mythos6, lineless] = merged;
    assert.equal(sonnet6?.pricing.input, 2);
    assert.equal(sonnet6?.pricing.cacheRead, 0.1);
    assert.equal(sonnet6?.pricing.estimated, true);
    assert.equal(sonnet6?.pricing.source, 'lineFallback');
    assert.equal(sonnet6?.contextWindow, 2_000_000);
    // Mythos 5.2 has a guessed price, so the newest *priced* Mythos is 5.1.
    assert.equal(mythos6?.pricing.cacheRead, findModel('claude-mythos-5-1')?.pricing.cacheRead);
    assert.equal(mythos6?.contextWindow, 1_000_000);
    assert.equal(lineless?.pricing.input, findModel(DEFAULT_MODEL)?.pricing.input);
    assert.equal(lineless?.pricing.estimated, true);
  });

  it('ignores duplicate API entries and returns the built-in list for an empty answer', () => {
    assert.equal(mergeCatalog(BUILTIN_MODELS, []).length, BUILTIN_MODELS.length);
    const merged = mergeCatalog(BUILTIN_MODELS, [info({ id: 'x-1' }), info({ id: 'x-1' })]);
    assert.equal(merged.filter((m) => m.id === 'x-1').length, 1);
  });
});
