/**
 * Restricted Mode in a real VS Code with workspace trust on (every other e2e file turns it off):
 * the untrusted workspace's .vscode/settings.json raises the answer length, thinking and retries,
 * and the request the test server records has none of it; starting a batch on a workspace file
 * asks first, and so does a recipe sent as a batch; nothing reaches the server until the user says yes.
 */
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { pickQuickItem, quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { askAndWait, openChat, startFixture, stepsFor, waitFor } from './fixture';
import { clickMenuItem, explorerRow, openFile, selectLines } from './workbench';

let fx: Fixture;

before(async () => {
  fx = await startFixture({
    label: 'restricted',
    workspaceTrust: true,
    workspaceSettings: {
      'claudeStudio.maxTokens': 64_000,
      'claudeStudio.thinking.mode': 'enabled',
      'claudeStudio.thinking.budgetTokens': 50_000,
      'claudeStudio.request.maxRetries': 10,
    },
  });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('restricted', () => fx.page, 120_000);

/** Right-clicks a file of src/ in the explorer and runs the batch command on it. */
async function startBatchOn(page: Page, file: string): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  const src = explorerRow(page, 'src');
  await src.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await src.getAttribute('aria-expanded')) !== 'true') await src.click();
  const row = explorerRow(page, file);
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click({ button: 'right' });
  await clickMenuItem(page, 'Run Prompt on Each File (Batch)...');
}

describe('Restricted Mode in real VS Code', () => {
  step('ignores the untrusted workspace\'s cost settings in the request sent', async () => {
    const chat = await openChat(fx.page);
    await askAndWait(chat, 'Hello from an untrusted folder');
    const body = fx.server.messageRequests().at(-1)?.body as { max_tokens?: number; thinking?: unknown };
    assert.equal(body.max_tokens, 8192, 'the default, not the workspace\'s 64000');
    assert.equal(body.thinking, undefined, 'thinking stays off');
    await screenshot(fx.page, 'restricted-chat');
  });

  step('asks before a batch sends a workspace file, and sends nothing when declined', async () => {
    await startBatchOn(fx.page, 'debounce.ts');
    const dialog = fx.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /This workspace is not trusted\. Send this file from it to Claude\?/);
    await screenshot(fx.page, 'restricted-batch-ask');
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    assert.equal(await quickInput(fx.page).isVisible(), false, 'no prompt picker after declining');
    assert.equal(fx.server.batchRequests().length, 0);

    // Said yes, the flow goes on to the prompt picker as in a trusted workspace.
    await startBatchOn(fx.page, 'debounce.ts');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await dialog.locator('.monaco-button', { hasText: 'Send to Claude' }).click();
    await waitFor('the prompt picker', async () => ((await quickInput(fx.page).locator('.monaco-list-row', { hasText: 'Write a prompt' }).count()) > 0 ? true : undefined), 15_000);
    await fx.page.keyboard.press('Escape');
    assert.equal(fx.server.batchRequests().length, 0);
  });

  step('asks before a recipe is sent as a batch, and creates no batch when declined', async () => {
    const page = fx.page;
    await openFile(page, 'debounce.ts');
    await selectLines(page, 1, 6);
    await runCommand(page, 'Claude: Run Recipe...');
    await pickQuickItem(page, 'Multi-persona analysis', { filter: 'Multi-persona' });
    await quickInput(page).getByText('Which experts should give their view?').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await pickQuickItem(page, 'Send as batch (half price, results in Batch Jobs)', { filter: 'Send as batch' });
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /This workspace is not trusted\. Send 3 requests with its content to Claude\?/);
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 5000 });
    await page.waitForTimeout(1000);
    assert.equal(fx.server.batchRequests().length, 0, 'no batch created');
  });
});
