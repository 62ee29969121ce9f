/**
 * Webview entry point (bundled by esbuild to media/dist/webview.js). Only wiring lives here:
 * acquire the VS Code API once, say ready, and build the app once the host's `didInit` has set
 * the display language (messages that overtake it wait for the app), then forward host messages.
 */
import type { ToWebview } from '../shared/protocol';
import { acquireHostApi } from './api';
import { asHostMessage, ChatApp } from './app';
import { animationFrameScheduler } from './dom';
import { configureL10n } from './l10n';

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const api = acquireHostApi();
  let app: ChatApp | undefined;
  const early: ToWebview.Message[] = [];
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = asHostMessage(event.data);
    if (!message) return;
    if (message.type === 'didInit') {
      if (app) return;
      configureL10n(message.language, message.bundle);
      app = new ChatApp(root, {
        api,
        win: window,
        schedule: animationFrameScheduler(window),
        runTask: (task, delayMs = 0) => void window.setTimeout(task, delayMs),
        now: () => Date.now(),
        newId: () => crypto.randomUUID(),
      });
      for (const waiting of early.splice(0)) app.handle(waiting);
      return;
    }
    if (app) app.handle(message);
    else early.push(message);
  });
  api.post({ type: 'ready' });
}

main();
