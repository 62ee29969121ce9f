/**
 * Prompt recipes in a real VS Code: "Multi-persona analysis" on a selection, run from the
 * editor's right-click menu, shows each persona's view and the synthesis as collapsed steps
 * above the answer, with the total cost; a slash command in the chat runs a recipe too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { pickQuickItem, quickInput, runCommand, screenshot } from './harness/browser';
import { leftoverProcesses } from './harness/codeServer';
import { borderProblems, checkEveryTheme, focusByKeyboard, focusProblems, textProblems } from './contrast';
import type { Fixture } from './fixture';
import { clickMenuItem, openFile, selectLines } from './workbench';
import { afterPaint, lastAnswer, openChat, sendMessage, startFixture, stepsFor, waitFor } from './fixture';

let fx: Fixture;
let chat: Frame;

before(async () => {
  fx = await startFixture({ label: 'recipes', theme: 'dark' });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('recipes', () => fx.page);

/** Opens inventory.py and selects the `sell` method (lines 24-28) with the keyboard. */
async function selectSell(page: Page): Promise<void> {
  await openFile(page, 'inventory.py');
  await selectLines(page, 24, 5);
}

describe('prompt recipes in real VS Code', () => {
  step('opens the chat', async () => {
    // Recipes open with the chat's prompt: the profile, and this trusted workspace's instructions.
    fs.mkdirSync(path.join(fx.workspace, '.claude-studio'), { recursive: true });
    fs.writeFileSync(path.join(fx.workspace, '.claude-studio', 'instructions.md'), 'Name the Python version a fix needs.\n');
    chat = await openChat(fx.page);
  });

  step('runs Multi-persona analysis on a selection from the right-click menu', async () => {
    const page = fx.page;
    fx.server.script(
      { when: { textIncludes: 'as Security reviewer' }, text: 'Selling an unknown SKU raises a bare `KeyError`; validate `sku` first.', chunkSize: 20 },
      { when: { textIncludes: 'as Performance engineer' }, text: 'Constant time: one dict lookup. Nothing to worry about.', chunkSize: 20 },
      { when: { textIncludes: 'as Maintainer' }, text: 'Reject `qty <= 0` too; a negative sale silently restocks.', chunkSize: 20 },
      { when: { textIncludes: 'Synthesize' }, text: '### Agreement\nThe method is small and fast.\n\n### Differences\nSecurity and the maintainer both want stricter input checks.\n\n### Recommendation\nValidate `sku` and `qty` before changing stock.', chunkSize: 20 },
    );
    await selectSell(page);
    const selectedLine = page.locator('.monaco-editor[data-uri$="inventory.py"] .view-line', { hasText: 'item.on_hand -= qty' }).first();
    await selectedLine.click({ button: 'right', position: { x: 80, y: 8 } });
    await clickMenuItem(page, 'Run Recipe...');
    await pickQuickItem(page, 'Multi-persona analysis', { filter: 'Multi-persona' });
    // The personas question comes with the recipe's three personas ticked: accept them.
    const personasTitle = quickInput(page).getByText('Which experts should give their view?');
    await personasTitle.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    // Several requests: run now or send as a batch, each with its estimated cost.
    await quickInput(page).getByText('run now or send as a batch?').waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await quickInput(page).locator('.monaco-list-row').allInnerTexts();
    assert.ok(rows.some((row) => /Run now/.test(row) && /≈\$/.test(row)), rows.join(' | '));
    // Run now's estimate covers the synthesis too, and says how it bounds it.
    assert.ok(rows.some((row) => /Run now/.test(row) && /3 requests now, then the synthesis \(in the estimate, each view at its max tokens\)/.test(row)), rows.join(' | '));
    assert.ok(rows.some((row) => /Send as batch \(half price/.test(row) && /≈\$/.test(row)), rows.join(' | '));
    await screenshot(page, 'recipe-now-or-batch-dark');
    await pickQuickItem(page, 'Run now', { filter: 'Run now' });

    await waitFor('the finished recipe turn', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined), 60_000);
    const answer = lastAnswer(chat);
    const user = chat.locator('.turn[data-role="user"]').last();
    assert.match(await user.innerText(), /Recipe: Multi-persona analysis on src\/inventory\.py:24-28/);
    assert.match((await answer.locator('.recipe-heading').innerText()).trim(), /^Multi-persona analysis · 4 of 4 steps · \$\d+\.\d+ in total$/);
    const titles = await answer.locator('.recipe-step-title').allInnerTexts();
    assert.deepEqual(titles, ['Security reviewer', 'Performance engineer', 'Maintainer', 'Synthesis']);
    const steps = answer.locator('details.recipe-step');
    for (let i = 0; i < 4; i++) assert.equal(await steps.nth(i).getAttribute('open'), null, `step ${i + 1} is collapsed`);
    for (const usage of await answer.locator('.recipe-step-usage').allInnerTexts()) assert.match(usage, /in \d+ · out \d+ .*\$/);
    const body = await answer.locator('.turn-body').innerText();
    assert.match(body, /Agreement/);
    assert.match(body, /Validate sku and qty before changing stock\./);
    assert.match(await answer.locator('.turn-usage').innerText(), /\$\d/);

    // Four requests: three views (the chat's prompt, the cached material, then the persona), then the synthesis.
    const requests = fx.server.messageRequests().slice(-4);
    const bodies = requests.map((r) => r.body as { system: { text: string; cache_control?: unknown }[]; messages: { content: string }[] });
    const prefix = (b: (typeof bodies)[number]): string => JSON.stringify(b.system.slice(0, -1));
    assert.ok(bodies.slice(0, 3).every((b) => b.system.length >= 3 && prefix(b) === prefix(bodies[0]!)));
    const system = bodies[0]?.system ?? [];
    assert.match(system[0]?.text ?? '', /working inside Visual Studio Code[\s\S]*The user is an? \w+ developer/);
    assert.ok(system.some((block) => /Name the Python version a fix needs\./.test(block.text)), 'instructions.md is in the prompt');
    assert.match(system.at(-2)?.text ?? '', /def sell\(self, sku: str, qty: int\) -> None:/);
    assert.ok(system.at(-2)?.cache_control !== undefined && system.slice(0, -2).every((block) => block.cache_control === undefined), 'one breakpoint, after the material');
    assert.match(bodies[3]?.messages[0]?.content ?? '', /<view persona="Maintainer">/);

    await answer.scrollIntoViewIfNeeded();
    await screenshot(page, 'recipe-personas-dark');
    await steps.nth(0).locator('summary').click();
    await waitFor('the first step open', async () => ((await steps.nth(0).getAttribute('open')) !== null ? true : undefined));
    assert.match(await steps.nth(0).locator('.recipe-step-body').innerText(), /validate sku first/);
    await screenshot(page, 'recipe-personas-step-open-dark');
  });

  step('sends Multi-persona analysis as a batch: one job in Batch Jobs that ends with its three requests', async () => {
    const page = fx.page;
    const answersBefore = await chat.locator('.turn[data-role="assistant"]').count();
    const createsBefore = fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches').length;
    await selectSell(page);
    await runCommand(page, 'Claude: Run Recipe...');
    await pickQuickItem(page, 'Multi-persona analysis', { filter: 'Multi-persona' });
    await quickInput(page).getByText('Which experts should give their view?').waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await pickQuickItem(page, 'Send as batch (half price, results in Batch Jobs)', { filter: 'Send as batch' });
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Batch Jobs/i }) });
    const rowTexts = async (): Promise<string[]> => (await view.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const row = await waitFor('the ended recipe job in Batch Jobs', async () =>
      (await rowTexts()).find((t) => /Multi-persona analysis: src\/inventory\.py:24-28/.test(t) && /3\/3 ended/.test(t)), 90_000);
    assert.match(row, /3\/3 ended · \$\d/);
    const creates = fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
    assert.equal(creates.length, createsBefore + 1, 'one job for the three views');
    const body = creates.at(-1)?.body as { requests: { params: { system: { text: string; cache_control?: unknown }[] } }[] };
    assert.equal(body.requests.length, 3);
    assert.ok(body.requests.every((r) => r.params.system.at(-2)?.cache_control !== undefined && /def sell/.test(r.params.system.at(-2)?.text ?? '')));
    // No chat turn: the answers are in the batch's results.
    assert.equal(await chat.locator('.turn[data-role="assistant"]').count(), answersBefore);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Multi-persona analysis: src\/inventory\.py:24-28" ended: 3\/3 succeeded/ });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await toast.locator('.monaco-button', { hasText: 'Open Results' }).click();
    await page.locator('.tab', { hasText: 'results.md' }).first().waitFor({ state: 'visible', timeout: 20_000 });
    const results = page.locator('.monaco-editor .view-lines', { hasText: 'Persona: Performance engineer' }).first();
    await results.waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(await results.innerText(), /##\sPersona:\sSecurity\sreviewer/);
    await screenshot(page, 'recipe-batch-results-dark');
    // Back to the selection the next steps use.
    await runCommand(page, 'View: Close Editor');
    await selectSell(page);
  });

  step('runs a recipe from a slash command in the chat', async () => {
    fx.server.script({
      when: { textIncludes: '<analysis>' },
      text: '<analysis>sell lowers stock.</analysis>\n<steps>1. Looks up the item.\n2. Checks stock.\n3. Subtracts.</steps>\n<answer>It is correct for positive quantities.</answer>\n<confidence>medium: negative qty is not checked</confidence>',
    });
    const before = await chat.locator('.turn[data-role="assistant"]').count();
    await sendMessage(chat, '/cots is sell correct?');
    await waitFor('the slash-command turn', async () => {
      const answers = chat.locator('.turn[data-role="assistant"]');
      return (await answers.count()) > before && (await answers.last().getAttribute('data-status')) === 'done' ? true : undefined;
    }, 60_000);
    const answer = lastAnswer(chat);
    assert.match((await answer.locator('.recipe-heading').innerText()).trim(), /^Chain of thought \(structured\) · 1 of 1 step · \$/);
    // On screen, as the reader sees it: innerText leaves out anything that skips rendering off screen.
    await answer.scrollIntoViewIfNeeded();
    const body = await waitFor('the answer on screen', async () => {
      const text = await answer.locator('.turn-body').innerText();
      return text.trim() === '' ? undefined : text;
    }, 5000);
    assert.match(body, /Answer\s+It is correct for positive quantities\./);
    assert.match(body, /Confidence\s+medium/);
    assert.match(await chat.locator('.turn[data-role="user"]').last().innerText(), /is sell correct\?/);
    await answer.scrollIntoViewIfNeeded();
    await screenshot(fx.page, 'recipe-slash-cot-dark');
  });

  step('self-consistency groups differing answers by meaning with one cheap request, and shows each share', async () => {
    fx.server.script(
      { when: { textIncludes: 'Sample 1 of 3' }, text: 'It trusts the caller.\n<answer>A negative qty adds stock.</answer>' },
      { when: { textIncludes: 'Sample 2 of 3' }, text: '<answer>Negative quantities restock the item</answer>' },
      { when: { textIncludes: 'Sample 3 of 3' }, text: '<answer>An unknown sku raises KeyError</answer>' },
      // A normal messages call on the cheapest model, answered with JSON as structured outputs constrain it.
      { when: { textIncludes: 'Group the 3 answers by meaning' }, text: '{"clusters": [[1, 2], [3]]}' },
    );
    const before = await chat.locator('.turn[data-role="assistant"]').count();
    await sendMessage(chat, '/vote what can go wrong in sell?');
    await quickInput(fx.page).getByText('How many independent samples should vote?').waitFor({ state: 'visible', timeout: 15_000 });
    await fx.page.keyboard.type('3');
    await fx.page.keyboard.press('Enter');
    await waitFor('the vote turn', async () => {
      const answers = chat.locator('.turn[data-role="assistant"]');
      return (await answers.count()) > before && (await answers.last().getAttribute('data-status')) === 'done' ? true : undefined;
    }, 60_000);
    const answer = lastAnswer(chat);
    assert.match(await answer.locator('.recipe-heading').innerText(), /^Self-consistency vote · 4 of 4 steps/);
    assert.equal((await answer.locator('.recipe-step-title').allInnerTexts()).at(-1), 'Grouping the answers by meaning');
    const body = await answer.locator('.turn-body').innerText();
    assert.match(body, /2 of 3, 67% agreement, grouped by meaning/);
    assert.match(body, /67% \(2 of 3\): A negative qty adds stock\.\s+also: Negative quantities restock the item/);
    assert.match(body, /33% \(1 of 3\): An unknown sku raises KeyError/);
    const grouping = fx.server.messageRequests().at(-1)?.body as { model: string; max_tokens: number; output_config?: { format?: { type: string } } };
    assert.equal(grouping.model, 'claude-haiku-5-5');
    assert.ok(grouping.max_tokens <= 256);
    assert.equal(grouping.output_config?.format?.type, 'json_schema');
    await answer.scrollIntoViewIfNeeded();
    await screenshot(fx.page, 'recipe-vote-clusters-dark');
  });

  step('runs the workspace\'s own recipe and names the field of an invalid one', async () => {
    const dir = path.join(fx.workspace, '.claude-studio', 'recipes');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'tone.json'), JSON.stringify({
      id: 'tone', name: 'Tone check', kind: 'role', personas: ['newcomer'],
      prompts: { task: 'As {{persona}}, what reads badly here? {{request}}' },
    }));
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ id: 'broken', name: 'Broken', kind: 'refine', rounds: 99 }));
    fx.server.script({ when: { textIncludes: 'As New team member, what reads badly here?' }, text: 'The name `qty` made me guess.' });
    const before = await chat.locator('.turn[data-role="assistant"]').count();
    await sendMessage(chat, '/tone');
    // A single persona question: the recipe's own persona is first, Enter takes it.
    await quickInput(fx.page).getByText('Which expert should answer?').waitFor({ state: 'visible', timeout: 15_000 });
    await fx.page.keyboard.press('Enter');
    await waitFor('the workspace recipe turn', async () => {
      const answers = chat.locator('.turn[data-role="assistant"]');
      return (await answers.count()) > before && (await answers.last().getAttribute('data-status')) === 'done' ? true : undefined;
    }, 60_000);
    await afterPaint(chat);
    assert.match(await lastAnswer(chat).locator('.recipe-heading').innerText(), /^Tone check · 1 of 1 step/);
    assert.equal((await lastAnswer(chat).locator('.turn-body').innerText()).trim(), 'The name qty made me guess.');
    const toast = fx.page.locator('.notifications-toasts .notification-toast', { hasText: 'skipped an invalid recipe or persona: .claude-studio/recipes/broken.json: rounds: must be a whole number from 1 to 10' });
    await toast.waitFor({ state: 'visible', timeout: 10_000 });
  });

  step('reads well in every theme kind: the steps, their usage, the answer, borders and focus', async () => {
    // The Multi-persona answer: its first step is open (the first step above opened it).
    const answer = chat.locator('.turn[data-role="assistant"]').nth(-4);
    await answer.scrollIntoViewIfNeeded();
    const personas = '.turn[data-role="assistant"]:has(.recipe-step[open])';
    assert.equal(await chat.locator(personas).count(), 1, 'one answer has an open step');
    await checkEveryTheme(fx.page, chat, 'recipe-theme', async (theme) => {
      const problems = await textProblems(chat, theme, [
        { name: 'the answer text', selector: `${personas} .turn-body p` },
        { name: 'an answer heading', selector: `${personas} .turn-body h3` },
        { name: 'a recipe user turn', selector: '.turn[data-role="user"] .turn-text' },
        { name: 'the recipe heading (name, steps, cost)', selector: `${personas} .recipe-heading` },
        { name: 'a closed step\'s title', selector: `${personas} .recipe-step:not([open]) .recipe-step-title` },
        { name: 'a closed step\'s usage', selector: `${personas} .recipe-step:not([open]) .recipe-step-usage` },
        { name: 'a done step\'s check mark', selector: `${personas} .recipe-step:not([open]) .recipe-step-status` },
        { name: 'an open step\'s title', selector: `${personas} .recipe-step[open] .recipe-step-title` },
        { name: 'an open step\'s text', selector: `${personas} .recipe-step[open] .recipe-step-body p` },
        { name: 'inline code in a step', selector: `${personas} .recipe-step[open] .recipe-step-body code` },
        { name: 'the usage line', selector: `${personas} .turn-usage` },
      ]);
      problems.push(...await borderProblems(chat, theme, [
        { name: 'a recipe user turn', selector: '.turn[data-role="user"] .turn-text' },
        { name: 'a recipe step', selector: `${personas} .recipe-step`, sides: ['left'] },
        { name: 'the composer', selector: '.composer-box' },
      ]));
      await focusByKeyboard(chat.locator(`${personas} .recipe-step-summary`).nth(1));
      problems.push(...await focusProblems(chat, theme, { name: 'a recipe step\'s title (keyboard focus)', selector: ':focus' }));
      return problems;
    });
  });
});

describe('after the run', () => {
  it('leaves no code-server or chromium process behind', { timeout: 60_000 }, async () => {
    await fx.close();
    assert.deepEqual(await leftoverProcesses(), []);
  });
});
