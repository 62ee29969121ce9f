/** Asks for a recipe's run-time choices (samples, rounds, personas, schema, examples), with defaults. */
import * as vscode from 'vscode';
import { compileSchema } from '../core/recipes/jsonOutput';
import type { ExampleSet, Persona, RecipeDefinition, RecipeInput } from '../core/recipes/types';
import type { ExampleSetStore } from './exampleSets';
import { BUILTIN_PERSONAS } from '../core/recipes/builtins';
import { personaDisplayName, recipeStrings } from './strings';
import { errorMessage } from '../core/util/errors';

const LAST_SCHEMA_KEY = 'claudeStudio.lastRecipeSchema';

export interface InputDeps {
  readonly personas: readonly Persona[];
  readonly examples: ExampleSetStore;
  readonly state: vscode.Memento;
}

async function askInt(prompt: string, value: number, min: number, max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    prompt,
    value: String(value),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const n = Number(text.trim());
      return Number.isInteger(n) && n >= min && n <= max ? undefined : recipeStrings.wholeNumber(min, max);
    },
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

async function askPersonas(recipe: RecipeDefinition, personas: readonly Persona[], many: boolean): Promise<Persona[] | undefined> {
  const defaults = new Set(recipe.personas ?? (many ? ['security', 'performance', 'maintainer'] : []));
  const items = personas.map((persona) => ({ label: personaDisplayName(persona, BUILTIN_PERSONAS.find((p) => p.id === persona.id)?.name), description: persona.id, detail: persona.prompt, picked: defaults.has(persona.id), persona }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { title: recipeStrings.personasTitle, canPickMany: true, ignoreFocusOut: true });
    if (picked === undefined) return undefined;
    if (picked.length === 0) {
      void vscode.window.showWarningMessage(recipeStrings.pickAtLeastOne);
      return undefined;
    }
    return picked.map((item) => item.persona);
  }
  // Single choice: the recipe's persona first, so Enter takes the default.
  const sorted = [...items.filter((i) => i.picked), ...items.filter((i) => !i.picked)];
  const picked = await vscode.window.showQuickPick(sorted, { title: recipeStrings.personaTitle, ignoreFocusOut: true });
  return picked ? [picked.persona] : undefined;
}

async function askSchema(recipe: RecipeDefinition, state: vscode.Memento): Promise<Record<string, unknown> | undefined> {
  const last = state.get<Record<string, unknown>>(LAST_SCHEMA_KEY);
  type Choice = vscode.QuickPickItem & { schema?: Record<string, unknown> };
  const choices: Choice[] = [];
  if (recipe.schema) choices.push({ label: recipeStrings.schemaRecipe, detail: JSON.stringify(recipe.schema).slice(0, 200), schema: recipe.schema });
  if (last && JSON.stringify(last) !== JSON.stringify(recipe.schema)) choices.push({ label: recipeStrings.schemaLast, detail: JSON.stringify(last).slice(0, 200), schema: last });
  choices.push({ label: recipeStrings.schemaEnter });
  const picked = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: recipeStrings.schemaTitle, ignoreFocusOut: true });
  if (picked === undefined) return undefined;
  if (picked.schema) return picked.schema;
  const text = await vscode.window.showInputBox({
    prompt: recipeStrings.schemaPrompt,
    value: last ? JSON.stringify(last) : '',
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return recipeStrings.notJson(recipeStrings.schemaNotObject);
        const compiled = compileSchema(parsed as Record<string, unknown>);
        return 'error' in compiled ? compiled.error : undefined;
      } catch (error) {
        return recipeStrings.notJson(errorMessage(error));
      }
    },
  });
  if (text === undefined) return undefined;
  const schema = JSON.parse(text) as Record<string, unknown>;
  await state.update(LAST_SCHEMA_KEY, schema);
  return schema;
}

async function askExamples(store: ExampleSetStore, seed: string): Promise<ExampleSet | undefined> {
  const sets = store.list();
  type Choice = vscode.QuickPickItem & { set?: ExampleSet };
  const choices: Choice[] = [
    ...sets.map((set) => ({ label: set.name, description: recipeStrings.examplesCount(set.examples.length), detail: set.instruction, set })),
    { label: recipeStrings.examplesNew },
  ];
  const picked = await vscode.window.showQuickPick(choices, { title: recipeStrings.examplesTitle, ignoreFocusOut: true });
  if (picked === undefined) return undefined;
  return picked.set ?? store.create(seed);
}

/** The run-time input for a recipe; undefined when the user cancelled a question. */
export async function askRecipeInput(recipe: RecipeDefinition, base: RecipeInput, deps: InputDeps): Promise<RecipeInput | undefined> {
  switch (recipe.kind) {
    case 'selfConsistency': {
      const samples = await askInt(recipeStrings.samplesPrompt, recipe.samples ?? 5, 2, 20);
      return samples === undefined ? undefined : { ...base, samples };
    }
    case 'refine': {
      const rounds = await askInt(recipeStrings.roundsPrompt, recipe.rounds ?? 3, 1, 10);
      return rounds === undefined ? undefined : { ...base, rounds };
    }
    case 'multiPersona':
    case 'role': {
      const personas = await askPersonas(recipe, deps.personas, recipe.kind === 'multiPersona');
      return personas === undefined ? undefined : { ...base, personas };
    }
    case 'jsonOutput': {
      const schema = await askSchema(recipe, deps.state);
      return schema === undefined ? undefined : { ...base, schema };
    }
    case 'fewShot': {
      const examples = await askExamples(deps.examples, base.material);
      return examples === undefined ? undefined : { ...base, examples };
    }
    default:
      return base;
  }
}
