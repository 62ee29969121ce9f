/** Jobs of prepared requests (a recipe's first stage) and of recipe-templated file requests, against test/server. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { findModel } from '../../../../src/core/anthropic/catalog';
import type { ModelEntry } from '../../../../src/core/anthropic/modelTypes';
import { PreparedTooLargeError } from '../../../../src/core/batches/batchManager';
import type { PreparedRequest } from '../../../../src/core/batches/batchManager';
import type { BatchFile, BatchSpec } from '../../../../src/core/batches/requests';
import { recipeFileTemplate } from '../../../../src/core/recipes/batchForm';
import { builtinRecipes } from '../../../../src/core/recipes/builtins';
import { independentRequests } from '../../../../src/core/recipes/engine';
import { batchTestBed } from './batchTestBed';

const MODEL = findModel('claude-sonnet-5-5') as ModelEntry;
const recipes = builtinRecipes();
const files: BatchFile[] = ['a.ts', 'b.ts'].map((label) => ({ uri: `file:///ws/${label}`, label, text: `// ${label}\nexport const x = 1;\n` }));

const bed = batchTestBed('prepared-', files);
const { manager } = bed;

const createBodies = (): { requests: { custom_id: string; params: Record<string, unknown> }[] }[] =>
  bed.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').map((r) => r.body as never);

function personaViews(): PreparedRequest[] {
  const recipe = recipes.find((r) => r.id === 'personas')!;
  return independentRequests(recipe, { material: 'function add(a, b) { return a + b; }' }, { complete: () => Promise.reject(new Error('unused')), model: MODEL });
}
const RECIPE = { id: 'personas', name: 'Multi-persona analysis', kind: 'multiPersona' };

describe('batch jobs of prepared requests', () => {
  it('a recipe first stage is one job: labelled requests without files, ended and counted, notified once', async () => {
    const m = manager();
    await m.init();
    const ended: string[] = [];
    m.onDidEnd((job) => ended.push(job.key));
    const views = personaViews();
    const job = await m.createPrepared(views, { name: 'Multi-persona analysis: a.ts', prompt: 'Review this code.', recipe: RECIPE });
    assert.equal(job.state, 'created');
    assert.equal(job.mode, 'batch');
    assert.equal(job.prepared, true);
    assert.deepEqual(job.recipe, RECIPE);
    assert.deepEqual(job.requests.map((r) => r.label), ['Persona: Security reviewer', 'Persona: Performance engineer', 'Persona: Maintainer']);
    assert.ok(job.requests.every((r) => r.file === ''), 'no file to apply to');
    assert.ok(job.estimatedCostUsd > 0);
    const [body] = createBodies();
    assert.equal(body?.requests.length, 3);
    assert.deepEqual(body?.requests.map((r) => r.params), JSON.parse(JSON.stringify(views.map((v) => v.params))));
    assert.deepEqual(body?.requests.map((r) => r.custom_id), job.requests.map((r) => r.customId));
    bed.server.clock.advance(2000);
    await m.pollOnce();
    assert.equal(job.state, 'ingested');
    assert.deepEqual(job.counts, { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 0 });
    assert.deepEqual(ended, [job.key]);
    assert.equal((await m.readResult(job, job.requests[1]!))?.result.type, 'succeeded');
    await m.pollOnce();
    assert.deepEqual(ended, [job.key]);
    // Deleting the job removes its stored requests with its results.
    const stored = m.journal.preparedFile(job.key);
    assert.ok(existsSync(stored));
    await m.delete(job);
    assert.equal(existsSync(stored), false);
  });

  it('journals before create: a job whose create never reached the server is resent from its stored requests, once', async () => {
    const offline = new Anthropic({ apiKey: bed.server.apiKey, baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    const first = manager({}, offline);
    await first.init();
    const job = await first.createPrepared(personaViews(), { name: 'Offline recipe', prompt: 'Review this code.' });
    assert.equal(job.state, 'pending-create');
    assert.equal(createBodies().length, 0);
    first.dispose();
    const second = manager();
    await second.init();
    const again = second.jobs[0]!;
    assert.equal(again.state, 'created');
    assert.equal(createBodies().length, 1);
    assert.deepEqual(createBodies()[0]?.requests.map((r) => r.custom_id), job.requests.map((r) => r.customId));
    bed.server.clock.advance(2000);
    await second.pollOnce();
    assert.equal(again.counts.succeeded, 3);
  });

  it('a journaled job whose stored requests are gone fails clearly instead of sending something else', async () => {
    const offline = new Anthropic({ apiKey: bed.server.apiKey, baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    const first = manager({}, offline);
    await first.init();
    const job = await first.createPrepared(personaViews(), { name: 'Lost', prompt: 'Review this code.' });
    first.dispose();
    rmSync(first.journal.preparedFile(job.key));
    const second = manager();
    await second.init();
    assert.equal(second.jobs[0]?.state, 'failed');
    assert.match(second.jobs[0]?.error ?? '', /can no longer be read/);
    assert.equal(createBodies().length, 0);
  });

  it('retry failed resends only the errored view, with its label', async () => {
    bed.server.script({ error: { type: 'overloaded_error', message: 'busy' }, when: { textIncludes: 'as Performance engineer' } });
    const m = manager();
    await m.init();
    const job = await m.createPrepared(personaViews(), { name: 'Views', prompt: 'Review this code.', recipe: RECIPE });
    bed.server.clock.advance(2000);
    await m.pollOnce();
    assert.deepEqual(job.counts, { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 });
    const [retry] = await m.retryFailed(job);
    assert.equal(retry?.retryOf, job.key);
    assert.equal(retry?.prepared, true);
    assert.deepEqual(retry?.requests.map((r) => r.label), ['Persona: Performance engineer']);
    const last = createBodies().at(-1);
    assert.equal(last?.requests.length, 1);
    assert.match(JSON.stringify(last?.requests[0]?.params), /as Performance engineer/);
  });

  it('requests that do not fit one batch are refused before anything is journaled or sent', async () => {
    const m = manager({ limits: { maxCount: 2, maxBytes: 256_000_000 } });
    await m.init();
    await assert.rejects(m.createPrepared(personaViews(), { name: 'Too many', prompt: 'x' }), PreparedTooLargeError);
    await assert.rejects(m.createPrepared([], { name: 'None', prompt: 'x' }), /at least one request/);
    assert.equal(m.jobs.length, 0);
    assert.equal(createBodies().length, 0);
  });
});

describe('batch jobs of recipe-templated file requests', () => {
  const recipe = recipes.find((r) => r.id === 'role')!;
  const spec: BatchSpec = { prompt: 'Recipe: Ask an expert', model: MODEL.id, maxTokens: 300, template: recipeFileTemplate(recipe, { model: MODEL }) };

  it('each file gets the recipe request with the cached system prompt first; a resend after a crash keeps the template', async () => {
    const offline = new Anthropic({ apiKey: bed.server.apiKey, baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    const first = manager({}, offline);
    await first.init();
    const { jobs } = await first.create(spec, files, { name: 'Expert review' });
    assert.equal(jobs[0]?.state, 'pending-create');
    assert.deepEqual(jobs[0]?.template, spec.template);
    first.dispose();
    const journaled = JSON.parse(readFileSync(join(bed.dir, 'jobs', `${jobs[0]!.key}.json`), 'utf8')) as { template?: unknown };
    assert.deepEqual(journaled.template, spec.template);
    const second = manager();
    await second.init();
    const [body] = createBodies();
    assert.equal(body?.requests.length, 2);
    for (const [i, request] of (body?.requests ?? []).entries()) {
      const params = request.params as { system: { text: string; cache_control?: unknown }[]; messages: { content: string }[] };
      assert.equal(params.system[0]?.text, spec.template?.system);
      assert.deepEqual(params.system[0]?.cache_control, { type: 'ephemeral' });
      assert.ok(params.messages[0]?.content.includes(files[i]!.text));
      assert.ok(params.messages[0]?.content.endsWith(spec.template!.task));
    }
    bed.server.clock.advance(2000);
    await second.pollOnce();
    assert.equal(second.jobs[0]?.counts.succeeded, 2);
  });
});
