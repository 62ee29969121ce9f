/**
 * VS Code in German (code-server `--locale de`): the chat, the token count, a batch's row in the
 * Batch Jobs tree, an API error and the Get Started walkthrough (its steps and the German page of
 * media/walkthrough/de/) all show the German text of l10n/bundle.l10n.de.json and
 * package.nls.de.json. The expected texts are read from those files, so a missing bundle (or an
 * extension that never configures l10n) shows English and fails here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { REPO_ROOT } from './harness/artifacts';
import { findWebviewFrame, quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { askAndWait, sendMessage, startFixture, stepsFor, waitFor } from './fixture';
import { openFile } from './workbench';

const readJson = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Record<string, string>;
const bundle = readJson('l10n/bundle.l10n.de.json');
const nls = readJson('package.nls.de.json');

/** The German text of an English message, with its `{n}` placeholders filled. */
function de(english: string, ...args: (string | number)[]): string {
  const text = bundle[english];
  assert.ok(text !== undefined && text !== english, `no German for "${english}"`);
  return text.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
}

/** A pattern for a German message whose placeholders may hold anything. */
function dePattern(english: string): RegExp {
  const text = bundle[english];
  assert.ok(text !== undefined && text !== english, `no German for "${english}"`);
  // Any space matches any space: Intl's German numbers and percents use no-break spaces.
  return new RegExp(text.split(/\{\d+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s/g, '\\s')).join('.+'));
}

/** A command's palette label in German: "Claude: <title>". */
const command = (key: string): string => `${nls['command.category'] ?? 'Claude'}: ${nls[`command.${key}.title`] ?? key}`;

let fx: Fixture;
let chat: Frame;

/**
 * code-server shows a language only when an installed language pack provides it: `--locale de`
 * alone (or `locale` in argv.json) leaves VS Code, and so `vscode.env.language`, in English
 * (checked: the workbench's `_VSCODE_NLS_LANGUAGE` stayed unset, the status bar English). The
 * Marketplace's German pack cannot be installed offline, so a stand-in that declares German with
 * no translations of its own (test/e2e/languagePackDe) is packaged and installed beside ours.
 * VS Code records a language pack in `<user-data>/languagepacks.json` only when the running server
 * installs it (the `--install-extension` CLI does not), so the test writes that record as the
 * server would (LanguagePackCachedData: id, version, md5 hash, translations path) before start.
 */
const PACK_ID = 'claude-studio-tests.e2e-language-pack-de';
const PACK_VERSION = '0.0.1';
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-l10n-'));

function packageLanguagePack(): string {
  const vsix = path.join(temp, 'language-pack-de.vsix');
  const result = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--allow-missing-repository', '--skip-license', '--out', vsix], {
    cwd: path.join(REPO_ROOT, 'test', 'e2e', 'languagePackDe'),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`packaging the German language pack failed: ${result.stderr}${result.stdout}`);
  return vsix;
}

function recordLanguagePack(userDataDir: string, extensionsDir: string): void {
  const hash = crypto.createHash('md5').update(PACK_ID).update(PACK_VERSION).digest('hex');
  const translations = path.join(extensionsDir, `${PACK_ID}-${PACK_VERSION}`, 'translations', 'main.i18n.json');
  const record = { de: { hash, extensions: [{ extensionIdentifier: { id: PACK_ID }, version: PACK_VERSION }], translations: { vscode: translations }, label: 'Deutsch' } };
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(record));
}

before(async () => {
  const userDataDir = fs.mkdtempSync(path.join(temp, 'user-'));
  const extensionsDir = fs.mkdtempSync(path.join(temp, 'ext-'));
  recordLanguagePack(userDataDir, extensionsDir);
  fx = await startFixture({ label: 'l10n', theme: 'light', extraArgs: ['--locale', 'de'], extraVsix: [packageLanguagePack()], userDataDir, extensionsDir });
});

after(async () => {
  await fx?.close();
  fs.rmSync(temp, { recursive: true, force: true });
});

const step = stepsFor('l10n', () => fx.page, 120_000);

describe('Claude Studio in German', () => {
  step('the chat, the token count and an error speak German', async () => {
    const page = fx.page;
    await openFile(page, 'inventory.py');
    await runCommand(page, command('openChat'));
    chat = await findWebviewFrame(page, '#composer-input', { timeoutMs: 30_000 });
    const input = chat.locator('#composer-input');
    assert.equal(await input.getAttribute('placeholder'), de('Ask Claude about your code…'));
    fx.server.script({ text: 'Ein Inventar zählt Artikel.', chunkSize: 8, chunkDelayMs: 5 });
    await askAndWait(chat, 'Was macht das Modul?');
    const item = page.locator('[id="workbench.parts.statusbar"] [id="claude-studio.claude-studio.claudeStudio.tokens"]');
    let labels: string[] = [];
    const label = await waitFor('the German token count', async () => {
      labels = await item.first().evaluate((element) => [element, ...element.querySelectorAll('[aria-label]')].map((node) => node.getAttribute('aria-label') ?? ''));
      return labels.find((text) => dePattern('Next Claude request: {0} tokens, {1}% of the context window').test(text));
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; the token item's labels: ${labels.join(' | ')}`);
    });
    console.log(`token item: ${label}`);
    fx.server.script({ error: { type: 'invalid_request_error', message: 'The l10n check asked for this error.' } });
    await askAndWait(chat, 'Und jetzt ein Fehler', 'error');
    const error = chat.locator('.turn-error').last();
    const errorText = await error.innerText();
    assert.ok(errorText.includes(de('Anthropic rejected the request as invalid. Check your Claude Studio settings; the details say what was wrong.')), errorText);
    await page.mouse.move(10, 10);
    await item.first().hover();
    await page.locator('.monaco-hover, .workbench-hover').filter({ hasText: de('**Next request to Claude** — exact').replace(/\*/g, '') }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(page, 'l10n-de-chat-error-tokens');
    await page.mouse.move(10, 10);
  });

  step('a batch: the confirmation and its row in the Batch Jobs tree speak German', async () => {
    const page = fx.page;
    await openFile(page, 'inventory.py');
    await runCommand(page, command('addFileToChat'));
    await waitFor('the file chip', async () => ((await chat.locator('.context-chip[data-label="src/inventory.py"]').count()) > 0 ? true : undefined));
    await sendMessage(chat, '/batch Nenne die wichtigste Datenstruktur.');
    const widget = quickInput(page);
    const input = widget.locator('input').first();
    await waitFor('the German model picker', async () => ((await widget.locator('.monaco-list-row:visible', { hasText: de('current') }).count()) > 0 ? true : undefined), 20_000);
    await input.press('Enter');
    await waitFor('the max tokens box', async () => ((await input.inputValue()) === '4096' ? true : undefined), 10_000);
    await input.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.ok((await dialog.innerText()).includes(de('Send 1 request to Claude?')), await dialog.innerText());
    await screenshot(page, 'l10n-de-batch-confirm');
    await dialog.locator('.monaco-button', { hasText: de('Run as Batch') }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    // The Batch Jobs view opens with the new job in it.
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: nls['view.batches.name'] ?? 'Batch-Jobs' }) });
    const row = await waitFor('the German batch row', async () => {
      const texts = (await view.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      return texts.find((t) => [de('sending'), de('in progress'), de('ended')].some((status) => t.includes(status)));
    }, 30_000);
    console.log(`batch row: ${row}`);
    await screenshot(page, 'l10n-de-batch-tree');
  });

  step('the walkthrough: its title, steps and the page of a step are the German ones', async () => {
    const page = fx.page;
    await runCommand(page, command('openWalkthrough'));
    const title = nls['walkthrough.gettingStarted.title'] ?? '';
    await page.locator('.gettingStartedContainer', { hasText: title }).waitFor({ state: 'visible', timeout: 30_000 });
    const setup = page.locator('button.getting-started-step[data-step-id$="#setup"]');
    assert.ok((await setup.innerText()).includes(nls['walkthrough.gettingStarted.setup.title'] ?? '?'), await setup.innerText());
    await setup.click();
    // The step's page is markdown in a webview: package.nls.de.json names the German copy.
    const heading = fs.readFileSync(path.join(REPO_ROOT, nls['walkthrough.gettingStarted.setup.markdown'] ?? ''), 'utf8').split('\n')[0]?.replace(/^#\s*/, '') ?? '';
    assert.ok(heading !== '' && !heading.startsWith('Your key'), `German page heading: ${heading}`);
    await waitFor('the German walkthrough page', async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached()) continue;
        if ((await frame.locator('h1', { hasText: heading }).count().catch(() => 0)) > 0) return true;
      }
      return undefined;
    }, 20_000);
    await screenshot(page, 'l10n-de-walkthrough');
  });
});
