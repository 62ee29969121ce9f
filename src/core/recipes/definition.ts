/**
 * The recipe definition format, and its validation. Definitions come from files in the
 * workspace and from settings, so they are untrusted: every problem is reported with where it
 * came from and which field is wrong, and a bad definition never stops the good ones loading.
 */
import * as l10n from '@vscode/l10n';
import type { Persona, PromptName, RecipeDefinition, RecipeKind } from './types';
import { errorMessage } from '../util/errors';

export const RECIPE_KINDS: readonly RecipeKind[] = [
  'chainOfThought', 'fewShot', 'role', 'jsonOutput', 'selfConsistency', 'refine', 'decompose', 'multiPersona',
];

/** The templates each kind reads, and the placeholders each template may use. */
export const PROMPTS_BY_KIND: Readonly<Record<RecipeKind, Partial<Record<PromptName, readonly string[]>>>> = {
  chainOfThought: { task: ['request'] },
  fewShot: { task: ['request'] },
  role: { task: ['request', 'persona'] },
  jsonOutput: { task: ['request', 'schema'] },
  selfConsistency: { task: ['request'], sample: ['index', 'count'] },
  refine: { draft: ['request'], critique: ['request', 'draft'], improve: ['request', 'draft', 'critique'] },
  decompose: { split: ['request', 'count'], solve: ['request', 'subtask', 'index', 'count'], synthesize: ['request', 'solutions'] },
  multiPersona: { view: ['request', 'persona'], synthesize: ['request', 'views'] },
};

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const KEYS: ReadonlySet<string> = new Set([
  'id', 'name', 'description', 'kind', 'slash', 'system', 'structured', 'prompts', 'samples', 'rounds', 'personas',
  'maxSubtasks', 'schema', 'maxTokens',
]);
const MAX_TEXT = 20_000;

/** A definition that could not be read: `source` is the file or setting, `field` the JSON path. */
export interface DefinitionProblem {
  readonly source: string;
  readonly field: string;
  readonly message: string;
}

/** Chat commands that are not recipes: `/batch <prompt>` runs the prompt over the context files as a batch. */
export const RESERVED_SLASH: ReadonlySet<string> = new Set(['batch']);

export function formatProblem(problem: DefinitionProblem): string {
  return `${problem.source}: ${problem.field === '' ? '' : `${problem.field}: `}${problem.message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Placeholders (`{{name}}`) in a template. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([A-Za-z]+)\s*\}\}/g)].map((match) => match[1] ?? '');
}

/**
 * Reads one recipe definition. Returns the recipe, or every problem found in it (not just the
 * first), each naming the field.
 */
export function parseRecipe(value: unknown, source: string, field = ''): { recipe?: RecipeDefinition; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const at = (name: string): string => (field === '' ? name : `${field}.${name}`);
  const fail = (name: string, message: string): void => void problems.push({ source, field: at(name), message });
  if (!isRecord(value)) return { problems: [{ source, field, message: l10n.t('a recipe must be a JSON object') }] };

  for (const key of Object.keys(value)) if (!KEYS.has(key)) fail(key, l10n.t('unknown field (known: {0})', [...KEYS].join(', ')));
  const text = (name: string, required: boolean, max = MAX_TEXT): string | undefined => {
    const v = value[name];
    if (v === undefined) {
      if (required) fail(name, l10n.t('is required'));
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      fail(name, l10n.t('must be a non-empty string'));
      return undefined;
    }
    if (v.length > max) {
      fail(name, l10n.t('is longer than {0} characters', max));
      return undefined;
    }
    return v;
  };
  const int = (name: string, min: number, max: number): number | undefined => {
    const v = value[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      fail(name, l10n.t('must be a whole number from {0} to {1}', min, max));
      return undefined;
    }
    return v;
  };

  const id = text('id', true, 40);
  if (id !== undefined && !ID.test(id)) fail('id', l10n.t('use lower-case letters, digits and dashes (at most 40), starting with a letter or digit'));
  const name = text('name', true, 80);
  const description = text('description', false, 500) ?? '';
  const kindValue = value.kind;
  let kind: RecipeKind | undefined;
  if (kindValue === undefined) fail('kind', l10n.t('is required (one of {0})', RECIPE_KINDS.join(', ')));
  else if (typeof kindValue !== 'string' || !(RECIPE_KINDS as readonly string[]).includes(kindValue)) {
    fail('kind', l10n.t('must be one of {0}', RECIPE_KINDS.join(', ')));
  } else kind = kindValue as RecipeKind;
  const slash = text('slash', false, 40);
  if (slash !== undefined && !ID.test(slash)) fail('slash', l10n.t('use lower-case letters, digits and dashes, without the "/"'));
  if (RESERVED_SLASH.has(slash ?? id ?? '')) fail(slash !== undefined ? 'slash' : 'id', l10n.t('"/{0}" is the chat\'s own command; choose another word', slash ?? id ?? ''));
  const system = text('system', false);
  const structured = value.structured;
  if (structured !== undefined && typeof structured !== 'boolean') fail('structured', l10n.t('must be true or false'));
  if (structured === true && kind !== undefined && kind !== 'chainOfThought') fail('structured', l10n.t('only applies to kind chainOfThought'));

  const prompts: Partial<Record<PromptName, string>> = {};
  if (value.prompts !== undefined) {
    if (!isRecord(value.prompts)) fail('prompts', l10n.t('must be an object of template strings'));
    else if (kind !== undefined) {
      const allowed = PROMPTS_BY_KIND[kind];
      for (const [key, template] of Object.entries(value.prompts)) {
        // Own keys only: `toString` or `constructor` must not find Object.prototype's members.
        const placeholders = Object.hasOwn(allowed, key) ? allowed[key as PromptName] : undefined;
        if (placeholders === undefined) {
          fail(`prompts.${key}`, l10n.t('is not a template of kind {0} (it reads: {1})', kind, Object.keys(allowed).join(', ')));
        } else if (typeof template !== 'string' || template.trim() === '' || template.length > MAX_TEXT) {
          fail(`prompts.${key}`, l10n.t('must be a non-empty string of at most {0} characters', MAX_TEXT));
        } else {
          for (const placeholder of placeholdersIn(template)) {
            if (!placeholders.includes(placeholder)) {
              fail(`prompts.${key}`, l10n.t('unknown placeholder {0} (this template knows: {1})', `{{${placeholder}}}`, placeholders.map((p) => `{{${p}}}`).join(', ')));
            }
          }
          prompts[key as PromptName] = template;
        }
      }
    }
  }

  const samples = int('samples', 2, 20);
  const rounds = int('rounds', 1, 10);
  const maxSubtasks = int('maxSubtasks', 1, 10);
  const maxTokens = int('maxTokens', 16, 64_000);
  let personas: string[] | undefined;
  if (value.personas !== undefined) {
    if (!Array.isArray(value.personas) || value.personas.length === 0 || value.personas.length > 8) {
      fail('personas', l10n.t('must be a list of 1 to 8 persona ids'));
    } else {
      personas = [];
      value.personas.forEach((p, i) => {
        if (typeof p === 'string' && ID.test(p)) personas?.push(p);
        else fail(`personas[${i}]`, l10n.t('must be a persona id (lower-case letters, digits, dashes)'));
      });
    }
  }
  let schema: Record<string, unknown> | undefined;
  if (value.schema !== undefined) {
    if (!isRecord(value.schema)) fail('schema', l10n.t('must be a JSON schema object'));
    else schema = value.schema;
  }

  if (problems.length > 0 || id === undefined || name === undefined || kind === undefined) return { problems };
  return {
    problems,
    recipe: {
      id, name, description, kind, slash: slash ?? id, prompts,
      ...(system !== undefined ? { system } : {}),
      ...(structured === true ? { structured: true } : {}),
      ...(samples !== undefined ? { samples } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      ...(maxSubtasks !== undefined ? { maxSubtasks } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      ...(personas !== undefined ? { personas } : {}),
      ...(schema !== undefined ? { schema } : {}),
    },
  };
}

/**
 * Reads a file or setting that holds one recipe or a list of them. `text` is the raw file
 * content when it came from disk (so a JSON syntax error is reported against the file).
 */
export function parseRecipeSource(input: { text: string } | { value: unknown }, source: string): { recipes: RecipeDefinition[]; problems: DefinitionProblem[] } {
  let value: unknown;
  if ('text' in input) {
    try {
      value = JSON.parse(input.text);
    } catch (error) {
      return { recipes: [], problems: [{ source, field: '', message: l10n.t('not valid JSON ({0})', errorMessage(error)) }] };
    }
  } else value = input.value;
  const list = Array.isArray(value) ? value : [value];
  const recipes: RecipeDefinition[] = [];
  const problems: DefinitionProblem[] = [];
  list.forEach((item, i) => {
    const field = Array.isArray(value) ? `[${i}]` : '';
    try {
      const parsed = parseRecipe(item, source, field);
      problems.push(...parsed.problems);
      if (parsed.recipe) recipes.push(parsed.recipe);
    } catch (error) {
      // Whatever a definition holds, it costs only itself: the others still load.
      problems.push({ source, field, message: l10n.t('could not be read ({0})', errorMessage(error)) });
    }
  });
  return { recipes, problems };
}

/** Reads the user's personas (`claudeStudio.personas`): a list of `{id, name, prompt}`. */
export function parsePersonas(value: unknown, source: string): { personas: Persona[]; problems: DefinitionProblem[] } {
  const personas: Persona[] = [];
  const problems: DefinitionProblem[] = [];
  if (value === undefined || value === null) return { personas, problems };
  if (!Array.isArray(value)) return { personas, problems: [{ source, field: '', message: l10n.t('must be a list of {id, name, prompt}') }] };
  value.forEach((item, i) => {
    const fail = (field: string, message: string): void => void problems.push({ source, field: `[${i}]${field}`, message });
    if (!isRecord(item)) return fail('', l10n.t('must be an object {id, name, prompt}'));
    const { id, name, prompt } = item;
    if (typeof id !== 'string' || !ID.test(id)) return fail('.id', l10n.t('must be lower-case letters, digits and dashes'));
    if (typeof name !== 'string' || name.trim() === '' || name.length > 80) return fail('.name', l10n.t('must be a non-empty string of at most 80 characters'));
    if (typeof prompt !== 'string' || prompt.trim() === '' || prompt.length > MAX_TEXT) return fail('.prompt', l10n.t('must be a non-empty string'));
    personas.push({ id, name, prompt });
  });
  return { personas, problems };
}

/** Merges recipe lists: a later one with the same id replaces the earlier (user overrides built-in). */
export function mergeById<T extends { readonly id: string }>(...lists: readonly (readonly T[])[]): T[] {
  const byId = new Map<string, T>();
  for (const list of lists) for (const item of list) byId.set(item.id, item);
  return [...byId.values()];
}
