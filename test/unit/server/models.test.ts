import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError } from '@anthropic-ai/sdk';
import { BUILTIN_MODELS, mergeCatalog } from '../../../src/core/anthropic/catalog';
import { DEFAULT_MODELS } from '../../server';
import { modelInfo } from '../../server/models';
import type { ModelSpec } from '../../server';
import { assertEnvelope, raw, rejectsWith, withServer } from './harness';

const catalog: ModelSpec[] = Array.from({ length: 5 }, (_, i) => ({
  id: `model-${i}`,
  displayName: `Model ${i}`,
  createdAt: `2026-0${i + 1}-01T00:00:00Z`,
  maxInputTokens: 100_000,
  maxTokens: 8_000,
}));

describe('models', () => {
  test('the default catalog lists ModelInfo objects newest first', () =>
    withServer({}, async ({ client }) => {
      const models = [];
      for await (const model of client.models.list()) models.push(model);
      // Retired models (Sonnet 4.5 since November 30, 2026) are hidden, as by the API's default filter.
      assert.deepEqual(models.map((m) => m.id), DEFAULT_MODELS.filter((m) => m.lifecycle !== 'retired').map((m) => m.id));
      assert.ok(!models.some((m) => m.id === 'claude-sonnet-4-5'));
      const sonnet = models.find((m) => m.id === 'claude-sonnet-5-5');
      assert.equal(sonnet?.type, 'model');
      assert.equal(sonnet?.display_name, 'Claude Sonnet 5.5');
      assert.equal(sonnet?.max_tokens, 128_000);
      assert.equal(sonnet?.capabilities?.thinking.types.enabled.supported, false, 'adaptive-only, as the catalog says');
      assert.equal(sonnet?.capabilities?.thinking.types.adaptive.supported, true);
    }));

  test('a retired model is refused like an unknown one: 404 not_found_error naming the model', () =>
    withServer({}, async ({ client }) => {
      const error = await rejectsWith(
        client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }),
        NotFoundError,
      );
      assert.match(error.message, /model: claude-sonnet-4-5/);
    }));

  test('the default models are the catalog: limits, minimum cacheable length and capabilities agree', () => {
    const general = BUILTIN_MODELS.filter((m) => m.availability === 'general' && m.aliasOf === undefined);
    assert.deepEqual(DEFAULT_MODELS.map((m) => m.id), general.map((m) => m.id));
    for (const entry of general) {
      const spec = DEFAULT_MODELS.find((m) => m.id === entry.id);
      assert.ok(spec, entry.id);
      assert.deepEqual(
        [spec.maxInputTokens, spec.maxTokens, spec.minCacheableTokens, spec.structuredOutputs, spec.effortLevels, spec.lifecycle],
        [entry.contextWindow, entry.maxOutputTokens, entry.minCacheableTokens, entry.capabilities.structuredOutputs, entry.capabilities.effortLevels, entry.lifecycle.status],
        entry.id,
      );
      assert.equal(spec.thinkingTypes?.includes('enabled'), entry.capabilities.thinkingEnabled, entry.id);
      assert.equal(spec.thinkingTypes?.includes('adaptive'), entry.capabilities.thinkingAdaptive, entry.id);
      // What the extension reads back through the Models API is what it started from.
      const merged = mergeCatalog(BUILTIN_MODELS, [modelInfo(spec)])[0];
      assert.deepEqual(merged?.capabilities, entry.capabilities, entry.id);
      assert.deepEqual([merged?.contextWindow, merged?.maxOutputTokens], [entry.contextWindow, entry.maxOutputTokens], entry.id);
    }
    assert.ok(new Set(DEFAULT_MODELS.map((m) => m.minCacheableTokens)).size >= 3, 'the minimums differ per model (512 / 1024 / 4096)');
  });

  test('SDK auto-pagination walks every page with after_id, and before_id pages backwards', () =>
    withServer({ models: catalog }, async ({ server, client }) => {
      const ids: string[] = [];
      for await (const model of client.models.list({ limit: 2 })) ids.push(model.id);
      assert.deepEqual(ids, ['model-4', 'model-3', 'model-2', 'model-1', 'model-0']);
      const pages = server.records.filter((r) => r.path === '/v1/models').map((r) => r.query['after_id'] ?? null);
      assert.deepEqual(pages, [null, 'model-3', 'model-1']);

      const page = await client.models.list({ limit: 2, after_id: 'model-4' });
      assert.deepEqual([page.data.map((m) => m.id), page.has_more, page.first_id, page.last_id], [['model-3', 'model-2'], true, 'model-3', 'model-2']);
      const back = await client.models.list({ limit: 2, before_id: 'model-1' });
      assert.deepEqual([back.data.map((m) => m.id), back.has_more], [['model-3', 'model-2'], true]);
      const backwards: string[] = [];
      for await (const model of client.models.list({ limit: 2, before_id: 'model-0' })) backwards.push(model.id);
      assert.deepEqual(backwards.sort(), ['model-1', 'model-2', 'model-3', 'model-4']);
    }));

  test('retrieve returns one model; an unknown id is a 404', () =>
    withServer({}, async ({ server, client }) => {
      const model = await client.models.retrieve('claude-haiku-4-5');
      assert.equal(model.max_input_tokens, 200_000);
      const error = await rejectsWith(client.models.retrieve('claude-unknown'), NotFoundError);
      assert.equal(error.apiMessage, 'model: claude-unknown');
      assertEnvelope(await raw(server, 'GET', '/v1/models?limit=0'), 400, 'invalid_request_error', 'limit: Input should be greater than or equal to 1');
      assertEnvelope(await raw(server, 'GET', '/v1/nothing'), 404, 'not_found_error');
    }));
});
