/**
 * Starting batch jobs: "Run a Prompt on Each File" (files, a prompt or recipe, model, max tokens,
 * what each way costs, then a batch or Run now), Run now itself (also for a retry), and prepared
 * requests another feature sends as one job (a recipe sent as a batch).
 */
import * as vscode from 'vscode';
import type { BatchManager } from '../core/batches/batchManager';
import type { BatchFile, BatchSpec } from '../core/batches/requests';
import { estimateCost, fileRequestBytes, formatUsd, splitByLimits } from '../core/batches/requests';
import { perFileRecipe, recipeFileTemplate } from '../core/recipes/batchForm';
import type { Persona, RecipeDefinition } from '../core/recipes/types';
import { loadRecipes } from '../recipes/recipeSources';
import type { SkippedFile } from './batchFiles';
import { collectFiles, readHeldBack } from './batchFiles';
import type { BatchJobsApi } from './batchJobs';
import { promptChoices, readBatchSettings } from './batchSettings';
import { BATCH_VIEW_ID } from './batchTreeProvider';
import type { BatchDeps } from './batchCommands';
import { errorMessage } from '../core/util/errors';
import { redactSecrets } from '../core/anthropic/redact';
import { providerMessages } from '../core/providers/providers';
import { confirmUntrustedSend } from '../platform/workspaceTrust';

const strings = {
  get pickFiles(): string { return vscode.l10n.t('Run a Prompt on Each File'); },
  get pickFilesButton(): string { return vscode.l10n.t('Select Files'); },
  get noFiles(): string { return vscode.l10n.t('None of the selected files can be sent to Claude (binary, secret or too large files are skipped).'); },
  skipped: (n: number, examples: string): string => (n === 1 ? vscode.l10n.t('Skipped 1 file: {0}', examples) : vscode.l10n.t('Skipped {0} files: {1}', n, examples)),
  get promptTitle(): string { return vscode.l10n.t('Prompt to run on each file'); },
  get writePrompt(): string { return `$(edit) ${vscode.l10n.t('Write a prompt…')}`; },
  get writePromptDetail(): string { return vscode.l10n.t('Type the instructions Claude follows for every file'); },
  get savedPrompts(): string { return vscode.l10n.t('Saved prompts'); },
  get recipes(): string { return vscode.l10n.t('Prompt recipes (one request per file)'); },
  get recipeDescription(): string { return vscode.l10n.t('recipe'); },
  recipeJobName: (name: string): string => vscode.l10n.t('Recipe: {0}', name),
  submitted: (name: string): string => vscode.l10n.t('"{0}" was sent as a batch. Its results open from the Batch Jobs view when it ends.', name),
  get promptInput(): string { return vscode.l10n.t('What should Claude do with each file?'); },
  get promptPlaceholder(): string { return vscode.l10n.t('e.g. Add JSDoc comments to every exported function and return the whole file'); },
  get emptyPrompt(): string { return vscode.l10n.t('Write some instructions for Claude.'); },
  get modelTitle(): string { return vscode.l10n.t('Model for the batch'); },
  get maxTokensPrompt(): string { return vscode.l10n.t('Max tokens per answer'); },
  maxTokensInvalid: (max: number): string => vscode.l10n.t('Enter a whole number from 1 to {0}.', max),
  confirm: (n: number): string => (n === 1 ? vscode.l10n.t('Send 1 request to Claude?') : vscode.l10n.t('Send {0} requests to Claude?', n)),
  get runBatch(): string { return vscode.l10n.t('Run as Batch'); },
  get includeHeld(): string { return vscode.l10n.t('Send Held-Back Files Anyway…'); },
  get includeHeldTitle(): string { return vscode.l10n.t('Send these files anyway?'); },
  get includeHeldPlaceholder(): string { return vscode.l10n.t('The rules held these back; pick the ones to send in this batch only'); },
  get runNow(): string { return vscode.l10n.t('Run Now'); },
  detail: (files: number, model: string, maxTokens: number, batchIn: string, batchOut: string, nowIn: string, nowOut: string, jobs: number, concurrency: number): string =>
    `${files === 1 ? vscode.l10n.t('1 file, one request · {0} · max {1} tokens per answer.', model, maxTokens) : vscode.l10n.t('{0} files, one request each · {1} · max {2} tokens per answer.', files, model, maxTokens)}\n\n` +
    `${jobs > 1 ? vscode.l10n.t('As a batch (50% off, results within 24 hours, split into {0} jobs by the API limits): ≈{1} input + up to {2} output.', jobs, batchIn, batchOut) : vscode.l10n.t('As a batch (50% off, results within 24 hours): ≈{0} input + up to {1} output.', batchIn, batchOut)}\n` +
    vscode.l10n.t('Run now ({0} at a time, full price): ≈{1} input + up to {2} output.', concurrency, nowIn, nowOut),
  nowTitle: (name: string): string => `Claude: ${name}`,
  nowProgress: (done: number, total: number): string => vscode.l10n.t('{0}/{1} done', done, total),
  createFailed: (name: string, error: string): string => vscode.l10n.t('Batch "{0}" was not created: {1}', name, error),
  tooLarge: (n: number): string => (n === 1 ? vscode.l10n.t('1 file is larger than one batch may be and was left out.') : vscode.l10n.t('{0} files are larger than one batch may be and were left out.', n)),
  jobName: (prompt: string): string => {
    const oneLine = prompt.replace(/\s+/g, ' ').trim();
    return oneLine.length > 28 ? `${oneLine.slice(0, 27)}…` : oneLine;
  },
};

function isUri(value: unknown): value is vscode.Uri {
  return value instanceof vscode.Uri;
}

/** Uris from any of the ways the command is called: explorer (uri, uris), chat (uris, prompt), palette (). */
function urisFrom(first: unknown, second: unknown): vscode.Uri[] | undefined {
  if (Array.isArray(second) && second.every(isUri) && second.length > 0) return second;
  if (Array.isArray(first) && first.every(isUri) && first.length > 0) return first;
  if (isUri(first)) return [first];
  return undefined;
}

/** What registerBatches takes from here: the command's flow, Run now (for Retry) and prepared jobs. */
export interface BatchRunner {
  /** claudeStudio.runBatch, with the arguments of any of the ways it is called. */
  runBatch(first?: unknown, second?: unknown, third?: unknown): Promise<void>;
  runNow(spec: BatchSpec, files: readonly BatchFile[], name: string, retryOf?: string): Promise<void>;
  readonly submitPrepared: BatchJobsApi['submitPrepared'];
}

export function createBatchRunner(deps: BatchDeps, manager: BatchManager): BatchRunner {
  const { anthropic, log } = deps;

  type PromptChoice = { readonly prompt: string; readonly recipe?: RecipeDefinition; readonly personas?: readonly Persona[] };
  const pickPrompt = async (given: unknown): Promise<PromptChoice | undefined> => {
    if (typeof given === 'string' && given.trim()) return { prompt: given };
    type Item = vscode.QuickPickItem & { prompt?: string; recipe?: RecipeDefinition };
    const saved = promptChoices();
    const loaded = await loadRecipes(log).catch(() => undefined);
    const recipes = (loaded?.recipes ?? []).filter(perFileRecipe);
    const items: Item[] = [
      { label: strings.writePrompt, detail: strings.writePromptDetail, alwaysShow: true },
      ...(saved.length > 0 && recipes.length > 0 ? [{ label: strings.savedPrompts, kind: vscode.QuickPickItemKind.Separator }] : []),
      ...saved.map((choice) => ({ label: choice.name, detail: choice.prompt.replace(/\s+/g, ' ').slice(0, 200), prompt: choice.prompt })),
      ...(recipes.length > 0 ? [{ label: strings.recipes, kind: vscode.QuickPickItemKind.Separator }] : []),
      ...recipes.map((recipe) => ({ label: `$(beaker) ${recipe.name}`, description: strings.recipeDescription, detail: recipe.description, prompt: strings.recipeJobName(recipe.name), recipe })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: strings.promptTitle, matchOnDetail: true, ignoreFocusOut: true });
    if (picked === undefined) return undefined;
    if (picked.recipe !== undefined) return { prompt: picked.prompt ?? picked.recipe.name, recipe: picked.recipe, ...(loaded ? { personas: loaded.personas } : {}) };
    if (picked.prompt !== undefined) return { prompt: picked.prompt };
    const written = await vscode.window.showInputBox({
      title: strings.promptTitle,
      prompt: strings.promptInput,
      placeHolder: strings.promptPlaceholder,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : strings.emptyPrompt),
    });
    return written?.trim() ? { prompt: written } : undefined;
  };

  const pickModel = async (): Promise<string | undefined> => {
    const current = deps.settings.current.model;
    const models = (await anthropic.models()).filter((m) => m.lifecycle.status !== 'retired' && m.aliasOf === undefined);
    const items = models.map((m) => ({ label: m.displayName, description: m.id === current ? `${m.id} · ${vscode.l10n.t('current')}` : m.id, detail: vscode.l10n.t('{0}/M in · {1}/M out at the batch price', `$${m.pricing.input * m.pricing.batchDiscount}`, `$${m.pricing.output * m.pricing.batchDiscount}`), id: m.id }));
    items.sort((a, b) => Number(b.id === current) - Number(a.id === current));
    if (items.length === 0) return current;
    const picked = await vscode.window.showQuickPick(items, { title: strings.modelTitle, ignoreFocusOut: true, matchOnDescription: true });
    return picked?.id;
  };

  const pickMaxTokens = async (modelId: string): Promise<number | undefined> => {
    const max = anthropic.model(modelId)?.maxOutputTokens ?? 128_000;
    const initial = Math.min(max, readBatchSettings().maxTokens);
    const value = await vscode.window.showInputBox({
      title: strings.maxTokensPrompt,
      value: String(initial),
      ignoreFocusOut: true,
      validateInput: (text) => (/^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= max ? undefined : strings.maxTokensInvalid(max)),
    });
    return value === undefined ? undefined : Number(value.trim());
  };

  const runNow = async (spec: BatchSpec, files: readonly BatchFile[], name: string, retryOf?: string): Promise<void> => {
    const concurrency = readBatchSettings().concurrency;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: strings.nowTitle(name), cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        await manager.runNow(spec, files, retryOf !== undefined ? { name, retryOf } : { name }, concurrency, controller.signal, (p) => {
          progress.report({ message: strings.nowProgress(p.done, p.total), increment: 100 / p.total });
        });
      } finally {
        subscription.dispose();
      }
    });
  };

  /**
   * Lets the user pick files the gate held back and send them anyway (moved from `skipped` into
   * `files`). With `warning`, first asks whether to (nothing else can be sent). Resolves to how
   * many were added, undefined when the user chose none.
   */
  const includeHeldBack = async (files: BatchFile[], skipped: SkippedFile[], warning?: string): Promise<number | undefined> => {
    const held = skipped.filter((s) => s.heldBack !== undefined);
    if (held.length === 0) return undefined;
    if (warning !== undefined && (await vscode.window.showWarningMessage(warning, strings.includeHeld)) !== strings.includeHeld) return undefined;
    const picked = await vscode.window.showQuickPick(
      held.map((file) => ({ label: file.label, description: file.reason, file })),
      { canPickMany: true, title: strings.includeHeldTitle, placeHolder: strings.includeHeldPlaceholder },
    );
    if (picked === undefined || picked.length === 0) return undefined;
    let added = 0;
    for (const { file } of picked) {
      try {
        files.push(await readHeldBack(file));
        skipped.splice(skipped.indexOf(file), 1);
        added++;
      } catch (error) {
        void vscode.window.showWarningMessage(errorMessage(error));
      }
    }
    return added > 0 ? added : undefined;
  };

  const runBatch = async (first?: unknown, second?: unknown, third?: unknown): Promise<void> => {
    let uris = urisFrom(first, second);
    const givenPrompt = Array.isArray(first) ? second : third;
    if (uris === undefined) {
      uris = await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFiles: true, canSelectFolders: true, title: strings.pickFiles, openLabel: strings.pickFilesButton, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
      if (uris === undefined || uris.length === 0) return;
    }
    const { files, skipped } = await collectFiles(uris, undefined, deps.egress, deps.shrinkImage);
    if (skipped.length > 0) log.info(strings.skipped(skipped.length, skipped.map((s) => `${s.label} (${s.reason})`).join(', ')));
    if (files.length === 0) {
      // Nothing passed the rules: say so, and offer what the gate held back (if anything).
      if (!skipped.some((s) => s.heldBack !== undefined)) return void vscode.window.showWarningMessage(strings.noFiles);
      if ((await includeHeldBack(files, skipped, strings.noFiles)) === undefined) return;
    }
    if (!(await confirmUntrustedSend(files.length))) return;
    const choice = await pickPrompt(givenPrompt);
    if (choice === undefined) return;
    const prompt = choice.prompt;
    const model = await pickModel();
    if (model === undefined) return;
    const maxTokens = await pickMaxTokens(model);
    if (maxTokens === undefined) return;
    const entry = anthropic.model(model);
    let spec: BatchSpec = { prompt, model, maxTokens };
    if (choice.recipe !== undefined) {
      if (entry === undefined) throw new Error(vscode.l10n.t('Claude Studio does not know the model "{0}".', model));
      // The recipe's request for each file: its instructions as the cached system prompt, the file after.
      spec = { ...spec, template: recipeFileTemplate(choice.recipe, { model: entry, ...(choice.personas ? { personas: choice.personas } : {}) }) };
    }
    const concurrency = readBatchSettings().concurrency;
    const describe = (): string => {
      let detail = '';
      if (entry !== undefined) {
        const batch = estimateCost(spec, files, entry, true);
        const now = estimateCost(spec, files, entry, false);
        const jobs = splitByLimits(files, (file) => fileRequestBytes(spec, 'x', file)).chunks.length;
        detail = strings.detail(files.length, entry.displayName, maxTokens, formatUsd(batch.inputUsd), formatUsd(batch.maxOutputUsd), formatUsd(now.inputUsd), formatUsd(now.maxOutputUsd), jobs, concurrency);
      }
      if (skipped.length > 0) detail += `\n\n${strings.skipped(skipped.length, skipped.slice(0, 5).map((s) => `${s.label} (${s.reason})`).join(', '))}${skipped.length > 5 ? '…' : ''}`;
      return detail;
    };
    let answer: string | undefined;
    // The gate's verdicts stand unless the user picks held-back files to send anyway, once, here.
    for (;;) {
      const offer = skipped.some((s) => s.heldBack !== undefined) ? [strings.includeHeld] : [];
      answer = await vscode.window.showInformationMessage(strings.confirm(files.length), { modal: true, detail: describe() }, strings.runBatch, strings.runNow, ...offer);
      if (answer !== strings.includeHeld) break;
      await includeHeldBack(files, skipped);
    }
    if (answer === undefined) return;
    const name = choice.recipe !== undefined ? strings.recipeJobName(choice.recipe.name) : strings.jobName(prompt);
    void vscode.commands.executeCommand(`${BATCH_VIEW_ID}.focus`).then(undefined, () => undefined);
    if (answer === strings.runNow) return runNow(spec, files, name);
    if (!anthropic.capabilities.batches) {
      void vscode.window.showWarningMessage(providerMessages.noBatches(deps.settings.current.provider));
      return;
    }
    try {
      const { jobs, tooLarge } = await manager.create(spec, files, { name });
      if (tooLarge.length > 0) void vscode.window.showWarningMessage(strings.tooLarge(tooLarge.length));
      for (const job of jobs) if (job.state === 'failed') void vscode.window.showErrorMessage(strings.createFailed(job.name, redactSecrets(job.error ?? '')));
    } catch (error) {
      void vscode.window.showErrorMessage(strings.createFailed(name, anthropic.describe(error).message));
    }
  };

  const submitPrepared: BatchJobsApi['submitPrepared'] = async (requests, options) => {
    // Same question as a batch over files: an untrusted workspace's content goes out in bulk.
    if (!(await confirmUntrustedSend(requests.length, 'requests'))) return undefined;
    const job = await manager.createPrepared(requests, options);
    void vscode.commands.executeCommand(`${BATCH_VIEW_ID}.focus`).then(undefined, () => undefined);
    if (job.state === 'failed') void vscode.window.showErrorMessage(strings.createFailed(job.name, redactSecrets(job.error ?? '')));
    else void vscode.window.showInformationMessage(strings.submitted(job.name));
    return job;
  };

  return { runBatch, runNow, submitPrepared };
}
