/**
 * A whole conversation in a real VS Code: three streamed turns, Stop midway, edit an earlier
 * message (the old branch stays reachable), regenerate an answer with another model (both
 * versions stay), then restart VS Code and find the
 * conversation exactly as it was, with what the test server recorded to prove what was sent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { pickQuickItem, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { afterPaint, askAndWait, lastAnswer, openChat, sendMessage, startFixture, stepsFor, waitFor } from './fixture';
import { openFile } from './workbench';

const LONG_SYSTEM = Array.from({ length: 300 }, (_, i) => `Rule ${i + 1}: answer plainly and cite the file you mean.`).join('\n');

let fx: Fixture;
let chat: Frame;

before(async () => {
  // A system prompt over the model's minimum cacheable size (1024 tokens), so every turn has a
  // prefix worth caching and the cache accounting below has something to show.
  fx = await startFixture({ label: 'conversation', theme: 'dark', userSettings: { 'claudeStudio.systemPrompt': LONG_SYSTEM } });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('conversation', () => fx.page, 120_000);

async function transcriptTexts(frame: Frame): Promise<string[]> {
  return frame.locator('.turn').evaluateAll((turns) =>
    turns.map((turn) => `${turn.getAttribute('data-role')}:${turn.getAttribute('data-status')}:${(turn.querySelector('.turn-text, .turn-body')?.textContent ?? '').trim().slice(0, 40)}`),
  );
}

/** Writes every changed editor to disk, as File: Save All Files does. */
async function saveAll(page: Page): Promise<void> {
  await page.locator('[id="workbench.parts.statusbar"]').focus().catch(() => undefined);
  await runCommand(page, 'File: Save All Files');
}

describe('a conversation in real VS Code', () => {
  step('holds a three-turn conversation, each answer streamed', async () => {
    chat = await openChat(fx.page);
    fx.server.script({ text: 'Answer one.', chunkSize: 3, chunkDelayMs: 10 }, { text: 'Answer two.', chunkSize: 3, chunkDelayMs: 10 }, { text: 'Answer three.', chunkSize: 3, chunkDelayMs: 10 });
    await askAndWait(chat, 'Question one');
    await askAndWait(chat, 'Question two');
    await askAndWait(chat, 'Question three');
    assert.deepEqual(await transcriptTexts(chat), [
      'user:sent:Question one', 'assistant:done:Answer one.',
      'user:sent:Question two', 'assistant:done:Answer two.',
      'user:sent:Question three', 'assistant:done:Answer three.',
    ]);
    const last = fx.server.messageRequests().at(-1)?.body as { messages: Array<{ role: string }> };
    assert.deepEqual(last.messages.map((message) => message.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    // Turn 1 writes its whole prefix, turn 2 reads all of it back, turn 3 reads turn 2's too.
    const [one, two, three] = fx.server.messageRequests().slice(-3).map((record) => record.usage);
    const written = one?.cache_creation_input_tokens ?? 0;
    assert.ok(written > 1024, `turn 1 wrote ${written} tokens to the cache`);
    assert.equal(one?.cache_read_input_tokens ?? 0, 0, 'turn 1 had nothing to read');
    assert.equal(two?.cache_read_input_tokens ?? 0, written, 'turn 2 reads back everything turn 1 wrote');
    assert.ok((three?.cache_read_input_tokens ?? 0) > (two?.cache_read_input_tokens ?? 0), 'turn 3 reads turn 2 as well');
  });

  step('stops an answer midway with Esc', async () => {
    fx.server.script({ text: 'A very long answer. '.repeat(300), chunkSize: 8, chunkDelayMs: 20 });
    await sendMessage(chat, 'Question four');
    await waitFor('streaming', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'streaming' && (await lastAnswer(chat).locator('.turn-body').innerText()).length > 30 ? true : undefined));
    await chat.locator('#composer-input').press('Escape');
    await waitFor('stopped', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'stopped' ? true : undefined), 5000);
  });

  step('edits the second question and regenerates from there, keeping the old branch', async () => {
    fx.server.script({ text: 'Answer to the edited question.', chunkSize: 4, chunkDelayMs: 10 });
    const second = chat.locator('.turn[data-role="user"]').nth(1);
    await second.hover();
    await second.locator('.turn-edit').click();
    const editor = second.locator('.edit-box textarea');
    await editor.fill('Question two, rephrased');
    await editor.press('Enter');
    await waitFor('the edited branch', async () => {
      const texts = await transcriptTexts(chat);
      return texts.length === 4 && texts[3] === 'assistant:done:Answer to the edited question.' ? texts : undefined;
    });
    assert.deepEqual((await transcriptTexts(chat)).slice(0, 3), ['user:sent:Question one', 'assistant:done:Answer one.', 'user:sent:Question two, rephrased']);
    const sent = fx.server.messageRequests().at(-1)?.body as { messages: Array<{ content: Array<{ text: string }> }> };
    assert.deepEqual(sent.messages.map((message) => message.content.map((block) => block.text).join('')), ['Question one', 'Answer one.', 'Question two, rephrased']);
    const nav = chat.locator('.turn[data-role="user"]').nth(1).locator('.branch-label');
    assert.match(await nav.innerText(), /2\s*\/\s*2/);
    await chat.locator('.turn[data-role="user"]').nth(1).locator('.branch-prev').click();
    await waitFor('the old branch', async () => ((await transcriptTexts(chat)).length === 8 ? true : undefined));
    assert.match((await transcriptTexts(chat))[7] ?? '', /^assistant:stopped:A very long answer\./);
    await chat.locator('.turn[data-role="user"]').nth(1).locator('.branch-next').click();
    await waitFor('the edited branch again', async () => ((await transcriptTexts(chat)).length === 4 ? true : undefined));
    await screenshot(fx.page, 'conversation-edited');
  });

  step('regenerates the answer with another model as a second version; the first stays reachable', async () => {
    fx.server.script({ text: 'A second opinion.', chunkSize: 4, chunkDelayMs: 10 });
    const previous = fx.server.messageRequests().at(-1)?.body as { model: string; messages: Array<{ content: Array<{ text: string }> }> };
    const answer = lastAnswer(chat);
    await answer.hover();
    await answer.locator('.turn-regenerate-with').click();
    await pickQuickItem(fx.page, 'Claude Haiku 5.5', { filter: 'haiku 5.5' });
    await waitFor('the regenerated answer', async () => {
      const texts = await transcriptTexts(chat);
      return texts.length === 4 && texts[3] === 'assistant:done:A second opinion.' ? texts : undefined;
    });
    const sent = fx.server.messageRequests().at(-1)?.body as { model: string; messages: Array<{ content: Array<{ text: string }> }> };
    assert.equal(sent.model, 'claude-haiku-5-5', 'the chosen model answered');
    assert.notEqual(previous.model, sent.model);
    const texts = (body: typeof sent): string[] => body.messages.map((message) => message.content.map((block) => block.text).join(''));
    assert.deepEqual(texts(sent), texts(previous), 'the same question, asked again');
    const nav = lastAnswer(chat).locator('.branch-label');
    assert.match(await nav.innerText(), /2\s*\/\s*2/);
    assert.match(await lastAnswer(chat).locator('.turn-model').innerText(), /Haiku 5\.5/);
    await lastAnswer(chat).locator('.branch-prev').click();
    await waitFor('the first version', async () => ((await transcriptTexts(chat))[3] === 'assistant:done:Answer to the edited question.' ? true : undefined));
    await lastAnswer(chat).locator('.branch-next').click();
    await waitFor('the second version again', async () => ((await transcriptTexts(chat))[3] === 'assistant:done:A second opinion.' ? true : undefined));
    await screenshot(fx.page, 'conversation-regenerated');
  });

  step('finds the conversation intact after VS Code restarts', async () => {
    const before = await transcriptTexts(chat);
    await fx.workbench.close();
    await fx.codeServer.restart();
    await fx.reopen();
    chat = await openChat(fx.page);
    const after = await waitFor('the restored conversation', async () => {
      const texts = await transcriptTexts(chat);
      return texts.length === before.length ? texts : undefined;
    }, 30_000);
    assert.deepEqual(after, before);
    assert.match(await lastAnswer(chat).locator('.branch-label').innerText(), /2\s*\/\s*2/, 'the regenerated answer keeps both versions');
    await chat.locator('.turn[data-role="user"]').nth(1).locator('.branch-prev').click();
    await waitFor('the old branch after restart', async () => ((await transcriptTexts(chat)).length === 8 ? true : undefined));
    await screenshot(fx.page, 'conversation-after-restart');
  });

  step('Continue after a dropped connection finishes the same answer, with no text repeated', async () => {
    await runCommand(fx.page, 'Claude: New Chat');
    await waitFor('an empty transcript', async () => ((await chat.locator('.turn').count()) === 0 ? true : undefined));
    fx.server.script({ text: 'Alpha beta gamma delta epsilon zeta', chunkSize: 6, chunkDelayMs: 10 }, { text: ' eta theta.', chunkSize: 4 });
    fx.server.fault({ kind: 'reset-mid-stream', afterChunks: 2 });
    const before = fx.server.messageRequests().length;
    await sendMessage(chat, 'List some Greek letters');
    const answer = lastAnswer(chat);
    await waitFor('the failed answer', async () => ((await answer.getAttribute('data-status')) === 'error' ? true : undefined), 30_000);
    await afterPaint(chat);
    assert.match(await answer.locator('.turn-error-message').innerText(), /lost before the answer finished\. The partial answer is kept: Continue picks up where it stopped; Retry starts the answer over\./);
    const partial = (await answer.locator('.turn-body').innerText()).trim();
    assert.ok(partial !== '' && 'Alpha beta gamma delta epsilon zeta'.startsWith(partial), partial);
    await screenshot(fx.page, 'conversation-continue-offered');
    await answer.locator('.turn-error .continue').click();
    await waitFor('the continued answer', async () => ((await answer.getAttribute('data-status')) === 'done' ? true : undefined), 30_000);
    await afterPaint(chat);
    assert.equal(await chat.locator('.turn[data-role="assistant"]').count(), 1, 'one answer');
    assert.equal((await answer.locator('.turn-body').innerText()).trim(), `${partial} eta theta.`);
    assert.equal(await answer.locator('.turn-error').count(), 0, 'the error box is gone');
    const sent = fx.server.messageRequests().slice(before);
    assert.equal(sent.length, 2, 'the failed request and the continuation, no automatic retry');
    const last = (sent[1]?.body as { messages: Array<{ role: string; content: Array<{ text: string }> }> }).messages.at(-1);
    assert.deepEqual([last?.role, last?.content.map((block) => block.text).join('')], ['assistant', partial]);
    await screenshot(fx.page, 'conversation-continued');
  });

  step('applies blocks for two files and a new one as one reviewed change, and undoes it in one step', async () => {
    const inventory = path.join(fx.workspace, 'src', 'inventory.py');
    const debounce = path.join(fx.workspace, 'src', 'debounce.ts');
    const created = path.join(fx.workspace, 'notes', 'CHANGES.md');
    const originals = [fs.readFileSync(inventory, 'utf8'), fs.readFileSync(debounce, 'utf8')];
    const answer = [
      'Three changes.',
      '`src/inventory.py`',
      '```python',
      '    def sell(self, sku: str, qty: int) -> None:',
      '        item = self.items[sku]',
      '        if qty <= 0:',
      '            raise ValueError("qty must be positive")',
      '        if qty > item.on_hand:',
      '            raise ValueError(f"only {item.on_hand} of {item.name} left")',
      '        item.on_hand -= qty',
      '```',
      '',
      '```ts src/debounce.ts',
      'export interface Debounced<A extends unknown[]> {',
      '  (...args: A): void;',
      '  cancel(): void;',
      '  flush(): void;',
      '  pending(): boolean;',
      '}',
      '```',
      '',
      '**notes/CHANGES.md**',
      '```markdown',
      '# Changes',
      '- sell() refuses a quantity of zero or less',
      '```',
    ].join('\n');
    fx.server.script({ text: answer, chunkSize: 40, chunkDelayMs: 5 });
    await askAndWait(chat, 'Make sell() refuse non-positive quantities, add pending() to Debounced, and note it');
    const apply = lastAnswer(chat).locator('.apply-files');
    assert.equal((await apply.innerText()).trim(), 'Apply to 3 files');
    await apply.click();
    // Every file shows in one multi-file diff; nothing is written until Apply.
    const review = fx.page.locator('.tab', { hasText: "Claude's change (3 files)" });
    await review.waitFor({ state: 'visible', timeout: 20_000 });
    const toast = fx.page.locator('.notifications-toasts .notification-toast', { hasText: "Apply Claude's change to 3 files?" });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(fs.readFileSync(inventory, 'utf8'), originals[0], 'nothing changed before Apply');
    assert.equal(fs.existsSync(created), false, 'no file created before Apply');
    await screenshot(fx.page, 'conversation-apply-files-review');
    await toast.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await waitFor('the review tab to close', async () => ((await review.count()) === 0 ? true : undefined), 10_000);
    await saveAll(fx.page);
    const changed = await waitFor('the three files changed', async () => {
      if (!fs.existsSync(created)) return undefined;
      const now = [fs.readFileSync(inventory, 'utf8'), fs.readFileSync(debounce, 'utf8')];
      return now[0] !== originals[0] && now[1] !== originals[1] ? now : undefined;
    }, 20_000);
    assert.match(changed[0] ?? '', /if qty <= 0:\n\s+raise ValueError\("qty must be positive"\)\n\s+if qty > item\.on_hand:/);
    assert.match(changed[0] ?? '', /def restock_plan/, 'the rest of inventory.py is untouched');
    assert.match(changed[1] ?? '', /flush\(\): void;\n {2}pending\(\): boolean;\n\}/);
    assert.match(changed[1] ?? '', /export function debounce/, 'the rest of debounce.ts is untouched');
    assert.equal(fs.readFileSync(created, 'utf8'), '# Changes\n- sell() refuses a quantity of zero or less\n');
    // One Undo, in any of the files, reverts all of them (VS Code asks whether to undo in all files).
    await openFile(fx.page, 'inventory.py');
    // Opening a file adds the suggestion chip above the chat box: the view gets shorter, and the
    // last answer's usage line stays in sight instead of slipping under the composer.
    await chat.locator('.context-suggestion').first().waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor('the usage line above the composer', async () => chat.evaluate(() => {
      const usage = [...document.querySelectorAll('.turn-usage')].at(-1)?.getBoundingClientRect();
      const view = document.querySelector('.transcript')?.getBoundingClientRect();
      return usage !== undefined && view !== undefined && usage.bottom <= view.bottom + 1 ? true : undefined;
    }), 5000);
    await fx.page.keyboard.press('Control+Z');
    // VS Code may ask whether to undo in every file; when it does, the answer is yes.
    const undoAll = fx.page.locator('.monaco-dialog-box .monaco-button', { hasText: /Undo in \d+ Files/ });
    if (await undoAll.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) await undoAll.click();
    await saveAll(fx.page);
    await waitFor('every file back as it was', async () =>
      fs.readFileSync(inventory, 'utf8') === originals[0] && fs.readFileSync(debounce, 'utf8') === originals[1] && !fs.existsSync(created) ? true : undefined, 20_000);
    await screenshot(fx.page, 'conversation-apply-files-undone');
  });
});
