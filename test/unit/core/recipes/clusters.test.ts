import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cheapestModel, findModel } from '../../../../src/core/anthropic/catalog';
import type { ModelEntry } from '../../../../src/core/anthropic/modelTypes';
import { composeSystemPrompt } from '../../../../src/core/chat/systemPrompt';
import { buildRequest } from '../../../../src/core/chat/requestBuilder';
import { createConversation } from '../../../../src/core/chat/conversation';
import { CLUSTER_SCHEMA, clusterRequest, clusteredVote, parseClusters } from '../../../../src/core/recipes/clusters';
import { independentRequests, runRecipe } from '../../../../src/core/recipes/engine';
import { checkJson } from '../../../../src/core/recipes/jsonOutput';
import { groupAnswers, majorityVote } from '../../../../src/core/recipes/parsers';
import type { RecipeInput } from '../../../../src/core/recipes/types';
import { LARGE, MODEL, lastUser, never, recipe, scripted, systemTexts } from './scripted';

const SMALL: RecipeInput = { material: '`a.ts` (line 1):\n\n```ts\nconst x = 1;\n```' };
const HAIKU = findModel('claude-haiku-5-5') as ModelEntry;

describe('self-consistency: grouping answers by meaning', () => {
  it('the cheapest catalog model is a current, generally available one', () => {
    const cheapest = cheapestModel();
    assert.equal(cheapest?.id, 'claude-haiku-5-5');
    assert.equal(cheapest?.lifecycle.status, 'active');
    assert.equal(cheapestModel([]), undefined);
  });

  it('answers that all match once normalized need no grouping request', async () => {
    const replies = ['<answer>Off by one</answer>', '<answer>off by one.</answer>', '<answer>**Off by one**</answer>'];
    const s = scripted(replies.map((reply, i) => ({ when: new RegExp(`Sample ${i + 1} of 3`), reply })));
    const result = await runRecipe(recipe('vote'), { ...SMALL, samples: 3 }, { complete: s.complete, model: MODEL, clusterModel: HAIKU });
    assert.equal(s.requests.length, 3);
    assert.equal(result.vote?.clusters, undefined);
    assert.equal(result.vote?.agreement, 1);
  });

  it('differing answers: one small JSON request on the cheap model groups them, and each cluster shows its share', async () => {
    const replies = [
      '<answer>The loop stops one element early.</answer>',
      '<answer>An off-by-one error in the loop bound</answer>',
      '<answer>items[i] can be null</answer>',
      '<answer>Off-by-one: `i < n - 1` should be `i < n`</answer>',
      '<answer>An off-by-one error in the loop bound.</answer>',
    ];
    const s = scripted([
      ...replies.map((reply, i) => ({ when: new RegExp(`Sample ${i + 1} of 5`), reply })),
      // Ids are the distinct answers in order: 1 early stop, 2 off-by-one (x2), 3 null, 4 the bound.
      { when: /Group the 4 answers by meaning/, reply: '{"clusters": [[1, 2, 4], [3]]}' },
    ]);
    const result = await runRecipe(recipe('vote'), { ...SMALL, samples: 5, request: 'Why does the sum miss the last item?' }, { complete: s.complete, model: MODEL, clusterModel: HAIKU });
    assert.equal(s.requests.length, 6);
    const grouping = s.requests[5]!;
    assert.equal(grouping.model, 'claude-haiku-5-5');
    assert.ok(grouping.max_tokens <= 256, 'a small max_tokens');
    assert.deepEqual(grouping.output_config?.format, { type: 'json_schema', schema: CLUSTER_SCHEMA });
    assert.match(lastUser(grouping), /<question>\nWhy does the sum miss the last item\?\n<\/question>/);
    assert.match(lastUser(grouping), /<answer id="2">An off-by-one error in the loop bound<\/answer>/);
    assert.doesNotMatch(lastUser(grouping), /const x = 1/, 'the material is not sent again');

    const vote = result.vote!;
    assert.equal(vote.winner, 'An off-by-one error in the loop bound', 'the most frequent wording stands for its cluster');
    assert.equal(vote.votes, 4);
    assert.equal(vote.agreement, 0.8);
    assert.deepEqual(vote.clusters?.map((c) => [c.votes, c.share]), [[4, 0.8], [1, 0.2]]);
    assert.deepEqual(vote.clusters?.[0]?.variants, ['The loop stops one element early.', 'Off-by-one: `i < n - 1` should be `i < n`']);
    assert.match(result.answer, /4 of 5, 80% agreement, grouped by meaning/);
    assert.match(result.answer, /- \*\*80%\*\* \(4 of 5\): An off-by-one error in the loop bound\n {2}- also: The loop stops one element early\./);
    assert.match(result.answer, /- \*\*20%\*\* \(1 of 5\): items\[i\] can be null/);
    // The step is priced on the cheap model, and says so.
    const step = result.steps.at(-1)!;
    assert.equal(step.title, 'Grouping the answers by meaning');
    assert.equal(step.model, 'claude-haiku-5-5');
  });

  it('a model without structured outputs gets a prefilled "{"; one that refuses prefill gets the instruction only', () => {
    const groups = groupAnswers(['a', 'b']);
    const plain = { ...HAIKU, capabilities: { ...HAIKU.capabilities, structuredOutputs: false } };
    const prefilled = clusterRequest('q', groups, plain);
    assert.equal(prefilled.prefill, '{');
    assert.deepEqual(prefilled.params.messages.at(-1), { role: 'assistant', content: '{' });
    assert.equal(prefilled.params.output_config, undefined);
    const instructed = clusterRequest('q', groups, plain, false);
    assert.equal(instructed.params.messages.length, 1);
    assert.deepEqual(parseClusters('"clusters": [[1, 2]]}', '{', 2), [[0, 1]]);
  });

  it('model output is untrusted: ids out of range or repeated are dropped, a missing answer is its own cluster', () => {
    assert.deepEqual(parseClusters('{"clusters": [[1, 1, 9, 0], [3, 1], []]}', '', 4), [[0], [2], [1], [3]]);
    assert.match((parseClusters('not json', '', 2) as { error: string }).error, /not valid JSON/);
    assert.match((parseClusters('{"groups": []}', '', 2) as { error: string }).error, /does not match the schema/);
    assert.ok('value' in checkJson('{"clusters": [[1], [2, 3]]}', CLUSTER_SCHEMA));
  });

  it('a tie between clusters has no winner; a failed grouping keeps the exact-match vote with the reason', async () => {
    const answers = ['yes', 'Yes, it is', 'no', 'No, never'];
    const vote = clusteredVote(majorityVote(answers), groupAnswers(answers), [[0, 1], [2, 3]]);
    assert.equal(vote.winner, undefined);
    assert.deepEqual(vote.tied, ['yes', 'no']);
    assert.equal(vote.agreement, 0.5);

    const s = scripted([
      { when: /Sample 1 of 2/, reply: '<answer>yes</answer>' },
      { when: /Sample 2 of 2/, reply: '<answer>no</answer>' },
      { when: /Group the 2 answers/, reply: new Error('overloaded') },
    ]);
    const result = await runRecipe(recipe('vote'), { ...SMALL, samples: 2 }, { complete: s.complete, model: MODEL, clusterModel: HAIKU });
    assert.equal(result.vote?.clusterError, 'overloaded');
    assert.equal(result.error, undefined, 'the samples answered: the run is not a failure');
    assert.equal(result.steps.at(-1)?.status, 'error');
  });
});

describe('recipes use the chat prompt in the cached prefix', () => {
  const system = composeSystemPrompt({
    profile: { expertise: 'expert', verbosity: 'concise', examples: false },
    date: '2026-12-05',
    languages: ['TypeScript'],
    userBlocks: ['Answer in British English.'],
    workspaceInstructions: 'Use tabs.',
  });

  it('the chat system blocks come first, byte for byte as the chat sends them, and the breakpoint after the material covers them', () => {
    const [first] = independentRequests(recipe('cot'), SMALL, { complete: never, model: MODEL, system });
    const blocks = first!.params.system as { type: string; text: string; cache_control?: unknown }[];
    const chat = buildRequest(createConversation(system, 0), { model: MODEL.id, maxTokens: 100, cacheTtl: '5m' });
    const chatBlocks = (chat.system as { text: string }[]).map((block) => block.text);
    assert.deepEqual(blocks.slice(0, system.length).map((block) => block.text), chatBlocks);
    assert.ok(blocks.slice(0, system.length).every((block) => block.cache_control === undefined));
    assert.match(blocks[1]!.text, /British English/);
    assert.match(blocks[2]!.text, /Use tabs\./);
    assert.match(blocks[0]!.text, /expert developer and prefers concise answers/);
    const prefix = blocks[system.length]!;
    assert.match(prefix.text, /^The material the developer is working on is below\./, 'no second "You are Claude"');
    assert.deepEqual(prefix.cache_control, { type: 'ephemeral' });
  });

  it('every sample shares the prefix; the chat prompt counts toward the cacheable length', async () => {
    const s = scripted(Array.from({ length: 3 }, (_, i) => ({ when: new RegExp(`Sample ${i + 1} of 3`), reply: '<answer>A</answer>', delayMs: 5 })));
    // The material alone is short; with a long chat prompt the prefix is worth caching, so the first sample goes alone.
    const long = [...system, 'Rule: keep functions small and well named.\n'.repeat(500)];
    await runRecipe(recipe('vote'), { ...SMALL, samples: 3 }, { complete: s.complete, model: MODEL, system: long, concurrency: 3 });
    assert.deepEqual(s.order.slice(0, 3), ['start:1', 'end:1', 'start:2']);
    const prefixes = s.requests.map((r) => systemTexts(r).slice(0, long.length + 1).join('|'));
    assert.ok(prefixes.every((p) => p === prefixes[0]));
  });

  it('without a chat prompt the recipe introduces itself as before', () => {
    const [first] = independentRequests(recipe('cot'), LARGE, { complete: never, model: MODEL });
    assert.match(systemTexts(first!.params)[0]!, /^You are Claude, helping a developer/);
  });
});
