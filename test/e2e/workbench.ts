/**
 * Gestures on the VS Code workbench that several e2e files make the way a person would: open a
 * file with Quick Open, select lines with the keyboard, find a row in the explorer, pick an item
 * of a right-click menu, take a batch's model and max tokens as offered.
 */
import * as fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './fixture';
import { quickInput, runCommand } from './harness/browser';

/** A pattern that matches `text` exactly, whatever characters it holds. */
const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** Opens a workspace file with Quick Open (Ctrl+P) and focuses its editor; returns its text area. */
export async function openFile(page: Page, name: string): Promise<Locator> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(name);
  // The row that names the file: until Quick Open has filtered, its first row can still be a
  // recently opened file (the one opened before), and clicking that opens the wrong editor.
  const base = name.slice(name.lastIndexOf('/') + 1);
  await page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(base) }) }).first().click();
  const editor = page.locator(`.monaco-editor[data-uri$="${name}"] .view-lines`);
  await editor.waitFor({ state: 'visible', timeout: 20_000 });
  await editor.click();
  return editor;
}

/** Selects `count` whole lines from line `first` of the focused editor, with the keyboard. */
export async function selectLines(page: Page, first: number, count: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${first}`);
  await page.keyboard.press('Enter');
  // Home twice: the first stops at the indentation, the second at column 1 (whole lines).
  await page.keyboard.press('Home');
  await page.keyboard.press('Home');
  for (let i = 0; i < count; i++) await page.keyboard.press('Shift+ArrowDown');
  await waitFor('the selection in the status bar', async () =>
    /selected/.test(await page.locator('[id="workbench.parts.statusbar"]').innerText()) ? true : undefined);
}

/** The explorer's row for a file or folder name (exact). */
export function explorerRow(page: Page, name: string): Locator {
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly(name) }) }).first();
}

/**
 * Clicks an item of the open right-click menu, again until the menu closes: the menu ignores a
 * click that lands while it is still being laid out.
 */
export async function clickMenuItem(page: Page, label: string): Promise<void> {
  const item = page.locator('.context-view .action-item', { hasText: label }).first();
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await waitFor(`the menu to run "${label}"`, async () => {
    if (!(await item.isVisible())) return true;
    await item.hover();
    await item.click({ timeout: 2000 }).catch(() => undefined);
    await item.waitFor({ state: 'hidden', timeout: 300 }).catch(() => undefined);
    return (await item.isVisible()) ? undefined : true;
  }, 15_000, 100);
}

/**
 * The batch flow's model and max tokens steps, taken as offered (the current model, first in the
 * list, then 4096); returns the confirmation dialog that follows, once it shows.
 */
export async function acceptBatchDefaults(page: Page, modelPickerTimeoutMs: number): Promise<Locator> {
  const widget = quickInput(page);
  const input = widget.locator('input').first();
  await waitFor('the model picker', async () => ((await widget.locator('.monaco-list-row:visible', { hasText: 'current' }).count()) > 0 ? true : undefined), modelPickerTimeoutMs);
  await input.press('Enter');
  await waitFor('the max tokens box', async () => ((await input.inputValue()) === '4096' ? true : undefined), 10_000);
  await input.press('Enter');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 15_000 });
  return dialog;
}

/** Clicks the button labelled `label` of the modal dialog once it shows; returns the dialog's text. */
export async function answerDialog(page: Page, label: string, timeoutMs = 15_000): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const text = await dialog.innerText();
  await dialog.locator('.monaco-button', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return text;
}

/**
 * The text of the active editor as it is rendered (Monaco draws spaces as no-break spaces), once
 * it includes `expected`; only the lines on screen are rendered, so `expected` must be near the top.
 */
export async function activeEditorText(page: Page, expected: string, timeoutMs = 20_000): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  return waitFor(`the active editor to show "${expected.slice(0, 40)}"`, async () => {
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
    return text.includes(expected) ? text : undefined;
  }, timeoutMs);
}

/**
 * Adds user settings the way a person edits settings.json: through "Preferences: Open User
 * Settings (JSON)", typing the entries after its opening brace and saving, so VS Code itself
 * tells the extension (a write to the file from outside went unnoticed: no file watcher saw it).
 * The keys must not be in the file yet.
 */
export async function addUserSettings(page: Page, settingsFile: string, entries: Record<string, unknown>): Promise<void> {
  const present = Object.keys(entries).filter((key) => key in (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>));
  if (present.length > 0) throw new Error(`already in settings.json: ${present.join(', ')}`);
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.monaco-editor[data-uri$="settings.json"] .view-lines').first();
  await editor.waitFor({ state: 'visible', timeout: 20_000 });
  await editor.click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('End');
  // One line, one input event: no auto-indent and no auto-closed quotes to undo.
  await page.keyboard.insertText(Object.entries(entries).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)},`).join(' '));
  await page.keyboard.press('Control+S');
  await waitFor('settings.json saved', async () => {
    const saved = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    return Object.entries(entries).every(([key, value]) => JSON.stringify(saved[key]) === JSON.stringify(value)) ? true : undefined;
  }, 10_000);
  await runCommand(page, 'View: Close Editor');
  await editor.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Changes user settings mid-test the way a person edits settings.json: the file is opened in VS
 * Code's JSON editor ("Open User Settings (JSON)"), its whole text replaced with the merged settings
 * and saved, so VS Code itself tells the extension (a write from outside went unnoticed).
 * `undefined` removes a key. Resolves once the file on disk holds the new settings. VS Code's own
 * `http.proxy` counts from here too: in code-server 4.139 the extension saw it in User/settings.json
 * and not in Machine/settings.json (the same proxy test failed with it only there).
 */
export async function changeSettings(page: Page, settingsFile: string, entries: Record<string, unknown>): Promise<void> {
  const current = fs.existsSync(settingsFile) ? (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.editor-group-container.active .monaco-editor[data-uri$="settings.json"] .view-lines').first();
  await editor.waitFor({ state: 'visible', timeout: 20_000 });
  await editor.click();
  await page.keyboard.press('Control+A');
  // One line, one input event: no auto-indent. The editor may still auto-close the last quote and
  // brace after it, so whatever follows the cursor goes.
  await page.keyboard.insertText(JSON.stringify(merged));
  await page.keyboard.press('Control+Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+S');
  await waitFor('settings.json saved', async () => {
    const saved = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    return JSON.stringify(saved) === JSON.stringify(merged) ? true : undefined;
  }, 10_000);
  await runCommand(page, 'View: Close Editor');
  await editor.waitFor({ state: 'hidden', timeout: 10_000 });
}
