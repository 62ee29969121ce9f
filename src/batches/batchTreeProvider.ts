import * as vscode from 'vscode';
import type { BatchManager } from '../core/batches/batchManager';
import type { BatchJob, JobRequest } from '../core/batches/model';
import { describeCounts, retryableRequests, totalOf } from '../core/batches/model';
import { formatUsd } from '../core/batches/requests';
import { displayLocale, formatDateTime, formatInteger } from '../core/util/l10n';
import { escapeMarkdown } from '../core/util/markdown';
import { DisposableStore } from '../platform/disposable';

export const BATCH_VIEW_ID = 'claudeStudio.batches';
/** Requests shown per page under a job ("Show 200 more…" loads the next page). */
export const PAGE_SIZE = 200;

export type BatchNode =
  | { readonly kind: 'job'; readonly job: BatchJob }
  | { readonly kind: 'request'; readonly job: BatchJob; readonly request: JobRequest }
  | { readonly kind: 'result'; readonly job: BatchJob; readonly request: JobRequest }
  | { readonly kind: 'more'; readonly job: BatchJob; readonly shown: number };

/** The Batch Jobs view: jobs -> requests (paged) -> result. */
export class BatchTreeProvider implements vscode.TreeDataProvider<BatchNode>, vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChangeTreeData = this.disposables.add(new vscode.EventEmitter<BatchNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly pages = new Map<string, number>();
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly manager: BatchManager) {
    this.disposables.add(manager.onDidChange(() => this.refreshSoon()));
  }

  /** Coalesces bursts of changes (run now reports per request) into one refresh. */
  private refreshSoon(): void {
    if (this.pending !== undefined) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.refresh();
    }, 100);
  }

  refresh(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  showMore(job: BatchJob): void {
    this.pages.set(job.key, (this.pages.get(job.key) ?? PAGE_SIZE) + PAGE_SIZE);
    this.refresh();
  }

  getParent(node: BatchNode): BatchNode | undefined {
    if (node.kind === 'job') return undefined;
    if (node.kind === 'result') return { kind: 'request', job: node.job, request: node.request };
    return { kind: 'job', job: node.job };
  }

  getChildren(node?: BatchNode): BatchNode[] {
    if (node === undefined) return this.manager.jobs.map((job) => ({ kind: 'job', job }));
    if (node.kind === 'job') {
      const limit = this.pages.get(node.job.key) ?? PAGE_SIZE;
      const shown = node.job.requests.slice(0, limit).map((request): BatchNode => ({ kind: 'request', job: node.job, request }));
      if (node.job.requests.length > limit) shown.push({ kind: 'more', job: node.job, shown: limit });
      return shown;
    }
    if (node.kind === 'request' && node.request.offset !== undefined) return [{ kind: 'result', job: node.job, request: node.request }];
    return [];
  }

  getTreeItem(node: BatchNode): vscode.TreeItem {
    switch (node.kind) {
      case 'job':
        return jobItem(node.job);
      case 'request':
        return requestItem(node.job, node.request);
      case 'result':
        return resultItem(node.job, node.request);
      case 'more': {
        const rest = node.job.requests.length - node.shown;
        const item = new vscode.TreeItem(vscode.l10n.t('Show {0} more… ({1} not shown)', Math.min(PAGE_SIZE, rest), rest));
        item.id = `${node.job.key}/more/${node.shown}`;
        item.contextValue = 'batchMore';
        item.command = { command: 'claudeStudio.batch.showMore', title: vscode.l10n.t('Show More'), arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    if (this.pending !== undefined) clearTimeout(this.pending);
    this.disposables.dispose();
  }
}

export function jobStatus(job: BatchJob): 'sending' | 'running' | 'canceling' | 'downloading' | 'succeeded' | 'partial' | 'failed' | 'canceled' {
  if (job.state === 'failed') return 'failed';
  if (job.state === 'pending-create') return 'sending';
  if (job.state === 'ended') return 'downloading';
  if (job.state === 'created') return job.processingStatus === 'canceling' ? 'canceling' : 'running';
  if (job.counts.succeeded === totalOf(job.counts)) return 'succeeded';
  if (job.counts.succeeded === 0 && job.counts.canceled === totalOf(job.counts)) return 'canceled';
  return 'partial';
}

/** A job's status in words, in the display language (so read when drawn). */
const STATUS_TEXT = (status: ReturnType<typeof jobStatus>): string =>
  ({
    sending: () => vscode.l10n.t('sending'),
    running: () => vscode.l10n.t('in progress'),
    canceling: () => vscode.l10n.t('canceling'),
    downloading: () => vscode.l10n.t('downloading results'),
    succeeded: () => vscode.l10n.t('ended'),
    partial: () => vscode.l10n.t('ended'),
    failed: () => vscode.l10n.t('not created'),
    canceled: () => vscode.l10n.t('canceled'),
  })[status]();

function jobIcon(status: ReturnType<typeof jobStatus>): vscode.ThemeIcon {
  switch (status) {
    case 'sending':
    case 'running':
    case 'downloading':
      return new vscode.ThemeIcon('loading~spin');
    case 'canceling':
    case 'canceled':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    case 'succeeded':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'partial':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  }
}

function jobItem(job: BatchJob): vscode.TreeItem {
  const status = jobStatus(job);
  const item = new vscode.TreeItem(job.name, job.requests.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = job.key;
  const total = totalOf(job.counts) || job.requests.length;
  const done = total - job.counts.processing;
  // Narrow sidebars cut the end off: the count and status come first, the time last.
  const progress = status === 'running' || status === 'sending' || status === 'canceling' ? `${done}/${total}` : `${job.counts.succeeded}/${total}`;
  const cost = job.costUsd > 0 ? formatUsd(job.costUsd) : job.estimatedCostUsd > 0 ? `≈${formatUsd(job.estimatedCostUsd)}` : '';
  const problems = job.state === 'ingested' ? (['errored', 'canceled', 'expired'] as const).filter((k) => job.counts[k] > 0).map((k) => outcomeCount(job.counts[k], k)) : [];
  item.description = [`${progress} ${STATUS_TEXT(status)}`, ...problems, cost, relativeTime(job.createdAt)].filter(Boolean).join(' · ');
  item.iconPath = jobIcon(status);
  const tooltip = new vscode.MarkdownString(undefined, false);
  const mode = job.mode === 'now' ? vscode.l10n.t('run now') : job.mode === 'imported' ? vscode.l10n.t('imported batch') : vscode.l10n.t('batch');
  tooltip.appendMarkdown(`**${escapeMarkdown(job.name)}** (${mode})\n\n`);
  tooltip.appendMarkdown(`${vscode.l10n.t('Status: {0}', STATUS_TEXT(status))}  \n${escapeMarkdown(describeCounts(job.counts))}  \n`);
  if (job.batchId) tooltip.appendMarkdown(`${vscode.l10n.t('Batch: {0}', `\`${job.batchId}\``)}  \n`);
  if (job.model) tooltip.appendMarkdown(`${vscode.l10n.t('Model: {0}, max tokens {1}', escapeMarkdown(job.model), formatInteger(job.maxTokens))}  \n`);
  tooltip.appendMarkdown(`${vscode.l10n.t('Created: {0}', formatDateTime(job.createdAt))}  \n`);
  if (job.costUsd > 0) tooltip.appendMarkdown(`${job.mode === 'now' ? vscode.l10n.t('Cost: {0}', formatUsd(job.costUsd)) : vscode.l10n.t('Cost: {0} (batch price)', formatUsd(job.costUsd))}  \n`);
  else if (job.estimatedCostUsd > 0) tooltip.appendMarkdown(`${vscode.l10n.t('Estimated input cost: {0}', formatUsd(job.estimatedCostUsd))}  \n`);
  if (job.error) tooltip.appendMarkdown(`\n${escapeMarkdown(job.error)}`);
  item.tooltip = tooltip;
  const flags = [status === 'running' || status === 'sending' ? 'running' : status === 'failed' ? 'failed' : status === 'canceling' || status === 'downloading' ? 'busy' : 'done'];
  if (job.state === 'ingested' && retryableRequests(job).length > 0) flags.push('retryable');
  if (job.state === 'ingested') flags.push('results');
  item.contextValue = `batchJob:${flags.join(':')}`;
  return item;
}

const OUTCOME_ICON: Record<string, [string, string | undefined]> = {
  succeeded: ['pass', 'testing.iconPassed'],
  errored: ['error', 'list.errorForeground'],
  canceled: ['circle-slash', 'disabledForeground'],
  expired: ['watch', 'list.warningForeground'],
};

function requestItem(job: BatchJob, request: JobRequest): vscode.TreeItem {
  const hasResult = request.offset !== undefined;
  const item = new vscode.TreeItem(request.label, hasResult ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `${job.key}/${request.customId}`;
  const outcome = request.outcome ?? (job.state === 'ingested' ? undefined : 'pending');
  item.description = outcome !== undefined ? outcomeWord(outcome) : '';
  const [icon, color] = request.outcome ? (OUTCOME_ICON[request.outcome] ?? ['circle-outline', undefined]) : ['circle-outline', undefined];
  item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
  if (request.file) item.resourceUri = vscode.Uri.parse(request.file);
  item.tooltip = `${request.label}\ncustom_id ${request.customId}${request.error ? `\n${request.error}` : ''}`;
  item.contextValue = `batchRequest:${request.outcome ?? 'pending'}${request.file ? ':file' : ''}`;
  if (hasResult) item.command = { command: 'claudeStudio.batch.openResult', title: vscode.l10n.t('Open Result'), arguments: [{ kind: 'request', job, request }] };
  return item;
}

function resultItem(job: BatchJob, request: JobRequest): vscode.TreeItem {
  const item = new vscode.TreeItem(request.outcome === 'succeeded' ? vscode.l10n.t('Result') : vscode.l10n.t('Result: {0}', request.outcome ? outcomeWord(request.outcome) : ''));
  item.id = `${job.key}/${request.customId}/result`;
  item.description = [request.outcome === 'succeeded' ? '' : request.error, request.costUsd ? formatUsd(request.costUsd) : ''].filter(Boolean).join(' · ');
  item.iconPath = new vscode.ThemeIcon('markdown');
  item.contextValue = `batchResult:${request.outcome ?? ''}${request.file ? ':file' : ''}`;
  item.command = { command: 'claudeStudio.batch.openResult', title: vscode.l10n.t('Open Result'), arguments: [{ kind: 'result', job, request }] };
  return item;
}

function relativeTime(ms: number): string {
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (seconds < 60) return vscode.l10n.t('just now');
  if (seconds < 3600) return vscode.l10n.t('{0} min ago', Math.round(seconds / 60));
  if (seconds < 86_400) return vscode.l10n.t('{0} h ago', Math.round(seconds / 3600));
  return new Date(ms).toLocaleDateString(displayLocale());
}

/** A request's outcome in words. */
function outcomeWord(outcome: string): string {
  switch (outcome) {
    case 'succeeded': return vscode.l10n.t('succeeded');
    case 'errored': return vscode.l10n.t('errored');
    case 'canceled': return vscode.l10n.t('canceled');
    case 'expired': return vscode.l10n.t('expired');
    case 'pending': return vscode.l10n.t('pending');
    default: return outcome;
  }
}

/** "2 errored" in the description of a job. */
function outcomeCount(count: number, outcome: 'errored' | 'canceled' | 'expired'): string {
  return vscode.l10n.t('{0} {1}', count, outcomeWord(outcome));
}
