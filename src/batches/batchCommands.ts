import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceGate } from '../egress/workspaceGate';
import type { CodeApplier } from '../chat/applyCode';
import { BatchManager } from '../core/batches/batchManager';
import { specOf } from '../core/batches/model';
import { exportConflicts, exportJob, exportName } from '../core/batches/export';
import { nodeExportFs } from '../platform/nodeExportFs';
import { codeToApply, resultBody } from '../core/batches/ingest';
import type { BatchJob, JobRequest } from '../core/batches/model';
import { describeCounts, retryableRequests } from '../core/batches/model';
import type { BatchFile, BatchSpec } from '../core/batches/requests';
import { estimateCost, fileRequestBytes, formatUsd, splitByLimits } from '../core/batches/requests';
import { batchResultsSummary, perFileRecipe, recipeFileTemplate } from '../core/recipes/batchForm';
import type { Persona, RecipeDefinition } from '../core/recipes/types';
import { loadRecipes } from '../recipes/recipeSources';
import type { AnthropicService } from '../platform/anthropicService';
import { DisposableStore } from '../platform/disposable';
import { nodeBatchFs } from '../platform/nodeBatchFs';
import { nodeLockFs } from '../platform/nodeLockFs';
import type { Settings } from '../platform/settings';
import type { SkippedFile } from './batchFiles';
import { collectFiles, readHeldBack, readRequestFiles } from './batchFiles';
import type { ShrinkImage } from '../core/context/readFile';
import { setBatchJobs } from './batchJobs';
import { promptChoices, readBatchSettings } from './batchSettings';
import type { BatchNode } from './batchTreeProvider';
import { BATCH_VIEW_ID, BatchTreeProvider } from './batchTreeProvider';
import { errorMessage } from '../core/util/errors';
import { redactSecrets } from '../core/anthropic/redact';
import { providerMessages } from '../core/providers/providers';
import { confirmUntrustedSend } from '../platform/workspaceTrust';

const RESULT_SCHEME = 'claude-studio-batch-result';

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
  get recipeSummary(): string { return vscode.l10n.t('Worked out from the answers below (no extra request)'); },
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
  ended: (name: string, counts: string): string => vscode.l10n.t('Batch "{0}" ended: {1}.', name, counts),
  get openResults(): string { return vscode.l10n.t('Open Results'); },
  interrupted: (name: string, kept: number, rest: number): string =>
    vscode.l10n.t('"{0}" was stopped when its window closed or crashed: finished answers kept: {1}; requests that never finished: {2}.', name, kept, rest),
  get runRest(): string { return vscode.l10n.t('Run the Rest'); },
  createFailed: (name: string, error: string): string => vscode.l10n.t('Batch "{0}" was not created: {1}', name, error),
  tooLarge: (n: number): string => (n === 1 ? vscode.l10n.t('1 file is larger than one batch may be and was left out.') : vscode.l10n.t('{0} files are larger than one batch may be and were left out.', n)),
  get noResult(): string { return vscode.l10n.t('This request has no result yet.'); },
  get nothingToApply(): string { return vscode.l10n.t('This result has no text to apply.'); },
  get noFile(): string { return vscode.l10n.t('The file of this request is not known (imported job).'); },
  confirmDelete: (name: string): string => vscode.l10n.t('Delete batch job "{0}" and its downloaded results?', name),
  get delete(): string { return vscode.l10n.t('Delete'); },
  confirmCancel: (name: string): string => vscode.l10n.t('Cancel batch job "{0}"? Requests not yet processed end canceled.', name),
  get cancel(): string { return vscode.l10n.t('Cancel Job'); },
  get nothingToRetry(): string { return vscode.l10n.t('No errored or expired requests to retry.'); },
  get retryFilesGone(): string { return vscode.l10n.t('The files of the failed requests can no longer be read.'); },
  get exportTitle(): string { return vscode.l10n.t('Export results to this folder'); },
  exported: (n: number, dir: string): string => vscode.l10n.t('Exported {0} results and results.jsonl to {1}.', n, dir),
  exportReplace: (dir: string, n: number): string => (n === 1 ? vscode.l10n.t('{0} already holds 1 file of an earlier export. Replace it?', dir) : vscode.l10n.t('{0} already holds {1} files of an earlier export. Replace them?', dir, n)),
  get exportReplaceButton(): string { return vscode.l10n.t('Replace'); },
  exportFailed: (reason: string): string => vscode.l10n.t('Claude Studio: the export failed. {0}', reason),
  imported: (n: number): string => (n === 0 ? vscode.l10n.t('No other batches found for this API key.') : n === 1 ? vscode.l10n.t('Imported 1 batch.') : vscode.l10n.t('Imported {0} batches.', n)),
  get copied(): string { return vscode.l10n.t('Result copied.'); },
  resultsCap: (shown: number, total: number): string => `\n---\n\n${vscode.l10n.t('{0} more results are not shown here: use Export Results to get them all.', total - shown)}\n`,
  jobName: (prompt: string): string => {
    const oneLine = prompt.replace(/\s+/g, ' ').trim();
    return oneLine.length > 28 ? `${oneLine.slice(0, 27)}…` : oneLine;
  },
};

export interface BatchDeps {
  readonly context: vscode.ExtensionContext;
  readonly anthropic: AnthropicService;
  readonly settings: Settings;
  readonly applier: CodeApplier;
  readonly log: vscode.LogOutputChannel;
  /** The egress gate: every file a batch or Run now reads passes it. */
  readonly egress?: WorkspaceGate;
  /** Scales large images down as the chat does (images in a batch over screenshots). */
  readonly shrinkImage?: ShrinkImage;
}

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

export function registerBatches(deps: BatchDeps): vscode.Disposable {
  const disposables = new DisposableStore();
  const { anthropic, log } = deps;
  const manager = new BatchManager({
    fs: nodeBatchFs,
    // Every window shares this folder: jobs are owned through locks in it, not per process.
    lockFs: nodeLockFs,
    dir: path.join(deps.context.globalStorageUri.fsPath, 'batches'),
    // The Batches API only where the provider has it (the capability table); Run Now everywhere.
    getClient: async () => {
      if (!anthropic.capabilities.batches) throw new Error(providerMessages.noBatches(deps.settings.current.provider));
      return anthropic.getClient();
    },
    getMessagesClient: () => anthropic.getClient(),
    clock: { now: () => Date.now(), setTimer: (cb, ms) => {
      const handle = setTimeout(cb, ms);
      return { dispose: () => clearTimeout(handle) };
    } },
    model: (id) => anthropic.model(id),
    pollIntervals: () => {
      const s = readBatchSettings();
      return { minMs: s.pollMinMs, maxMs: s.pollMaxMs };
    },
    log: (message) => log.info(message),
    stallTimeoutMs: () => deps.settings.current.request.stallTimeoutSeconds * 1000,
  });
  manager.readFiles = (requests) => readRequestFiles(requests, deps.egress, deps.shrinkImage);
  disposables.add(manager);
  const tree = disposables.add(new BatchTreeProvider(manager));
  const view = disposables.add(vscode.window.createTreeView(BATCH_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true, canSelectMany: false }));
  const fresh = (job: BatchJob): BatchJob => manager.journal.get(job.key) ?? job;

  disposables.add(manager.onDidEnd((job) => {
    const interrupted = job.requests.filter((r) => r.interrupted === true).length;
    if (job.mode === 'now' && interrupted > 0) {
      // A Run now a crash stopped: offer exactly what never finished (what did is kept).
      void vscode.window.showWarningMessage(strings.interrupted(job.name, job.requests.length - interrupted, interrupted), strings.runRest, strings.openResults).then((answer) => {
        if (answer === strings.runRest) void vscode.commands.executeCommand('claudeStudio.batch.retryFailed', { kind: 'job', job });
        if (answer === strings.openResults) void openJobResults(job);
      });
      return;
    }
    void vscode.window.showInformationMessage(strings.ended(job.name, describeCounts(job.counts)), strings.openResults).then((answer) => {
      if (answer === strings.openResults) void openJobResults(job);
    });
  }));

  // Results open as read-only Markdown documents (nothing to save, nothing dirty on close).
  const documents = new Map<string, string>();
  let documentCounter = 0;
  const onDidChangeDocument = disposables.add(new vscode.EventEmitter<vscode.Uri>());
  disposables.add(vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, {
    onDidChange: onDidChangeDocument.event,
    provideTextDocumentContent: (uri) => documents.get(uri.query) ?? '',
  }));
  disposables.add(vscode.workspace.onDidCloseTextDocument((document) => {
    if (document.uri.scheme === RESULT_SCHEME) documents.delete(document.uri.query);
  }));
  const openMarkdown = async (title: string, content: string): Promise<void> => {
    const key = String(++documentCounter);
    documents.set(key, content);
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${safeName(title)}.md`, query: key });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown').then(undefined, () => undefined);
    await vscode.window.showTextDocument(document, { preview: true });
  };

  const openJobResults = async (job: BatchJob): Promise<void> => {
    job = fresh(job);
    void view.reveal({ kind: 'job', job }, { expand: true, select: true }).then(undefined, () => undefined);
    const cap = 200;
    const parts = [`# ${job.name}\n\n${describeCounts(job.counts)}\n`];
    let shown = 0;
    const answers: (string | undefined)[] = [];
    for (const request of job.requests) {
      if (shown >= cap) break;
      const item = await manager.readResult(job, request).catch(() => undefined);
      if (item === undefined) continue;
      answers.push(item.result.type === 'succeeded' ? resultBody(item) : undefined);
      parts.push(`\n---\n\n## ${request.label}\n\n${resultBody(item)}\n`);
      shown++;
    }
    const summary = job.recipe !== undefined ? batchResultsSummary(job.recipe.kind, answers) : undefined;
    if (summary !== undefined) parts.splice(1, 0, `\n_${strings.recipeSummary}_\n\n${summary}\n`);
    if (job.requests.length > cap) parts.push(strings.resultsCap(shown, job.requests.length));
    await openMarkdown(`${job.name} results`, parts.join(''));
  };

  const resultText = async (node: BatchNode): Promise<{ job: BatchJob; request: JobRequest; text: string } | undefined> => {
    if (node.kind !== 'request' && node.kind !== 'result') return undefined;
    const job = fresh(node.job);
    const request = job.requests.find((r) => r.customId === node.request.customId) ?? node.request;
    const item = await manager.readResult(job, request);
    if (item === undefined) {
      void vscode.window.showInformationMessage(strings.noResult);
      return undefined;
    }
    return { job, request, text: resultBody(item) };
  };

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

  const guard = (fn: (...args: never[]) => Promise<unknown>) => async (...args: never[]): Promise<void> => {
    try {
      await fn(...args);
    } catch (error) {
      const message = error instanceof Error && !('status' in error) ? errorMessage(error) : anthropic.describe(error).message;
      log.error(`Batch command failed: ${message}`);
      void vscode.window.showErrorMessage(message);
    }
  };
  const register = (id: string, fn: (...args: never[]) => Promise<unknown>): void => {
    disposables.add(vscode.commands.registerCommand(id, guard(fn)));
  };

  register('claudeStudio.runBatch', (first?: unknown, second?: unknown, third?: unknown) => runBatch(first, second, third));
  register('claudeStudio.refreshBatches', async () => {
    tree.refresh();
    await manager.pollOnce();
  });
  register('claudeStudio.showBatches', async () => {
    await vscode.commands.executeCommand(`${BATCH_VIEW_ID}.focus`);
  });
  register('claudeStudio.batch.showMore', async (node: BatchNode) => {
    tree.showMore(node.job);
  });
  register('claudeStudio.batch.openResult', async (node: BatchNode) => {
    if (node.kind === 'job') return openJobResults(node.job);
    const result = await resultText(node);
    if (result) await openMarkdown(`${result.request.label} result`, `# ${result.request.label}\n\n${result.text}\n`);
  });
  register('claudeStudio.batch.openJobResults', async (node: BatchNode) => openJobResults(node.job));
  register('claudeStudio.batch.copyResult', async (node: BatchNode) => {
    const result = await resultText(node);
    if (!result) return;
    await vscode.env.clipboard.writeText(result.text);
    void vscode.window.setStatusBarMessage(strings.copied, 3000);
  });
  register('claudeStudio.batch.applyResult', async (node: BatchNode) => {
    const result = await resultText(node);
    if (!result) return;
    if (!result.request.file) return void vscode.window.showInformationMessage(strings.noFile);
    if (result.request.outcome !== 'succeeded' || !result.text.trim()) return void vscode.window.showInformationMessage(strings.nothingToApply);
    const editor = await vscode.window.showTextDocument(vscode.Uri.parse(result.request.file), { preview: false });
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await deps.applier.apply(codeToApply(result.text));
  });
  register('claudeStudio.batch.cancel', async (node: BatchNode) => {
    const job = fresh(node.job);
    const answer = await vscode.window.showWarningMessage(strings.confirmCancel(job.name), { modal: true }, strings.cancel);
    if (answer === strings.cancel) await manager.cancel(job);
  });
  register('claudeStudio.batch.retryFailed', async (node: BatchNode) => {
    const job = fresh(node.job);
    if (retryableRequests(job).length === 0) return void vscode.window.showInformationMessage(strings.nothingToRetry);
    if (!(await confirmUntrustedSend(retryableRequests(job).length))) return;
    if (job.mode === 'now') {
      const files = await readRequestFiles(retryableRequests(job), deps.egress, deps.shrinkImage);
      if (files === undefined) return void vscode.window.showErrorMessage(strings.retryFilesGone);
      return runNow(specOf(job), files, vscode.l10n.t('Retry of {0}', job.name), job.key);
    }
    await manager.retryFailed(job);
  });
  register('claudeStudio.batch.delete', async (node: BatchNode) => {
    const job = fresh(node.job);
    const answer = await vscode.window.showWarningMessage(strings.confirmDelete(job.name), { modal: true }, strings.delete);
    if (answer === strings.delete) await manager.delete(job);
  });
  register('claudeStudio.batch.export', async (node: BatchNode) => {
    const job = fresh(node.job);
    const target = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title: strings.exportTitle, openLabel: vscode.l10n.t('Export') });
    const dir = target?.[0];
    if (dir === undefined) return;
    const folder = vscode.Uri.joinPath(dir, exportName(job.name));
    try {
      const conflicts = await exportConflicts(job, folder.fsPath, nodeExportFs);
      if (conflicts.length > 0) {
        const answer = await vscode.window.showWarningMessage(strings.exportReplace(folder.fsPath, conflicts.length), { modal: true }, strings.exportReplaceButton);
        if (answer !== strings.exportReplaceButton) return;
      }
      const count = await exportJob(manager, job, folder.fsPath, nodeExportFs, { replace: conflicts.length > 0 });
      void vscode.window.showInformationMessage(strings.exported(count, folder.fsPath));
    } catch (error) {
      void vscode.window.showErrorMessage(strings.exportFailed(errorMessage(error)));
    }
  });
  register('claudeStudio.batch.importFromApi', async () => {
    void vscode.window.showInformationMessage(strings.imported(await manager.importFromApi()));
  });

  setBatchJobs({
    submitPrepared: async (requests, options) => {
      // Same question as a batch over files: an untrusted workspace's content goes out in bulk.
      if (!(await confirmUntrustedSend(requests.length, 'requests'))) return undefined;
      const job = await manager.createPrepared(requests, options);
      void vscode.commands.executeCommand(`${BATCH_VIEW_ID}.focus`).then(undefined, () => undefined);
      if (job.state === 'failed') void vscode.window.showErrorMessage(strings.createFailed(job.name, redactSecrets(job.error ?? '')));
      else void vscode.window.showInformationMessage(strings.submitted(job.name));
      return job;
    },
  });
  disposables.add({ dispose: () => setBatchJobs(undefined) });

  void manager.init().catch((error: unknown) => log.error(`Batch jobs could not be loaded: ${errorMessage(error)}`));
  return disposables;
}

function safeName(text: string): string {
  return text.replace(/[^a-zA-Z0-9._ -]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'result';
}
