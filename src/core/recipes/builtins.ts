/**
 * The built-in recipes and personas. The recipes are written in the same JSON format users
 * write (and go through the same validation, see `builtinRecipes`), so a user recipe can copy
 * one and change its prompts.
 */
import { parseRecipeSource } from './definition';
import type { Persona, PromptName, RecipeDefinition, RecipeKind } from './types';

/** Default templates per kind; a recipe's `prompts` override them one by one. */
export const DEFAULT_PROMPTS: Readonly<Record<RecipeKind, Partial<Record<PromptName, string>>>> = {
  chainOfThought: {
    task: '{{request}}\n\nThink it through step by step before you answer: write your reasoning first, then the final answer.',
  },
  fewShot: {
    task: '{{request}}\n\nDo to the material what the examples do to their inputs. Reply with the output only, in the same form as the examples.',
  },
  role: { task: '{{request}}' },
  jsonOutput: { task: '{{request}}\n\nReply with JSON only, matching this JSON schema:\n{{schema}}' },
  selfConsistency: {
    task: '{{request}}\n\nReason it through, then give your final answer, as short as possible, inside <answer></answer> tags.',
    sample: '(Sample {{index}} of {{count}}: work it out independently and in your own way.)',
  },
  refine: {
    draft: '{{request}}\n\nWrite your best first version.',
    critique:
      '{{request}}\n\nHere is the current version:\n<draft>\n{{draft}}\n</draft>\n\nCritique it: list concrete problems and what to change. ' +
      'If there is nothing worth improving, reply with exactly <verdict>nothing to improve</verdict> and nothing else; otherwise end with <verdict>improve</verdict>.',
    improve:
      '{{request}}\n\nThe current version:\n<draft>\n{{draft}}\n</draft>\n\nA critique of it:\n<critique>\n{{critique}}\n</critique>\n\n' +
      'Write the improved version in full. Reply with the new version only.',
  },
  decompose: {
    split:
      '{{request}}\n\nDo not solve it yet. Split the task into at most {{count}} independent subtasks. ' +
      'Write each as one line inside <subtask></subtask> tags, and nothing else.',
    solve: 'The overall task: {{request}}\n\nSolve only subtask {{index}} of {{count}}:\n<subtask>{{subtask}}</subtask>',
    synthesize: '{{request}}\n\nThe subtasks were solved separately:\n\n{{solutions}}\n\nSynthesize them into one complete, consistent answer.',
  },
  multiPersona: {
    view: '{{request}}\n\nGive your view as {{persona}}: the few points that matter most from where you stand.',
    synthesize:
      '{{request}}\n\nSeveral experts gave their views on the material:\n\n{{views}}\n\n' +
      'Synthesize them under the headings "Agreement", "Differences" (say who is right where you can tell) and "Recommendation".',
  },
};

/** What a recipe does when the user typed nothing with the selection. */
export const DEFAULT_REQUESTS: Readonly<Record<RecipeKind, string>> = {
  chainOfThought: 'Work out what this code does and whether it is correct.',
  fewShot: 'Transform the material like the examples.',
  role: 'Review this code from your point of view.',
  jsonOutput: 'Extract from the material what the schema asks for.',
  selfConsistency: 'What is the most important problem in this code? Name it in a few words.',
  refine: 'Rewrite this code to be clearer and more robust, keeping its behaviour.',
  decompose: 'Review this code thoroughly.',
  multiPersona: 'Review this code.',
};

export const BUILTIN_PERSONAS: readonly Persona[] = [
  { id: 'security', name: 'Security reviewer', prompt: 'You are a senior application security reviewer. You look for injection, unsafe input handling, secrets, authorization gaps and unsafe defaults, and you rate each finding by how exploitable it is.' },
  { id: 'performance', name: 'Performance engineer', prompt: 'You are a performance engineer. You look at algorithmic complexity, allocations, I/O and concurrency, and you only flag what would matter at realistic sizes.' },
  { id: 'maintainer', name: 'Maintainer', prompt: 'You are the long-time maintainer of this codebase. You care about readability, naming, small functions, tests and how easy the code is to change next year.' },
  { id: 'tester', name: 'Test engineer', prompt: 'You are a test engineer. You find the edge cases, the failure paths and the inputs nobody tried, and you say which tests would catch them.' },
  { id: 'architect', name: 'Software architect', prompt: 'You are a software architect. You look at boundaries, dependencies, coupling and where this code sits in the larger system.' },
  { id: 'newcomer', name: 'New team member', prompt: 'You are a capable developer new to this codebase. You say what is confusing, what you had to guess, and what a comment or a better name would fix.' },
];

/** The built-in recipes, as JSON data in the user format. */
export const BUILTIN_RECIPE_DATA: readonly unknown[] = [
  { id: 'cot', name: 'Chain of thought', kind: 'chainOfThought', description: 'Reason step by step before answering.' },
  {
    id: 'cot-structured', slash: 'cots', name: 'Chain of thought (structured)', kind: 'chainOfThought', structured: true,
    description: 'Analysis, steps, answer and confidence as separate sections.',
    prompts: {
      task:
        '{{request}}\n\nThink it through step by step, and reply in exactly this structure:\n' +
        '<analysis>what the question needs and what the material shows</analysis>\n<steps>your reasoning, step by step</steps>\n' +
        '<answer>the final answer</answer>\n<confidence>high, medium or low, and why, in one sentence</confidence>',
    },
  },
  { id: 'few-shot', slash: 'examples', name: 'Few-shot', kind: 'fewShot', description: 'Classify or transform the selection like your saved examples.' },
  { id: 'role', slash: 'expert', name: 'Ask an expert', kind: 'role', personas: ['security'], description: 'An expert persona as the system prompt.' },
  {
    id: 'json', name: 'JSON output', kind: 'jsonOutput', description: 'JSON matching your schema, validated.',
    schema: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        issues: { type: 'array', items: { type: 'object', properties: { line: { type: 'integer' }, problem: { type: 'string' } }, required: ['problem'], additionalProperties: false } },
      },
      required: ['summary', 'issues'],
      additionalProperties: false,
    },
  },
  { id: 'vote', name: 'Self-consistency vote', kind: 'selfConsistency', samples: 5, description: 'Several independent answers; the majority wins.' },
  { id: 'refine', name: 'Iterative refinement', kind: 'refine', rounds: 3, description: 'Draft, critique, improve, until nothing is left to improve.' },
  { id: 'decompose', name: 'Decompose and synthesize', kind: 'decompose', maxSubtasks: 4, description: 'Split into subtasks, solve each, put it together.' },
  {
    id: 'personas', name: 'Multi-persona analysis', kind: 'multiPersona', personas: ['security', 'performance', 'maintainer'],
    description: 'Several experts’ views, then where they agree and differ.',
  },
];

/** The built-ins, read through the same parser as user recipes (a test keeps them valid). */
export function builtinRecipes(): RecipeDefinition[] {
  return parseRecipeSource({ value: BUILTIN_RECIPE_DATA }, 'built-in recipes').recipes;
}
