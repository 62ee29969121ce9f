/** Recipes as batches: per-file recipe requests (issue #7) and a recipe's first stage priced and summarised (issue #8). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { ModelEntry } from '../../../../src/core/anthropic/modelTypes';
import type { BatchSpec } from '../../../../src/core/batches/requests';
import { buildRequest, estimateCost, estimatePreparedCost, fileRequestBytes, requestBytes } from '../../../../src/core/batches/requests';
import { BATCH_RECIPE_INTRO, batchResultsSummary, perFileRecipe, recipeFileTemplate } from '../../../../src/core/recipes/batchForm';
import { BUILTIN_PERSONAS, builtinRecipes } from '../../../../src/core/recipes/builtins';
import { independentRequests } from '../../../../src/core/recipes/engine';
import type { RecipeDefinition } from '../../../../src/core/recipes/types';
import { MODEL, never, recipe } from './scripted';

const file = { label: 'src/a.ts', text: 'export const a = 1;\n' };
const NO_STRUCTURED: ModelEntry = { ...MODEL, capabilities: { ...MODEL.capabilities, structuredOutputs: false } };

function spec(id: string, model: ModelEntry = MODEL): BatchSpec {
  return { prompt: `Recipe: ${id}`, model: model.id, maxTokens: 1000, template: recipeFileTemplate(recipe(id), { model }) };
}

function systemOf(params: { system?: string | TextBlockParam[] }): TextBlockParam[] {
  assert.ok(Array.isArray(params.system));
  return params.system;
}

function userText(params: { messages: { role: string; content: unknown }[] }): string {
  const content = params.messages[0]?.content;
  assert.equal(typeof content, 'string');
  return content as string;
}

describe('recipes as per-file batch requests', () => {
  it('offers only the recipes that are one request per file', () => {
    const offered = builtinRecipes().filter(perFileRecipe).map((r) => r.id);
    assert.deepEqual(offered, ['cot', 'cot-structured', 'role', 'json']);
    assert.equal(perFileRecipe({ ...recipe('json'), schema: undefined } as RecipeDefinition), false);
  });

  for (const id of ['cot', 'cot-structured', 'role', 'json']) {
    it(`${id}: the batch asks each file what the recipe asks of it as a selection`, () => {
      const built = buildRequest(spec(id), 'job-0', file);
      const alone = independentRequests(recipe(id), { material: file.text }, { complete: never, model: MODEL });
      assert.equal(alone.length, 1);
      const recipeParams = alone[0]!.params;
      // The task prompt is the recipe's own, after the file as material.
      const user = userText(built.params);
      assert.ok(user.startsWith('<material>\n<file path="src/a.ts">\nexport const a = 1;\n\n</file>\n</material>\n\n'));
      assert.ok(user.endsWith(userText(recipeParams)), 'same task prompt as the recipe');
      // The shared system prompt carries the recipe's instructions (and persona), is cached, and has no file in it.
      const system = systemOf(built.params);
      assert.equal(system.length, 1);
      assert.deepEqual(system[0]!.cache_control, { type: 'ephemeral' });
      assert.ok(system[0]!.text.startsWith(BATCH_RECIPE_INTRO));
      assert.doesNotMatch(system[0]!.text, /export const a/);
      for (const extra of systemOf(recipeParams).slice(1)) assert.ok(system[0]!.text.includes(extra.text), 'persona prompt included');
      assert.deepEqual(built.params.output_config, recipeParams.output_config);
      assert.equal(built.params.messages.length, 1, 'no prefill');
      // Sizing without building the file text agrees with building it.
      assert.equal(fileRequestBytes(spec(id), 'job-0', file), requestBytes(built));
    });
  }

  it('role: the expert persona is the system prompt; a user persona list is used first', () => {
    const security = BUILTIN_PERSONAS.find((p) => p.id === 'security')!;
    assert.match(recipeFileTemplate(recipe('role'), { model: MODEL }).system, new RegExp(security.prompt.slice(0, 40)));
    const mine = { id: 'security', name: 'Our security lead', prompt: 'You are our security lead.' };
    const template = recipeFileTemplate(recipe('role'), { model: MODEL, personas: [mine] });
    assert.match(template.system, /You are our security lead\./);
    assert.throws(() => recipeFileTemplate({ ...recipe('role'), personas: ['nobody'] }, { model: MODEL }), /persona "nobody"/);
  });

  it('json: structured outputs where the model has them, the instruction alone otherwise (never prefill)', () => {
    assert.ok(spec('json').template?.schema);
    const plain = buildRequest(spec('json', NO_STRUCTURED), 'x', file);
    assert.equal(plain.params.output_config, undefined);
    assert.match(userText(plain.params), /Reply with JSON only/);
    assert.equal(plain.params.messages.length, 1);
  });

  it('a typed request replaces the recipe default; the recipe system text is kept', () => {
    const custom: RecipeDefinition = { ...recipe('cot'), system: 'Answer in French.' };
    const template = recipeFileTemplate(custom, { model: MODEL, request: 'Find the bug.' });
    assert.match(template.task, /^Find the bug\./);
    assert.match(template.system, /Answer in French\./);
    assert.throws(() => recipeFileTemplate(recipe('vote'), { model: MODEL }), /not one request per file/);
  });

  it('estimates a templated batch at half the run-now price, system prompt written once then read', () => {
    const files = Array.from({ length: 4 }, (_, i) => ({ label: `f${i}.ts`, text: 'const v = 1;\n'.repeat(50) }));
    const batch = estimateCost(spec('role'), files, MODEL, true);
    const now = estimateCost(spec('role'), files, MODEL, false);
    assert.ok(batch.inputUsd > 0);
    assert.ok(Math.abs(batch.inputUsd * 2 - now.inputUsd) < 1e-9);
    assert.ok(batch.inputTokens > estimateCost({ prompt: '', model: MODEL.id, maxTokens: 1000 }, files, MODEL).inputTokens - 200);
  });
});

describe("a recipe's first stage as a batch", () => {
  const LARGE = { material: `\`\`\`ts\n${'export const value = compute(input, options);\n'.repeat(400)}\`\`\`` };

  it('labels persona views and samples for the tree', () => {
    const views = independentRequests(recipe('personas'), LARGE, { complete: never, model: MODEL });
    assert.deepEqual(views.map((v) => v.label), ['Persona: Security reviewer', 'Persona: Performance engineer', 'Persona: Maintainer']);
    const samples = independentRequests(recipe('vote'), LARGE, { complete: never, model: MODEL });
    assert.deepEqual(samples.map((v) => v.label), ['Sample 1 of 5', 'Sample 2 of 5', 'Sample 3 of 5', 'Sample 4 of 5', 'Sample 5 of 5']);
  });

  it('prices the batch at half of run now, the shared prefix written once and read by the others', () => {
    const params = independentRequests(recipe('personas'), LARGE, { complete: never, model: MODEL }).map((r) => r.params);
    const batch = estimatePreparedCost(params, MODEL, true);
    const now = estimatePreparedCost(params, MODEL, false);
    assert.equal(batch.requests, 3);
    assert.ok(Math.abs(batch.inputUsd * 2 - now.inputUsd) < 1e-9);
    assert.ok(Math.abs(batch.maxOutputUsd * 2 - now.maxOutputUsd) < 1e-9);
    // Three separate writes of the prefix would cost more than one write and two reads.
    const uncachedRepeat = params.reduce((sum, p) => sum + estimatePreparedCost([p], MODEL, true).inputUsd, 0);
    assert.ok(batch.inputUsd < uncachedRepeat);
    assert.ok(batch.inputTokens > 3 * 4000);
  });

  it('opens a self-consistency batch with the vote worked out locally; others have no summary', () => {
    const summary = batchResultsSummary('selfConsistency', ['Because <answer>off by one</answer>', '<answer>Off by one</answer>', '<answer>null check</answer>', undefined]);
    assert.match(summary ?? '', /\*\*Majority answer\*\* \(2 of 3/);
    assert.match(summary ?? '', /off by one/);
    assert.equal(batchResultsSummary('multiPersona', ['a', 'b']), undefined);
  });
});
