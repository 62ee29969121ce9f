import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64Length, countPdfPages, imageTokens, mediaOfPath, pdfTokens, probeImage } from '../../../../src/core/media';
import { gifHeader, jpegHeader, makeCompressedPdf, makePdf, makePng, pngHeader, webpHeader } from '../../../media/fixtures';

describe('probeImage', () => {
  test('reads the format and size of PNG, JPEG, GIF and WebP from their headers', () => {
    assert.deepEqual(probeImage(makePng(3, 2)), { mediaType: 'image/png', width: 3, height: 2 });
    assert.deepEqual(probeImage(pngHeader(8001, 40)), { mediaType: 'image/png', width: 8001, height: 40 });
    assert.deepEqual(probeImage(jpegHeader(640, 480)), { mediaType: 'image/jpeg', width: 640, height: 480 });
    assert.deepEqual(probeImage(gifHeader(17, 300)), { mediaType: 'image/gif', width: 17, height: 300 });
    assert.deepEqual(probeImage(webpHeader(1024, 768)), { mediaType: 'image/webp', width: 1024, height: 768 });
  });

  test('anything else is not an image it knows', () => {
    assert.equal(probeImage(Buffer.from('not an image at all')), undefined);
    assert.equal(probeImage(new Uint8Array(0)), undefined);
    assert.equal(probeImage(makePdf(1)), undefined);
    // BMP is an image, but not one the API takes.
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(10, 18);
    bmp.writeInt32LE(10, 22);
    assert.equal(probeImage(bmp), undefined);
  });
});

describe('countPdfPages', () => {
  test('reads /Count of the page tree in a plain PDF', () => {
    assert.equal(countPdfPages(makePdf(1)), 1);
    assert.equal(countPdfPages(makePdf(7)), 7);
    assert.equal(countPdfPages(makePdf(101)), 101);
  });

  test('finds the page tree inside a compressed object stream', () => {
    const pdf = makeCompressedPdf(4);
    assert.equal(pdf.includes('/Type /Pages'), false, 'the tree is not in the plain bytes');
    assert.equal(countPdfPages(pdf), 4);
  });

  test('a PDF Chromium printed (three pages)', () => {
    assert.equal(countPdfPages(readFileSync(join(__dirname, '../../../media/three-pages.pdf'))), 3);
  });

  test('the newest version of the page tree wins after an incremental update', () => {
    const original = makePdf(5);
    const update = Buffer.from('2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>\nendobj\n%%EOF\n', 'latin1');
    assert.equal(countPdfPages(Buffer.concat([original, update])), 2);
  });

  test('counts page objects when there is no readable tree; not a PDF is undefined', () => {
    const noTree = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Page >>\nendobj\n2 0 obj\n<< /Type /Page >>\nendobj\n%%EOF', 'latin1');
    assert.equal(countPdfPages(noTree), 2);
    assert.equal(countPdfPages(Buffer.from('%PDF-1.4\n%%EOF', 'latin1')), undefined);
    assert.equal(countPdfPages(makePng(2, 2)), undefined);
  });

  test('a corrupt object stream is skipped, not thrown', () => {
    const broken = Buffer.from('%PDF-1.5\n9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 5 >>\nstream\nxxxxx\nendstream\nendobj\n%%EOF', 'latin1');
    assert.equal(countPdfPages(broken), undefined);
  });
});

describe('documented costs', () => {
  test('images: width * height / 750, after the API scales big ones down', () => {
    assert.equal(imageTokens(200, 200), 54); // the docs' table: 200x200 ~ 54 tokens
    assert.equal(imageTokens(1000, 1000), 1334); // the docs' table: 1000x1000 ~ 1,334 tokens
    assert.equal(imageTokens(1092, 1092), 1590); // the largest unscaled square
    assert.ok(imageTokens(4000, 3000) <= 1600, 'a large image costs what its scaled copy does');
    assert.ok(imageTokens(1568, 784) <= 1640);
    assert.equal(imageTokens(0, 10), 0);
  });

  test('PDFs: a per-page estimate; base64 length; media by extension', () => {
    assert.equal(pdfTokens(3), 6750);
    assert.equal(base64Length(3), 4);
    assert.equal(base64Length(4), 8);
    assert.deepEqual(mediaOfPath('docs/Spec.PDF'), { kind: 'document', mediaType: 'application/pdf' });
    assert.deepEqual(mediaOfPath('a/b.jpeg'), { kind: 'image', mediaType: 'image/jpeg' });
    assert.equal(mediaOfPath('a/b.bmp'), undefined);
    assert.equal(mediaOfPath('.png'), undefined);
  });
});
