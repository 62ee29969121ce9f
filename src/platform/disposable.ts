import type * as vscode from 'vscode';

/**
 * Collects disposables and disposes them together, in reverse order of registration. Anything
 * added after the store was disposed is disposed at once, so late registrations never leak.
 */
export class DisposableStore implements vscode.Disposable {
  private readonly items: vscode.Disposable[] = [];
  private disposed = false;

  add<T extends vscode.Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (error) {
        console.error('Claude Studio: dispose failed', error);
      }
    }
  }
}
