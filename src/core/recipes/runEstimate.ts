/**
 * What a whole recipe run may cost before it starts: the first stage, which is known, and the
 * requests that follow it, which read the first stage's answers. Those answers are not written
 * yet, so each is counted at its max_tokens: the estimate is an upper bound on what the later
 * stages carry, not a guess at it. Pricing is the batches' estimator, so both agree.
 */
import type { CostEstimate, PreparedRequest } from '../batches/requests';
import { estimateRequestsCost } from '../batches/requests';
import { independentRequests, personasFor, refineRounds, solutionBlock, subtaskLimit, viewBlock } from './engine';
import type { EngineOptions } from './runContext';
import { RunContext } from './runContext';
import type { RecipeDefinition, RecipeInput } from './types';

/** The engine's options that shape requests; nothing is sent. */
export type EstimateOptions = Omit<EngineOptions, 'complete' | 'signal' | 'onProgress'>;

const notSent = (): Promise<never> => Promise.reject(new Error('An estimate sends nothing.'));

/**
 * The requests a run makes after its first stage, as many as it can make (a refinement that
 * stops early or a split into fewer subtasks makes fewer), each with the earlier answers it
 * carries counted at their max_tokens. None for the kinds that end with their first stage:
 * self-consistency votes locally (its one grouping request, when the answers differ, is on the
 * cheapest model with 256 max tokens, a small fraction of one sample, and is left out), and JSON
 * output's retry without prefill only follows a request the API rejected, which is not billed.
 */
export function laterRequests(recipe: RecipeDefinition, input: RecipeInput, options: EstimateOptions): PreparedRequest[] {
  const run = new RunContext(recipe, input, { ...options, complete: notSent });
  const request = (prompt: string, unseenInputTokens: number): PreparedRequest => ({ params: run.params(prompt), unseenInputTokens });
  // Every request of a run has the same max_tokens, so it bounds any earlier answer.
  const answer = run.params('').max_tokens;
  switch (recipe.kind) {
    case 'multiPersona': {
      const personas = personasFor(recipe, input);
      const views = personas.map((persona) => viewBlock(persona.name, '')).join('\n\n');
      return [request(run.prompt('synthesize', { views }), personas.length * answer)];
    }
    case 'refine':
      return Array.from({ length: refineRounds(recipe, input) }, () => [
        request(run.prompt('critique', { draft: '' }), answer),
        request(run.prompt('improve', { draft: '', critique: '' }), 2 * answer),
      ]).flat();
    case 'decompose': {
      const max = subtaskLimit(recipe);
      const count = String(max);
      // The subtasks are lines of the split's answer: together at most one answer, shared out.
      const subtaskShare = Math.ceil(answer / max);
      const solves = Array.from({ length: max }, (_, i) => request(run.prompt('solve', { subtask: '', index: String(i + 1), count }), subtaskShare));
      const solutions = solves.map((_, i) => solutionBlock(i + 1, '', '')).join('\n\n');
      // The synthesis reads every subtask again and every solution.
      return [...solves, request(run.prompt('synthesize', { solutions }), answer + max * answer)];
    }
    default:
      return [];
  }
}

/** A run's estimate: the first stage alone (what a batch would send) and the whole run. */
export interface RunEstimate {
  readonly firstRequests: number;
  /** The most requests that follow the first stage. */
  readonly laterRequests: number;
  /** The whole run sent now: the first stage, then every later request at its most. */
  readonly now: CostEstimate;
  /** The first stage alone at the batch price; a batch sends no later stage. */
  readonly batch: CostEstimate;
}

export function estimateRun(recipe: RecipeDefinition, input: RecipeInput, options: EstimateOptions): RunEstimate {
  const first = independentRequests(recipe, input, { ...options, complete: notSent }).map((item): PreparedRequest => ({ params: item.params }));
  const later = laterRequests(recipe, input, options);
  return {
    firstRequests: first.length,
    laterRequests: later.length,
    now: estimateRequestsCost([...first, ...later], options.model, false),
    batch: estimateRequestsCost(first, options.model, true),
  };
}
