import * as vscode from 'vscode';
import type { FromWebview, ToWebview } from '../shared/protocol';
import { parseWebviewMessage } from '../shared/protocol';
import { DisposableStore } from '../platform/disposable';
import { chatHtml } from './webviewHtml';

export const CHAT_VIEW_ID = 'claudeStudio.chat';

/**
 * Hosts the chat webview. It knows nothing of conversations: it validates what the webview posts
 * and hands it on, and delivers what the controller posts once the webview has said `ready`
 * (messages to a webview that is not listening are lost, so a fresh snapshot follows `ready`).
 */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidReceiveMessage = this.disposables.add(new vscode.EventEmitter<FromWebview.Message>());
  readonly onDidReceiveMessage = this._onDidReceiveMessage.event;
  private readonly _onDidChangeVisibility = this.disposables.add(new vscode.EventEmitter<boolean>());
  readonly onDidChangeVisibility = this._onDidChangeVisibility.event;
  private readonly _onDidChangeResolved = this.disposables.add(new vscode.EventEmitter<boolean>());
  /** The view came into existence (true) or was disposed (false). */
  readonly onDidChangeResolved = this._onDidChangeResolved.event;
  private view?: vscode.WebviewView;
  private ready = false;
  private viewDisposables?: DisposableStore;

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {}

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewDisposables?.dispose();
    const disposables = (this.viewDisposables = new DisposableStore());
    this.view = view;
    this.ready = false;
    view.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    disposables.add(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (message === undefined) {
          this.log.warn('Ignored a malformed message from the chat view.');
          return;
        }
        if (message.type === 'ready') {
          this.ready = true;
          this.post({ type: 'didInit', language: vscode.env.language, bundle: vscode.l10n.bundle ?? {} });
        }
        this._onDidReceiveMessage.fire(message);
      }),
    );
    disposables.add(view.onDidChangeVisibility(() => this._onDidChangeVisibility.fire(view.visible)));
    disposables.add(
      view.onDidDispose(() => {
        if (this.view === view) {
          this.view = undefined;
          this.ready = false;
          this._onDidChangeResolved.fire(false);
        }
        disposables.dispose();
      }),
    );
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    this._onDidChangeResolved.fire(true);
  }

  /** Posts to the webview if it is listening; otherwise the next `ready` brings a snapshot. */
  post(message: ToWebview.Message): void {
    if (this.view === undefined || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  /** Opens the view, optionally without taking focus from the editor. */
  async reveal(preserveFocus = false): Promise<void> {
    if (this.view !== undefined) {
      this.view.show(preserveFocus);
      return;
    }
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`, { preserveFocus });
  }

  dispose(): void {
    this.viewDisposables?.dispose();
    this.disposables.dispose();
  }
}
