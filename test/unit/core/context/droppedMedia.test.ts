import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_CONTEXT_LIMITS, ExclusionRules, droppedLabel, readDroppedMedia } from '../../../../src/core/context';
import { EgressGate, MAX_MEDIA_READ_BYTES, MAX_READ_BYTES } from '../../../../src/core/egress';
import { parseWebviewMessage } from '../../../../src/shared/protocol';
import { makePdf, makePng } from '../../../media/fixtures';

const read = (source: 'paste' | 'drop', name: string, bytes: Uint8Array | string, maxReadBytes = 4 * 1024 * 1024) =>
  readDroppedMedia({ source, name, data: typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('base64'), limits: DEFAULT_CONTEXT_LIMITS, maxReadBytes });

describe('pasted and dropped images and PDFs', () => {
  it('a pasted PNG becomes an image item named by its bytes, with its size and estimate', async () => {
    const png = makePng(400, 300);
    const result = await read('paste', 'image.png', png);
    assert.ok(result.ok, result.ok ? '' : result.refusal.message);
    assert.match(result.item.path, /^pasted-image-[0-9a-f]{8}\.png$/);
    assert.equal(result.item.kind, 'image');
    assert.equal(result.item.media?.mediaType, 'image/png');
    assert.equal(result.item.media?.width, 400);
    assert.equal(result.item.media?.data, png.toString('base64'));
    assert.equal(result.item.uri, undefined);
    const again = await read('paste', 'other name.png', png);
    assert.ok(again.ok);
    assert.equal(again.item.id, result.item.id, 'the same screenshot pasted twice is one item');
  });

  it('the bytes decide the format: a PNG named .jpg is labelled .png; a dropped PDF is a document', async () => {
    const png = await read('drop', 'C:\\Users\\me\\shot.jpg', makePng(8, 4));
    assert.ok(png.ok);
    assert.equal(png.item.path, 'dropped/shot.png');
    const pdf = await read('drop', '../../spec [v2].pdf', makePdf(3));
    assert.ok(pdf.ok, pdf.ok ? '' : pdf.refusal.message);
    assert.equal(pdf.item.path, 'dropped/spec _v2_.pdf');
    assert.equal(pdf.item.kind, 'document');
    assert.equal(pdf.item.media?.pages, 3);
  });

  it('refuses what is not an image (or a dropped PDF), bad base64, and bytes over the gate read limit', async () => {
    const text = await read('drop', 'notes.png', Buffer.from('hello world, not an image'));
    assert.equal(text.ok, false);
    assert.match(text.ok ? '' : text.refusal.message, /only PNG, JPEG, GIF and WebP images/);
    const pastedPdf = await read('paste', 'x.pdf', makePdf(1));
    assert.equal(pastedPdf.ok, false, 'a paste takes images only');
    const bad = await read('paste', 'x.png', 'not base64!!');
    assert.equal(bad.ok, false);
    const big = await read('paste', 'big.png', makePng(400, 300), 100);
    assert.equal(big.ok, false);
    assert.match(big.ok ? '' : big.refusal.message, /too large to read .*the limit is 100 bytes/);
  });

  it('labels never carry folders, control or Markdown characters', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    assert.equal(droppedLabel('drop', '/etc/passwd\u0000`x`.png', bytes, 'png'), 'dropped/passwd__x_.png');
    assert.match(droppedLabel('drop', '..', bytes, 'png'), /^dropped\/file-[0-9a-f]{8}\.png$/);
  });

  it('the protocol takes addMediaData and addDroppedUris only well formed', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'addMediaData', source: 'paste', name: 'a.png', data: 'AAAA' }), { type: 'addMediaData', source: 'paste', name: 'a.png', data: 'AAAA' });
    assert.equal(parseWebviewMessage({ type: 'addMediaData', source: 'clipboard', name: 'a.png', data: 'AAAA' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'addMediaData', source: 'paste', name: 'a.png', data: '' }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'addDroppedUris', uris: ['file:///w/a.png'] }), { type: 'addDroppedUris', uris: ['file:///w/a.png'] });
    assert.equal(parseWebviewMessage({ type: 'addDroppedUris', uris: ['file:///w/a.png', 3] }), undefined);
    assert.equal(parseWebviewMessage({ type: 'addDroppedUris', uris: [] }), undefined);
  });
});

describe('the read limit for images and PDFs', () => {
  it('images and PDFs may be read up to what fits a 32 MB request as base64; other files keep the text limit', () => {
    const gate = new EgressGate(new ExclusionRules({}));
    assert.equal(MAX_MEDIA_READ_BYTES, 24 * 1024 * 1024);
    assert.equal(Math.ceil(MAX_MEDIA_READ_BYTES / 3) * 4, 32 * 1024 * 1024, 'its base64 is the request limit');
    assert.equal(gate.readLimitFor('docs/spec.PDF'), MAX_MEDIA_READ_BYTES);
    assert.equal(gate.readLimitFor('shots/a.jpeg'), MAX_MEDIA_READ_BYTES);
    assert.equal(gate.readLimitFor('src/a.ts'), MAX_READ_BYTES);
    assert.equal(new EgressGate(new ExclusionRules({}), { maxReadBytes: 64 * 1024 * 1024 }).readLimitFor('a.pdf'), 64 * 1024 * 1024, 'never below the text limit');
  });

  it('a dropped 6 MB PDF (over the text limit) is added as a document', async () => {
    const pdf = Buffer.concat([makePdf(2), Buffer.from(`\n%${'x'.repeat(6 * 1024 * 1024)}\n`)]);
    const result = await read('drop', 'big spec.pdf', pdf, MAX_MEDIA_READ_BYTES);
    assert.ok(result.ok, result.ok ? '' : result.refusal.message);
    assert.equal(result.item.kind, 'document');
    const tooBig = await read('drop', 'huge.pdf', Buffer.concat([pdf, Buffer.alloc(19 * 1024 * 1024)]), MAX_MEDIA_READ_BYTES);
    assert.equal(tooBig.ok, false);
    assert.match(tooBig.ok ? '' : tooBig.refusal.message, /too large to read .*the limit is 24 MB/);
  });
});
