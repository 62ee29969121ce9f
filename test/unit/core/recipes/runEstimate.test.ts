/** A recipe's whole-run estimate: the first stage and the requests that follow it (issue #8's follow-up). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimatePreparedCost } from '../../../../src/core/batches/requests';
import { independentRequests, runRecipe } from '../../../../src/core/recipes/engine';
import { estimateRun, laterRequests } from '../../../../src/core/recipes/runEstimate';
import { estimateTokens } from '../../../../src/core/tokens/estimate';
import { LARGE, MODEL, lastUser, never, recipe, scripted } from './scripted';

const MAX_TOKENS = 100;
const OPTIONS = { model: MODEL, maxTokens: MAX_TOKENS };

/** A reply that fills max_tokens exactly (by the same local estimate the estimator uses). */
function fullReply(start: string): string {
  const reply = start.padEnd(Math.floor(MAX_TOKENS * 3.8), ' x');
  assert.equal(estimateTokens(reply), MAX_TOKENS);
  return reply;
}

/**
 * Runs the recipe with every answer at its max_tokens and every stage at its most (no early
 * stop), and estimates the requests the engine actually sent the same way as the estimate's.
 */
async function sentAtMost(id: string, rules: Parameters<typeof scripted>[0]): Promise<ReturnType<typeof estimatePreparedCost>> {
  const s = scripted(rules);
  const result = await runRecipe(recipe(id), LARGE, { ...OPTIONS, complete: s.complete });
  assert.equal(result.error, undefined);
  return estimatePreparedCost(s.requests, MODEL, false);
}

function assertBounds(estimate: ReturnType<typeof estimatePreparedCost>, sent: ReturnType<typeof estimatePreparedCost>, slack = 2 * estimate.requests): void {
  assert.equal(estimate.requests, sent.requests);
  assert.ok(estimate.inputTokens >= sent.inputTokens, `${estimate.inputTokens} < ${sent.inputTokens}`);
  assert.ok(estimate.inputUsd >= sent.inputUsd, `${estimate.inputUsd} < ${sent.inputUsd}`);
  assert.equal(estimate.maxOutputUsd, sent.maxOutputUsd);
  // An upper bound, but not a loose one: answers at their max are what it assumes.
  assert.ok(estimate.inputTokens - sent.inputTokens <= slack, `${estimate.inputTokens} vs ${sent.inputTokens}`);
}

describe('recipe run estimate', () => {
  it('multi-persona: includes the synthesis, whose input carries each view at its max tokens', async () => {
    const later = laterRequests(recipe('personas'), LARGE, OPTIONS);
    assert.equal(later.length, 1);
    assert.equal(later[0]?.unseenInputTokens, 3 * MAX_TOKENS);
    const prompt = lastUser(later[0]!.params);
    assert.match(prompt, /<view persona="Security reviewer">\n\n<\/view>/);
    assert.match(prompt, /<view persona="Maintainer">/);

    const estimate = estimateRun(recipe('personas'), LARGE, OPTIONS);
    assert.deepEqual([estimate.firstRequests, estimate.laterRequests, estimate.now.requests], [3, 1, 4]);
    const sent = await sentAtMost('personas', [
      { when: /Give your view as/, reply: fullReply('A view.'), always: true },
      { when: /Several experts gave/, reply: 'Agreement...' },
    ]);
    assertBounds(estimate.now, sent);
  });

  it('the batch figure is the first stage alone at the batch price, as before', () => {
    const estimate = estimateRun(recipe('personas'), LARGE, OPTIONS);
    const first = independentRequests(recipe('personas'), LARGE, { ...OPTIONS, complete: never }).map((r) => r.params);
    assert.deepEqual(estimate.batch, estimatePreparedCost(first, MODEL, true));
    assert.ok(estimate.now.inputUsd > estimatePreparedCost(first, MODEL, false).inputUsd, 'run now costs more than its first stage');
  });

  it('refinement: every round at most, each critique carrying the draft and each improvement the draft and critique', async () => {
    const later = laterRequests(recipe('refine'), LARGE, OPTIONS);
    assert.deepEqual(later.map((r) => r.unseenInputTokens), [100, 200, 100, 200, 100, 200]);
    assert.deepEqual(laterRequests(recipe('refine'), { ...LARGE, rounds: 1 }, OPTIONS).length, 2);
    const sent = await sentAtMost('refine', [
      { when: /Write the improved version/, reply: fullReply('Better.'), always: true },
      { when: /Critique it:/, reply: fullReply('<verdict>improve</verdict>'), always: true },
      { when: /best first version/, reply: fullReply('Draft.') },
    ]);
    assertBounds(estimateRun(recipe('refine'), LARGE, OPTIONS).now, sent);
  });

  it('decomposition: the most subtasks, each solved, then a synthesis carrying them all', async () => {
    const later = laterRequests(recipe('decompose'), LARGE, OPTIONS);
    assert.equal(later.length, 5, 'four subtasks (the recipe\'s maxSubtasks) and the synthesis');
    assert.match(lastUser(later[4]!.params), /<solution index="4">\n<subtask><\/subtask>\n\n<\/solution>/);
    assert.equal(later[4]?.unseenInputTokens, 5 * MAX_TOKENS);
    // Subtasks as long as the split's answer allows: its tags are all that is counted but not sent.
    const subtasks = ['null checks', 'error paths', 'naming', 'tests'].map((t) => `<subtask>${t.padEnd(75, ' y')}</subtask>`).join('\n');
    const sent = await sentAtMost('decompose', [
      { when: /Do not solve it yet/, reply: fullReply(subtasks) },
      { when: /Solve only subtask/, reply: fullReply('Solved.'), always: true },
      { when: /solved separately/, reply: 'All together.' },
    ]);
    const tags = estimateTokens('<subtask></subtask>\n'.repeat(4));
    // The tags are counted twice: with the subtasks solved and again in the synthesis.
    assertBounds(estimateRun(recipe('decompose'), LARGE, OPTIONS).now, sent, 2 * tags + 2 * 6);
  });

  it('nothing follows the first stage of the other kinds', async () => {
    for (const id of ['cot', 'role', 'json', 'vote']) assert.deepEqual(laterRequests(recipe(id), LARGE, OPTIONS), [], id);
    const sent = await sentAtMost('vote', [{ when: /Sample/, reply: fullReply('<answer>off by one</answer>'), always: true }]);
    assertBounds(estimateRun(recipe('vote'), LARGE, OPTIONS).now, sent);
  });
});
