/**
 * The token count in a real VS Code: what "Add to Chat" would cost before a chat exists, the exact
 * figure from usage after a turn, the estimate that follows typing at once and the exact
 * count_tokens figure after the pause, and the test server's record proving that no content is
 * counted twice and nothing is counted while nothing changes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { estimateTokens, formatTokens } from '../../src/core/tokens/estimate';
import { canonicalJson } from '../../src/core/tokens/requestKey';
import { countInputTokens } from '../server';
import type { PromptInput } from '../server/tokens';
import { quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { openFile } from './workbench';
import { answerIds, askAndWait, openChat, startFixture, stepsFor, tokenStatusText, waitFor, waitForNewAnswer } from './fixture';

/** The "Add to Chat" estimate, the exact count and the idle check all wait past this. */
const COUNT_DEBOUNCE_MS = 600;

let fx: Fixture;
let chat: Frame;

before(async () => {
  fx = await startFixture({ label: 'tokens', theme: 'dark' });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('tokens', () => fx.page, 120_000);

function countRequests(): { body: unknown; tokens: number }[] {
  return fx.server.countTokensRequests().map((record) => ({ body: record.body, tokens: countInputTokens(record.body as PromptInput) }));
}

/** What the server counted for the newest count_tokens request whose last user block is `draft`. */
async function countedFor(draft: string): Promise<number> {
  return waitFor(`a count_tokens request for "${draft}"`, async () => {
    const match = countRequests().reverse().find((request) => lastUserText(request.body) === draft);
    return match?.tokens;
  }, 10_000);
}

function lastUserText(body: unknown): string | undefined {
  const messages = (body as { messages?: { role: string; content: string | { type: string; text?: string }[] }[] }).messages ?? [];
  const last = messages.at(-1);
  if (last?.role !== 'user') return undefined;
  return typeof last.content === 'string' ? last.content : last.content.at(-1)?.text;
}

async function statusIs(expected: string, timeoutMs = 10_000): Promise<string> {
  return waitFor(`the token item to read "${expected}"`, async () => {
    const text = await tokenStatusText(fx.page);
    return text === expected ? text : undefined;
  }, timeoutMs, 25);
}

const percent = (text: string | undefined): string => / · \d+%$/.exec(text ?? '')?.[0] ?? '';

describe('token count in real VS Code', () => {
  step('with no chat yet, shows what adding the file or the selection would cost', async () => {
    const page = fx.page;
    const file = path.join(fx.workspace, 'src', 'inventory.py');
    const text = fs.readFileSync(file, 'utf8');
    const editor = await openFile(page, 'inventory.py');
    // The manifest activates the extension on its views and commands only: open the breakdown
    // (which, with no chat, offers Open Chat) to wake it, as a first click on a Claude command would.
    await runCommand(page, 'Claude: Show Token Breakdown');
    const widget = quickInput(page);
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Escape');
    await editor.click();
    await statusIs(`~${formatTokens(estimateTokens(text))} file`, 20_000);
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowDown');
    const firstLines = text.split('\n').slice(0, 3).join('\n') + '\n';
    await statusIs(`~${formatTokens(estimateTokens(firstLines))} sel`);
    await fx.page.locator('[id="workbench.parts.statusbar"]').screenshot({ path: `${process.cwd()}/test-results/e2e/tokens-selection.png` });
    assert.equal(countRequests().length, 0, 'the editor figure is never sent to count_tokens');
  });

  step('after a turn, shows the exact size from usage, without a count_tokens request', async () => {
    chat = await openChat(fx.page);
    fx.server.script({ text: 'A short answer about inventories.', chunkSize: 8, chunkDelayMs: 5 });
    await askAndWait(chat, 'What does the inventory module do?');
    const usage = fx.server.messageRequests().at(-1)?.usage;
    assert.ok(usage);
    const exact = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + usage.output_tokens;
    const text = await waitFor('the exact figure', async () => {
      const value = await tokenStatusText(fx.page);
      return value !== undefined && new RegExp(`^${formatTokens(exact).replace('.', '\\.')} · \\d+%$`).test(value) ? value : undefined;
    });
    assert.ok(!text.startsWith('~'));
    assert.equal(countRequests().length, 0);
  });

  step('typing changes the figure at once, and the exact count follows after the pause', async () => {
    const before = await tokenStatusText(fx.page);
    const input = chat.locator('#composer-input');
    await input.click();
    const draft = 'How many items are low on stock right now?';
    await input.pressSequentially(draft, { delay: 30 });
    const typedAt = Date.now();
    // The estimate follows the webview's draft message (coalesced ~150 ms), before any count.
    const estimate = await waitFor('an estimate', async () => {
      const value = await tokenStatusText(fx.page);
      return value?.startsWith('~') && value !== before ? value : undefined;
    }, 5_000, 10);
    const estimateMs = Date.now() - typedAt;
    assert.equal(countRequests().length, 0, 'the estimate came first');
    assert.ok(estimateMs < COUNT_DEBOUNCE_MS, `the estimate showed ${estimateMs} ms after the last keystroke`);
    const counted = await countedFor(draft);
    const exactMs = Date.now() - typedAt;
    const exact = await statusIs(`${formatTokens(counted)}${percent(estimate)}`);
    assert.doesNotMatch(exact, /^~/);
    assert.equal(countRequests().length, 1, 'only the final draft was counted');
    console.log(`estimate "${estimate}" after ${estimateMs} ms, exact "${exact}" (server: ${counted}) after ~${exactMs} ms`);
  });

  step('counts nothing while nothing changes', async () => {
    const before = countRequests().length;
    await fx.page.waitForTimeout(COUNT_DEBOUNCE_MS * 5);
    assert.equal(countRequests().length, before);
  });

  step('never counts a content twice: going back to a counted draft uses the cached figure', async () => {
    const input = chat.locator('#composer-input');
    const base = 'How many items are low on stock right now?';
    await input.press('End');
    await input.pressSequentially(' And why?', { delay: 30 });
    const counted = await countedFor(`${base} And why?`);
    await statusIs(`${formatTokens(counted)}${percent(await tokenStatusText(fx.page))}`);
    for (let i = 0; i < ' And why?'.length; i++) await input.press('Backspace');
    const first = countRequests().find((request) => lastUserText(request.body) === base);
    assert.ok(first);
    // Back to the first draft: its exact figure comes from the cache, with no request.
    await statusIs(`${formatTokens(first.tokens)}${percent(await tokenStatusText(fx.page))}`);
    await fx.page.waitForTimeout(COUNT_DEBOUNCE_MS * 3);
    assert.equal(countRequests().filter((request) => lastUserText(request.body) === base).length, 1);
    assert.equal(countRequests().length, 2);
  });

  step('over the session, at most one count_tokens request per distinct request content', async () => {
    fx.server.script({ text: 'Three items are low on stock.', chunkSize: 8, chunkDelayMs: 5 });
    const input = chat.locator('#composer-input');
    const known = await answerIds(chat);
    await input.press('Enter');
    await waitForNewAnswer(chat, known, 'the answer');
    // With the draft sent and an empty composer, the figure is exact from usage again.
    await waitFor('the figure from usage', async () => {
      const value = await tokenStatusText(fx.page);
      return value !== undefined && !value.startsWith('~') ? value : undefined;
    });
    await input.click();
    await input.pressSequentially('Thanks!', { delay: 30 });
    await countedFor('Thanks!');
    await fx.page.waitForTimeout(COUNT_DEBOUNCE_MS * 3);
    const byContent = new Map<string, number>();
    for (const request of countRequests()) {
      const key = canonicalJson(request.body);
      byContent.set(key, (byContent.get(key) ?? 0) + 1);
    }
    const repeats = [...byContent.values()].filter((n) => n > 1);
    assert.deepEqual(repeats, [], 'a content was counted more than once');
    console.log(`count_tokens: ${countRequests().length} requests for ${byContent.size} distinct contents`);
  });

  step('the tooltip breaks the figure down and prices it; a click opens the breakdown with actions', async () => {
    const page = fx.page;
    const item = page.locator('[id="workbench.parts.statusbar"] [id="claude-studio.claude-studio.claudeStudio.tokens"]');
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Next request to Claude' }).first();
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    const tooltip = await hover.innerText();
    for (const expected of ['System prompt', 'Conversation so far', 'Your message', 'Sending it', 'cache hits on']) {
      assert.ok(tooltip.includes(expected), `tooltip lacks "${expected}":\n${tooltip}`);
    }
    await screenshot(page, 'tokens-tooltip-dark');
    await page.mouse.move(10, 10);
    await item.click();
    const widget = quickInput(page);
    await widget.waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await widget.locator('.monaco-list-row').allInnerTexts();
    const joined = rows.join('\n');
    for (const expected of ['System prompt', 'Your message', 'New Chat', 'Choose Model']) {
      assert.ok(joined.includes(expected), `breakdown lacks "${expected}":\n${joined}`);
    }
    await screenshot(page, 'tokens-breakdown-dark');
    await page.keyboard.press('Escape');
    const labels = await item.evaluate((element) => [element, ...element.querySelectorAll('[aria-label]')].map((node) => node.getAttribute('aria-label') ?? ''));
    assert.ok(labels.some((label) => /^Next Claude request: [\d,]+ tokens, \d+% of the context window/.test(label)), labels.join(' | '));
  });
});
