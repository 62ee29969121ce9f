/**
 * Batch jobs in a real VS Code against test/server: select three files in the explorer, run a
 * prompt on each as a batch, watch the job go from in progress to ended 3/3 in the tree, open a
 * result, apply one as a diff; restart VS Code while a job is in progress and find it resumed and
 * completed with exactly one create request; a job with one errored request offers retry for it alone.
 * Run Now takes a screenshot among the files and sends it as an image block.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { quickInput, runCommand, screenshot, setColorTheme } from './harness/browser';
import type { Fixture } from './fixture';
import { acceptBatchDefaults, explorerRow } from './workbench';
import { startFixture, stepsFor, waitFor } from './fixture';
import { makePng } from '../media/fixtures';

/** Batches take this long on the server clock; the test advances the clock to end them. */
const PROCESSING_MS = 10 * 60_000;
let fx: Fixture;

before(async () => {
  fx = await startFixture({
    label: 'batches',
    theme: 'dark',
    server: { batchProcessingMs: PROCESSING_MS },
    userSettings: { 'claudeStudio.batch.pollIntervalMinSeconds': 1, 'claudeStudio.batch.pollIntervalMaxSeconds': 2 },
  });
  fs.writeFileSync(path.join(fx.workspace, 'src', 'screen.png'), makePng(320, 200));
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('batches', () => fx.page);

const creates = (): number => fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').length;

function batchView(page: Page): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Batch Jobs/i }) });
}

function batchRows(page: Page): Locator {
  return batchView(page).locator('.monaco-list-row');
}

/** Right-clicks `target` and picks `label` from its context menu, again if a click did not land. */
async function contextMenu(page: Page, target: Locator, label: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await target.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item:not(.disabled) .action-label', { hasText: label }).first();
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await item.hover();
    await item.click();
    const closed = await page.locator('.monaco-menu').first().waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false);
    if (closed) return;
    if (attempt >= 2) throw new Error(`the context menu item ${label} did not run`);
    await page.keyboard.press('Escape');
  }
}

/** Collapses the chat view so the Batch Jobs tree has the room (for the screenshots). */
async function collapseChat(page: Page): Promise<void> {
  const header = page.locator('.pane-header', { hasText: /^\s*Chat/ }).first();
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
}

async function rowTexts(page: Page): Promise<string[]> {
  return (await batchRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Selects files in the explorer with Ctrl+click and runs the batch command from its context menu. */
async function runBatchOn(page: Page, files: readonly string[], prompt: string | { readonly recipe: string }, choice: 'Run as Batch' | 'Run Now' = 'Run as Batch'): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  const src = explorerRow(page, 'src');
  await src.waitFor({ state: 'visible', timeout: 20_000 });
  if ((await src.getAttribute('aria-expanded')) !== 'true') await src.click();
  // Ctrl+click each file; the explorer re-renders when the first click opens a preview, so check
  // the selection and select again when a click was lost.
  for (let attempt = 0; ; attempt++) {
    for (const [i, file] of files.entries()) {
      const row = explorerRow(page, file);
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click({ modifiers: i === 0 ? [] : ['Control'] });
      await page.waitForTimeout(i === 0 ? 500 : 100);
    }
    const selected = await Promise.all(files.map(async (file) => (await explorerRow(page, file).getAttribute('aria-selected')) === 'true'));
    if (selected.every(Boolean)) break;
    if (attempt >= 2) throw new Error(`could not select ${files.join(', ')} in the explorer`);
  }
  await contextMenu(page, explorerRow(page, files.at(-1)!), 'Run Prompt on Each File (Batch)...');
  // Prompt: "Write a prompt…", then type it; or a recipe from the list.
  const widget = quickInput(page);
  const input = widget.locator('input').first();
  if (typeof prompt === 'string') {
    const write = widget.locator('.monaco-list-row', { hasText: 'Write a prompt' }).first();
    await write.waitFor({ state: 'visible', timeout: 15_000 });
    await write.click();
    await waitFor('the prompt input box', async () => ((await widget.locator('.monaco-list-row:visible').count()) === 0 ? true : undefined), 5000);
    await input.fill(prompt);
    await input.press('Enter');
  } else {
    await widget.locator('.monaco-list-row', { hasText: 'Write a prompt' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await input.pressSequentially(prompt.recipe, { delay: 5 });
    const row = widget.locator('.monaco-list-row', { hasText: prompt.recipe }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'batches-recipe-prompt');
    await row.click();
  }
  // Model (the current one is first) and max tokens: kept as offered.
  const dialog = await acceptBatchDefaults(page, 15_000);
  const text = await dialog.innerText();
  assert.match(text, new RegExp(`Send ${files.length} requests? to Claude`));
  assert.match(text, /50% off/);
  assert.match(text, /≈\$/);
  await screenshot(page, 'batches-confirm');
  await dialog.locator('.monaco-button', { hasText: choice }).click();
}

async function waitForRow(page: Page, what: string, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return waitFor(what, async () => (await rowTexts(page)).find((t) => pattern.test(t)), timeoutMs);
}

describe('batch jobs in real VS Code', () => {
  step('runs a prompt on three selected files as one batch, in progress in the tree', async () => {
    const files = ['debounce.ts', 'inventory.py', 'lru.go'];
    fx.server.script(
      ...files.map((file) => ({ text: `Here is the file with comments:\n\n\`\`\`\n// Reviewed by Claude: ${file}\n\`\`\`\n`, when: { textIncludes: `src/${file}` } })),
    );
    await runBatchOn(fx.page, files, 'Add a header comment to this file and return the whole file.');
    await waitFor('one create request', async () => (creates() === 1 ? true : undefined), 30_000);
    const body = fx.server.batchRequests().find((r) => r.method === 'POST')?.body as { requests: { custom_id: string; params: { system: { cache_control?: unknown }[] } }[] };
    assert.equal(body.requests.length, 3);
    assert.ok(body.requests.every((r) => /^[a-zA-Z0-9_-]{1,64}$/.test(r.custom_id)));
    assert.deepEqual(body.requests[0]?.params.system[0]?.cache_control, { type: 'ephemeral' });
    await waitForRow(fx.page, 'the job in progress', /0\/3 in progress/);
    await collapseChat(fx.page);
    await screenshot(fx.page, 'batches-in-progress-dark');
  });

  step('resumes after VS Code restarts mid-job and completes with exactly one create', async () => {
    await fx.workbench.close();
    await fx.codeServer.restart();
    await fx.reopen();
    await runCommand(fx.page, 'Claude: Show Batch Jobs');
    await collapseChat(fx.page);
    await waitForRow(fx.page, 'the job still in progress after restart', /\d\/3 in progress/);
    await fx.server.clock.advance(PROCESSING_MS);
    const row = await waitForRow(fx.page, 'the job ended 3/3', /3\/3 ended/, 60_000);
    assert.match(row, /\$/);
    assert.equal(creates(), 1, 'exactly one create request across the restart');
    assert.equal(fx.server.batchRequests().filter((r) => r.path.endsWith('/results')).length, 1, 'results downloaded once');
    // The notification offers the results.
    await fx.page.locator('.notification-toast', { hasText: /ended: 3\/3 succeeded/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(fx.page, 'batches-ended-dark');
  });

  step('opens a result as a Markdown document', async () => {
    await batchRows(fx.page).filter({ hasText: /3\/3 ended/ }).first().click();
    await waitForRow(fx.page, 'the requests', /debounce\.ts/);
    await batchRows(fx.page).filter({ hasText: 'debounce.ts' }).first().click();
    const editor = fx.page.locator('.editor-instance .view-lines').first();
    await waitFor('the result document', async () => ((await editor.innerText()).replace(/\s+/g, ' ').includes('Reviewed by Claude: debounce.ts') ? true : undefined), 20_000);
    await screenshot(fx.page, 'batches-result-open');
  });

  step('applies a result to its file as a diff the user accepts', async () => {
    const row = batchRows(fx.page).filter({ hasText: 'inventory.py' }).first();
    await contextMenu(fx.page, row, 'Apply Result to File...');
    const toast = fx.page.locator('.notification-toast', { hasText: /Apply Claude's change to src\/inventory\.py/ }).first();
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    await fx.page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(fx.page, 'batches-apply-diff');
    await toast.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    // The change lands as an unsaved edit of the open file; save it as a person would.
    await fx.page.locator('.tabs-container .tab', { hasText: 'inventory.py' }).first().click();
    await fx.page.locator('.editor-instance .view-lines').first().click();
    await fx.page.keyboard.press('Control+s');
    const file = path.join(fx.workspace, 'src', 'inventory.py');
    await waitFor('the file changed on disk', async () => (fs.readFileSync(file, 'utf8') === '// Reviewed by Claude: inventory.py\n' ? true : undefined), 20_000);
  });

  step('a job with one errored request offers retry for that one alone', async () => {
    fx.server.script(
      { text: 'fine', when: { textIncludes: 'src/debounce.ts' } },
      { error: { type: 'overloaded_error', message: 'Overloaded, try later' }, when: { textIncludes: 'src/lru.go' } },
      { text: 'fine', when: { textIncludes: 'src/tokenizer.rs' } },
    );
    await runBatchOn(fx.page, ['debounce.ts', 'lru.go', 'tokenizer.rs'], 'Review this file.');
    await waitFor('the second create', async () => (creates() === 2 ? true : undefined), 30_000);
    await fx.server.clock.advance(PROCESSING_MS);
    await waitForRow(fx.page, 'the job ended 2/3', /2\/3 ended · 1 errored/, 60_000);
    await setColorTheme(fx.page, 'light');
    const job = batchRows(fx.page).filter({ hasText: /2\/3 ended · 1 errored/ }).first();
    await job.click();
    await waitForRow(fx.page, 'the errored request', /lru\.go.*errored/);
    await screenshot(fx.page, 'batches-errored-light');
    await contextMenu(fx.page, job, 'Retry Failed Requests');
    await waitFor('the retry create', async () => (creates() === 3 ? true : undefined), 30_000);
    const last = fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').at(-1)?.body as { requests: { params: { messages: { content: string }[] } }[] };
    assert.equal(last.requests.length, 1);
    assert.match(last.requests[0]?.params.messages[0]?.content ?? '', /src\/lru\.go/);
    await waitForRow(fx.page, 'the retry job', /Retry of .*0\/1 in progress/);
    await fx.server.clock.advance(PROCESSING_MS);
    await waitForRow(fx.page, 'the retry job ended', /Retry of .*1\/1 ended/);
    await screenshot(fx.page, 'batches-retry-light');
    await setColorTheme(fx.page, 'dark');
    await screenshot(fx.page, 'batches-jobs-dark');
  });

  step('runs the same flow now, four at a time, into the same tree; a screenshot goes as an image block', async () => {
    const messagesBefore = fx.server.messageRequests().length;
    const createsBefore = creates();
    await runBatchOn(fx.page, ['inventory.py', 'screen.png', 'tokenizer.rs'], 'Name the main data structure.', 'Run Now');
    await waitForRow(fx.page, 'the run-now job ended', /Name the main data.*3\/3 ended/, 60_000);
    const sent = fx.server.messageRequests().slice(messagesBefore);
    assert.equal(sent.length, 3);
    const contents = sent.map((request) => (request.body as { messages: { content: string | { type: string; text?: string; source?: { media_type: string } }[] }[] }).messages[0]?.content);
    const image = contents.find((content) => Array.isArray(content));
    assert.ok(Array.isArray(image), 'the screenshot is sent as blocks');
    assert.equal(image[0]?.text, '<file path="src/screen.png" type="PNG, 320x200 px">');
    assert.equal(image[1]?.type, 'image');
    assert.equal(image[1]?.source?.media_type, 'image/png');
    assert.equal(creates(), createsBefore, 'run now creates no batch');
    assert.deepEqual((sent[0]?.body as { system: { cache_control?: unknown }[] }).system[0]?.cache_control, { type: 'ephemeral' });
    await screenshot(fx.page, 'batches-run-now-dark');
  });

  step('runs a prompt recipe on each file: the recipe request per file, the shared system prompt cached', async () => {
    const createsBefore = creates();
    await runBatchOn(fx.page, ['inventory.py', 'lru.go'], { recipe: 'Ask an expert' });
    await waitFor('the recipe batch create', async () => (creates() === createsBefore + 1 ? true : undefined), 30_000);
    const body = fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').at(-1)?.body as {
      requests: { params: { system: { text: string; cache_control?: unknown }[]; messages: { content: string }[] } }[];
    };
    assert.equal(body.requests.length, 2);
    for (const request of body.requests) {
      assert.deepEqual(request.params.system[0]?.cache_control, { type: 'ephemeral' });
      assert.match(request.params.system[0]?.text ?? '', /security reviewer/i, 'the persona is in the shared system prompt');
      assert.equal(request.params.system[0]?.text, body.requests[0]?.params.system[0]?.text);
      assert.match(request.params.messages[0]?.content ?? '', /^<material>\n<file path="src\//);
    }
    await fx.server.clock.advance(PROCESSING_MS);
    await waitForRow(fx.page, 'the recipe job ended', /Recipe: Ask an expert.*2\/2 ended/, 60_000);
  });
});
