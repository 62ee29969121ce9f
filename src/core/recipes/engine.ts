/**
 * Runs a recipe: one flow per prompting pattern, each a short sequence of steps through
 * {@link RunContext}. The flows never talk to the network themselves: `complete` is injected.
 */
import * as l10n from '@vscode/l10n';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { BUILTIN_PERSONAS } from './builtins';
import { JSON_PREFILL, checkJson, compileSchema, jsonStrategy, jsonTextOf } from './jsonOutput';
import { clusterRequest, clusteredVote, parseClusters } from './clusters';
import { critiqueSaysDone, groupAnswers, majorityVote, parseCotSections, parseSubtasks, sampleAnswer } from './parsers';
import type { EngineOptions, PlannedRequest } from './runContext';
import { RunContext } from './runContext';
import type { Persona, RecipeDefinition, RecipeInput, RecipeResult, Section, Vote } from './types';
import { errorMessage } from '../util/errors';

export type { EngineOptions } from './runContext';

const DEFAULT_SAMPLES = 5;
const DEFAULT_ROUNDS = 3;
const DEFAULT_SUBTASKS = 5;

/** Thrown for a run that cannot start (a bad schema, no personas); nothing was sent. */
export class RecipeInputError extends Error {}

/** The personas a role or multi-persona run asks: the user's choice, else the recipe's. */
export function personasFor(recipe: RecipeDefinition, input: RecipeInput): Persona[] {
  if (input.personas && input.personas.length > 0) return [...input.personas];
  const ids = recipe.personas ?? (recipe.kind === 'role' ? ['maintainer'] : ['security', 'performance', 'maintainer']);
  return ids.map((id) => BUILTIN_PERSONAS.find((persona) => persona.id === id)).filter((p): p is Persona => p !== undefined);
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value === undefined || !Number.isFinite(value) ? fallback : Math.floor(value);
  return Math.min(max, Math.max(min, n));
}

/** How many critique-and-improve rounds a refinement run makes at most. */
export function refineRounds(recipe: RecipeDefinition, input: RecipeInput): number {
  return clampInt(input.rounds ?? recipe.rounds, DEFAULT_ROUNDS, 1, 10);
}

/** How many subtasks a decomposition solves at most. */
export function subtaskLimit(recipe: RecipeDefinition): number {
  return clampInt(recipe.maxSubtasks, DEFAULT_SUBTASKS, 1, 10);
}

/** One persona's view as the multi-persona synthesis reads it. */
export function viewBlock(persona: string, view: string): string {
  return `<view persona="${persona}">\n${view}\n</view>`;
}

/** One solved subtask as the decomposition's synthesis reads it. */
export function solutionBlock(index: number, subtask: string, body: string): string {
  return `<solution index="${index}">\n<subtask>${subtask}</subtask>\n${body}\n</solution>`;
}

function finish(run: RunContext, answer: string, extra: Partial<Omit<RecipeResult, 'recipeId' | 'answer' | 'steps' | 'usage' | 'costUsd'>> = {}): RecipeResult {
  return { recipeId: run.recipe.id, answer, steps: [...run.steps], usage: run.usage, costUsd: run.totalCost, ...extra };
}

function jsonPlan(run: RunContext): { planned: PlannedRequest; prefill: string; schema: Record<string, unknown> } {
  const schema = run.input.schema ?? run.recipe.schema;
  if (schema === undefined) throw new RecipeInputError(l10n.t('This recipe needs a JSON schema.'));
  const compiled = compileSchema(schema);
  if ('error' in compiled) throw new RecipeInputError(compiled.error);
  const strategy = jsonStrategy(run.options.model.capabilities, { thinking: false, prefillAllowed: run.options.prefillAllowed ?? true });
  const prompt = run.prompt('task', { schema: JSON.stringify(schema, null, 2) });
  const prefill = strategy === 'prefill' ? JSON_PREFILL : '';
  const extras = strategy === 'structured' ? { schema } : prefill ? { prefill } : {};
  return { planned: { title: l10n.t('JSON answer'), prompt, extras }, prefill, schema };
}

function samplesPlan(run: RunContext): PlannedRequest[] {
  const count = clampInt(run.input.samples ?? run.recipe.samples, DEFAULT_SAMPLES, 2, 20);
  const task = run.prompt('task');
  // The sample line goes last, so every sample shares the prefix and the task before it.
  return Array.from({ length: count }, (_, i) => ({
    title: l10n.t('Sample {0} of {1}', i + 1, count),
    prompt: `${task}\n\n${run.prompt('sample', { index: String(i + 1), count: String(count) })}`,
  }));
}

function viewsPlan(run: RunContext, personas: readonly Persona[]): PlannedRequest[] {
  return personas.map((persona) => ({ title: persona.name, prompt: run.prompt('view', { persona: persona.name }), extras: { persona } }));
}

function singlePlan(run: RunContext): PlannedRequest {
  switch (run.recipe.kind) {
    case 'role': {
      const persona = personasFor(run.recipe, run.input)[0];
      if (persona === undefined) throw new RecipeInputError(l10n.t('Choose a persona for this recipe.'));
      return { title: persona.name, prompt: run.prompt('task', { persona: persona.name }), extras: { persona } };
    }
    case 'fewShot':
      if (!run.input.examples || run.input.examples.examples.length === 0) throw new RecipeInputError(l10n.t('Choose an example set with at least one example.'));
      return { title: l10n.t('Few-shot: {0}', run.input.examples.name), prompt: run.prompt('task') };
    case 'refine':
      return { title: l10n.t('Draft'), prompt: run.prompt('draft') };
    case 'decompose':
      return { title: l10n.t('Split into subtasks'), prompt: run.prompt('split', { count: String(subtaskLimit(run.recipe)) }) };
    default:
      return { title: run.recipe.structured ? l10n.t('Structured reasoning') : l10n.t('Reasoning'), prompt: run.prompt('task') };
  }
}

/**
 * The requests of a run that do not depend on each other's answers (the first stage), as
 * batch entries. A caller that does not need the answer now can send them through the
 * Message Batches API at half price; the later stages (synthesis, critique) need these answers.
 */
export function independentRequests(recipe: RecipeDefinition, input: RecipeInput, options: EngineOptions): { customId: string; label: string; params: MessageCreateParamsNonStreaming }[] {
  const run = new RunContext(recipe, input, options);
  let planned: PlannedRequest[];
  if (recipe.kind === 'selfConsistency') planned = samplesPlan(run);
  else if (recipe.kind === 'multiPersona') planned = viewsPlan(run, personasFor(recipe, input));
  else if (recipe.kind === 'jsonOutput') planned = [jsonPlan(run).planned];
  else planned = [singlePlan(run)];
  return planned.map((item, i) => ({
    customId: `${recipe.id}-${i + 1}`,
    label: recipe.kind === 'multiPersona' ? l10n.t('Persona: {0}', item.title) : item.title,
    params: run.params(item.prompt, item.extras),
  }));
}

/** Runs a recipe to its end. Rejects on abort, on a bad input, or when a single-request step fails. */
export async function runRecipe(recipe: RecipeDefinition, input: RecipeInput, options: EngineOptions): Promise<RecipeResult> {
  const run = new RunContext(recipe, input, options);
  switch (recipe.kind) {
    case 'chainOfThought':
      return chainOfThought(run);
    case 'fewShot':
    case 'role':
      return finish(run, (await run.send(singlePlan(run))).text);
    case 'jsonOutput':
      return jsonOutput(run);
    case 'selfConsistency':
      return selfConsistency(run);
    case 'refine':
      return refine(run);
    case 'decompose':
      return decompose(run);
    case 'multiPersona':
      return multiPersona(run);
  }
}

async function chainOfThought(run: RunContext): Promise<RecipeResult> {
  const { text, step } = await run.send(singlePlan(run));
  if (!run.recipe.structured) return finish(run, text);
  const sections = parseCotSections(text);
  const answer = sections.find((section) => section.label === 'Answer');
  if (answer === undefined) return finish(run, text, { sections });
  // The step shows the reasoning as labelled sections rather than raw tags.
  step.text = sectionsMarkdown(sections);
  return finish(run, sectionsMarkdown(sections.filter((s) => s.label === 'Answer' || s.label === 'Confidence')), { sections });
}

export function sectionsMarkdown(sections: readonly Section[]): string {
  return sections.map((section) => `**${section.label}**\n\n${section.text}`).join('\n\n');
}

async function jsonOutput(run: RunContext): Promise<RecipeResult> {
  const { planned, prefill, schema } = jsonPlan(run);
  let reply: string;
  try {
    reply = (await run.send(planned)).text;
  } catch (error) {
    // A model that refuses prefill says so with a 400: ask again with the instruction only.
    if (!prefill || !/prefill/i.test(errorMessage(error))) throw error;
    reply = (await run.send({ ...planned, title: l10n.t('JSON answer (without prefill)'), extras: {} })).text;
    return checked(run, jsonTextOf(reply, ''), schema);
  }
  return checked(run, jsonTextOf(reply, prefill), schema);
}

function checked(run: RunContext, json: string, schema: Record<string, unknown>): RecipeResult {
  const result = checkJson(json, schema);
  const fenced = `\`\`\`json\n${json}\n\`\`\``;
  if ('error' in result) return finish(run, fenced, { error: result.error });
  return finish(run, `\`\`\`json\n${JSON.stringify(result.value, null, 2)}\n\`\`\``, { json: result.value });
}

export function voteMarkdown(vote: Vote): string {
  const pct = (n: number): string => `${Math.round(n * 100)}%`;
  const lines: string[] = [];
  const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
  if (vote.clusters !== undefined && vote.clusters.length > 0) {
    const top = vote.clusters[0];
    if (vote.winner !== undefined && top !== undefined) lines.push(l10n.t('**Majority answer** ({0} of {1}, {2} agreement, grouped by meaning):', vote.votes, vote.counted, pct(vote.agreement)), '', vote.winner);
    else lines.push(l10n.t('**No majority:** a tie between {0} answers ({1} of {2} each, {3}), grouped by meaning.', vote.tied.length, vote.votes, vote.counted, pct(vote.agreement)));
    lines.push('', l10n.t('**Answers grouped by meaning:**'), '');
    for (const cluster of vote.clusters) {
      lines.push(`- **${pct(cluster.share)}** ${l10n.t('({0} of {1})', cluster.votes, vote.counted)}: ${oneLine(cluster.answer)}`);
      for (const variant of cluster.variants) lines.push(`  - ${l10n.t('also: {0}', oneLine(variant))}`);
    }
  } else if (vote.winner !== undefined) {
    lines.push(l10n.t('**Majority answer** ({0} of {1}, {2} agreement):', vote.votes, vote.counted, pct(vote.agreement)), '', vote.winner);
  } else if (vote.tied.length > 0) {
    lines.push(l10n.t('**No majority:** a tie between {0} answers ({1} of {2} each, {3}):', vote.tied.length, vote.votes, vote.counted, pct(vote.agreement)), '');
    for (const answer of vote.tied) lines.push(`- ${answer}`);
  } else {
    lines.push(l10n.t('**No answers to vote on.**'));
  }
  if (vote.clusterError !== undefined) lines.push('', l10n.t('_Not grouped by meaning ({0}); counted by exact match._', vote.clusterError));
  lines.push('', l10n.t('**Every answer:**'), '');
  vote.answers.forEach((answer, i) => lines.push(`${i + 1}. ${answer ?? l10n.t('_(no answer)_')}`));
  return lines.join('\n');
}

async function selfConsistency(run: RunContext): Promise<RecipeResult> {
  const results = await run.parallel(samplesPlan(run));
  const answers = results.map((result) => ('text' in result ? sampleAnswer(result.text) : undefined));
  const vote = await byMeaning(run, majorityVote(answers));
  return finish(run, voteMarkdown(vote), { vote, ...(vote.counted === 0 ? { error: l10n.t('No sample gave an answer.') } : {}) });
}

/**
 * When the normalized answers are not all the same, one cheap request groups them by meaning.
 * It is a refinement: when it fails the exact-match vote stands, with the reason.
 */
async function byMeaning(run: RunContext, vote: Vote): Promise<Vote> {
  const groups = groupAnswers(vote.answers);
  if (groups.length < 2) return vote;
  const model = run.options.clusterModel ?? run.options.model;
  const { params, prefill } = clusterRequest(run.request, groups, model, run.options.prefillAllowed ?? true);
  let reply: string;
  try {
    reply = (await run.sendParams(l10n.t('Grouping the answers by meaning'), params, model)).text;
  } catch (error) {
    run.options.signal?.throwIfAborted();
    return { ...vote, clusterError: errorMessage(error) };
  }
  const clusters = parseClusters(reply, prefill, groups.length);
  if ('error' in clusters) return { ...vote, clusterError: clusters.error };
  return clusteredVote(vote, groups, clusters);
}

async function refine(run: RunContext): Promise<RecipeResult> {
  const rounds = refineRounds(run.recipe, run.input);
  let draft = (await run.send(singlePlan(run))).text;
  for (let round = 1; round <= rounds; round++) {
    const critique = (await run.send({ title: l10n.t('Critique {0}', round), prompt: run.prompt('critique', { draft }) })).text;
    if (critiqueSaysDone(critique)) break;
    draft = (await run.send({ title: l10n.t('Improvement {0}', round), prompt: run.prompt('improve', { draft, critique }) })).text;
  }
  return finish(run, draft);
}

async function decompose(run: RunContext): Promise<RecipeResult> {
  const split = (await run.send(singlePlan(run))).text;
  const subtasks = parseSubtasks(split, subtaskLimit(run.recipe));
  if (subtasks.length === 0) return finish(run, split, { error: l10n.t('Claude did not list any subtasks.') });
  const count = String(subtasks.length);
  const solved = await run.parallel(
    subtasks.map((subtask, i) => ({ title: l10n.t('Subtask {0}: {1}', i + 1, subtask), prompt: run.prompt('solve', { subtask, index: String(i + 1), count }) })),
  );
  const solutions = subtasks
    .map((subtask, i) => {
      const result = solved[i];
      const body = result && 'text' in result ? result.text : '(this subtask failed)';
      return solutionBlock(i + 1, subtask, body);
    })
    .join('\n\n');
  return finish(run, (await run.send({ title: l10n.t('Synthesis'), prompt: run.prompt('synthesize', { solutions }) })).text);
}

async function multiPersona(run: RunContext): Promise<RecipeResult> {
  const personas = personasFor(run.recipe, run.input);
  if (personas.length === 0) throw new RecipeInputError(l10n.t('Choose at least one persona.'));
  const views = await run.parallel(viewsPlan(run, personas));
  const answered = personas.flatMap((persona, i) => {
    const view = views[i];
    return view && 'text' in view ? [viewBlock(persona.name, view.text)] : [];
  });
  if (answered.length === 0) return finish(run, '', { error: l10n.t('No persona gave a view.') });
  return finish(run, (await run.send({ title: l10n.t('Synthesis'), prompt: run.prompt('synthesize', { views: answered.join('\n\n') }) })).text);
}

