/**
 * Recipes and Message Batches: which recipes can be a batch's per-file request (one request per
 * file: chain of thought, an expert persona, JSON output) and what that request is, and what a
 * multi-request recipe's batch results add up to when they are opened.
 */
import * as l10n from '@vscode/l10n';
import type { RequestTemplate } from '../batches/requests';
import type { ModelEntry } from '../anthropic/modelTypes';
import { BUILTIN_PERSONAS } from './builtins';
import { jsonStrategy } from './jsonOutput';
import { majorityVote, sampleAnswer } from './parsers';
import { RunContext } from './runContext';
import { voteMarkdown } from './engine';
import type { Persona, RecipeDefinition, RecipeKind } from './types';

/** The kinds whose whole flow is one request on the material (few-shot needs an example set, so it is left out). */
const PER_FILE_KINDS: ReadonlySet<RecipeKind> = new Set<RecipeKind>(['chainOfThought', 'role', 'jsonOutput']);

/** Whether the recipe can be run on each file of a batch as one request per file. */
export function perFileRecipe(recipe: RecipeDefinition): boolean {
  if (!PER_FILE_KINDS.has(recipe.kind)) return false;
  return recipe.kind !== 'jsonOutput' || recipe.schema !== undefined;
}

/** What the system prompt says where the recipe's own run says "the material is below". */
export const BATCH_RECIPE_INTRO =
  'You are Claude, helping a developer inside their code editor. The material they are working on is one file, given in the <material> tags of the message.';

export interface FileTemplateOptions {
  /** The model: whether it has structured outputs (JSON recipes). */
  readonly model: ModelEntry;
  /** Personas to resolve the role recipe's persona from (built-ins when absent). */
  readonly personas?: readonly Persona[];
  /** What to ask of each file; the recipe's default request when empty. */
  readonly request?: string;
}

/**
 * The per-file request of a recipe as a batch template: the recipe's instructions (and persona)
 * as the shared system prompt, the file as the material, then the recipe's task prompt, as the
 * recipe would ask it for that file as a selection. JSON recipes use structured outputs where the
 * model has them and the prompt's instruction otherwise (no prefill: a batch result is shown as it
 * came, and a prefilled `{` would be missing from it).
 */
export function recipeFileTemplate(recipe: RecipeDefinition, options: FileTemplateOptions): RequestTemplate {
  if (!perFileRecipe(recipe)) throw new Error(l10n.t('The recipe "{0}" is not one request per file.', recipe.name));
  const run = new RunContext(recipe, { material: '', ...(options.request?.trim() ? { request: options.request } : {}) }, {
    complete: () => Promise.reject(new Error('not sent')),
    model: options.model,
  });
  const system = [BATCH_RECIPE_INTRO];
  if (recipe.system) system.push(recipe.system);
  switch (recipe.kind) {
    case 'role': {
      const pool = options.personas ?? BUILTIN_PERSONAS;
      const id = recipe.personas?.[0] ?? 'maintainer';
      const persona = pool.find((p) => p.id === id) ?? BUILTIN_PERSONAS.find((p) => p.id === id);
      if (persona === undefined) throw new Error(l10n.t('The persona "{0}" of the recipe "{1}" is not known.', id, recipe.name));
      system.push(persona.prompt);
      return { system: system.join('\n\n'), task: run.prompt('task', { persona: persona.name }) };
    }
    case 'jsonOutput': {
      const schema = recipe.schema as Record<string, unknown>;
      const task = run.prompt('task', { schema: JSON.stringify(schema, null, 2) });
      const structured = jsonStrategy(options.model.capabilities, { thinking: false, prefillAllowed: false }) === 'structured';
      return { system: system.join('\n\n'), task, ...(structured ? { schema } : {}) };
    }
    default:
      return { system: system.join('\n\n'), task: run.prompt('task') };
  }
}

/**
 * What can be worked out locally from a multi-request recipe's batch answers, without another
 * request: the self-consistency vote. Other kinds (multi-persona's synthesis) would need one more
 * request, so they return undefined and the answers are shown side by side.
 */
export function batchResultsSummary(kind: string, answers: readonly (string | undefined)[]): string | undefined {
  if (kind !== 'selfConsistency') return undefined;
  return voteMarkdown(majorityVote(answers.map((answer) => (answer === undefined ? undefined : sampleAnswer(answer)))));
}
