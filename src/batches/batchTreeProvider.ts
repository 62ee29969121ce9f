import * as vscode from 'vscode';
import { DisposableStore } from '../platform/disposable';

export const BATCH_VIEW_ID = 'claudeStudio.batches';

/**
 * The Batch Jobs view. Jobs arrive with the batches feature; until then the view shows its
 * welcome text, and Refresh is wired so the view's shape is final.
 */
export class BatchTreeProvider implements vscode.TreeDataProvider<never>, vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChangeTreeData = this.disposables.add(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }

  refresh(): void {
    this._onDidChangeTreeData.fire();
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

export function registerBatchView(): vscode.Disposable {
  const provider = new BatchTreeProvider();
  return vscode.Disposable.from(
    provider,
    vscode.window.registerTreeDataProvider(BATCH_VIEW_ID, provider),
    vscode.commands.registerCommand('claudeStudio.refreshBatches', () => provider.refresh()),
  );
}
