/**
 * Webview entry point (bundled by esbuild to media/dist/webview.js). Only wiring lives here:
 * acquire the VS Code API once, build the app, forward host messages, say ready.
 */
import { acquireHostApi } from './api';
import { asHostMessage, ChatApp } from './app';
import { animationFrameScheduler } from './dom';

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const app = new ChatApp(root, {
    api: acquireHostApi(),
    win: window,
    schedule: animationFrameScheduler(window),
    runTask: (task) => void window.setTimeout(task, 0),
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
  });
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = asHostMessage(event.data);
    if (message) app.handle(message);
  });
  app.start();
}

main();
