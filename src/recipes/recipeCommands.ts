/**
 * "Claude: Run Recipe..." (palette and editor context menu) and the chat's slash commands: pick
 * a recipe, ask for its inputs, and run it through the chat session so that it shows in the
 * transcript as a user turn and an answer with its steps.
 */
import type { Usage } from '@anthropic-ai/sdk/resources/messages';
import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { currentSelectionAndUri } from '../commands/chatCommands';
import type { WorkspaceGate } from '../egress/workspaceGate';
import { gateSelection } from '../egress/selectionGate';
import { confirmEgress } from '../egress/confirm';
import { egressStrings } from '../egress/strings';
import type { ChatSession } from '../core/chat/chatSession';
import type { TurnStep } from '../core/chat/conversation';
import type { UsageLike } from '../core/anthropic/cost';
import { formatSelection } from '../core/context/selectionPrompt';
import { cheapestModel } from '../core/anthropic/catalog';
import { RecipeInputError, independentRequests, runRecipe } from '../core/recipes/engine';
import { errorMessage } from '../core/util/errors';
import { sdkComplete } from '../core/recipes/sdkComplete';
import type { RecipeDefinition, RecipeInput, StepResult } from '../core/recipes/types';
import type { AnthropicService } from '../platform/anthropicService';
import type { Settings } from '../platform/settings';
import { batchJobs } from '../batches/batchJobs';
import type { CostEstimate } from '../core/batches/requests';
import { formatUsd } from '../core/batches/requests';
import type { RunEstimate } from '../core/recipes/runEstimate';
import { estimateRun } from '../core/recipes/runEstimate';
import { ExampleSetStore } from './exampleSets';
import { askRecipeInput } from './recipeInputs';
import type { LoadedRecipes } from './recipeSources';
import { loadRecipes } from './recipeSources';
import { recipeDisplay, recipeStrings } from './strings';

export interface RecipeDeps {
  readonly controller: ChatController;
  readonly session: ChatSession;
  readonly anthropic: AnthropicService;
  readonly settings: Settings;
  readonly state: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
  /** The selection and saved example sets pass the egress gate before a recipe sends them. */
  readonly egress: WorkspaceGate;
}

function fullUsage(usage: UsageLike): Usage {
  return {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    cache_creation: usage.cache_creation ?? null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: usage.service_tier ?? null,
    speed: null,
  };
}

function turnStep(step: StepResult): TurnStep {
  return {
    title: step.title,
    status: step.status,
    text: step.text,
    ...(step.usage ? { usage: fullUsage(step.usage) } : {}),
    ...(step.error !== undefined ? { error: step.error } : {}),
    ...(step.model !== undefined ? { model: step.model } : {}),
  };
}

function concurrency(): number {
  const value = vscode.workspace.getConfiguration('claudeStudio').get<unknown>('recipeConcurrency');
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(8, Math.max(1, value)) : 4;
}

/** Where the material of a slash command's typed text is, as the user turn sent to Claude names it (English, like the rest of the prompt). */
const TYPED_TEXT = 'the text you typed';

/**
 * What a recipe runs on: the editor's selection (after the egress gate), else text typed after a
 * slash command. 'cancelled' when the gate held the selection back and the user did not send it.
 */
async function materialFrom(typed: string, egress: WorkspaceGate, recipeName: string): Promise<{ material: string; where: string; request: string } | 'cancelled' | undefined> {
  const current = currentSelectionAndUri();
  if (current !== undefined) {
    const selection = await gateSelection(egress, current.selection, current.uri, recipeName);
    if (selection === undefined) return 'cancelled';
    const lines = selection.startLine === selection.endLine ? `${selection.startLine}` : `${selection.startLine}-${selection.endLine}`;
    return { material: formatSelection(selection), where: `${selection.path}:${lines}`, request: typed };
  }
  if (typed.trim() !== '') return { material: typed, where: TYPED_TEXT, request: '' };
  return undefined;
}

/**
 * "Run now" or "Send as batch", each with its estimated cost; undefined when dismissed. Run now
 * includes what follows the first stage (a batch sends the first stage only).
 */
async function chooseNowOrBatch(recipe: RecipeDefinition, estimate: RunEstimate): Promise<'now' | 'batch' | undefined> {
  const cost = (e: CostEstimate): string => recipeStrings.costOf(formatUsd(e.inputUsd), formatUsd(e.maxOutputUsd), e.estimated);
  const { firstRequests, laterRequests } = estimate;
  const items: (vscode.QuickPickItem & { how: 'now' | 'batch' })[] = [
    { how: 'now', label: recipeStrings.runNow, description: cost(estimate.now), detail: recipeStrings.runNowDetail(firstRequests, laterRequests, recipe.kind) },
    { how: 'batch', label: recipeStrings.sendAsBatch, description: cost(estimate.batch), detail: recipeStrings.sendAsBatchDetail(firstRequests, recipe.kind) },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: recipeStrings.howTitle(recipeDisplay(recipe).name), ignoreFocusOut: true });
  return picked?.how;
}

/**
 * A saved example set goes out with the run: it is scanned like any other content (its first
 * input was seeded from a selection, and sets are stored per workspace).
 */
async function gateExamples(input: RecipeInput, egress: WorkspaceGate, recipeName: string): Promise<RecipeInput | undefined> {
  const set = input.examples;
  if (set === undefined) return input;
  const text = [set.instruction, ...set.examples.flatMap((example) => [example.input, example.output])].join('\n');
  const verdict = await (await egress.gate()).checkContent(text);
  if (verdict.clean) return input;
  const choice = await confirmEgress(recipeName, egressStrings.examplesWhere(set.name), verdict.exclusion);
  return choice === undefined ? undefined : input;
}

export function registerRecipes(deps: RecipeDeps): vscode.Disposable {
  const examples = new ExampleSetStore(deps.state);

  const run = async (recipe: RecipeDefinition, loaded: LoadedRecipes, typed: string, offerBatch = false): Promise<void> => {
    const source = await materialFrom(typed, deps.egress, recipe.name);
    if (source === 'cancelled') return;
    if (source === undefined) {
      void vscode.window.showInformationMessage(recipeStrings.noMaterial);
      return;
    }
    const config = deps.settings.current;
    const model = deps.anthropic.model(config.model);
    if (model === undefined) {
      void vscode.window.showErrorMessage(recipeStrings.unknownModel(config.model));
      return;
    }
    const base: RecipeInput = { material: source.material, ...(source.request ? { request: source.request } : {}) };
    const asked = await askRecipeInput(recipe, base, { personas: loaded.personas, examples, state: deps.state });
    if (asked === undefined) return;
    const input = await gateExamples(asked, deps.egress, recipe.name);
    if (input === undefined) return;
    // The chat's prompt (profile, the user's blocks, instructions.md in a trusted workspace) opens every request.
    const system = await deps.session.ensureSystem();
    const options = {
      model,
      system,
      concurrency: concurrency(),
      maxTokens: Math.min(config.maxTokens, 4096),
      cacheTtl: config.cache.ttl === '1h' ? ('1h' as const) : ('5m' as const),
    };
    let first: ReturnType<typeof independentRequests>;
    try {
      // Builds the first requests without sending them: a bad schema or an empty example set is
      // reported here, before a turn appears.
      first = independentRequests(recipe, input, { ...options, complete: () => Promise.reject(new Error('unused')) });
    } catch (error) {
      if (error instanceof RecipeInputError) return void vscode.window.showErrorMessage(recipeStrings.cannotRun(errorMessage(error)));
      throw error;
    }
    const batches = batchJobs();
    // Offered from "Run Recipe..." (a slash command in the chat wants its answer there, now).
    if (offerBatch && first.length > 1 && batches !== undefined) {
      const how = await chooseNowOrBatch(recipe, estimateRun(recipe, input, options));
      if (how === undefined) return;
      if (how === 'batch') {
        const request = input.request?.trim() || recipe.description;
        try {
          await batches.submitPrepared(first, { name: recipeStrings.batchJobName(recipeDisplay(recipe).name, source.where === TYPED_TEXT ? recipeStrings.typedText : source.where), prompt: request, recipe: { id: recipe.id, name: recipe.name, kind: recipe.kind } });
        } catch (error) {
          void vscode.window.showErrorMessage(recipeStrings.batchFailed(error instanceof Error && !('status' in error) ? errorMessage(error) : deps.anthropic.describe(error).message));
        }
        return;
      }
    }
    if (!(await deps.controller.prepare())) return;
    const text = [recipeStrings.userTurn(recipe.name, source.where), source.request, source.where === TYPED_TEXT ? '' : source.material]
      .filter((part) => part !== '')
      .join('\n\n');
    await deps.session.runTask(text, recipe.name, async (turn, signal, update) => {
      const complete = sdkComplete(await deps.anthropic.getClient(), { stallTimeoutMs: deps.settings.current.request.stallTimeoutSeconds * 1000 });
      // Self-consistency groups differing answers by meaning on the cheapest model of the catalog.
      const clusterModel = recipe.kind === 'selfConsistency' ? cheapestModel(await deps.anthropic.models()) : undefined;
      const result = await runRecipe(recipe, input, {
        ...options,
        system: deps.session.current.system,
        ...(clusterModel !== undefined ? { clusterModel } : {}),
        complete,
        signal,
        onProgress: (steps) => {
          turn.recipe = { name: recipeDisplay(recipe).name, steps: steps.map(turnStep) };
          update();
        },
      });
      turn.recipe = { name: recipeDisplay(recipe).name, steps: result.steps.map(turnStep) };
      deps.log.info(`Recipe ${recipe.id}: ${result.steps.length} requests, $${result.costUsd.toFixed(6)}`);
      return { text: result.answer, ...(result.error !== undefined ? { error: result.error } : {}) };
    });
  };

  const pickAndRun = async (): Promise<void> => {
    const loaded = await loadRecipes(deps.log);
    const originLabel = { builtin: recipeStrings.builtin, workspace: recipeStrings.fromWorkspace, settings: recipeStrings.fromSettings };
    const picked = await vscode.window.showQuickPick(
      loaded.recipes.map((recipe) => ({ label: recipeDisplay(recipe).name, description: `/${recipe.slash} · ${originLabel[recipe.origin]}`, detail: recipeDisplay(recipe).description, recipe })),
      { title: recipeStrings.pickTitle, placeHolder: recipeStrings.pickPlaceholder, matchOnDescription: true, matchOnDetail: true },
    );
    if (picked) await run(picked.recipe, loaded, '', true);
  };

  const runSlash = async ({ command, text }: { command: string; text: string }): Promise<void> => {
    const loaded = await loadRecipes(deps.log);
    const recipe = loaded.recipes.find((r) => r.slash === command) ?? loaded.recipes.find((r) => r.id === command);
    if (recipe === undefined) {
      deps.controller.restoreDraft(`/${command}${text ? ` ${text}` : ''}`);
      void vscode.window.showWarningMessage(recipeStrings.unknownCommand(command, loaded.recipes.map((r) => r.slash)));
      return;
    }
    await run(recipe, loaded, text);
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('claudeStudio.runRecipe', pickAndRun),
    deps.controller.onDidRequestRecipe((request) => void runSlash(request).catch((error: unknown) => deps.log.error(`Recipe failed: ${errorMessage(error)}`))),
  );
}
