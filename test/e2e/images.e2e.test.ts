/**
 * Images and PDFs in a real VS Code: a PNG and a PDF picked in the explorer become chips (a
 * thumbnail, what they are, their estimate), the next message carries them as one `image` and one
 * `document` block holding exactly the files' bytes, and the turn after it reads them from the
 * prompt cache instead of sending them again. The `@` picker offers a PDF too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Frame } from 'playwright-core';
import { artifactPath } from './harness/artifacts';
import { findWebviewFrame, runCommand } from './harness/browser';
import type { Fixture } from './fixture';
import { clickMenuItem, explorerRow } from './workbench';
import { askAndWait, openChat, startFixture, stepsFor, waitFor } from './fixture';
import { makePdf, makePng } from '../media/fixtures';
import { imageTokens, pdfTokens } from '../../src/core/media';

let fx: Fixture;
let chatFrame: Frame | undefined;
const png = makePng(64, 48);
const pdf = makePdf(2);

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
});
