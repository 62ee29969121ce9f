/**
 * A new user's session in a real VS Code, from a profile with no API key: the chat shows
 * onboarding, the key is set through the input box and a chat works; Choose Model changes the
 * model of the next request; a failed answer is retried; a message that would overflow the
 * model's context window offers a fresh chat (from a summary, or with the newest messages); the
 * chat is exported as Markdown; the history picker searches, reopens, exports and deletes; Clear
 * API Key brings onboarding back. The Get Started walkthrough opens on the first run and marks a
 * step done once it is done; Report Issue opens its report with the versions and without the key.
 * The test server's record, the UI and the files on disk say so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { DEFAULT_MODELS } from '../server';
import { findWebviewFrame, pickQuickItem, quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { activeEditorText, answerDialog } from './workbench';
import { answerIds, askAndWait, lastAnswer, sendMessage, startFixture, stepsFor, waitFor, waitForNewAnswer } from './fixture';

/** Long enough for the key check of the input box; the server accepts only this key. */
const API_KEY = 'sk-ant-e2e-new-user-0123456789';
/** Haiku gets a small window here, so a few long answers overflow it. */
const SMALL_WINDOW = 20_000;
/** About 6,000 tokens: two such answers do not fit the small window with room for 8,192 out. */
const LONG_ANSWER = Array.from({ length: 60 }, (_, i) => `Paragraph ${i}: ${'the quick brown fox jumps over the lazy dog '.repeat(9)}`).join('\n\n');

let fx: Fixture;
let chatFrame: Frame | undefined;

before(async () => {
  fx = await startFixture({
    label: 'newUser',
    theme: 'dark',
    withoutApiKey: true,
    // The harness turns walkthroughs off for every other file; a new user has them on.
    userSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
    server: {
      apiKey: API_KEY,
      models: DEFAULT_MODELS.map((model) => (model.id === 'claude-haiku-5-5' ? { ...model, maxInputTokens: SMALL_WINDOW } : model)),
    },
  });
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('newUser', () => fx.page);

/** The chat view's frame, looked up again when VS Code has rebuilt the view. */
async function chat(): Promise<Frame> {
  if (chatFrame === undefined || chatFrame.isDetached()) chatFrame = await findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 30_000 });
  return chatFrame;
}

type Body = { model: string; system?: { text: string }[]; messages: { role: string; content: string | { type: string; text?: string }[] }[] };

function bodies(): Body[] {
  return fx.server.messageRequests().map((record) => record.body as Body);
}

/** Each message of a request as one string. */
function texts(body: Body): string[] {
  return body.messages.map((message) => (typeof message.content === 'string' ? message.content : message.content.map((block) => block.text ?? '').join('')));
}

async function transcript(): Promise<string[]> {
  return (await chat()).locator('.turn').evaluateAll((turns) =>
    turns.map((turn) => `${turn.getAttribute('data-role')}:${(turn.querySelector('.turn-text, .turn-body')?.textContent ?? '').trim().slice(0, 30)}`),
  );
}

async function newChat(): Promise<void> {
  await runCommand(fx.page, 'Claude: New Chat');
  await waitFor('an empty transcript', async () => ((await (await chat()).locator('.turn').count()) === 0 ? true : undefined));
}

/** Two long answers: the next message no longer fits the small window. */
async function fillTheWindow(first: string, second: string): Promise<void> {
  fx.server.script({ text: LONG_ANSWER, chunkSize: 4000 }, { text: LONG_ANSWER, chunkSize: 4000 });
  await askAndWait(await chat(), first);
  await askAndWait(await chat(), second);
}

/** The conversation logs in the extension's global storage. */
function historyLogs(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.jsonl') && full.includes(`${path.sep}history${path.sep}`)) found.push(full);
    }
  };
  walk(path.join(fx.codeServer.userDataDir, 'User', 'globalStorage'));
  return found;
}

/** Opens the history picker and waits for its rows. */
async function openHistory(): Promise<void> {
  await runCommand(fx.page, 'Claude: Show Chat History...');
  const widget = quickInput(fx.page);
  await widget.locator('.quick-input-title', { hasText: 'Chat History' }).waitFor({ state: 'visible', timeout: 10_000 });
  await waitFor('the history rows', async () => ((await widget.locator('.monaco-list-row').count()) > 0 ? true : undefined));
}

/** A row of the history picker by a text it shows (a carried-over chat keeps its title, so the preview tells them apart). */
function historyRow(text: string) {
  return quickInput(fx.page).locator('.monaco-list-row', { hasText: text });
}

/** A step of the Claude Studio walkthrough on the Get Started page. */
function walkthroughStep(id: string) {
  return fx.page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
}

describe('a new user in real VS Code', () => {
  step('the Get Started walkthrough opens on the first run, no step done yet', async () => {
    await fx.page.locator('.gettingStartedContainer', { hasText: 'Get Started with Claude Studio' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await walkthroughStep('setup').getAttribute('aria-checked'), 'false');
    assert.equal(await walkthroughStep('ask').getAttribute('aria-checked'), 'false');
    assert.equal(await fx.page.locator('button.getting-started-step').count(), 6);
    await screenshot(fx.page, 'newUser-walkthrough-first-run-dark');
    await runCommand(fx.page, 'View: Close All Editors');
  });

  step('with no key, the chat shows onboarding with a Set API Key button instead of the composer', async () => {
    await runCommand(fx.page, 'Claude: Open Chat');
    chatFrame = await findWebviewFrame(fx.page, '#onboarding', { timeoutMs: 30_000 });
    const onboarding = chatFrame.locator('#onboarding');
    await onboarding.waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await onboarding.getAttribute('data-kind'), 'noApiKey');
    assert.equal((await chatFrame.locator('#set-api-key').innerText()).trim(), 'Set API Key');
    assert.equal(await chatFrame.locator('#composer').isVisible(), false, 'no composer without a key');
    await screenshot(fx.page, 'newUser-onboarding-dark');
    assert.equal(fx.server.messageRequests().length, 0);
  });

  step('Set API Key takes the key in a password box, checks it, and the chat works with it', async () => {
    const frame = await chat();
    await frame.locator('#set-api-key').click();
    const widget = quickInput(fx.page);
    const input = widget.locator('input').first();
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await input.getAttribute('type'), 'password');
    await input.fill('sk-short');
    await widget.getByText('That looks too short for an Anthropic API key.').waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(API_KEY);
    await input.press('Enter');
    await fx.page.locator('.notification-toast', { hasText: 'API key saved' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await frame.locator('#onboarding').waitFor({ state: 'detached', timeout: 10_000 });
    await frame.locator('#composer-input').waitFor({ state: 'visible', timeout: 10_000 });
    fx.server.script({ text: 'Hello, new user.' });
    await askAndWait(frame, 'Hello after onboarding');
    assert.equal((await lastAnswer(frame).locator('.turn-body').innerText()).trim(), 'Hello, new user.');
    // The server accepts only API_KEY: a 200 means the key typed in the box is the one sent.
    assert.equal(fx.server.messageRequests().at(-1)?.status, 200);
    assert.equal(bodies().at(-1)?.model, 'claude-sonnet-5-5');
    await screenshot(fx.page, 'newUser-first-answer-dark');
  });

  step('the walkthrough shows the key and ask steps done, the batch step not', async () => {
    await runCommand(fx.page, 'Claude: Get Started');
    await waitFor('the key step done', async () => ((await walkthroughStep('setup').getAttribute('aria-checked')) === 'true' ? true : undefined), 15_000);
    await waitFor('the ask step done', async () => ((await walkthroughStep('ask').getAttribute('aria-checked')) === 'true' ? true : undefined), 15_000);
    assert.equal(await walkthroughStep('batch').getAttribute('aria-checked'), 'false');
    await screenshot(fx.page, 'newUser-walkthrough-steps-done-dark');
    await runCommand(fx.page, 'View: Close All Editors');
  });

  step('Choose Model lists the models; the next request uses the one picked, saved in user settings', async () => {
    await runCommand(fx.page, 'Claude: Choose Model...');
    const row = quickInput(fx.page).locator('.monaco-list-row', { hasText: 'Claude Haiku 5.5' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await row.innerText(), /20k context/, 'the window the Models API reports');
    assert.match(await quickInput(fx.page).locator('.monaco-list-row', { hasText: 'Claude Sonnet 5.5' }).first().innerText(), /claude-sonnet-5-5 · current/);
    await screenshot(fx.page, 'newUser-model-picker-dark');
    await pickQuickItem(fx.page, 'Claude Haiku 5.5');
    const settingsFile = path.join(fx.codeServer.userDataDir, 'User', 'settings.json');
    await waitFor('the model in settings.json', async () => (fs.readFileSync(settingsFile, 'utf8').includes('"claudeStudio.model": "claude-haiku-5-5"') ? true : undefined), 10_000);
    await askAndWait(await chat(), 'Which model is this, quokka?');
    assert.equal(bodies().at(-1)?.model, 'claude-haiku-5-5');
  });

  step('a failed answer shows Retry; Retry sends the same question again and the answer arrives', async () => {
    // One failure more than the SDK's own retries (2 by default), so the turn fails.
    fx.server.fault({ kind: 'api-error', times: 3, when: { textIncludes: 'zebra' } });
    const before = fx.server.messageRequests().length;
    const frame = await chat();
    await sendMessage(frame, 'Tell me about the zebra');
    // The chat retries by itself first, with a countdown; then the turn stays failed.
    await waitFor('the failed answer', async () => {
      const turn = lastAnswer(frame);
      const failed = (await turn.getAttribute('data-status')) === 'error' && (await turn.locator('.turn-error-countdown').count()) === 0;
      return failed && fx.server.messageRequests().length - before === 3 ? true : undefined;
    }, 30_000);
    const retry = lastAnswer(frame).locator('button.retry');
    await retry.waitFor({ state: 'visible', timeout: 5000 });
    await screenshot(fx.page, 'newUser-failed-answer-dark');
    fx.server.script({ text: 'Zebras have stripes.' });
    const known = await answerIds(frame);
    await retry.click();
    const retried = await waitForNewAnswer(frame, known, 'the retried answer');
    assert.equal((await retried.locator('.turn-body').innerText()).trim(), 'Zebras have stripes.');
    const sent = texts(bodies().at(-1) as Body);
    assert.equal(sent.at(-1), 'Tell me about the zebra');
    assert.equal(sent.filter((text) => text === 'Tell me about the zebra').length, 1, 'the question is not sent twice');
    const turns = await transcript();
    assert.deepEqual([turns.length, turns[4], turns[5]], [6, 'user:Tell me about the zebra', 'assistant:Zebras have stripes.'], 'the failed answer was replaced, not repeated');
  });

  step('Report Issue opens a report with the versions and the log, without the key', async () => {
    await runCommand(fx.page, 'Claude: Report Issue...');
    const top = await activeEditorText(fx.page, 'Claude Studio issue report');
    assert.match(top, /claude-studio\.claude-studio 0\.1\.0/);
    assert.match(top, /VS Code \| 1\.\d+\.\d+ \(web\)/);
    assert.match(top, /@anthropic-ai\/sdk \| 1\.\d+\.\d+/);
    assert.match(top, /API key \| set \(keychain\)/);
    await screenshot(fx.page, 'newUser-report-issue-dark');
    await fx.page.keyboard.press('Control+End');
    // The zebra failures were logged: the tail of the report is the log's newest lines.
    const bottom = await activeEditorText(fx.page, 'Request failed');
    for (const text of [top, bottom]) assert.ok(!text.includes(API_KEY) && !text.includes(API_KEY.slice(8)), 'the key is not in the report');
    await runCommand(fx.page, 'View: Revert and Close Editor');
  });

  step('Export Chat opens the conversation as Markdown', async () => {
    await runCommand(fx.page, 'Claude: Export Chat as Markdown');
    const text = await activeEditorText(fx.page, 'Hello after onboarding');
    assert.match(text, /Hello, new user\./);
    assert.match(text, /Which model is this, quokka\?/);
    assert.match(await fx.page.locator('.tab.active').innerText(), /Untitled/);
    await screenshot(fx.page, 'newUser-export-chat-dark');
    await runCommand(fx.page, 'View: Revert and Close Editor');
  });

  step('a message that would overflow the window offers a fresh chat from a summary', async () => {
    await newChat();
    await fillTheWindow('Overflow one: start', 'Overflow one: more');
    fx.server.script({ text: 'SUMMARY: two long answers about a fox.', when: { textIncludes: 'Summarize our conversation' } }, { text: 'Carrying on from the summary.' });
    const before = fx.server.messageRequests().length;
    await sendMessage(await chat(), 'Overflow one: next');
    const dialog = await answerDialog(fx.page, 'New Chat with a Summary');
    assert.match(dialog, /too long for Claude Haiku 5\.5's 20,000-token context window/);
    await waitFor('the answer in the fresh chat', async () => ((await transcript()).join('|') === 'user:Overflow one: next|assistant:Carrying on from the summary.' ? true : undefined), 30_000);
    const [summarize, next] = bodies().slice(before);
    assert.ok(summarize && next, 'a summary request, then the message');
    assert.match(texts(summarize).at(-1) ?? '', /^Summarize our conversation so far/);
    assert.ok(texts(summarize).includes('Overflow one: more'), 'the summary request carries the old conversation');
    assert.deepEqual(texts(next), ['Overflow one: next']);
    const system = (next.system ?? []).map((block) => block.text).join('\n');
    assert.match(system, /continues an earlier conversation[\s\S]*SUMMARY: two long answers about a fox\./);
    await screenshot(fx.page, 'newUser-overflow-summary-dark');
  });

  step('or one that keeps only the newest messages', async () => {
    await newChat();
    await fillTheWindow('Overflow two: start', 'Overflow two: more');
    fx.server.script({ text: 'Kept the newest.' });
    const before = fx.server.messageRequests().length;
    await sendMessage(await chat(), 'Overflow two: next');
    await answerDialog(fx.page, 'Drop the Oldest Messages');
    await waitFor('the answer', async () => ((await transcript()).at(-1) === 'assistant:Kept the newest.' ? true : undefined), 30_000);
    const sent = bodies().slice(before);
    assert.equal(sent.length, 1, 'no summary request');
    const kept = texts(sent[0] as Body);
    assert.deepEqual([kept[0], kept.at(-1), kept.length], ['Overflow two: more', 'Overflow two: next', 3]);
    assert.deepEqual((await transcript()).map((line) => line.split(':')[0]), ['user', 'assistant', 'user', 'assistant']);
  });

  step('the history picker searches the messages, reopens, exports and deletes a conversation', async () => {
    assert.ok(historyLogs().length >= 4, `conversation logs on disk: ${historyLogs().length}`);
    await openHistory();
    // "quokka" is in a message of the first conversation, not in its title nor its last message.
    await quickInput(fx.page).locator('input').first().fill('quokka');
    const found = historyRow('Hello after onboarding').first();
    await found.waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor('only that conversation', async () => ((await quickInput(fx.page).locator('.monaco-list-row').count()) === 1 ? true : undefined), 10_000);
    await screenshot(fx.page, 'newUser-history-search-dark');
    await found.click();
    await waitFor('the reopened conversation', async () => ((await transcript())[0] === 'user:Hello after onboarding' ? true : undefined), 20_000);
    assert.equal((await transcript()).at(-1), 'assistant:Zebras have stripes.');

    await openHistory();
    // The chat the summary came from: its last message is "more" (the fresh one's is "next").
    const overflowOne = historyRow('Overflow one: more').first();
    await overflowOne.hover();
    await overflowOne.locator('.action-label[aria-label="Export as Markdown"]').click();
    const exported = await activeEditorText(fx.page, 'Overflow one: start');
    // Only the top is on screen: the old chat starts with its first question and long answer.
    assert.match(exported, /^# Overflow one: start\n[\s\S]*## You\s+Overflow one: start\s+## Claude\s+Paragraph 0:/);
    await runCommand(fx.page, 'View: Revert and Close Editor');

    const logsBefore = historyLogs().length;
    await openHistory();
    const overflowTwo = historyRow('Overflow two: more').first();
    await overflowTwo.hover();
    await overflowTwo.locator('.action-label[aria-label="Delete conversation"]').click();
    assert.match(await answerDialog(fx.page, 'Delete'), /Delete the conversation "Overflow two: start"\?/);
    await waitFor('the deleted log gone from disk', async () => (historyLogs().length === logsBefore - 1 ? true : undefined), 10_000);
    await openHistory();
    assert.equal(await historyRow('Overflow two: more').count(), 0);
    assert.equal(await historyRow('Overflow two: next').count(), 1, 'the chat carried on from it stays');
    assert.equal(await historyRow('Overflow one: more').count(), 1);
    await fx.page.keyboard.press('Escape');
  });

  step('Clear API Key removes the key and onboarding comes back', async () => {
    await runCommand(fx.page, 'Claude: Clear API Key');
    await fx.page.locator('.notification-toast', { hasText: 'API key removed from the keychain.' }).first().waitFor({ state: 'visible', timeout: 10_000 });
    const frame = await chat();
    await frame.locator('#onboarding[data-kind="noApiKey"]').waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await frame.locator('#composer').isVisible(), false);
    const before = fx.server.messageRequests().length;
    await runCommand(fx.page, 'Claude: Open Chat');
    assert.equal(fx.server.messageRequests().length, before, 'nothing is sent without a key');
    await screenshot(fx.page, 'newUser-key-cleared-dark');
  });
});
