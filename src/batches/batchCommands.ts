/**
 * The Batch Jobs view and what happens to a job once it exists: the manager wired to storage and
 * the API, results opened as read-only Markdown, and the commands on a job or result (open, copy,
 * apply, cancel, retry, delete, export, import). Starting a job is batchRunner.ts.
 */
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
import { batchResultsSummary } from '../core/recipes/batchForm';
import type { AnthropicService } from '../platform/anthropicService';
import { DisposableStore } from '../platform/disposable';
import { nodeBatchFs } from '../platform/nodeBatchFs';
import { nodeLockFs } from '../platform/nodeLockFs';
import type { Settings } from '../platform/settings';
import { readRequestFiles } from './batchFiles';
import type { ShrinkImage } from '../core/context/readFile';
import { setBatchJobs } from './batchJobs';
import { readBatchSettings } from './batchSettings';
import { createBatchRunner } from './batchRunner';
import type { BatchNode } from './batchTreeProvider';
import { BATCH_VIEW_ID, BatchTreeProvider } from './batchTreeProvider';
import { errorMessage } from '../core/util/errors';
import { providerMessages } from '../core/providers/providers';
import { confirmUntrustedSend } from '../platform/workspaceTrust';

const RESULT_SCHEME = 'claude-studio-batch-result';

const strings = {
  get recipeSummary(): string { return vscode.l10n.t('Worked out from the answers below (no extra request)'); },
  ended: (name: string, counts: string): string => vscode.l10n.t('Batch "{0}" ended: {1}.', name, counts),
  get openResults(): string { return vscode.l10n.t('Open Results'); },
  interrupted: (name: string, kept: number, rest: number): string =>
    vscode.l10n.t('"{0}" was stopped when its window closed or crashed: finished answers kept: {1}; requests that never finished: {2}.', name, kept, rest),
  get runRest(): string { return vscode.l10n.t('Run the Rest'); },
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

  const { runBatch, runNow, submitPrepared } = createBatchRunner(deps, manager);

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

  setBatchJobs({ submitPrepared });
  disposables.add({ dispose: () => setBatchJobs(undefined) });

  void manager.init().catch((error: unknown) => log.error(`Batch jobs could not be loaded: ${errorMessage(error)}`));
  return disposables;
}

function safeName(text: string): string {
  return text.replace(/[^a-zA-Z0-9._ -]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'result';
}
