import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComposerView } from '../../../src/webview/view/composer';
import { acceptDrops, READ_PIECE_BYTES, readBase64Pieces } from '../../../src/webview/view/mediaInput';
import { MediaUploads } from '../../../src/core/context/mediaUploads';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import type { FromWebview } from '../../../src/shared/protocol';
import { renderUserTurn } from '../../../src/webview/view/userTurn';
import { createFakeApi, createWindow } from './helpers';

type Win = ReturnType<typeof createWindow>;

/** jsdom has no DataTransfer: the fields the handlers read, over real jsdom Files. */
function transfer(files: File[], data: Record<string, string> = {}): DataTransfer {
  const types = [...Object.keys(data), ...(files.length > 0 ? ['Files'] : [])];
  return { types, files, getData: (type: string) => data[type] ?? '', dropEffect: 'none' } as unknown as DataTransfer;
}

function event(win: Win, type: string, field: 'clipboardData' | 'dataTransfer', value: DataTransfer): Event {
  const e = new win.Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, field, { value });
  return e;
}

/** Waits for FileReader (asynchronous in jsdom too) until `count` messages were posted, or 2 s. */
async function settle(api: { posted: unknown[] }, count = 1): Promise<void> {
  for (let i = 0; i < 200 && api.posted.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

function setup(): { win: Win; api: ReturnType<typeof createFakeApi>; input: HTMLTextAreaElement; reason: HTMLElement } {
  const win = createWindow();
  (globalThis as { FileReader?: unknown }).FileReader = win.FileReader;
  const api = createFakeApi();
  const composer = new ComposerView(win.document, { api, newId: () => 'r' });
  win.document.body.append(composer.element);
  acceptDrops(win.document.body, { api, refuse: (m) => composer.showReason(m) });
  return { win, api, input: win.document.getElementById('composer-input') as HTMLTextAreaElement, reason: win.document.getElementById('composer-reason') as HTMLElement };
}

describe('pasting and dropping images', () => {
  it('a pasted clipboard image is posted as bytes (base64) and the paste does not insert anything', async () => {
    const { win, api, input } = setup();
    const file = new win.File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' });
    const paste = event(win, 'paste', 'clipboardData', transfer([file]));
    input.dispatchEvent(paste);
    assert.equal(paste.defaultPrevented, true);
    await settle(api);
    assert.deepEqual(api.posted, [{ type: 'addMediaData', source: 'paste', name: 'image.png', data: 'iVBORw==' }]);
  });

  it('a clipboard holding text pastes the text, even with a picture of it alongside', async () => {
    const { win, api, input } = setup();
    const file = new win.File([new Uint8Array([1])], 'cells.png', { type: 'image/png' });
    const paste = event(win, 'paste', 'clipboardData', transfer([file], { 'text/plain': 'a\tb' }));
    input.dispatchEvent(paste);
    assert.equal(paste.defaultPrevented, false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(api.posted, []);
  });

  it('dropped files: images and PDFs are posted, other files are named in the reason; explorer drops post URIs', async () => {
    const { win, api, reason } = setup();
    const pdf = new win.File([new Uint8Array([37, 80, 68, 70])], 'spec.pdf', { type: 'application/pdf' });
    const text = new win.File(['hello'], 'notes.txt', { type: 'text/plain' });
    const drop = event(win, 'drop', 'dataTransfer', transfer([text, pdf]));
    win.document.body.dispatchEvent(drop);
    assert.equal(drop.defaultPrevented, true);
    await settle(api);
    assert.deepEqual(api.posted, [{ type: 'addMediaData', source: 'drop', name: 'spec.pdf', data: 'JVBERg==' }]);
    assert.equal(reason.hidden, false);
    assert.match(reason.textContent ?? '', /notes\.txt was not added/);
    api.posted.length = 0;
    win.document.body.dispatchEvent(event(win, 'drop', 'dataTransfer', transfer([], { 'text/uri-list': 'file:///w/a.png\r\nfile:///w/b.pdf' })));
    assert.deepEqual(api.posted, [{ type: 'addDroppedUris', uris: ['file:///w/a.png', 'file:///w/b.pdf'] }]);
  });
});

describe('a large dropped file', () => {
  it('is read and posted in pieces (each its own short task on the page) that the host joins into the file\'s base64', async () => {
    const { win, api } = setup();
    const bytes = new Uint8Array(READ_PIECE_BYTES * 2 + 1000);
    bytes.set([137, 80, 78, 71, 13, 10, 26, 10]);
    for (let i = 8; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    const reads: number[] = [];
    const Reader = win.FileReader;
    const original = Reader.prototype.readAsDataURL;
    Reader.prototype.readAsDataURL = function (this: FileReader, blob: Blob) {
      reads.push(blob.size);
      original.call(this, blob);
    };
    try {
      const file = new win.File([bytes], 'Big Screen.png', { type: 'image/png' });
      win.document.body.dispatchEvent(event(win, 'drop', 'dataTransfer', transfer([file])));
      await settle(api, 3);
      assert.deepEqual(reads, [READ_PIECE_BYTES, READ_PIECE_BYTES, 1000], 'three reads of at most one piece each');
      const posted = api.posted as FromWebview.AddMediaData[];
      assert.equal(posted.length, 3, 'one post per piece');
      assert.deepEqual(posted.map((m) => [m.part?.index, m.part?.last, m.data.length <= (READ_PIECE_BYTES / 3) * 4]), [[0, false, true], [1, false, true], [2, true, true]]);
      assert.equal(new Set(posted.map((m) => m.part?.id)).size, 1, 'one upload id');
      // What the host does with them (parsed as untrusted, then joined).
      const uploads = new MediaUploads();
      const joined = posted.map((m) => uploads.receive(parseWebviewMessage(m) as FromWebview.AddMediaData)).at(-1);
      assert.deepEqual(joined, { source: 'drop', name: 'Big Screen.png', data: Buffer.from(bytes).toString('base64') });
    } finally {
      Reader.prototype.readAsDataURL = original;
    }
  });

  it('pieces of any multiple of 3 bytes join without padding inside', async () => {
    const win = createWindow();
    (globalThis as { FileReader?: unknown }).FileReader = win.FileReader;
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const pieces: string[] = [];
    await readBase64Pieces(new win.Blob([bytes]), (data) => void pieces.push(data), 3);
    assert.equal(pieces.length, 4);
    assert.equal(pieces.join(''), Buffer.from(bytes).toString('base64'));
  });
});

describe('images and PDFs in a sent message', () => {
  it('a user turn lists what it carried: a thumbnail through a blob: URL for a small image, an icon and the name otherwise', () => {
    const win = createWindow();
    const created: Blob[] = [];
    const url = URL as unknown as { createObjectURL?: (blob: Blob) => string };
    const original = url.createObjectURL;
    url.createObjectURL = (blob: Blob) => `blob:test/${created.push(blob)}`;
    try {
      const article = renderUserTurn(win.document, {
        id: 't1', role: 'user', text: 'What is this?',
        media: [{ label: 'pasted-image-1a2b3c4d.png', kind: 'image', thumbnail: { mediaType: 'image/png', data: 'iVBORw==' } }, { label: 'spec.pdf', kind: 'document' }],
      });
      const img = article.querySelector('.turn-media img');
      assert.match(img?.getAttribute('src') ?? '', /^blob:/);
      assert.equal(img?.getAttribute('alt'), 'pasted-image-1a2b3c4d.png');
      assert.equal(created[0]?.type, 'image/png');
      assert.equal(article.querySelector('.turn-media-item[data-kind="document"] .turn-media-name')?.textContent, 'spec.pdf');
    } finally {
      url.createObjectURL = original;
    }
  });
});
