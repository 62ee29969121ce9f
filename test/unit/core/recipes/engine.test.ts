import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findModel } from '../../../../src/core/anthropic/catalog';
import type { ModelEntry } from '../../../../src/core/anthropic/modelTypes';
import { BUILTIN_PERSONAS } from '../../../../src/core/recipes/builtins';
import { RecipeInputError, independentRequests, runRecipe } from '../../../../src/core/recipes/engine';
import { jsonStrategy } from '../../../../src/core/recipes/jsonOutput';
import type { Complete, RecipeInput } from '../../../../src/core/recipes/types';
import { LARGE, MODEL, lastUser, recipe, scripted, systemTexts } from './scripted';

const SMALL: RecipeInput = { material: '`a.ts` (line 1):\n\n```ts\nconst x = 1;\n```' };

describe('recipe engine: chain of thought', () => {
  it('plain: one request, the whole reply is the answer', async () => {
    const s = scripted([{ when: /step by step/, reply: 'First... then... So: it adds.' }]);
    const result = await runRecipe(recipe('cot'), { ...SMALL, request: 'What does it do?' }, { complete: s.complete, model: MODEL });
    assert.equal(s.requests.length, 1);
    assert.match(lastUser(s.requests[0]!), /^What does it do\?/);
    assert.equal(result.answer, 'First... then... So: it adds.');
    assert.equal(result.steps.length, 1);
    assert.ok(result.costUsd > 0);
  });

  it('structured: the four tags become labelled sections; the answer shows answer and confidence', async () => {
    const reply = '<analysis>A constant.</analysis>\n<steps>1. read\n2. see</steps>\n<answer>It declares x.</answer>\n<confidence>high: trivial</confidence>';
    const s = scripted([{ when: /<analysis>/, reply }]);
    const result = await runRecipe(recipe('cot-structured'), SMALL, { complete: s.complete, model: MODEL });
    assert.deepEqual(result.sections?.map((x) => x.label), ['Analysis', 'Steps', 'Answer', 'Confidence']);
    assert.equal(result.sections?.[1]?.text, '1. read\n2. see');
    assert.match(result.answer, /\*\*Answer\*\*\n\nIt declares x\./);
    assert.match(result.answer, /\*\*Confidence\*\*\n\nhigh: trivial/);
    assert.doesNotMatch(result.answer, /Analysis/);
    assert.match(result.steps[0]!.text, /^\*\*Analysis\*\*\n\nA constant\.\n\n\*\*Steps\*\*\n\n1\. read/);
  });

  it('structured: a reply that ignores the tags is shown whole', async () => {
    const s = scripted([{ when: /./, reply: 'Just prose.' }]);
    const result = await runRecipe(recipe('cot-structured'), SMALL, { complete: s.complete, model: MODEL });
    assert.equal(result.answer, 'Just prose.');
    assert.deepEqual(result.sections, []);
  });
});

describe('recipe engine: few-shot and role', () => {
  it('few-shot: the examples sit in the cached prefix, the reply is the output', async () => {
    const s = scripted([{ when: /examples/, reply: 'bug' }]);
    const examples = { name: 'Triage', instruction: 'Label the code as bug or ok.', examples: [{ input: 'x = x', output: 'ok' }, { input: 'if (a = b)', output: 'bug' }] };
    const result = await runRecipe(recipe('few-shot'), { ...SMALL, examples }, { complete: s.complete, model: MODEL });
    assert.equal(result.answer, 'bug');
    const [prefix] = systemTexts(s.requests[0]!);
    assert.match(prefix!, /<example index="2">\n<input>\nif \(a = b\)\n<\/input>\n<output>\nbug/);
    assert.match(lastUser(s.requests[0]!), /^Label the code as bug or ok\./, 'the set instruction is the default request');
  });

  it('few-shot without examples is refused before anything is sent', async () => {
    const s = scripted([]);
    await assert.rejects(runRecipe(recipe('few-shot'), SMALL, { complete: s.complete, model: MODEL }), RecipeInputError);
    assert.equal(s.requests.length, 0);
  });

  it('role: the persona is the system prompt, after the shared prefix', async () => {
    const s = scripted([{ when: /./, reply: 'No injection here.' }]);
    const result = await runRecipe(recipe('role'), SMALL, { complete: s.complete, model: MODEL });
    const system = systemTexts(s.requests[0]!);
    assert.equal(system.length, 2);
    assert.equal(system[1], BUILTIN_PERSONAS.find((p) => p.id === 'security')?.prompt);
    assert.equal(result.steps[0]?.title, 'Security reviewer');
  });
});

describe('recipe engine: JSON output', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'], additionalProperties: false };

  it('uses output_config.format where the model has structured outputs, and validates', async () => {
    const s = scripted([{ when: /JSON/, reply: '{"n": 3}' }]);
    const result = await runRecipe(recipe('json'), { ...SMALL, schema }, { complete: s.complete, model: MODEL });
    assert.deepEqual(s.requests[0]?.output_config, { format: { type: 'json_schema', schema } });
    assert.equal(s.requests[0]?.messages.length, 1, 'no prefill');
    assert.deepEqual(result.json, { n: 3 });
    assert.equal(result.error, undefined);
  });

  it('prefills "{" on a model without structured outputs, and puts it back before parsing', async () => {
    const legacy: ModelEntry = { ...MODEL, id: 'claude-legacy', capabilities: { ...MODEL.capabilities, structuredOutputs: false } };
    const s = scripted([{ when: /JSON/, reply: '"n": 4}' }]);
    const result = await runRecipe(recipe('json'), { ...SMALL, schema }, { complete: s.complete, model: legacy });
    assert.equal(s.requests[0]?.output_config, undefined);
    assert.deepEqual(s.requests[0]?.messages.at(-1), { role: 'assistant', content: '{' });
    assert.deepEqual(result.json, { n: 4 });
  });

  it('asks again without prefill when the model rejects it', async () => {
    const legacy: ModelEntry = { ...MODEL, id: 'claude-legacy', capabilities: { ...MODEL.capabilities, structuredOutputs: false } };
    const s = scripted([
      { when: /JSON/, reply: new Error('400 This model does not support assistant message prefill.') },
      { when: /JSON/, reply: '```json\n{"n": 5}\n```' },
    ]);
    const result = await runRecipe(recipe('json'), { ...SMALL, schema }, { complete: s.complete, model: legacy });
    assert.equal(s.requests.length, 2);
    assert.equal(s.requests[1]?.messages.length, 1);
    assert.deepEqual(result.json, { n: 5 });
  });

  it('never prefills where prefill is known not to be allowed', async () => {
    const legacy: ModelEntry = { ...MODEL, capabilities: { ...MODEL.capabilities, structuredOutputs: false } };
    const s = scripted([{ when: /JSON/, reply: '{"n": 1}' }]);
    await runRecipe(recipe('json'), { ...SMALL, schema }, { complete: s.complete, model: legacy, prefillAllowed: false });
    assert.equal(s.requests[0]?.messages.length, 1);
  });

  it('says clearly what is wrong with JSON that does not match the schema', async () => {
    const s = scripted([{ when: /JSON/, reply: '{"n": "three", "extra": true}' }]);
    const result = await runRecipe(recipe('json'), { ...SMALL, schema }, { complete: s.complete, model: MODEL });
    assert.match(result.error ?? '', /does not match the schema: /);
    assert.match(result.error ?? '', /\/n must be integer/);
    assert.match(result.error ?? '', /\(top level\) must NOT have additional properties \(extra\)/);
    assert.equal(result.json, undefined);
  });

  it('says when the reply is not JSON at all, and when the schema itself is broken', async () => {
    const s = scripted([{ when: /JSON/, reply: 'Sure! Here it is.' }]);
    const result = await runRecipe(recipe('json'), { ...SMALL, schema }, { complete: s.complete, model: MODEL });
    assert.match(result.error ?? '', /not valid JSON/);
    await assert.rejects(
      runRecipe(recipe('json'), { ...SMALL, schema: { type: 'nonsense' } }, { complete: s.complete, model: MODEL }),
      /not a valid JSON schema/,
    );
  });
});

describe('recipe engine: self-consistency', () => {
  it('votes: the majority answer with its agreement ratio, and every answer', async () => {
    const replies = ['<answer>Off by one</answer>', '<answer>off by one.</answer>', '<answer>Null check</answer>', '<answer>**Off by one**</answer>', 'thinking...\nNull check'];
    const s = scripted(replies.map((reply, i) => ({ when: new RegExp(`Sample ${i + 1} of 5`), reply })));
    const result = await runRecipe(recipe('vote'), SMALL, { complete: s.complete, model: MODEL });
    // Five samples, then the grouping request, which this script does not answer: the exact-match vote stands.
    assert.equal(s.requests.length, 6);
    assert.match(result.vote?.clusterError ?? '', /no scripted reply/);
    assert.match(result.answer, /Not grouped by meaning \(no scripted reply[^)]*\); counted by exact match/);
    assert.equal(result.vote?.winner, 'Off by one');
    assert.equal(result.vote?.votes, 3);
    assert.equal(result.vote?.agreement, 0.6);
    assert.deepEqual(result.vote?.answers, ['Off by one', 'off by one.', 'Null check', '**Off by one**', 'Null check']);
    assert.match(result.answer, /3 of 5, 60% agreement/);
    for (const request of s.requests.slice(0, 5)) {
      assert.equal((request as { temperature?: number }).temperature, undefined, 'the API rejects temperature');
      assert.match(lastUser(request), /\(Sample \d of 5: [^)]*\)$/, 'the sample line is the last thing in the request');
    }
  });

  it('reports a tie without picking a winner', async () => {
    const replies = ['<answer>A</answer>', '<answer>B</answer>', '<answer>B</answer>', '<answer>A</answer>'];
    const s = scripted(replies.map((reply, i) => ({ when: new RegExp(`Sample ${i + 1} of 4`), reply })));
    const result = await runRecipe(recipe('vote'), { ...SMALL, samples: 4 }, { complete: s.complete, model: MODEL });
    assert.equal(result.vote?.winner, undefined);
    assert.deepEqual(result.vote?.tied, ['A', 'B']);
    assert.equal(result.vote?.agreement, 0.5);
    assert.match(result.answer, /No majority:\*\* a tie between 2 answers \(2 of 4 each, 50%\)/);
  });

  it('a failed sample is shown and not counted', async () => {
    const s = scripted([
      { when: /Sample 1 of 3/, reply: '<answer>A</answer>' },
      { when: /Sample 2 of 3/, reply: new Error('overloaded') },
      { when: /Sample 3 of 3/, reply: '<answer>A</answer>' },
    ]);
    const result = await runRecipe(recipe('vote'), { ...SMALL, samples: 3 }, { complete: s.complete, model: MODEL });
    assert.equal(result.vote?.counted, 2);
    assert.equal(result.vote?.agreement, 1);
    assert.equal(result.steps[1]?.status, 'error');
    assert.equal(result.steps[1]?.error, 'overloaded');
  });

  it('sends the first sample alone when the shared prefix is cacheable, then the rest side by side', async () => {
    const s = scripted(Array.from({ length: 4 }, (_, i) => ({ when: new RegExp(`Sample ${i + 1} of 4`), reply: '<answer>A</answer>', delayMs: 5 })));
    await runRecipe(recipe('vote'), { ...LARGE, samples: 4 }, { complete: s.complete, model: MODEL, concurrency: 4 });
    assert.deepEqual(s.order.slice(0, 3), ['start:1', 'end:1', 'start:2'], 'without a start signal, request 1 ends before request 2 starts');
    assert.deepEqual(s.order.slice(2, 5), ['start:2', 'start:3', 'start:4'], 'the rest run together');
    const prefixes = s.requests.map((r) => systemTexts(r)[0]);
    assert.ok(prefixes.every((p) => p === prefixes[0]), 'one shared prefix');
    assert.deepEqual((s.requests[0]!.system as { cache_control?: unknown }[])[0]?.cache_control, { type: 'ephemeral' });
  });

  it('starts the rest as soon as the first response begins, keeping the total under the limit', async () => {
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    const complete: Complete = async (params, _signal, onStart) => {
      const name = /Sample (\d)/.exec(lastUser(params))?.[1] ?? '?';
      inFlight++;
      most = Math.max(most, inFlight);
      events.push(`start:${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      onStart?.();
      await new Promise((resolve) => setTimeout(resolve, 30));
      events.push(`end:${name}`);
      inFlight--;
      return { content: [{ type: 'text', text: '<answer>A</answer>', citations: null }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } };
    };
    await runRecipe(recipe('vote'), { ...LARGE, samples: 4 }, { complete, model: MODEL, concurrency: 3 });
    assert.deepEqual(events.slice(0, 3), ['start:1', 'start:2', 'start:3'], 'samples 2 and 3 start while 1 is still answering');
    assert.equal(most, 3);
  });

  it('a short prefix (below the model minimum) is not worth waiting for: all start together', async () => {
    const s = scripted(Array.from({ length: 3 }, (_, i) => ({ when: new RegExp(`Sample ${i + 1} of 3`), reply: '<answer>A</answer>', delayMs: 5 })));
    await runRecipe(recipe('vote'), { ...SMALL, samples: 3 }, { complete: s.complete, model: MODEL, concurrency: 3 });
    assert.deepEqual(s.order.slice(0, 3), ['start:1', 'start:2', 'start:3']);
  });

  it('respects the concurrency limit', async () => {
    let inFlight = 0;
    let most = 0;
    const base = scripted(Array.from({ length: 6 }, (_, i) => ({ when: new RegExp(`Sample ${i + 1} of 6`), reply: '<answer>A</answer>' })));
    const complete: typeof base.complete = async (params, signal) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 3));
      try {
        return await base.complete(params, signal);
      } finally {
        inFlight--;
      }
    };
    await runRecipe(recipe('vote'), { ...SMALL, samples: 6 }, { complete, model: MODEL, concurrency: 2 });
    assert.equal(most, 2);
  });
});

describe('recipe engine: iterative refinement', () => {
  it('stops early when the critique finds nothing to improve', async () => {
    const s = scripted([
      { when: /first version/, reply: 'v1' },
      { when: /Critique it/, reply: 'Rename x.\n<verdict>improve</verdict>' },
      { when: /improved version/, reply: 'v2' },
      { when: /Critique it/, reply: '<verdict>nothing to improve</verdict>' },
    ]);
    const result = await runRecipe(recipe('refine'), SMALL, { complete: s.complete, model: MODEL });
    assert.equal(result.answer, 'v2');
    assert.deepEqual(result.steps.map((step) => step.title), ['Draft', 'Critique 1', 'Improvement 1', 'Critique 2']);
    assert.match(lastUser(s.requests[2]!), /<draft>\nv1\n<\/draft>[\s\S]*<critique>\nRename x\./);
    assert.match(lastUser(s.requests[3]!), /<draft>\nv2\n<\/draft>/);
  });

  it('stops after the last round even if the critique still has points', async () => {
    const s = scripted([
      { when: /first version/, reply: 'v1' },
      { when: /Critique it/, reply: 'More.\n<verdict>improve</verdict>', always: true },
      { when: /improved version/, reply: 'better', always: true },
    ]);
    const result = await runRecipe(recipe('refine'), { ...SMALL, rounds: 2 }, { complete: s.complete, model: MODEL });
    assert.equal(s.requests.length, 5);
    assert.equal(result.answer, 'better');
  });
});

describe('recipe engine: decompose and synthesize', () => {
  it('splits, solves each subtask, then synthesizes from all the solutions', async () => {
    const s = scripted([
      { when: /Split the task/, reply: '<subtask>Check types</subtask>\n<subtask>Check errors</subtask>\n<subtask>Check names</subtask>' },
      { when: /subtask 1 of 3/, reply: 'types fine' },
      { when: /subtask 2 of 3/, reply: 'errors swallowed' },
      { when: /subtask 3 of 3/, reply: 'names ok' },
      { when: /solved separately/, reply: 'Overall: fix error handling.' },
    ]);
    const result = await runRecipe(recipe('decompose'), SMALL, { complete: s.complete, model: MODEL });
    assert.equal(result.answer, 'Overall: fix error handling.');
    assert.deepEqual(result.steps.map((step) => step.title), ['Split into subtasks', 'Subtask 1: Check types', 'Subtask 2: Check errors', 'Subtask 3: Check names', 'Synthesis']);
    const synthesis = lastUser(s.requests[4]!);
    assert.match(synthesis, /<subtask>Check errors<\/subtask>\nerrors swallowed/);
    assert.match(lastUser(s.requests[0]!), /at most 4 independent subtasks/);
  });

  it('caps the subtasks at the recipe maximum and reads a numbered list too', async () => {
    const s = scripted([
      { when: /Split the task/, reply: '1. a\n2. b\n3. c\n4. d\n5. e\n6. f' },
      { when: /Solve only/, reply: 'done', always: true },
      { when: /solved separately/, reply: 'all' },
    ]);
    const result = await runRecipe(recipe('decompose'), SMALL, { complete: s.complete, model: MODEL });
    assert.equal(result.steps.length, 1 + 4 + 1);
  });
});

describe('recipe engine: multi-persona analysis', () => {
  it('asks each persona (as its system prompt), then synthesizes agreement and differences', async () => {
    const s = scripted([
      { when: /as Security reviewer/, reply: 'Validate input.' },
      { when: /as Performance engineer/, reply: 'Cache the result.' },
      { when: /as Maintainer/, reply: 'Rename things.' },
      { when: /Synthesize/, reply: '## Agreement\nAll fine.\n## Differences\nNone.' },
    ]);
    const progress: number[] = [];
    const result = await runRecipe(recipe('personas'), LARGE, { complete: s.complete, model: MODEL, onProgress: (steps) => progress.push(steps.length) });
    assert.deepEqual(result.steps.map((step) => step.title), ['Security reviewer', 'Performance engineer', 'Maintainer', 'Synthesis']);
    assert.ok(result.steps.every((step) => step.status === 'done'));
    assert.match(result.answer, /## Agreement/);
    assert.match(lastUser(s.requests[3]!), /<view persona="Performance engineer">\nCache the result\.\n<\/view>/);
    assert.equal(systemTexts(s.requests[1]!)[1], BUILTIN_PERSONAS.find((p) => p.id === 'performance')?.prompt);
    assert.equal(systemTexts(s.requests[3]!).length, 1, 'the synthesis has no persona');
    assert.ok(progress.length >= 8, 'progress on every start and end');
    assert.equal(result.usage.input_tokens, 400);
    assert.ok(Math.abs(result.costUsd - result.steps.reduce((sum, step) => sum + step.costUsd, 0)) < 1e-12);
  });

  it('uses the personas the user picked', async () => {
    const s = scripted([{ when: /as Custom/, reply: 'mine' }, { when: /Synthesize/, reply: 'ok' }]);
    await runRecipe(recipe('personas'), { ...SMALL, personas: [{ id: 'custom', name: 'Custom', prompt: 'You are custom.' }] }, { complete: s.complete, model: MODEL });
    assert.equal(systemTexts(s.requests[0]!)[1], 'You are custom.');
  });

  it('stops at once when aborted', async () => {
    const controller = new AbortController();
    const s = scripted([{ when: /./, reply: 'x', always: true, delayMs: 5 }]);
    const run = runRecipe(recipe('personas'), LARGE, { complete: s.complete, model: MODEL, signal: controller.signal });
    controller.abort();
    await assert.rejects(run);
    assert.ok(s.requests.length <= 1);
  });
});

describe('recipe engine: requests for a batch', () => {
  it('lists the independent first-stage requests with custom ids', () => {
    const samples = independentRequests(recipe('vote'), { ...SMALL, samples: 3 }, { complete: async () => { throw new Error('unused'); }, model: MODEL });
    assert.deepEqual(samples.map((r) => r.customId), ['vote-1', 'vote-2', 'vote-3']);
    const views = independentRequests(recipe('personas'), SMALL, { complete: async () => { throw new Error('unused'); }, model: MODEL });
    assert.equal(views.length, 3);
    assert.match(lastUser(views[0]!.params), /as Security reviewer/);
    const haiku = findModel('claude-haiku-4-5')!;
    assert.equal(independentRequests(recipe('cot'), SMALL, { complete: async () => { throw new Error('unused'); }, model: haiku })[0]?.params.model, 'claude-haiku-4-5');
  });
});

describe('recipe engine: request shape', () => {
  it('JSON strategy: structured outputs first, prefill only without thinking and where allowed', () => {
    assert.equal(jsonStrategy({ structuredOutputs: true }, { thinking: true, prefillAllowed: true }), 'structured');
    assert.equal(jsonStrategy({ structuredOutputs: false }, { thinking: false, prefillAllowed: true }), 'prefill');
    assert.equal(jsonStrategy({ structuredOutputs: false }, { thinking: true, prefillAllowed: true }), 'instruction');
    assert.equal(jsonStrategy({ structuredOutputs: false }, { thinking: false, prefillAllowed: false }), 'instruction');
  });

  it('one cached system block holds the material; a 1h TTL is passed through; no sampling parameters', () => {
    const [request] = independentRequests(recipe('cot'), SMALL, { complete: async () => { throw new Error('unused'); }, model: MODEL, cacheTtl: '1h', maxTokens: 1000 });
    const params = request!.params as unknown as Record<string, unknown>;
    assert.deepEqual((params.system as { cache_control?: unknown }[])[0]?.cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.match((params.system as { text: string }[])[0]!.text, /<material>\n`a\.ts` \(line 1\)/);
    assert.equal(params.max_tokens, 1000);
    for (const key of ['temperature', 'top_p', 'top_k', 'thinking']) assert.equal(params[key], undefined, key);
  });
});
