import * as vscode from 'vscode';
import type { ContextSet, ExcludedFile, Exclusion, PickedPath, PickPlan, Refusal } from '../core/context';
import {
  checkSize, withContent, contextMessages, createContextItem, describeExclusion,
  expandPick, isNeverSentBinary, itemLabel, planPickInSlices, readContextFile, readDroppedMedia, summarizeExcluded,
} from '../core/context';
import type { MediaSource, ShrinkImage } from '../core/context';
import { mediaOfPath } from '../core/media';
import type { CodeSelection } from '../core/context/selectionPrompt';
import type { EgressGate } from '../core/egress';
import { MAX_PICK_DEPTH } from '../core/egress';
import { confirmEgress } from '../egress/confirm';
import { egressStrings } from '../egress/strings';
import type { WorkspaceGate } from '../egress/workspaceGate';
import { sizeOf, withRealPaths } from '../egress/workspaceGate';
import { mapLimit } from '../core/util/concurrency';
import type { Settings } from '../platform/settings';
import { contextStrings as str } from './strings';
import { READ_CONCURRENCY } from './contextWatcher';
import { openDocument, uriFs } from './workspaceFiles';
import type { ContextSendChecks } from './sendChecks';
import { errorMessage } from '../core/util/errors';

const MAX_EXCLUDED_CHIPS = 20;

/**
 * Adds what the user picks to the context (selection, files, folders, open editors), each through
 * the egress gate, the exclusion rules and the size limits; what the gate leaves out becomes an
 * excluded chip that can be added anyway, once the user confirms.
 */
export class ContextAdder {
  /** Files left out, shown as chips with the reason (click to add anyway). */
  readonly excluded = new Map<string, ExcludedFile>();
  /** Excluded chips whose content (not their path) was the reason: adding them anyway can redact. */
  private readonly heldForContent = new Set<string>();

  constructor(
    private readonly set: ContextSet,
    private readonly egress: WorkspaceGate,
    private readonly settings: Settings,
    private readonly checks: ContextSendChecks,
    /** Sends the chips to the webview now (a pick also shows what it left out). */
    private readonly publish: () => void,
    /** Scales large images down before they become items (claudeStudio.images.maxLongEdge). */
    private readonly shrinkImage?: ShrinkImage,
  ) {}

  /** Adds a selection (path and line range) as its own item. */
  async addSelection(selection: CodeSelection, uri: vscode.Uri): Promise<boolean> {
    const gate = await this.egress.gate();
    const subject = uri.scheme === 'untitled' ? { path: selection.path } : await this.egress.subject(uri, selection.path);
    const verdict = await gate.check(subject, selection.text);
    let content = selection.text;
    let confirmed = false;
    if (verdict.exclusion !== undefined) {
      const where = itemLabel({ path: selection.path, range: { startLine: selection.startLine, endLine: selection.endLine } });
      const choice = await confirmEgress(egressStrings.addSelection, where, verdict.exclusion, selection.text, verdict.hits);
      if (choice === undefined) return false;
      if (choice.send === 'redacted') content = choice.text;
      else confirmed = true;
    }
    if (!(await this.confirmUntrusted(1))) return false;
    const item = createContextItem({
      kind: 'selection',
      path: selection.path,
      uri: uri.toString(),
      languageId: selection.languageId,
      range: { startLine: selection.startLine, endLine: selection.endLine },
      content,
    });
    if (confirmed) this.checks.confirm(item);
    const limits = this.limits();
    const refusal = checkSize(itemLabel(item), item.tokens, this.set.totalTokens() - (this.set.get(item.id)?.item.tokens ?? 0), limits, true);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.message);
      return false;
    }
    this.set.add(item);
    return true;
  }

  /** Adds files and folders (folders expand under the same rules), with progress and Cancel. */
  async addUris(uris: readonly vscode.Uri[]): Promise<number> {
    const usable = uris.filter((uri) => vscode.workspace.getWorkspaceFolder(uri) !== undefined);
    for (const uri of uris) if (!usable.includes(uri)) void vscode.window.showWarningMessage(str.notInWorkspace(uri.fsPath || uri.toString()));
    if (usable.length === 0) return 0;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: str.progressTitle, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
        try {
          return await this.addPicked(usable, progress, abort.signal);
        } catch (error) {
          if (abort.signal.aborted) return 0;
          throw error;
        } finally {
          cancel.dispose();
        }
      },
    );
  }

  /**
   * Adds an image pasted into the composer or a file dropped on the chat from outside the
   * workspace. The bytes come from the webview (untrusted): the core reads their format from
   * them and holds them to the gate's read limit and the API's limits, as for a workspace file.
   */
  async addMediaData(source: MediaSource, name: string, data: string): Promise<boolean> {
    const gate = await this.egress.gate();
    const limits = this.limits();
    const result = await readDroppedMedia({ source, name, data, limits: { ...limits, maxTotalTokens: Number.MAX_SAFE_INTEGER }, maxReadBytes: gate.maxMediaReadBytes, ...this.shrinking() });
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.refusal.message);
      return false;
    }
    const { item } = result;
    const refusal = checkSize(item.path, item.tokens, this.set.totalTokens() - (this.set.get(item.id)?.item.tokens ?? 0), limits, true);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.message);
      return false;
    }
    this.set.add(item);
    return true;
  }

  /** Adds every open text editor's file. */
  async addOpenEditors(): Promise<number> {
    const uris = new Map<string, vscode.Uri>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme !== 'untitled') uris.set(tab.input.uri.toString(), tab.input.uri);
      }
    }
    if (uris.size === 0) {
      void vscode.window.showInformationMessage(str.noOpenEditors);
      return 0;
    }
    return this.addUris([...uris.values()]);
  }

  private async addPicked(uris: readonly vscode.Uri[], progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal): Promise<number> {
    const gate = await this.egress.gate();
    const limits = this.limits();
    const expanded = await expandPick(uris, withRealPaths(uriFs), gate, {
      signal,
      realRoots: await this.egress.realRoots(),
      maxDepth: MAX_PICK_DEPTH,
      onProgress: (found) => progress.report({ message: str.scanning(found) }),
    });
    const picked: readonly PickedPath[] = expanded.picked;
    const uriOf = new Map(expanded.picked.map((entry) => [entry.path, entry.handle]));
    const folderExclusions = expanded.excludedFolders.map((entry) => ({ path: entry.path, reason: describeExclusion(entry.exclusion) }));
    for (const entry of expanded.unreadable) void vscode.window.showWarningMessage(contextMessages.unreadable(entry.path, errorMessage(entry.error)));

    const plan = await planPickInSlices(picked, gate, limits.maxFiles, signal);
    if (plan.tooMany !== undefined) {
      void vscode.window.showWarningMessage(contextMessages.tooManyFiles(plan.tooMany.count, plan.tooMany.limit));
      return 0;
    }
    // Files picked by name and left out become chips (a few: a huge pick gets the summary only).
    const explicitlyExcluded = plan.excluded.filter((entry) => entry.explicit);
    for (const entry of explicitlyExcluded.length <= MAX_EXCLUDED_CHIPS ? explicitlyExcluded : []) {
      this.excluded.set(entry.path, { path: entry.path, uri: uriOf.get(entry.path)?.toString(), reason: describeExclusion(entry.exclusion) });
    }
    if (plan.include.length > 0 && !(await this.confirmUntrusted(plan.include.length))) return 0;

    let done = 0;
    const reads = await mapLimit(
      plan.include,
      READ_CONCURRENCY,
      async (path) => {
        const uri = uriOf.get(path) as vscode.Uri;
        const result = await this.readScanned(path, uri, gate);
        done++;
        if (plan.include.length > 20) progress.report({ message: str.reading(done, plan.include.length), increment: 100 / plan.include.length });
        return result;
      },
      signal,
    );
    const refusals: Refusal[] = [];
    let added = 0;
    reads.forEach((settled, index) => {
      const path = plan.include[index] as string;
      if (!settled.ok) return void refusals.push({ kind: 'unreadable', message: contextMessages.unreadable(path, errorMessage(settled.error)) });
      const result = settled.value;
      if (!result.ok) {
        if (result.refusal.kind === 'excluded') this.excluded.set(path, { path, uri: uriOf.get(path)?.toString(), reason: describeExclusion(result.refusal.exclusion) });
        return void refusals.push(result.refusal);
      }
      const { item } = result;
      if (result.secrets !== undefined) {
        this.excluded.set(path, { path, uri: uriOf.get(path)?.toString(), reason: describeExclusion(result.secrets) });
        this.heldForContent.add(path);
        return void refusals.push({ kind: 'excluded', exclusion: result.secrets, message: contextMessages.excluded(path, result.secrets) });
      }
      const current = this.set.totalTokens() - (this.set.get(item.id)?.item.tokens ?? 0);
      const overTotal = checkSize(path, item.tokens, current, limits, true);
      if (overTotal !== undefined) return void refusals.push(overTotal);
      this.excluded.delete(path);
      this.set.add(item);
      added++;
    });
    this.publish();
    this.report(plan.excluded, folderExclusions, refusals);
    return added;
  }

  /** Tells the user what was left out and why; one file left out by a rule can be added anyway. */
  private report(excluded: PickPlan['excluded'], folders: readonly { path: string; reason: string }[], refusals: readonly Refusal[]): void {
    const parts: string[] = [];
    if (excluded.length > 0) parts.push(summarizeExcluded(excluded, describeExclusion));
    for (const folder of folders) parts.push(str.folderNotAdded(folder.path, folder.reason));
    if (refusals.length > 0) parts.push(`${refusals[0]?.message ?? ''}${refusals.length > 1 ? str.alsoRefused(refusals.length - 1) : ''}`);
    if (parts.length === 0) return;
    const single = excluded.length === 1 && excluded[0]?.explicit === true && refusals.length === 0 ? excluded[0] : undefined;
    const message = single !== undefined ? contextMessages.excluded(single.path, single.exclusion) : parts.join(' ');
    void vscode.window.showWarningMessage(message, ...(single !== undefined ? [str.addAnyway] : [])).then((choice) => {
      if (choice === str.addAnyway && single !== undefined) void this.addAnyway(single.path);
    });
  }

  /**
   * Adds one file the gate left out, after the user confirms: as is (sent only by Send, never
   * counted before), or, when its content was the reason, with the flagged lines removed.
   * Binary and size limits still apply.
   */
  async addAnyway(path: string): Promise<void> {
    const entry = this.excluded.get(path);
    if (entry === undefined || entry.reason === describeExclusion({ reason: 'binary' })) return;
    const uri = entry.uri !== undefined ? vscode.Uri.parse(entry.uri) : undefined;
    if (uri === undefined) return;
    const gate = await this.egress.gate();
    const byContent = this.heldForContent.has(path);
    if (!byContent && !(await this.confirmOverride(path, entry.reason))) return;
    const result = await this.read(path, uri, gate);
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.refusal.message);
      return;
    }
    let item = result.item;
    let confirmed = !byContent;
    if (byContent) {
      const verdict = await gate.checkContent(item.content, path);
      if (!verdict.clean) {
        const choice = await confirmEgress(egressStrings.addFile, path, verdict.exclusion, item.content, verdict.hits);
        if (choice === undefined) return;
        if (choice.send === 'redacted') item = withContent(item, choice.text);
        else confirmed = true;
      }
    }
    const refusal = checkSize(path, item.tokens, this.set.totalTokens(), this.limits(), true);
    if (refusal !== undefined) {
      void vscode.window.showWarningMessage(refusal.message);
      return;
    }
    this.excluded.delete(path);
    this.heldForContent.delete(path);
    if (confirmed) this.checks.confirm(item);
    this.set.add(item);
  }

  /** Reads a file for context: its size first (a huge file is never read whole), then the bytes. */
  private async read(path: string, uri: vscode.Uri, gate: EgressGate): Promise<Awaited<ReturnType<typeof readContextFile>>> {
    // An image or PDF is read from its bytes, never from an editor's text.
    const document = mediaOfPath(path) === undefined ? openDocument(uri) : undefined;
    let size: number | undefined;
    if (document === undefined) {
      try {
        size = await sizeOf(uri);
      } catch {
        size = undefined; // the read below reports it
      }
    }
    return readContextFile(
      {
        path,
        uri: uri.toString(),
        ...(document !== undefined ? { text: document.getText(), languageId: document.languageId } : {}),
        currentTotal: 0,
        limits: { ...this.limits(), maxTotalTokens: Number.MAX_SAFE_INTEGER },
        ...(size !== undefined ? { size } : {}),
        maxReadBytes: gate.readLimitFor(path),
        ...this.shrinking(),
      },
      async () => {
        if (isNeverSentBinary(path)) return new Uint8Array([0]);
        return vscode.workspace.fs.readFile(uri);
      },
    );
  }

  /** {@link read}, then the secret scan: a hit leaves the file out with what was found and where. */
  private async readScanned(path: string, uri: vscode.Uri, gate: EgressGate): Promise<Awaited<ReturnType<typeof readContextFile>> & { secrets?: Exclusion }> {
    const result = await this.read(path, uri, gate);
    if (!result.ok) return result;
    const verdict = await gate.checkContent(result.item.content, path);
    this.checks.record(result.item.hash, verdict.clean);
    return verdict.clean ? result : { ...result, secrets: verdict.exclusion };
  }

  private shrinking(): { shrinkImage?: ShrinkImage } {
    return this.shrinkImage !== undefined ? { shrinkImage: this.shrinkImage } : {};
  }

  private async confirmUntrusted(count: number): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    const choice = await vscode.window.showWarningMessage(str.untrusted(count), { modal: true, detail: str.untrustedDetail }, str.untrustedConfirm);
    return choice === str.untrustedConfirm;
  }

  private async confirmOverride(path: string, reason: string): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(str.overrideTitle(path, reason), { modal: true, detail: str.overrideDetail }, str.overrideConfirm);
    return choice === str.overrideConfirm;
  }

  private limits(): { maxFileTokens: number; maxTotalTokens: number; maxFiles: number } {
    const { maxFileTokens, maxTotalTokens, maxFiles } = this.settings.current.context;
    return { maxFileTokens, maxTotalTokens, maxFiles };
  }
}
