/**
 * Images and PDFs in a real VS Code: a PNG and a PDF picked in the explorer become chips (a
 * thumbnail, what they are, their estimate), the next message carries them as one `image` and one
 * `document` block holding exactly the files' bytes, and the turn after it reads them from the
 * prompt cache instead of sending them again. The `@` picker offers a PDF too. A PNG pasted into
 * the chat box is sent as one image block and shown in the user turn; a 4000x3000 one (1.2 MB,
 * posted in pieces) dropped on the chat shows a 160 px thumbnail and is sent downscaled to
 * 1568x1176; after a restart the conversation shows them and the next request replays the same
 * bytes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { artifactPath } from './harness/artifacts';
import { findWebviewFrame, runCommand, waitForWorkbench } from './harness/browser';
import type { Fixture } from './fixture';
import { clickMenuItem, explorerRow } from './workbench';
import { askAndWait, openChat, startFixture, stepsFor, waitFor } from './fixture';
import { makePdf, makePng } from '../media/fixtures';
import { imageTokens, pdfTokens, probeImage } from '../../src/core/media';
import { READ_PIECE_BYTES } from '../../src/webview/view/mediaInput';

let fx: Fixture;
let chatFrame: Frame | undefined;
const png = makePng(64, 48);
const pdf = makePdf(2);
/** Large enough (1,440 tokens) for the first message to be over the model's minimum cacheable prefix. */
const pasted = makePng(1200, 900, [40, 160, 90]);
/** Its first 100 rows are noise: 1.2 MB, which the webview reads and posts in 384 KB pieces. */
const huge = makePng(4000, 3000, [30, 60, 200], { noiseRows: 100 });

/** The chat view's frame (adding from the explorer brings the view back in a new frame). */
async function view(): Promise<Frame> {
  if (chatFrame === undefined || chatFrame.isDetached()) chatFrame = await findWebviewFrame(fx.page, '#composer-input', { timeoutMs: 30_000 });
  return chatFrame;
}

before(async () => {
  fx = await startFixture({ label: 'images', theme: 'dark' });
  fs.writeFileSync(path.join(fx.workspace, 'logo.png'), png);
  fs.writeFileSync(path.join(fx.workspace, 'spec.pdf'), pdf);
  fs.writeFileSync(path.join(fx.workspace, 'notes.pdf'), makePdf(1));
});

after(async () => {
  await fx?.close();
});

const step = stepsFor('images', () => fx.page);

/**
 * Puts a file on the page's side of a paste (into the composer) or a drop (on the chat), as the
 * browser does with the clipboard's image or files from the desktop: a File in a DataTransfer.
 */
async function pasteOrDrop(frame: Frame, kind: 'paste' | 'drop', name: string, bytes: Buffer): Promise<void> {
  await frame.evaluate(({ kind, name, data }) => {
    const file = new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name, { type: 'image/png' });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const input = document.getElementById('composer-input') as HTMLTextAreaElement;
    if (kind === 'paste') {
      input.focus();
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    } else {
      input.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, { kind, name, data: bytes.toString('base64') });
}

/** The messages of a request without cache_control, which moves from turn to turn. */
const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'cache_control' ? undefined : v)));

type Block = { type: string; text?: string; source?: { type: string; media_type: string; data: string } };
type Body = { messages: { role: string; content: Block[] }[] };

describe('images and PDFs in real VS Code', () => {
  step('a PNG and a PDF picked in the explorer become chips with what they are and their estimate', async () => {
    const page = fx.page;
    chatFrame = await openChat(page);
    await runCommand(page, 'View: Show Explorer');
    await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout: 20_000 });
    await explorerRow(page, 'logo.png').waitFor({ state: 'visible', timeout: 20_000 });
    // Ctrl-clicks select without opening: a plain click would open the image preview, whose
    // reveal of its file in the explorer can reset the selection while the menu opens.
    await explorerRow(page, 'logo.png').click({ modifiers: ['Control'] });
    await explorerRow(page, 'spec.pdf').click({ modifiers: ['Control'] });
    await waitFor('two selected rows', async () => ((await page.locator('.explorer-folders-view .monaco-list-row.selected').count()) === 2 ? true : undefined));
    await explorerRow(page, 'spec.pdf').click({ button: 'right' });
    await clickMenuItem(page, 'Add to Claude Chat');
    const chips = await waitFor('two chips', async () => {
      const list = await (await view()).locator('.context-chip').evaluateAll((nodes) =>
        nodes.map((node) => ({
          kind: node.getAttribute('data-kind') ?? '',
          label: node.getAttribute('data-label') ?? '',
          tokens: Number(node.getAttribute('data-tokens')),
          text: (node as HTMLElement).innerText.replace(/\s+/g, ' '),
          thumb: node.querySelector('img.context-chip-thumb')?.getAttribute('src') ?? '',
          thumbLoaded: (node.querySelector('img.context-chip-thumb') as HTMLImageElement | null)?.naturalWidth ?? 0,
        })),
      );
      return list.length === 2 && list.every((chip) => chip.kind !== 'image' || chip.thumbLoaded > 0) ? list : undefined;
    });
    const byKind = Object.fromEntries(chips.map((chip) => [chip.kind, chip]));
    assert.equal(byKind.image?.label, 'logo.png');
    assert.equal(byKind.image?.tokens, imageTokens(64, 48));
    assert.match(byKind.image?.text ?? '', /PNG, 64x48 px, \d+ bytes/);
    assert.match(byKind.image?.thumb ?? '', /^blob:/, 'the thumbnail is a blob: URL made in the page');
    assert.equal(byKind.image?.thumbLoaded, 64, 'the CSP let the thumbnail load');
    assert.equal(byKind.document?.label, 'spec.pdf');
    assert.equal(byKind.document?.tokens, pdfTokens(2));
    assert.match(byKind.document?.text ?? '', /PDF, 2 pages, \d+ bytes/);
    await (await view()).locator('#composer').screenshot({ path: artifactPath('images-chips-dark-closeup.png') });
  });

  step('the message carries one document and one image block with the files\' exact bytes', async () => {
    const chat = await view();
    fx.server.script({ text: 'A logo and a two-page spec.' });
    await askAndWait(chat, 'What are these?');
    const body = fx.server.messageRequests().at(-1)?.body as Body;
    const blocks = body.messages.at(-1)?.content ?? [];
    const images = blocks.filter((block) => block.type === 'image');
    const documents = blocks.filter((block) => block.type === 'document');
    assert.equal(images.length, 1);
    assert.equal(documents.length, 1);
    assert.deepEqual(images[0]?.source, { type: 'base64', media_type: 'image/png', data: png.toString('base64') });
    assert.deepEqual(documents[0]?.source, { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') });
    assert.ok(blocks.some((block) => block.text === 'Image `logo.png` (PNG, 64x48 px):'), 'a caption names the image');
    const usage = fx.server.messageRequests().at(-1)?.usage;
    assert.ok((usage?.cache_creation_input_tokens ?? 0) >= pdfTokens(2) + imageTokens(64, 48), JSON.stringify(usage));
  });

  step('the next turn reads them from the cache and sends the same bytes again', async () => {
    const chat = await view();
    const first = fx.server.messageRequests().at(-1);
    fx.server.script({ text: 'The logo is orange.' });
    await askAndWait(chat, 'Which colour is the logo?');
    const second = fx.server.messageRequests().at(-1);
    assert.notEqual(second?.seq, first?.seq);
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'cache_control' ? undefined : v)));
    const body = second?.body as Body;
    assert.deepEqual(strip(body.messages[0]), strip((first?.body as Body).messages[0]), 'the first turn is sent byte for byte');
    assert.equal(body.messages.at(-1)?.content.filter((block) => block.type === 'image' || block.type === 'document').length, 0, 'nothing new is attached');
    const usage = second?.usage;
    assert.ok((usage?.cache_read_input_tokens ?? 0) >= pdfTokens(2) + imageTokens(64, 48), JSON.stringify(usage));
  });

  step('the @ picker offers a PDF and adds it as a document chip', async () => {
    const chat = await view();
    const input = chat.locator('#composer-input');
    await input.click();
    await input.pressSequentially('@notespdf', { delay: 20 });
    const option = chat.locator('.file-picker-option').first();
    await option.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await option.getAttribute('data-path'), 'notes.pdf');
    await input.press('Enter');
    const chip = chat.locator('.context-chip[data-label="notes.pdf"]');
    await chip.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await chip.getAttribute('data-kind'), 'document');
    assert.equal(Number(await chip.getAttribute('data-tokens')), pdfTokens(1));
    assert.match(await chip.innerText(), /PDF, 1 page, \d+ bytes/);
  });

  step('a PNG pasted into the chat box is sent as one image block and shown in the user turn', async () => {
    let chat = await view();
    await runCommand(fx.page, 'Claude: New Chat');
    await waitFor('an empty transcript', async () => ((await chat.locator('.turn').count()) === 0 ? true : undefined));
    await chat.locator('.context-chip-remove').evaluateAll((buttons) => buttons.forEach((button) => (button as HTMLElement).click()));
    await waitFor('no chips', async () => ((await chat.locator('.context-chip').count()) === 0 ? true : undefined));
    await pasteOrDrop(chat, 'paste', 'image.png', pasted);
    const chip = chat.locator('.context-chip[data-kind="image"]');
    await chip.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await chip.getAttribute('data-label') ?? '', /^pasted-image-[0-9a-f]{8}\.png$/);
    assert.equal(await chat.locator('#composer-input').inputValue(), '', 'the paste inserted no text');
    // It has no file: a click opens its bytes (written to a private temp folder) in the image preview.
    const label = await chip.getAttribute('data-label') ?? '';
    await chip.locator('.context-chip-open').click();
    await fx.page.locator('.tabs-container .tab', { hasText: label }).waitFor({ state: 'visible', timeout: 15_000 });
    chat = await view();
    fx.server.script({ text: 'A green rectangle.' });
    await askAndWait(chat, 'What is in this screenshot?');
    const body = fx.server.messageRequests().at(-1)?.body as Body;
    const images = (body.messages.at(-1)?.content ?? []).filter((block) => block.type === 'image');
    assert.equal(images.length, 1);
    assert.deepEqual(images[0]?.source, { type: 'base64', media_type: 'image/png', data: pasted.toString('base64') });
    const thumb = chat.locator('.turn[data-role="user"] img.turn-media-thumb').first();
    await waitFor('the thumbnail in the user turn', async () => ((await thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)) === 1200 ? true : undefined));
    assert.match(await thumb.getAttribute('src') ?? '', /^blob:/);
  });

  step('a 4000x3000 PNG dropped on the chat is sent downscaled; the pasted one is read from the cache', async () => {
    const chat = await view();
    const started = Date.now();
    await pasteOrDrop(chat, 'drop', 'Big Screen.png', huge);
    const chip = chat.locator('.context-chip[data-label="dropped/Big Screen.png"]');
    await chip.waitFor({ state: 'visible', timeout: 30_000 });
    process.stderr.write(`[images] 4000x3000 drop to chip: ${Date.now() - started} ms\n`);
    assert.match(await chip.innerText(), /PNG, 1568x1176 px, .*downscaled from 4000x3000/);
    assert.ok(huge.length > 3 * READ_PIECE_BYTES, `${huge.length} bytes: posted in pieces`);
    // The chip draws the 160 px copy the worker made, not the 1568 px image.
    const thumb = chip.locator('img.context-chip-thumb');
    await waitFor('the downscaled image\'s chip thumbnail', async () => ((await thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)) === 160 ? true : undefined));
    await chip.screenshot({ path: artifactPath('images-downscaled-chip-dark.png') });
    const first = fx.server.messageRequests().at(-1);
    fx.server.script({ text: 'A blue screen.' });
    await askAndWait(chat, 'And this one?');
    const second = fx.server.messageRequests().at(-1);
    const body = second?.body as Body;
    assert.deepEqual(strip(body.messages[0]), strip((first?.body as Body).messages[0]), 'the first turn is sent byte for byte');
    const images = (body.messages.at(-1)?.content ?? []).filter((block) => block.type === 'image');
    assert.equal(images.length, 1);
    assert.equal(images[0]?.source?.media_type, 'image/png');
    assert.deepEqual(probeImage(Buffer.from(images[0]?.source?.data ?? '', 'base64')), { mediaType: 'image/png', width: 1568, height: 1176 });
    assert.ok((second?.usage?.cache_read_input_tokens ?? 0) >= imageTokens(1200, 900), JSON.stringify(second?.usage));
  });

  step('after a restart the conversation shows the images and the next request replays the same bytes', async () => {
    const before = fx.server.messageRequests().at(-1)?.body as Body;
    // Reloading the window restarts the extension host: the conversation comes back from disk.
    const started = Date.now();
    // The old workbench stays on screen until the new document loads: wait for that, then for the new workbench.
    const reloaded = fx.page.waitForEvent('domcontentloaded', { timeout: 30_000 });
    reloaded.catch(() => undefined); // awaited below; no unhandled rejection if runCommand throws first
    await runCommand(fx.page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(fx.page);
    chatFrame = await openChat(fx.page);
    process.stderr.write(`[images] reload to chat: ${Date.now() - started} ms\n`);
    const chat = chatFrame;
    const thumbs = chat.locator('.turn[data-role="user"] img.turn-media-thumb');
    await waitFor('both thumbnails after the restart', async () => {
      const widths = await thumbs.evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
      return widths.length === 2 && widths[0] === 1200 && widths[1] === 1568 ? true : undefined;
    }, 30_000);
    await chat.locator('#transcript').screenshot({ path: artifactPath('images-restored-dark.png') });
    fx.server.script({ text: 'Still here.' });
    await askAndWait(chat, 'Are they still there?');
    const after = fx.server.messageRequests().at(-1)?.body as Body;
    assert.deepEqual(strip(after.messages.slice(0, 4)), strip([...before.messages.slice(0, 3), after.messages[3]]), 'the turns before the restart are sent byte for byte');
    assert.equal(after.messages.length, before.messages.length + 2);
  });
});
