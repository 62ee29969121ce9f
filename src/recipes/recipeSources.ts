/**
 * Where recipes and personas come from: the built-ins, the workspace's
 * `.claude-studio/recipes/*.json` (only in a trusted workspace) and the user's settings.
 * Every invalid definition is logged with its file and field and skipped; the rest still load.
 */
import * as vscode from 'vscode';
import { BUILTIN_PERSONAS, builtinRecipes } from '../core/recipes/builtins';
import type { DefinitionProblem } from '../core/recipes/definition';
import { formatProblem, mergeById, parsePersonas, parseRecipeSource } from '../core/recipes/definition';
import type { Persona, RecipeDefinition } from '../core/recipes/types';
import { recipeStrings } from './strings';
import { errorMessage } from '../core/util/errors';

export type RecipeOrigin = 'builtin' | 'workspace' | 'settings';

export interface LoadedRecipes {
  readonly recipes: readonly (RecipeDefinition & { readonly origin: RecipeOrigin })[];
  readonly personas: readonly Persona[];
  readonly problems: readonly DefinitionProblem[];
}

const MAX_FILES = 100;
let lastWarned = '';
const MAX_FILE_BYTES = 256 * 1024;

/** A setting's value; in Restricted Mode only the user's own (global) value counts. */
function userOrWorkspaceSetting(key: string): unknown {
  const configuration = vscode.workspace.getConfiguration('claudeStudio');
  if (vscode.workspace.isTrusted) return configuration.get(key);
  return configuration.inspect(key)?.globalValue;
}

async function workspaceRecipes(problems: DefinitionProblem[]): Promise<RecipeDefinition[]> {
  if (!vscode.workspace.isTrusted) return [];
  const recipes: RecipeDefinition[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '.claude-studio/recipes/*.json'), null, MAX_FILES);
    for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
      // The folder name only where there are several folders to tell apart.
      const source = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      try {
        // Size from a stat first: a huge file is refused without being read.
        const tooLarge = { source, field: '', message: vscode.l10n.t('is larger than {0} KB', MAX_FILE_BYTES / 1024) };
        if ((await vscode.workspace.fs.stat(uri)).size > MAX_FILE_BYTES) {
          problems.push(tooLarge);
          continue;
        }
        const bytes = await vscode.workspace.fs.readFile(uri);
        if (bytes.byteLength > MAX_FILE_BYTES) {
          problems.push(tooLarge);
          continue;
        }
        const parsed = parseRecipeSource({ text: new TextDecoder().decode(bytes) }, source);
        problems.push(...parsed.problems);
        recipes.push(...parsed.recipes);
      } catch (error) {
        problems.push({ source, field: '', message: vscode.l10n.t('could not be read ({0})', errorMessage(error)) });
      }
    }
  }
  return recipes;
}

/** Loads everything afresh (files may have changed since the last run). */
export async function loadRecipes(log: vscode.LogOutputChannel): Promise<LoadedRecipes> {
  const problems: DefinitionProblem[] = [];
  const fromSettings = parseRecipeSource({ value: userOrWorkspaceSetting('recipes') ?? [] }, 'settings: claudeStudio.recipes');
  problems.push(...fromSettings.problems);
  const fromWorkspace = await workspaceRecipes(problems);
  const personas = parsePersonas(userOrWorkspaceSetting('personas'), 'settings: claudeStudio.personas');
  problems.push(...personas.problems);
  const tag = (list: readonly RecipeDefinition[], origin: RecipeOrigin): (RecipeDefinition & { origin: RecipeOrigin })[] => list.map((r) => ({ ...r, origin }));
  // Later sources win: a workspace recipe overrides a built-in, a setting overrides both.
  const recipes = mergeById(tag(builtinRecipes(), 'builtin'), tag(fromWorkspace, 'workspace'), tag(fromSettings.recipes, 'settings'));
  const messages = problems.map(formatProblem);
  for (const message of messages) log.warn(`Recipe ignored: ${message}`);
  // Warn once per set of problems, not on every run while a broken file sits in the workspace.
  const key = messages.join('\n');
  if (problems.length > 0 && key !== lastWarned) {
    lastWarned = key;
    void vscode.window.showWarningMessage(recipeStrings.problems(problems.length, formatProblem(problems[0] as DefinitionProblem)), recipeStrings.showOutput).then((choice) => {
      if (choice) log.show(true);
    });
  }
  return { recipes, personas: mergeById(BUILTIN_PERSONAS, personas.personas), problems };
}
