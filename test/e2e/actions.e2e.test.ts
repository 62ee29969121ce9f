/**
 * The actions a user runs on code and on batch jobs, in a real VS Code: Find Bugs, Refactor, Write
 * Tests, Document and Ask on a selection (from the right-click menu and the palette) send the task
 * with the selection; Add Selection, Add File and Add Open Editors put chips above the composer
 * and the next request carries them; a batch job from the chat is cancelled, its results exported
 * to a folder, then deleted; a batch made elsewhere with the same key is imported.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { Frame, Locator, Page } from 'playwright-core';
import { findWebviewFrame, quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { acceptBatchDefaults, answerDialog, clickMenuItem, openFile, selectLines } from './workbench';
import { answerIds, openChat, sendMessage, startFixture, stepsFor, waitFor, waitForNewAnswer } from './fixture';

/** Batches take this long on the server clock, so the job is still running when it is cancelled. */
const PROCESSING_MS = 10 * 60_000;
let fx: Fixture;
let chatFrame: Frame | undefined;
let exportDir: string;

before(async () => {
  fx = await startFixture({
    label: 'actions',
    theme: 'dark',
    server: { batchProcessingMs: PROCESSING_MS },
    userSettings: { 'claudeStudio.batch.pollIntervalMinSeconds': 1, 'claudeStudio.batch.pollIntervalMaxSeconds': 2 },
  });
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-e2e-export-'));
});

after(async () => {
  await fx?.close();
  if (exportDir) fs.rmSync(exportDir, { recursive: true, force: true });
});

const step = stepsFor('actions', () => fx.page);

async function chat(): Promise<Frame> {
  if (chatFrame === undefined || chatFrame.isDetached()) chatFrame = await findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 30_000 });
  return chatFrame;
}

type Block = { type: string; text?: string };
type Body = { messages: { role: string; content: string | Block[] }[] };

/** The blocks of the newest request's last user message. */
function lastUserBlocks(): Block[] {
  const body = fx.server.messageRequests().at(-1)?.body as Body | undefined;
  const content = body?.messages.at(-1)?.content ?? [];
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** Waits for a new request whose last user message includes `marker`; returns that message's text. */
async function requestWith(marker: string, since: number): Promise<string> {
  return waitFor(`a request with "${marker.slice(0, 40)}"`, async () => {
    if (fx.server.messageRequests().length <= since) return undefined;
    const text = lastUserBlocks().map((block) => block.text ?? '').join('\n');
    return text.includes(marker) ? text : undefined;
  }, 30_000);
}

/** Waits for the answer to the request just made: a new turn (none of `known`), finished. */
async function answered(known: ReadonlySet<string>): Promise<void> {
  await waitForNewAnswer(await chat(), known, 'the answer');
}

/** Quick Open from the workbench: Ctrl+P typed while the chat view has the focus goes to the webview. */
async function open(name: string): Promise<void> {
  await fx.page.locator('[id="workbench.parts.statusbar"]').focus().catch(() => undefined);
  await openFile(fx.page, name);
}

/** Selects lines of inventory.py (the `sell` method by default) with its editor focused. */
async function selectInInventory(first = 24, count = 5): Promise<void> {
  await open('inventory.py');
  await selectLines(fx.page, first, count);
}

/** Right-clicks the selected `sell` code and picks `label`. */
async function onSelection(label: string): Promise<void> {
  const line = fx.page.locator('.monaco-editor[data-uri$="inventory.py"] .view-line', { hasText: 'item.on_hand -= qty' }).first();
  await line.click({ button: 'right', position: { x: 80, y: 8 } });
  await clickMenuItem(fx.page, label);
}

async function chips(): Promise<string[]> {
  return (await chat()).locator('.context-chip').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-label') ?? ''));
}

function batchRows(page: Page): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Batch Jobs/i }) }).locator('.monaco-list-row');
}

async function rowTexts(): Promise<string[]> {
  return (await batchRows(fx.page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

async function waitForRow(what: string, pattern: RegExp, timeoutMs = 30_000): Promise<Locator> {
  const text = await waitFor(what, async () => (await rowTexts()).find((t) => pattern.test(t)), timeoutMs);
  return batchRows(fx.page).filter({ hasText: text.slice(0, 20) }).first();
}

/** Right-clicks a batch row and picks `label` from its menu. */
async function rowMenu(row: Locator, label: string): Promise<void> {
  await row.click({ button: 'right' });
  await clickMenuItem(fx.page, label);
}

const batchCalls = (method: string, suffix: RegExp): number => fx.server.batchRequests().filter((r) => r.method === method && suffix.test(r.path)).length;

describe('actions in real VS Code', () => {
  step('Find Bugs from the right-click menu sends its task with the selected lines', async () => {
    chatFrame = await openChat(fx.page);
    await selectInInventory();
    const since = fx.server.messageRequests().length;
    const known = await answerIds(await chat());
    await onSelection('Find Bugs in Selection');
    const text = await requestWith('Find bugs in this code', since);
    assert.match(text, /^Find bugs in this code: logic errors/);
    assert.match(text, /`src\/inventory\.py` \(lines 24-28\):\n\n```python\n {4}def sell\(self, sku: str, qty: int\) -> None:/);
    await answered(known);
    await screenshot(fx.page, 'actions-find-bugs-dark');
  });

  step('Refactor and Document from the palette, Write Tests from the menu: each its own task', async () => {
    const cases: [string, 'palette' | 'menu', RegExp][] = [
      ['Refactor Selection', 'palette', /^Refactor this code for clarity and maintainability/],
      ['Write Tests for Selection', 'menu', /^Write unit tests for this code/],
      ['Document Selection', 'palette', /^Write documentation comments for this code/],
    ];
    for (const [title, via, task] of cases) {
      await selectInInventory();
      const since = fx.server.messageRequests().length;
      const known = await answerIds(await chat());
      if (via === 'palette') await runCommand(fx.page, `Claude: ${title}`);
      else await onSelection(title);
      const text = await requestWith('`src/inventory.py` (lines 24-28)', since);
      assert.match(text, task, title);
      assert.match(text, /def sell\(self, sku: str, qty: int\) -> None:/, title);
      await answered(known);
    }
  });

  step('Ask Claude About Selection asks for the question and sends it with the selection', async () => {
    await selectInInventory();
    const since = fx.server.messageRequests().length;
    const known = await answerIds(await chat());
    await onSelection('Ask Claude About Selection...');
    const input = quickInput(fx.page).locator('input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('Can qty be negative here?');
    await input.press('Enter');
    const text = await requestWith('Can qty be negative here?', since);
    assert.match(text, /^Can qty be negative here\?\n\n`src\/inventory\.py` \(lines 24-28\):/);
    await answered(known);
  });

});

describe('context commands and batch job actions in real VS Code', () => {
  step('Add Selection, Add File and Add Open Editors put chips up; the next request carries them', async () => {
    await runCommand(fx.page, 'Claude: New Chat');
    await selectInInventory(12, 3);
    await runCommand(fx.page, 'Claude: Add Selection to Chat');
    await waitFor('the selection chip', async () => ((await chips()).length === 1 ? true : undefined));
    await open('lru.go');
    await runCommand(fx.page, 'Claude: Add File to Chat');
    await waitFor('the file chip', async () => ((await chips()).includes('src/lru.go') ? true : undefined));
    await open('debounce.ts');
    await runCommand(fx.page, 'Claude: Add Open Editors to Chat');
    const added = await waitFor('the open editors as chips', async () => {
      const list = await chips();
      return list.includes('src/debounce.ts') && list.includes('src/inventory.py') ? list : undefined;
    });
    assert.match(added[0] ?? '', /^src\/inventory\.py:12-14$/, `the selection chip first: ${added.join(', ')}`);
    assert.equal(new Set(added).size, added.length, 'no file twice');
    await screenshot(fx.page, 'actions-chips-dark');
    const since = fx.server.messageRequests().length;
    const known = await answerIds(await chat());
    await sendMessage(await chat(), 'What ties these together?');
    await requestWith('What ties these together?', since);
    const blocks = lastUserBlocks().map((block) => block.text ?? '');
    assert.equal(blocks.at(-1), 'What ties these together?');
    const sent = blocks.slice(0, -1).join('\n');
    for (const file of ['src/lru.go', 'src/debounce.ts', 'src/inventory.py']) assert.ok(sent.includes(`\`${file}\``), `${file} is sent`);
    assert.match(sent, /Selection from `src\/inventory\.py` \(python, lines 12-14\)/);
    await answered(known);
    await waitFor('the chips marked sent', async () => ((await (await chat()).locator('.context-chip[data-state="sent"]').count()) === added.length ? true : undefined));
  });

  step('a running batch job is cancelled from its menu; the server cancels it', async () => {
    await sendMessage(await chat(), '/batch Name the main data structure of this file.');
    const dialog = await acceptBatchDefaults(fx.page, 20_000);
    await dialog.locator('.monaco-button', { hasText: 'Run as Batch' }).click();
    await waitFor('the batch create', async () => (batchCalls('POST', /\/v1\/messages\/batches$/) === 1 ? true : undefined), 30_000);
    const job = await waitForRow('the job in progress', /Name the main data.*in progress/);
    await rowMenu(job, 'Cancel Batch Job');
    assert.match(await answerDialog(fx.page, 'Cancel Job'), /Cancel batch job "Name the main data/);
    await waitFor('the cancel request', async () => (batchCalls('POST', /\/cancel$/) === 1 ? true : undefined), 15_000);
    await waitForRow('the job ended, canceled', /Name the main data.*0\/3 canceled · 3 canceled/);
    await screenshot(fx.page, 'actions-batch-canceled-dark');
  });

  step('Export Results writes a folder of Markdown files and results.jsonl', async () => {
    const job = await waitForRow('the canceled job', /Name the main data.*canceled/);
    await rowMenu(job, 'Export Results...');
    const input = quickInput(fx.page).locator('input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // The folder dialog (VS Code's simple file dialog, a quick input) lists its starting folder
    // after it shows and, in the same step, writes that folder into the box: a path typed before
    // the list is there is overwritten.
    await quickInput(fx.page).locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`${exportDir}/`);
    await screenshot(fx.page, 'actions-export-dialog-dark');
    await input.press('Enter');
    await fx.page.locator('.notification-toast', { hasText: /Exported \d+ results and results\.jsonl/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
    const [folder] = fs.readdirSync(exportDir);
    assert.ok(folder, 'a folder named after the job');
    const files = fs.readdirSync(path.join(exportDir, folder)).sort();
    assert.ok(files.includes('results.jsonl'), files.join(', '));
    assert.ok(files.filter((file) => file.endsWith('.md')).length >= 1, files.join(', '));
    const lines = fs.readFileSync(path.join(exportDir, folder, 'results.jsonl'), 'utf8').trim().split('\n');
    assert.ok(lines.length >= 1 && lines.every((line) => (JSON.parse(line) as { result: { type: string } }).result.type === 'canceled'), lines[0]);
  });

  step('Delete Batch Job removes it from the view and from the server', async () => {
    const job = await waitForRow('the canceled job', /Name the main data.*canceled/);
    await rowMenu(job, 'Delete Batch Job');
    assert.match(await answerDialog(fx.page, 'Delete'), /Delete batch job "Name the main data/);
    await waitFor('the job gone from the view', async () => (!(await rowTexts()).some((t) => /Name the main data/.test(t)) ? true : undefined), 15_000);
    assert.equal(batchCalls('DELETE', /\/v1\/messages\/batches\/[^/]+$/), 1);
  });

  step('Import Batch Jobs adds a batch made elsewhere with the same key', async () => {
    const client = new Anthropic({ apiKey: fx.server.apiKey, baseURL: fx.server.url });
    const made = await client.messages.batches.create({
      requests: [{ custom_id: 'elsewhere-1', params: { model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'Made in another tool.' }] } }],
    });
    await runCommand(fx.page, 'Claude: Import Batch Jobs from the API');
    await fx.page.locator('.notification-toast', { hasText: 'Imported 1 batch.' }).first().waitFor({ state: 'visible', timeout: 15_000 });
    await waitForRow('the imported job', new RegExp(`Imported ${made.id}`));
    await screenshot(fx.page, 'actions-batch-imported-dark');
  });
});
