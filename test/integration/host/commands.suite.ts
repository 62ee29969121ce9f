import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, contributedCommands } from './extension';

export function registerCommandsSuite(): void {
  describe('commands and views', () => {
    it('registers every contributed command, and contributes every command it registers', async () => {
      const { extension } = await activateExtension();
      const contributed = contributedCommands(extension).sort();
      const registered = (await vscode.commands.getCommands(true))
        .filter((id) => id.startsWith('claudeStudio.'))
        // VS Code adds `<viewId>.focus`, `.open`, `.resetViewLocation` and `.removeView` for each view.
        .filter((id) => !/^claudeStudio\.(chat|batches)\.|^claudeStudio\.[A-Za-z]+\.(focus|open|resetViewLocation|removeView)$/.test(id))
        .sort();
      assert.deepEqual(registered, contributed);
    });

    it('resolves the chat webview view when it is opened', async () => {
      const { api } = await activateExtension();
      await vscode.commands.executeCommand('claudeStudio.openChat');
      const deadline = Date.now() + 10_000;
      while (!api.isChatViewResolved() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(api.isChatViewResolved(), true);
    });

    it('opens the batch jobs view', async () => {
      await activateExtension();
      await vscode.commands.executeCommand('claudeStudio.batches.focus');
      await vscode.commands.executeCommand('claudeStudio.refreshBatches');
    });
  });
}
