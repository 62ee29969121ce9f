/**
 * The egress gate in a real VS Code, on a hostile workspace: a `.env`, an `id_rsa`, `.aws/credentials`
 * as a symlink out of the workspace, `src/config.txt` linking to `.env`, a symlink loop, a 300 MB
 * (sparse) log and a source file with a pasted private key and an AWS key, each holding a unique
 * canary. Through the explorer (a folder and a multi-select), open editors, the `@` picker, every
 * right-click action and recipe on a selection in `.env` and in the file with the pasted key, Run
 * now, and a draft left to be counted, the test server's record holds no canary byte; every
 * blocked item shows its reason; the extension host grows by less than 100 MB. Then Send Anyway
 * on the `.env` chip delivers exactly that file.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { findWebviewFrame, quickInput, runCommand, screenshot } from './harness/browser';
import type { Fixture } from './fixture';
import { askAndWait, openChat, sendMessage, startFixture, stepsFor, waitFor } from './fixture';
import { acceptBatchDefaults, answerDialog, clickMenuItem, explorerRow, openFile, selectLines } from './workbench';

let fx: Fixture;
let chatFrame: Frame | undefined;
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-e2e-outside-'));
const key = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const keyLine = (pem: string): string => pem.split('\n')[2] as string;
const CANARY = {
  env: 'canary-env-e6f1b2a9d0',
  rsa: keyLine(rsa),
  aws: 'canary-aws-outside-4c77e1',
  pastedKey: keyLine(key),
  cloudKey: 'AKIAQ2W3E4R5T6Y7U2I3',
  instructionsKey: 'AKIAZ7X6C5V4B3N2M6Q4',
} as const;

async function view(): Promise<Frame> {
  if (chatFrame === undefined || chatFrame.isDetached()) chatFrame = await findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 30_000 });
  return chatFrame;
}

/** Every request body the test server saw, as one string. */
function everythingSent(): string {
  return JSON.stringify([...fx.server.messageRequests(), ...fx.server.countTokensRequests(), ...fx.server.batchRequests()].map((record) => record.body));
}

/** Which request carried which canary, and the text around it: the message of a failed check. */
function whereLeaked(): string {
  const records = [...fx.server.messageRequests(), ...fx.server.countTokensRequests(), ...fx.server.batchRequests()];
  return records.flatMap((record) => {
    const body = JSON.stringify(record.body);
    return Object.entries(CANARY).flatMap(([name, canary]) => {
      const at = body.indexOf(canary);
      return at < 0 ? [] : [`${name} in ${record.method} ${record.path}: …${body.slice(Math.max(0, at - 200), at + 40)}…`];
    });
  }).join('\n');
}

function leaked(): string[] {
  const sent = everythingSent();
  return Object.entries(CANARY).filter(([, canary]) => sent.includes(canary)).map(([name]) => name);
}

/** Resident memory of the extension host (the code-server child running extensions), in MB. */
function extensionHostRssMb(): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('extensionHost')) continue;
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8');
      if (!environ.includes(process.env.CLAUDE_STUDIO_E2E_RUN ?? '\u0000none')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (rss !== undefined) return Number(rss) / 1024;
    } catch {
      // gone while we looked
    }
  }
  return Number.NaN;
}

async function chips(): Promise<{ label: string; state: string; text: string }[]> {
  return (await view()).locator('.context-chip').evaluateAll((nodes) =>
    nodes.map((node) => ({ label: node.getAttribute('data-label') ?? '', state: node.getAttribute('data-state') ?? '', text: (node as HTMLElement).innerText.replace(/\s+/g, ' ') })),
  );
}

/** The modal the gate shows: checks its reason, then cancels it (nothing is sent). */
async function expectHeldBack(page: Page, reason: RegExp): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 20_000 });
  assert.match((await dialog.innerText()).replace(/\s+/g, ' '), reason);
  await dialog.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
}

async function toastWith(page: Page, text: RegExp): Promise<void> {
  await page.locator('.notifications-toasts .notification-toast', { hasText: text }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

let rssBefore = Number.NaN;

before(async () => {
  fx = await startFixture({ label: 'egress', theme: 'dark' });
  const ws = fx.workspace;
  fs.writeFileSync(path.join(ws, '.env'), `API_TOKEN=${CANARY.env}\n`);
  fs.writeFileSync(path.join(ws, 'id_rsa'), rsa);
  fs.writeFileSync(path.join(outside, 'credentials'), `[default]\naws_secret_access_key = ${CANARY.aws}\n`);
  fs.mkdirSync(path.join(ws, '.aws'));
  fs.symlinkSync(path.join(outside, 'credentials'), path.join(ws, '.aws', 'credentials'));
  fs.symlinkSync('../.env', path.join(ws, 'src', 'config.txt'));
  fs.mkdirSync(path.join(ws, 'loop'));
  fs.writeFileSync(path.join(ws, 'loop', 'note.md'), '# a note\n');
  fs.symlinkSync('..', path.join(ws, 'loop', 'up'));
  fs.mkdirSync(path.join(ws, 'logs'));
  fs.closeSync(fs.openSync(path.join(ws, 'logs', 'big.txt'), 'w'));
  fs.truncateSync(path.join(ws, 'logs', 'big.txt'), 300 * 1024 * 1024);
  fs.mkdirSync(path.join(ws, '.claude-studio'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.claude-studio', 'instructions.md'), `Answer like a lighthouse keeper.\nOur deploy key is ${CANARY.instructionsKey}\n`);
  fs.writeFileSync(path.join(ws, 'src', 'leaky.ts'), `export const key = \`${key}\`;\nexport const aws = '${CANARY.cloudKey}';\nexport const ok = 1;\n`);
});

after(async () => {
  await fx?.close();
  fs.rmSync(outside, { recursive: true, force: true });
});

const step = stepsFor('egress', () => fx.page);

describe('egress gate on a hostile workspace', () => {
  step('a first exchange: instructions.md with a key asks first, and goes with that line removed', async () => {
    chatFrame = await openChat(fx.page);
    const before = fx.server.messageRequests().length;
    await sendMessage(await view(), 'Hello');
    const text = await answerDialog(fx.page, 'Remove Those Lines and Send', 20_000);
    assert.match(text.replace(/\s+/g, ' '), /\.claude-studio\/instructions\.md to Claude, which is held back: .*AWS/i);
    await waitFor('the answer', async () => (fx.server.messageRequests().length > before ? true : undefined), 30_000);
    const system = JSON.stringify((fx.server.messageRequests()[before]?.body as { system?: unknown }).system);
    assert.match(system, /Answer like a lighthouse keeper\./);
    assert.deepEqual(leaked(), [], whereLeaked());
    rssBefore = extensionHostRssMb();
  });

  step('explorer: folders and a multi-select leave every secret out, each with its reason', async () => {
    const page = fx.page;
    await runCommand(page, 'View: Show Explorer');
    for (const name of ['src', 'loop', 'logs', '.aws', '.env', 'id_rsa']) {
      const row = explorerRow(page, name);
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.click({ modifiers: name === 'src' ? [] : ['Control'] });
    }
    await explorerRow(page, 'id_rsa').click({ button: 'right' });
    await clickMenuItem(page, 'Add to Claude Chat');
    await toastWith(page, /left out/);
    const list = await waitFor('the excluded chips', async () => {
      const all = await chips();
      return all.filter((chip) => chip.state === 'excluded').length >= 3 ? all : undefined;
    }, 60_000);
    const reasons = Object.fromEntries(list.filter((chip) => chip.state === 'excluded').map((chip) => [chip.label, chip.text]));
    assert.match(reasons['.env'] ?? '', /may hold secrets/);
    assert.match(reasons['id_rsa'] ?? '', /may hold secrets/);
    assert.match(reasons['src/leaky.ts'] ?? '', /holds a private key on line 1/);
    const toasts = (await page.locator('.notifications-toasts').innerText()).replace(/\s+/g, ' ');
    assert.match(toasts, /left out/, toasts);
    assert.match(toasts, /symlink loop/, toasts);
    assert.ok(!(await chips()).some((chip) => chip.label === 'src/config.txt'), 'the link to .env was left out by its real path, unread');
    await screenshot(page, 'egress-chips');
    assert.deepEqual(leaked(), [], whereLeaked());
  });

  step('open editors and the @ picker: a link to .env is refused with where it leads', async () => {
    const page = fx.page;
    // One open editor is enough for the path (the key file is opened by the right-click steps).
    await openFile(page, '.env');
    await runCommand(page, 'Claude: Add Open Editors to Chat');
    await toastWith(page, /\.env was not added: may hold secrets/);
    const chat = await view();
    const input = chat.locator('#composer-input');
    await input.click();
    await input.pressSequentially('@config.txt', { delay: 20 });
    const option = chat.locator('.file-picker-option[data-path="src/config.txt"]').first();
    await option.waitFor({ state: 'visible', timeout: 15_000 });
    await option.click();
    const chip = await waitFor('the config.txt chip', async () => (await chips()).find((c) => c.label === 'src/config.txt' && c.state === 'excluded'), 30_000);
    assert.match(chip.text, /may hold secrets.*links to \.env/);
    await input.fill('');
    assert.deepEqual(leaked(), [], whereLeaked());
  });

  const actions = ['Explain Selection', 'Find Bugs in Selection', 'Refactor Selection', 'Write Tests for Selection', 'Document Selection'];
  // Every action in both files; every recipe once (they share the selection path with the actions).
  for (const [file, line, reason, recipes] of [['.env', 1, /may hold secrets/, true], ['leaky.ts', 1, /holds a private key/, true]] as const) {
    step(`every right-click action${recipes ? ' and recipe' : ''} on a selection in ${file} asks first`, async () => {
      const page = fx.page;
      await openFile(page, file);
      await selectLines(page, line, 2);
      for (const action of actions) {
        await runCommand(page, `Claude: ${action}`);
        await expectHeldBack(page, reason);
      }
      await runCommand(page, 'Claude: Ask Claude About Selection...');
      await expectHeldBack(page, reason);
      if (!recipes) return void assert.deepEqual(leaked(), [], whereLeaked());
      await runCommand(page, 'Claude: Run Recipe...');
      const rows = quickInput(page).locator('.monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
      const count = await rows.count();
      await page.keyboard.press('Escape');
      for (let index = 0; index < count; index++) {
        await runCommand(page, 'Claude: Run Recipe...');
        await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
        for (let down = 0; down < index; down++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await expectHeldBack(page, reason);
      }
      assert.deepEqual(leaked(), [], whereLeaked());
    });
  }

  /** Right-click src/, Run Prompt on Each File, a written prompt, the defaults: the batch's modal. */
  async function batchOverSrc(prompt: string) {
    const page = fx.page;
    await runCommand(page, 'View: Show Explorer');
    const src = explorerRow(page, 'src');
    if ((await src.getAttribute('aria-expanded')) !== 'true') await src.click();
    await src.click({ button: 'right' });
    await clickMenuItem(page, 'Run Prompt on Each File (Batch)...');
    const widget = quickInput(page);
    const write = widget.locator('.monaco-list-row', { hasText: 'Write a prompt' }).first();
    await write.waitFor({ state: 'visible', timeout: 15_000 });
    await write.click();
    await waitFor('the prompt input box', async () => ((await widget.locator('.monaco-list-row:visible').count()) === 0 ? true : undefined), 5000);
    await widget.locator('input').first().fill(prompt);
    await widget.locator('input').first().press('Enter');
    const dialog = await acceptBatchDefaults(page, 20_000);
    const detail = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(detail, /leaky\.ts \(holds a private key/);
    assert.match(detail, /config\.txt \(may hold secrets/);
    return dialog;
  }

  const batchCreates = () => fx.server.batchRequests().filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
  type BatchBody = { requests: { custom_id: string; params: unknown }[] };

  step('Run now over the workspace sends no blocked file, and says why each was skipped', async () => {
    const dialog = await batchOverSrc('Summarize this file.');
    const before = fx.server.messageRequests().length;
    await dialog.locator('.monaco-button', { hasText: 'Run Now' }).click();
    await waitFor('Run now to send the clean files', async () => (fx.server.messageRequests().length >= before + 4 ? true : undefined), 60_000);
    assert.deepEqual(leaked(), [], whereLeaked());
  });

  step('a batch over the workspace is created with the clean files only', async () => {
    const creates = batchCreates().length;
    const dialog = await batchOverSrc('List the exports of this file.');
    await dialog.locator('.monaco-button', { hasText: 'Run as Batch' }).click();
    const body = (await waitFor('the batch created', async () => batchCreates()[creates]?.body as BatchBody | undefined, 30_000));
    assert.equal(body.requests.length, 4, 'debounce.ts, inventory.py, lru.go and tokenizer.rs');
    assert.match(JSON.stringify(body), /function debounce/);
    assert.deepEqual(leaked(), [], whereLeaked());
  });

  step('a draft holding a key is never counted; the extension host stayed small', async () => {
    const chat = await view();
    const input = chat.locator('#composer-input');
    const counted = fx.server.countTokensRequests().length;
    await input.click();
    await input.fill(`what is ${CANARY.cloudKey} for?`);
    await fx.page.waitForTimeout(2500);
    assert.deepEqual(leaked(), [], whereLeaked());
    await input.fill('what is this key for?');
    await waitFor('a count of the clean draft', async () => (fx.server.countTokensRequests().length > counted ? true : undefined), 20_000);
    await input.fill('');
    const grown = extensionHostRssMb() - rssBefore;
    console.log(`extension host RSS: ${rssBefore.toFixed(0)} MB before, grew by ${grown.toFixed(0)} MB`);
    assert.ok(Number.isFinite(grown) && grown < 100, `the extension host grew by ${grown} MB`);
  });

  step('Send Anyway on the .env chip delivers exactly that file, once', async () => {
    const page = fx.page;
    const chat = await view();
    await chat.locator('.context-chip[data-state="excluded"][data-label=".env"]').first().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 20_000 });
    await dialog.locator('.monaco-button', { hasText: 'Send Anyway' }).click();
    await waitFor('the .env chip', async () => (await chips()).find((c) => c.label === '.env' && c.state === 'new'), 20_000);
    const before = fx.server.messageRequests().length;
    await askAndWait(chat, 'Here it is.');
    const sent = JSON.stringify(fx.server.messageRequests().slice(before).map((record) => record.body));
    assert.ok(sent.includes(CANARY.env), 'the .env went out');
    assert.deepEqual(leaked(), ['env']);
  });

  step('Send Held-Back Files Anyway in a batch sends exactly the file picked', async () => {
    const page = fx.page;
    const creates = batchCreates().length;
    const dialog = await batchOverSrc('Describe this file.');
    await dialog.locator('.monaco-button', { hasText: 'Send Held-Back Files Anyway' }).click();
    const widget = quickInput(page);
    const rows = widget.locator('.monaco-list-row');
    await rows.first().waitFor({ state: 'visible', timeout: 15_000 });
    const listed = (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' '));
    assert.ok(listed.some((row) => /src\/leaky\.ts.*holds a private key/.test(row)), listed.join(' | '));
    await screenshot(page, 'egress-batch-send-anyway-dark');
    await rows.filter({ hasText: 'src/config.txt' }).first().click();
    await widget.locator('.monaco-button', { hasText: 'OK' }).first().click();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await dialog.innerText(), /Send 5 requests to Claude\?/);
    await dialog.locator('.monaco-button', { hasText: 'Run as Batch' }).click();
    const body = (await waitFor('the batch created', async () => batchCreates()[creates]?.body as BatchBody | undefined, 30_000));
    assert.equal(body.requests.length, 5);
    assert.equal(body.requests.filter((request) => JSON.stringify(request).includes(CANARY.env)).length, 1, 'config.txt went out, once');
    assert.deepEqual(leaked(), ['env']);
  });
});
