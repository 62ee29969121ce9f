/**
 * The chat, as a person meets it in a real VS Code: open the view, ask, watch the answer stream,
 * stop one midway, read the token count, use the palette and the editor's right-click menu.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Frame } from 'playwright-core';
import { formatTokens } from '../../src/core/tokens/estimate';
import { isHighContrast, runCommand, screenshot, setColorTheme } from './harness/browser';
import { leftoverProcesses } from './harness/codeServer';
import { borderProblems, checkEveryTheme, focusByKeyboard, focusProblems, hoverProblems, textProblems } from './contrast';
import type { Fixture } from './fixture';
import { clickMenuItem, addUserSettings, openFile, selectLines } from './workbench';
import { afterPaint, answerIds, askAndWait, lastAnswer, newAnswer, openChat, sendMessage, startFixture, stepsFor, tokenStatusText, waitFor, waitForNewAnswer } from './fixture';

let fx: Fixture;
let chat: Frame;

before(async () => {
  fx = await startFixture({ label: 'chat', theme: 'dark' });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('chat', () => fx.page, 120_000);

describe('chat in real VS Code', () => {
  step('opens the Claude view from the palette', async () => {
    chat = await openChat(fx.page);
    assert.equal(await chat.locator('#composer-input').getAttribute('aria-label'), 'Message Claude');
    await waitFor('the offline badge', async () => ((await chat.locator('#offline-badge').isVisible()) ? true : undefined));
  });

  step('streams an answer: partial text is visible before it ends', async () => {
    const answer = 'Streaming works. '.repeat(60);
    fx.server.script({ text: answer, chunkSize: 12, chunkDelayMs: 25 });
    await sendMessage(chat, 'Tell me about streaming');
    const partial = await waitFor('a partial answer', async () => {
      const turn = lastAnswer(chat);
      if ((await turn.getAttribute('data-status')) !== 'streaming') return undefined;
      const text = (await turn.locator('.turn-body').innerText()).trim();
      return text.length > 0 && text.length < answer.trim().length ? text : undefined;
    });
    await screenshot(fx.page, 'chat-mid-answer-dark');
    assert.ok(answer.startsWith(partial.slice(0, 40)));
    await waitFor('the finished answer', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined));
    await afterPaint(chat);
    assert.equal((await lastAnswer(chat).locator('.turn-body').innerText()).trim(), answer.trim());
    assert.match(await lastAnswer(chat).locator('.turn-usage').innerText(), /\$/);
  });

  step('streams code: the open fence grows as plain text and is highlighted once it closes', async () => {
    await streamCodeAnswer('dark');
  });

  step('shows the exact size of the next request in the status bar', async () => {
    const usage = fx.server.messageRequests().at(-1)?.usage;
    assert.ok(usage);
    const exact = usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + usage.output_tokens;
    const text = await waitFor('the token count', async () => {
      const value = await tokenStatusText(fx.page);
      return value?.includes(formatTokens(exact)) ? value : undefined;
    });
    assert.match(text, new RegExp(`^${formatTokens(exact).replace('.', '\\.')} · \\d+%$`), text);
    await fx.page.locator('[id="workbench.parts.statusbar"]').screenshot({ path: `${process.cwd()}/test-results/e2e/status-bar-dark.png` });
  });

  step('stops a streaming answer midway and keeps what arrived', async () => {
    fx.server.script({ text: 'This answer is far too long. '.repeat(200), chunkSize: 10, chunkDelayMs: 25 });
    await sendMessage(chat, 'Write something long');
    await waitFor('streaming to start', async () => {
      const turn = lastAnswer(chat);
      return (await turn.getAttribute('data-status')) === 'streaming' && (await turn.locator('.turn-body').innerText()).trim().length > 20 ? true : undefined;
    });
    const stoppedAt = Date.now();
    await chat.locator('#stop').click();
    await waitFor('the stopped marker', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'stopped' ? true : undefined), 5000);
    assert.ok(Date.now() - stoppedAt < 5000);
    await afterPaint(chat);
    const kept = (await lastAnswer(chat).locator('.turn-body').innerText()).trim();
    assert.ok(kept.length > 20 && kept.length < 'This answer is far too long. '.length * 200, `kept ${kept.length} chars`);
    assert.equal(await chat.locator('#send').isVisible(), true, 'the composer is ready again');
  });

  step('follows a long answer to its last line, and the blocks scrolled past read back whole', async () => {
    // Headings open the second and fourth chunks of 32 blocks (a margin across a chunk's edge).
    const blocks: string[] = Array.from({ length: 160 }, (_, i) =>
      i % 8 === 7
        ? `\`\`\`ts\nconst block${i} = ${i}; // a code block in a long answer\n\`\`\``
        : i === 32 || i === 96
          ? `## Section ${i}`
          : `Paragraph ${i}: ${'a sentence that wraps across the narrow sidebar. '.repeat(1 + (i % 4))}`.trim());
    const text = blocks.join('\n\n');
    fx.server.script({ text, chunkSize: 400, chunkDelayMs: 5 });
    await askAndWait(chat, 'Write a long answer in many blocks');
    const answer = lastAnswer(chat);
    assert.equal(await answer.locator('.turn-body > .md-chunk > *').count(), blocks.length);
    // A streamed answer's blocks skip rendering off screen, a chunk of them at a time
    // (transcript.css): following must reach the end all the same.
    assert.equal(await answer.locator('.turn-body > .md-chunk').count(), 5, '160 blocks in chunks of 32');
    assert.equal(await answer.locator('.turn-body > .md-chunk').first().evaluate((b) => getComputedStyle(b).contentVisibility), 'auto');
    const transcript = chat.locator('#transcript');
    const gap = await waitFor('the view at the end of the answer', async () => {
      const value = await transcript.evaluate((t) => t.scrollHeight - t.scrollTop - t.clientHeight);
      return value <= 24 ? value : undefined;
    }, 5000);
    assert.ok(gap <= 24, `${gap} px below the view`);
    assert.equal(await chat.locator('#scroll-to-bottom').isVisible(), false, 'no "jump to latest" after following');
    // The chunks change no spacing: every block sits where it would with all of them in one run.
    const moved = await answer.locator('.turn-body').evaluate((body) => {
      const flat = body.cloneNode(true) as HTMLElement;
      flat.classList.remove('streamed');
      for (const chunk of Array.from(flat.children)) chunk.replaceWith(...Array.from(chunk.childNodes));
      body.after(flat);
      // (No named functions in here: the test's transpiler would wrap them in a helper the page lacks.)
      const [chunked, whole] = [Array.from(body.querySelectorAll(':scope > .md-chunk > *')), Array.from(flat.children)].map((list, n) =>
        list.map((b) => b.getBoundingClientRect().top - (n === 0 ? body : flat).getBoundingClientRect().top));
      flat.remove();
      return (chunked ?? []).flatMap((top, i) => (Math.abs(top - (whole?.[i] ?? NaN)) > 0.5 ? [`block ${i}: ${top} px, ${whole?.[i]} px in one run`] : []));
    });
    assert.deepEqual(moved, []);
    const lastBlock = await answer.locator('.turn-body > .md-chunk:last-child > :last-child').evaluate((b) => {
      const box = b.getBoundingClientRect();
      const view = document.getElementById('transcript')!.getBoundingClientRect();
      return { text: b.textContent, inView: box.bottom <= view.bottom + 1 && box.top >= view.top };
    });
    assert.match(lastBlock.text ?? '', /const block159 = 159; \/\/ a code block in a long answer/);
    assert.ok(lastBlock.inView, 'the last block is on screen');
    // Back at the first code block: highlighted, its text whole.
    const codeBlocks = answer.locator('.turn-body > .md-chunk > .code-block');
    await codeBlocks.first().evaluate((b) => b.scrollIntoView({ block: 'start' }));
    assert.ok((await codeBlocks.first().locator('pre code [class*="hljs-"]').count()) > 0, 'highlighted');
    assert.equal(await codeBlocks.first().locator('pre').innerText().then((t) => t.trim()), 'const block7 = 7; // a code block in a long answer');
    assert.equal((await answer.locator('.turn-body > .md-chunk:first-child > :first-child').textContent())?.trim(), 'Paragraph 0: a sentence that wraps across the narrow sidebar.');
    await screenshot(fx.page, 'chat-long-answer-top-dark');
    await transcript.evaluate((t) => t.scrollTo({ top: t.scrollHeight }));
  });

  step('stays at the end while long code blocks and tables are rendered again as they close', async () => {
    // A closed block replaces its streamed nodes with a new rendering. Were it to skip its first
    // layout (content-visibility), the answer would be shorter for that layout and the browser
    // would clamp the view above the end: not the reader scrolling, so the view must follow on.
    const code = (n: number): string => `\`\`\`ts\n${Array.from({ length: 30 }, (_, line) => `const row${line} = ${n * 100 + line}; // a long code block`).join('\n')}\n\`\`\``;
    const table = ['| key | value |', '| --- | --- |', ...Array.from({ length: 16 }, (_, row) => `| k${row} | ${'v'.repeat(1 + (row % 9))} |`)].join('\n');
    const para = (n: number): string => `Paragraph ${n}: ${'a sentence that wraps across the narrow sidebar. '.repeat(2)}`.trim();
    const text = [para(1), para(2), code(1), para(3), table, para(4), code(2), para(5), para(6), table, para(7), code(3), para(8)].join('\n\n');
    fx.server.script({ text, chunkSize: 30, chunkDelayMs: 10 });
    const known = await answerIds(chat);
    await sendMessage(chat, 'Write code and tables');
    const jump = chat.locator('#scroll-to-bottom');
    let jumpSeen = false;
    let gapMidway = 0;
    // Watched from the new answer's first frame: until it appears, the last answer is the previous one.
    await waitFor('the answer to end', async () => {
      const answer = await newAnswer(chat, known);
      if (answer === undefined) return undefined;
      jumpSeen ||= await jump.isVisible();
      if (answer.status !== 'done') gapMidway = Math.max(gapMidway, await chat.locator('#transcript').evaluate((t) => t.scrollHeight - t.scrollTop - t.clientHeight));
      return answer.status === 'done' ? true : undefined;
    }, 60_000, 20);
    const answer = await waitForNewAnswer(chat, known, 'the answer drawn');
    assert.equal(jumpSeen, false, `"jump to latest" never shown (the view was up to ${gapMidway} px above the end midway)`);
    const gap = await chat.locator('#transcript').evaluate((t) => t.scrollHeight - t.scrollTop - t.clientHeight);
    assert.ok(gap <= 24, `${gap} px below the view at the end`);
    assert.equal(await answer.locator('.turn-body > .md-chunk > .code-block').count(), 3);
  });

  step('leaves a reader who scrolled up mid-answer where they are, and "jump to latest" takes them to its end', async () => {
    const blocks: string[] = Array.from({ length: 120 }, (_, i) => `Line ${i}: ${'more text for a reader to scroll past. '.repeat(1 + (i % 3))}`.trim());
    fx.server.script({ text: blocks.join('\n\n'), chunkSize: 120, chunkDelayMs: 30 });
    await sendMessage(chat, 'Write another long answer');
    const transcript = chat.locator('#transcript');
    await waitFor('a screenful of the answer', async () => {
      const turn = lastAnswer(chat);
      return (await turn.getAttribute('data-status')) === 'streaming' && (await turn.locator('.turn-body > .md-chunk > *').count()) >= 20 ? true : undefined;
    });
    // The reader scrolls up with the mouse wheel, as a person would.
    await transcript.hover();
    await fx.page.mouse.wheel(0, -400);
    const jump = chat.locator('#scroll-to-bottom');
    await waitFor('"jump to latest"', async () => ((await jump.isVisible()) ? true : undefined), 5000);
    // Where the wheel left them, once its scroll (smooth, in steps) has come to rest.
    const readerAt = await waitFor('the wheel scroll to come to rest', async () => {
      const before = await transcript.evaluate((t) => t.scrollTop);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await transcript.evaluate((t) => t.scrollTop);
      return now === before ? now : undefined;
    }, 5000);
    await waitFor('the answer to end', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined), 30_000);
    const after = await transcript.evaluate((t) => t.scrollTop);
    assert.ok(Math.abs(after - readerAt) <= 2, `the view moved from ${readerAt} to ${after} px while the answer went on below`);
    await jump.click();
    await waitFor('the end of the answer in view', async () => {
      const end = await lastAnswer(chat).locator('.turn-body > .md-chunk:last-child > :last-child').evaluate((b) => {
        const t = document.getElementById('transcript')!;
        const view = t.getBoundingClientRect();
        return { text: b.textContent ?? '', bottom: b.getBoundingClientRect().bottom - view.bottom, gap: t.scrollHeight - t.scrollTop - t.clientHeight };
      });
      return end.text.startsWith('Line 119:') && end.bottom <= 1 && end.gap <= 24 ? true : undefined;
    }, 5000);
    assert.equal(await jump.isVisible(), false);
  });

  step('runs New Chat from the command palette', async () => {
    await runCommand(fx.page, 'Claude: New Chat');
    await waitFor('an empty transcript', async () => ((await chat.locator('.turn').count()) === 0 ? true : undefined));
  });

  step('explains a selection from the editor\'s right-click menu', async () => {
    const page = fx.page;
    await openFile(page, 'inventory.py');
    // Select lines 24-28 (the `sell` method) with the keyboard, as a person would.
    await selectLines(page, 24, 5);
    // Right-click on the selected text (a right-click outside a selection would collapse it).
    const selectedLine = page.locator('.monaco-editor[data-uri$="inventory.py"] .view-line', { hasText: 'item.on_hand -= qty' }).first();
    await selectedLine.click({ button: 'right', position: { x: 80, y: 8 } });
    await clickMenuItem(page, 'Explain Selection');
    const request = await waitFor('the explain request', async () => {
      const record = fx.server.messageRequests().at(-1);
      const body = record?.body as { messages?: Array<{ content: Array<{ text?: string }> }> } | undefined;
      const text = body?.messages?.at(-1)?.content.map((block) => block.text ?? '').join('') ?? '';
      return text.includes('Explain this code') ? text : undefined;
    });
    assert.match(request, /`src\/inventory\.py` \(lines 24-28\)/);
    assert.match(request, /def sell\(self, sku: str, qty: int\) -> None:/);
    await waitFor('the answer', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined));
  });

  step('renders a rich answer: markdown, highlighted code, usage', async () => {
    await runCommand(fx.page, 'Claude: New Chat');
    await waitFor('an empty transcript', async () => ((await chat.locator('.turn').count()) === 0 ? true : undefined));
    fx.server.setResponder('demo');
    await askAndWait(chat, 'How does the LRU cache in src/lru.go work?');
    const answer = lastAnswer(chat);
    assert.ok((await answer.locator('pre code [class*="hljs-"]').count()) > 0, 'code is highlighted');
    assert.ok((await answer.locator('button[data-action="copy-code"]').count()) > 0, 'code blocks have Copy');
    // The question at the top of the view, the answer below it (no label cut off by the edge).
    await chat.locator('.turn').first().evaluate((turn) => turn.scrollIntoView({ block: 'start' }));
    await screenshot(fx.page, 'readme-chat-dark');
    fx.server.setResponder('echo');
  });

  step('applies a code block to the selection as a diff the user accepts', async () => {
    const replacement = [
      '    def sell(self, sku: str, qty: int) -> None:',
      '        # Sell qty of sku; never below zero.',
      '        item = self.items[sku]',
      '        if qty > item.on_hand:',
      '            raise ValueError(f"only {item.on_hand} of {item.name} left")',
      '        item.on_hand -= qty',
      '',
    ].join('\n');
    fx.server.setResponder('echo');
    fx.server.script({ text: `Here is the change:\n\n${'```'}python\n${replacement}${'```'}\n` });
    await askAndWait(chat, 'Add a comment to sell');
    await lastAnswer(chat).locator('button[data-action="apply-code"]').click();
    const page = fx.page;
    // The proposal opens as a diff, and nothing changes until the user accepts.
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: 20_000 });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: "Apply Claude's change to src/inventory.py?" });
    await toast.waitFor({ state: 'visible', timeout: 20_000 });
    await screenshot(page, 'apply-diff-dark');
    await toast.locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await waitFor('the applied change in the editor', async () => {
      // Monaco renders spaces as no-break spaces.
      const text = (await page.locator('.monaco-editor[data-uri$="inventory.py"] .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
      return text.includes('never below zero') ? true : undefined;
    });
    await waitFor('the diff tab to close', async () => ((await page.locator('.tab', { hasText: "Claude's change" }).count()) === 0 ? true : undefined), 10_000);
  });

  step('shows the Batch Jobs view', async () => {
    const header = fx.page.locator('.pane-header', { hasText: 'Batch Jobs' }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await fx.page.getByText('No batch jobs yet.').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(fx.page, 'batch-tree-dark');
  });

  step('looks right in a light theme too', async () => {
    await setColorTheme(fx.page, 'light');
    fx.server.script({ text: 'A light answer with `code`.\n\n```ts\nconst x = 1;\n```\n\n' + 'More text. '.repeat(80), chunkSize: 12, chunkDelayMs: 20 });
    await sendMessage(chat, 'And in the light theme?');
    await waitFor('a partial answer', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'streaming' && (await lastAnswer(chat).locator('.turn-body').innerText()).length > 60 ? true : undefined));
    await screenshot(fx.page, 'chat-mid-answer-light');
    await waitFor('the answer', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined));
    await fx.page.locator('[id="workbench.parts.statusbar"]').screenshot({ path: `${process.cwd()}/test-results/e2e/status-bar-light.png` });
    await runCommand(fx.page, 'Claude: Refresh Batch Jobs');
    await screenshot(fx.page, 'batch-tree-light');
    await streamCodeAnswer('light');
  });

  step('reads well in every theme kind: text, chips, errors, thinking, code, borders and focus', async () => {
    const page = fx.page;
    await runCommand(page, 'Claude: New Chat');
    await waitFor('an empty transcript', async () => ((await chat.locator('.turn').count()) === 0 ? true : undefined));
    // Thinking on, as a user may turn it on: 'enabled', which the default model (adaptive-only)
    // refuses with a 400, so the request only succeeds if the extension switches it to adaptive.
    await addUserSettings(page, path.join(fx.codeServer.userDataDir, 'User', 'settings.json'), { 'claudeStudio.thinking.mode': 'enabled' });
    fx.server.script({
      thinking: 'The user wants every colour checked. A short answer with code will do.',
      text: [
        'An answer with **bold** text, a [link](https://example.com/docs) and `inline code`.',
        '',
        '```ts',
        '// Adds two numbers.',
        'function add(a: number, b: number): number {',
        '  const label: string = "sum";',
        '  return a + b + 42;',
        '}',
        'const totals = { sum: add(1, 2) };',
        '```',
      ].join('\n'),
    });
    await askAndWait(chat, 'Check the colours of this chat');
    const sent = fx.server.messageRequests().at(-1)?.body as { thinking?: { type?: string } };
    assert.equal(sent.thinking?.type, 'adaptive', 'the thinking setting reached the extension, switched to what the model takes');
    const answer = lastAnswer(chat);
    await answer.locator('.thinking-summary').click();
    await answer.locator('.thinking-body').waitFor({ state: 'visible' });
    fx.server.script({ error: { type: 'invalid_request_error', message: 'The theme check asked for this error.' } });
    await askAndWait(chat, 'And now an error', 'error');
    // A context chip in the composer, picked with @, and a draft beside it.
    const input = chat.locator('#composer-input');
    await input.click();
    await input.pressSequentially('Draft @invpy', { delay: 10 });
    await chat.locator('.file-picker-option[data-path="src/inventory.py"]').waitFor({ state: 'visible', timeout: 10_000 });
    await input.press('Enter');
    await chat.locator('.context-chip[data-label="src/inventory.py"]').waitFor({ state: 'visible', timeout: 10_000 });

    const code = '.turn[data-role="assistant"] .code-block';
    await checkEveryTheme(page, chat, 'chat-theme', async (theme) => {
      // The question, the thinking and the start of the answer on screen for the first picture.
      await chat.locator('.turn').first().evaluate((turn) => turn.scrollIntoView({ block: 'start' }));
      await screenshot(page, `chat-theme-${theme}-top`);
      const problems = await textProblems(chat, theme, [
        { name: 'the answer text', selector: '.turn[data-role="assistant"] .turn-body p' },
        { name: 'a user turn', selector: '.turn[data-role="user"] .turn-text' },
        { name: 'the author label', selector: '.turn-author' },
        { name: 'a link in an answer', selector: '.turn-body a[href]' },
        { name: 'inline code', selector: '.turn-body p > code' },
        { name: 'the thinking summary', selector: '.thinking-summary' },
        { name: 'the thinking text', selector: '.thinking-body p' },
        { name: 'the usage line', selector: '.turn-usage' },
        { name: 'the code block\'s language label', selector: `${code} .code-lang` },
        { name: 'the code block\'s Copy button', selector: `${code} .code-action` },
        { name: 'plain code', selector: `${code} pre code` },
        { name: 'a highlighted keyword', selector: `${code} .hljs-keyword` },
        { name: 'a highlighted type', selector: `${code} .hljs-built_in` },
        { name: 'a highlighted function name', selector: `${code} .hljs-title` },
        { name: 'a highlighted string', selector: `${code} .hljs-string` },
        { name: 'a highlighted number', selector: `${code} .hljs-number` },
        { name: 'a highlighted comment', selector: `${code} .hljs-comment` },
        { name: 'highlighted parameters', selector: `${code} .hljs-params` },
        { name: 'a highlighted property', selector: `${code} .hljs-attr` },
        { name: 'the error box\'s title', selector: '.turn-error-title' },
        { name: 'the error box\'s message', selector: '.turn-error-message' },
        { name: 'a context chip', selector: '.context-chip .context-chip-name' },
        { name: 'a context chip\'s token count', selector: '.context-chip .context-chip-tokens' },
        { name: 'the composer input', selector: '#composer-input' },
        { name: 'the composer hint', selector: '.composer-hint' },
        { name: 'the model picker', selector: '#model-select, .model-select' },
      ]);
      problems.push(...await borderProblems(chat, theme, [
        { name: 'a user turn', selector: '.turn[data-role="user"] .turn-text' },
        { name: 'a context chip', selector: '.context-chip' },
        { name: 'a code block', selector: code },
        { name: 'the error box', selector: '.turn-error' },
        { name: 'the composer', selector: '.composer-box' },
        { name: 'the thinking text', selector: '.thinking-body', sides: ['left'] },
      ]));
      await input.click();
      problems.push(...await focusProblems(chat, theme, { name: 'the composer (typing in it)', selector: '.composer-box', via: 'border' }));
      await focusByKeyboard(chat.locator(`${code} .code-action`).first());
      problems.push(...await focusProblems(chat, theme, { name: 'the code block\'s Copy button (keyboard focus)', selector: ':focus' }));
      if (isHighContrast(theme)) {
        await chat.locator(`${code} .code-action`).nth(1).hover();
        problems.push(...await hoverProblems(chat, theme, { name: 'the code block\'s Insert button', selector: `${code} .code-action:hover` }));
      }
      // The error box and the composer on screen for the second picture.
      await chat.locator('.turn-error').scrollIntoViewIfNeeded();
      return problems;
    });
  });
});

/** Streams an answer with a long code block; screenshots it open (plain) and closed (highlighted). */
async function streamCodeAnswer(theme: 'dark' | 'light'): Promise<void> {
  const code = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i}) * 2; // line ${i}`).join('\n');
  const answer = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nAnd some **closing** words.`;
  fx.server.script({ text: answer, chunkSize: 10, chunkDelayMs: 30 });
  await sendMessage(chat, `Show me some code (${theme})`);
  const open = await waitFor('an open fence', async () => {
    const state = await lastAnswer(chat).evaluate((turn) => {
      const code = turn.querySelector('.turn-body pre code');
      return { status: turn.getAttribute('data-status'), text: code?.textContent ?? '', spans: code?.querySelectorAll('span').length ?? 0 };
    });
    return state.status === 'streaming' && state.text.includes('line 12') && !state.text.includes('line 39') ? state : undefined;
  });
  assert.equal(open.spans, 0, 'an open fence is plain text');
  await screenshot(fx.page, `chat-streaming-code-${theme}`);
  await waitFor('the answer', async () => ((await lastAnswer(chat).getAttribute('data-status')) === 'done' ? true : undefined));
  await afterPaint(chat);
  const body = lastAnswer(chat).locator('.turn-body');
  assert.ok((await body.locator('pre code [class*="hljs-"]').count()) > 0, 'highlighted once closed');
  assert.equal((await body.locator('pre code').innerText()).trim(), code);
  await screenshot(fx.page, `chat-streamed-code-${theme}`);
}

describe('after the run', () => {
  it('leaves no code-server or chromium process behind', { timeout: 60_000 }, async () => {
    await fx.close();
    const left = await leftoverProcesses();
    assert.deepEqual(left, []);
  });
});
