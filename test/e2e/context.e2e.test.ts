/**
 * Context in a real VS Code: Explain on a right-clicked selection carries exactly those lines,
 * an explorer multi-select adds three files as chips, a `.env` is refused with its reason in
 * sight, and a file edited after it was sent goes out as an updated version in the next request
 * while the earlier turn stays byte for byte what it was.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { artifactPath } from './harness/artifacts';
import { findWebviewFrame, runCommand, screenshot, setColorTheme } from './harness/browser';
import type { Fixture } from './fixture';
import { acceptBatchDefaults, clickMenuItem, explorerRow, openFile, selectLines } from './workbench';
import { askAndWait, lastAnswer, openChat, sendMessage, startFixture, stepsFor, waitFor } from './fixture';

let fx: Fixture;
let chatFrame: Frame | undefined;

/**
 * The chat view's frame. Showing the Explorer replaces the Claude view in the sidebar (its webview
 * is disposed) and adding from there brings it back in a new frame, so look it up again if needed.
 */
async function view(): Promise<Frame> {
  if (chatFrame === undefined || chatFrame.isDetached()) chatFrame = await findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 30_000 });
  return chatFrame;
}

before(async () => {
  fx = await startFixture({ label: 'context', theme: 'dark' });
  fs.writeFileSync(path.join(fx.workspace, '.env'), 'API_TOKEN=do-not-send-me\n');
  fs.writeFileSync(path.join(fx.workspace, '.gitignore'), '*.log\n');
  fs.writeFileSync(path.join(fx.workspace, 'src', 'build.log'), 'a build log that is ignored\n');
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('context', () => fx.page);

type Body = { messages: { role: string; content: { type: string; text?: string; cache_control?: unknown }[] }[] };

function requests(): Body[] {
  return fx.server.messageRequests().map((record) => record.body as Body);
}

/** The user message's blocks, without the cache markers (they move between turns by design). */
function stripped(body: Body): unknown {
  return body.messages.map((message) => ({ role: message.role, content: message.content.map(({ cache_control: _c, ...block }) => block) }));
}

async function chips(): Promise<{ label: string; state: string; text: string }[]> {
  // One read of the whole row: the chips are re-rendered as items change, and reading them one
  // by one can wait on a chip that a re-render has just replaced.
  return (await view()).locator('.context-chip').evaluateAll((nodes) =>
    nodes.map((node) => ({
      label: node.getAttribute('data-label') ?? '',
      state: node.getAttribute('data-state') ?? '',
      text: (node as HTMLElement).innerText.replace(/\s+/g, ' '),
    })),
  );
}

async function openExplorer(page: Page): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: 20_000 });
}

describe('context in real VS Code', () => {
  step('Explain on a right-clicked selection streams an answer and sends exactly those lines', async () => {
    const page = fx.page;
    chatFrame = await openChat(page);
    const chat = await view();
    await openFile(page, 'inventory.py');
    await selectLines(page, 24, 5);
    const answer = 'This method sells stock. '.repeat(40);
    fx.server.script({ text: answer, chunkSize: 10, chunkDelayMs: 25 });
    const line = page.locator('.monaco-editor[data-uri$="inventory.py"] .view-line', { hasText: 'item.on_hand -= qty' }).first();
    await line.click({ button: 'right', position: { x: 80, y: 8 } });
    await clickMenuItem(page, 'Explain Selection');
    await waitFor('the answer streaming', async () => {
      const turn = lastAnswer(chat);
      if ((await turn.getAttribute('data-status')) !== 'streaming') return undefined;
      return (await turn.locator('.turn-body').innerText()).trim().length > 0 ? true : undefined;
    });
    const body = requests().at(-1) as Body;
    const text = body.messages.at(-1)?.content.map((block) => block.text ?? '').join('') ?? '';
    const lines = fs.readFileSync(path.join(fx.workspace, 'src', 'inventory.py'), 'utf8').split('\n').slice(23, 28).join('\n');
    assert.match(text, /`src\/inventory\.py` \(lines 24-28\):\n\n```python\n/);
    const fenced = /```python\n([\s\S]*?)\n```/.exec(text)?.[1];
    assert.equal(fenced, lines, 'exactly the selected lines');
    await waitFor('the answer to end', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined), 30_000);
    // The user turn reads as the instruction and a compact reference, not as raw Markdown.
    const asked = chat.locator('.turn[data-role="user"]').last();
    const ref = asked.locator('details.code-ref');
    assert.equal((await ref.locator('.code-ref-path').innerText()).trim(), 'src/inventory.py');
    assert.equal((await ref.locator('.code-ref-lines').innerText()).trim(), 'lines 24–28');
    assert.equal(await ref.evaluate((details) => (details as HTMLDetailsElement).open), false, 'collapsed');
    assert.doesNotMatch(await asked.locator('.turn-text').innerText(), /```|`src/, 'no literal fences or backticks');
    await screenshot(page, 'context-explain-turn-compact');
    await ref.locator('summary').click();
    await asked.locator('.code-block pre code .hljs-keyword').first().waitFor({ state: 'visible', timeout: 5000 });
    await screenshot(page, 'context-explain-turn-expanded');
  });

  step('an explorer multi-select adds three files as chips', async () => {
    const page = fx.page;
    await openExplorer(page);
    const src = explorerRow(page, 'src');
    await src.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await src.getAttribute('aria-expanded')) !== 'true') await src.click();
    await explorerRow(page, 'debounce.ts').click();
    await explorerRow(page, 'lru.go').click({ modifiers: ['Control'] });
    await explorerRow(page, 'tokenizer.rs').click({ modifiers: ['Control'] });
    await waitFor('three selected rows', async () => ((await page.locator('.explorer-folders-view .monaco-list-row.selected').count()) === 3 ? true : undefined));
    await explorerRow(page, 'lru.go').click({ button: 'right' });
    await clickMenuItem(page, 'Add to Claude Chat');
    const added = await waitFor('three chips', async () => {
      const list = await chips();
      return list.length === 3 ? list : undefined;
    });
    assert.deepEqual(added.map((chip) => [chip.label, chip.state]), [['src/debounce.ts', 'new'], ['src/lru.go', 'new'], ['src/tokenizer.rs', 'new']]);
    for (const chip of added) assert.match(chip.text, /\d+(\.\d)?k? tok/, chip.text);
  });

  step('/batch in the chat runs a prompt over the file chips as one batch', async () => {
    const page = fx.page;
    const createsBefore = fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
    await sendMessage(await view(), '/batch Name the main data structure of this file.');
    // The prompt came with the command: the model comes next (the current one first), then max tokens.
    const dialog = await acceptBatchDefaults(page, 20_000);
    assert.match(await dialog.innerText(), /Send 3 requests to Claude/);
    await dialog.locator('.monaco-button', { hasText: 'Run as Batch' }).click();
    const create = await waitFor('the batch create request', async () => {
      const posts = fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
      return posts.length > createsBefore.length ? posts.at(-1) : undefined;
    }, 30_000);
    const sent = (create.body as { requests: { params: { messages: { content: string }[] } }[] }).requests;
    assert.deepEqual(sent.map((r) => /<file path="([^"]+)"/.exec(r.params.messages[0]?.content ?? '')?.[1]), ['src/debounce.ts', 'src/lru.go', 'src/tokenizer.rs']);
  });

  step('a .env is refused and the chip and the notification say why', async () => {
    const page = fx.page;
    await openExplorer(page);
    const row = explorerRow(page, '.env');
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
    await row.click({ button: 'right' });
    await clickMenuItem(page, 'Add to Claude Chat');
    const chip = await waitFor('the excluded chip', async () => (await chips()).find((c) => c.state === 'excluded'));
    assert.equal(chip.label, '.env');
    assert.match(chip.text, /excluded: may hold secrets/);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: '.env was not added: may hold secrets' });
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    assert.ok(!requests().some((body) => JSON.stringify(body).includes('do-not-send-me')));
    await screenshot(page, 'context-chips-dark');
    await (await view()).locator('#composer').screenshot({ path: artifactPath('context-chips-dark-closeup.png') });
    await page.keyboard.press('Escape');
  });

  step('the @ picker finds workspace files by fuzzy search and adds one', async () => {
    const chat = await view();
    const input = chat.locator('#composer-input');
    await input.click();
    await input.pressSequentially('Compare with @invpy', { delay: 20 });
    const option = chat.locator('.file-picker-option').first();
    await option.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await option.getAttribute('data-path'), 'src/inventory.py');
    assert.equal(await chat.locator('.file-picker-option[data-path=".env"]').count(), 0);
    await screenshot(fx.page, 'context-picker-dark');
    await chat.locator('#composer').screenshot({ path: artifactPath('context-picker-dark-closeup.png') });
    await setColorTheme(fx.page, 'light');
    // The theme picker took the focus, which closes the picker: type the query again.
    await input.fill('Compare with @invp');
    await input.pressSequentially('y', { delay: 20 });
    await option.waitFor({ state: 'visible', timeout: 10_000 });
    await chat.locator('#composer').screenshot({ path: artifactPath('context-picker-light-closeup.png') });
    await screenshot(fx.page, 'context-picker-light');
    await input.press('Enter');
    await waitFor('the inventory chip', async () => ((await chips()).some((c) => c.label === 'src/inventory.py') ? true : undefined));
    assert.equal(await input.inputValue(), 'Compare with ');
    await chat.locator('#composer').screenshot({ path: artifactPath('context-chips-light-closeup.png') });
    await screenshot(fx.page, 'context-chips-light');
    await setColorTheme(fx.page, 'dark');
    // Not needed for what follows: drop it and the .env notice with their ×.
    await chat.locator('.context-chip[data-label="src/inventory.py"] .context-chip-remove').click();
    await chat.locator('.context-chip[data-state="excluded"] .context-chip-remove').click();
    await waitFor('three chips again', async () => ((await chips()).length === 3 ? true : undefined));
    await input.fill('');
  });

  step('an edited file goes out as an updated version; the earlier turn is byte-identical', async () => {
    const page = fx.page;
    const chat = await view();
    await askAndWait(chat, 'What do these three files have in common?');
    const first = requests().at(-1) as Body;
    const sentTurn = first.messages.at(-1)?.content ?? [];
    assert.deepEqual(sentTurn.map((block) => /^File `([^`]+)`/.exec(block.text ?? '')?.[1] ?? block.text), ['src/debounce.ts', 'src/lru.go', 'src/tokenizer.rs', 'What do these three files have in common?']);
    assert.deepEqual((await chips()).map((chip) => chip.state), ['sent', 'sent', 'sent']);

    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('debounce.ts');
    await page.locator('.quick-input-widget .monaco-list-row').first().click();
    const editor = page.locator('.monaco-editor[data-uri$="debounce.ts"] .view-lines');
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// edited after it was sent\n');
    await waitFor('the updated chip', async () => ((await chips()).find((chip) => chip.label === 'src/debounce.ts')?.state === 'updated' ? true : undefined));
    await chat.locator('#composer').screenshot({ path: artifactPath('context-chips-updated-dark-closeup.png') });

    await askAndWait(chat, 'And now?');
    const second = requests().at(-1) as Body;
    const earlier = stripped(first) as unknown[];
    assert.deepEqual((stripped(second) as unknown[]).slice(0, earlier.length), earlier, 'the earlier turns are byte-identical');
    const newTurn = second.messages.at(-1)?.content ?? [];
    assert.equal(newTurn.length, 2);
    assert.match(newTurn[0]?.text ?? '', /^Updated version of `src\/debounce\.ts` \(typescript\)/);
    assert.match(newTurn[0]?.text ?? '', /\/\/ edited after it was sent/);
    assert.equal(newTurn[1]?.text, 'And now?');
    await screenshot(page, 'context-after-update-dark');
  });

  step('a file in context deleted on disk is reported in the next request', async () => {
    const chat = await view();
    fs.rmSync(path.join(fx.workspace, 'src', 'tokenizer.rs'));
    await waitFor('the deleted chip', async () => ((await chips()).find((chip) => chip.label === 'src/tokenizer.rs')?.state === 'deleted' ? true : undefined));
    await askAndWait(chat, 'Is it gone?');
    const newTurn = (requests().at(-1) as Body).messages.at(-1)?.content ?? [];
    assert.match(newTurn[0]?.text ?? '', /^`src\/tokenizer\.rs` was deleted after it was added/);
    assert.deepEqual((await chips()).map((chip) => chip.label), ['src/debounce.ts', 'src/lru.go']);
  });

  step('a folder from the explorer expands under the rules; a chip click opens its file', async () => {
    const page = fx.page;
    await openExplorer(page);
    const src = explorerRow(page, 'src');
    await src.waitFor({ state: 'visible', timeout: 20_000 });
    await src.click({ button: 'right' });
    await clickMenuItem(page, 'Add to Claude Chat');
    await waitFor('the inventory chip', async () => ((await chips()).some((chip) => chip.label === 'src/inventory.py') ? true : undefined));
    const labels = (await chips()).map((chip) => chip.label);
    assert.deepEqual(labels, ['src/debounce.ts', 'src/lru.go', 'src/inventory.py'], 'build.log is left out; the order stays stable');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'ignored by .gitignore' });
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
    await (await view()).locator('.context-chip[data-label="src/inventory.py"] .context-chip-open').click();
    await page.locator('.tab.active', { hasText: 'inventory.py' }).waitFor({ state: 'visible', timeout: 10_000 });
  });
});
