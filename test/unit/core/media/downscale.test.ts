import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { downscaleImage, downscaleTarget, resizeRgba } from '../../../../src/core/media/downscale';
import { probeImage } from '../../../../src/core/media/probe';
import { DEFAULT_CONTEXT_LIMITS, chipViews, ContextSet, readContextFile } from '../../../../src/core/context';
import { ImageDownscaler } from '../../../../src/platform/imageDownscaler';

/** A PNG of stripes: red on the left half, blue on the right, half transparent in the bottom half. */
function stripes(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      png.data[i] = x < width / 2 ? 255 : 0;
      png.data[i + 2] = x < width / 2 ? 0 : 255;
      png.data[i + 3] = y < height / 2 ? 255 : 128;
    }
  }
  return PNG.sync.write(png);
}

/** A large PNG added to context as shots/big.png through the read path, with the 1568 px downscaler. */
function readBigScreenshot(png: Buffer): ReturnType<typeof readContextFile> {
  return readContextFile(
    { path: 'shots/big.png', currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS, shrinkImage: async (bytes, type, w, h) => downscaleImage(bytes, type, w, h, 1568) },
    async () => png,
  );
}

describe('downscaling large images', () => {
  it('targets the long edge, keeps the aspect, leaves images that fit alone', () => {
    assert.deepEqual(downscaleTarget(4000, 3000, 1568), { width: 1568, height: 1176 });
    assert.deepEqual(downscaleTarget(1000, 5000, 1568), { width: 314, height: 1568 });
    assert.equal(downscaleTarget(1568, 1000, 1568), undefined);
    assert.equal(downscaleTarget(4000, 3000, 0), undefined, '0 turns it off');
  });

  it('averages areas in premultiplied alpha: no colour from transparent pixels, halves stay halves', () => {
    // 4x1: opaque white, transparent red, opaque black, opaque black -> 2x1
    const src = new Uint8Array([255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 255]);
    const out = resizeRgba(src, 4, 1, 2, 1);
    assert.deepEqual([...out], [255, 255, 255, 128, 0, 0, 0, 255]);
  });

  it('a PNG comes back a smaller PNG of the right size and pixels; a JPEG a JPEG', () => {
    const result = downscaleImage(stripes(400, 200), 'image/png', 400, 200, 100);
    assert.ok(result);
    assert.equal(result.mediaType, 'image/png');
    assert.deepEqual([result.width, result.height], [100, 50]);
    assert.deepEqual(probeImage(result.bytes), { mediaType: 'image/png', width: 100, height: 50 });
    const decoded = PNG.sync.read(Buffer.from(result.bytes));
    const px = (x: number, y: number) => [...decoded.data.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 4)];
    assert.deepEqual(px(10, 10), [255, 0, 0, 255]);
    assert.deepEqual(px(90, 40), [0, 0, 255, 128]);
    const raw = PNG.sync.read(stripes(300, 300));
    const jpg = jpeg.encode({ data: raw.data, width: 300, height: 300 }, 90).data;
    const small = downscaleImage(jpg, 'image/jpeg', 300, 300, 150);
    assert.equal(small?.mediaType, 'image/jpeg');
    assert.deepEqual(probeImage(small?.bytes ?? new Uint8Array()), { mediaType: 'image/jpeg', width: 150, height: 150 });
    assert.equal(downscaleImage(Buffer.from('GIF89a'), 'image/gif', 4000, 10, 100), undefined, 'GIF and WebP are sent as they are');
  });

  it('a large image added to context is sent downscaled, and its chip says from what', async () => {
    const png = stripes(3200, 1600);
    const result = await readBigScreenshot(png);
    assert.ok(result.ok, result.ok ? '' : result.refusal.message);
    assert.equal(result.item.media?.width, 1568);
    assert.equal(result.item.media?.height, 784);
    assert.deepEqual(result.item.media?.downscaledFrom, { width: 3200, height: 1600, bytes: png.length });
    const set = new ContextSet();
    set.add(result.item);
    assert.match(chipViews(set, [])[0]?.detail ?? '', /^PNG, 1568x784 px, .*downscaled from 3200x1600/);
  });

  it('a downscaled image comes with a 160 px thumbnail, which its chip shows instead of the image itself', async () => {
    const png = stripes(3200, 1600);
    const result = await readBigScreenshot(png);
    assert.ok(result.ok, result.ok ? '' : result.refusal.message);
    const thumbnail = result.item.media?.thumbnail;
    assert.ok(thumbnail, 'a thumbnail');
    assert.deepEqual(probeImage(Buffer.from(thumbnail.data, 'base64')), { mediaType: 'image/png', width: 160, height: 80 });
    const decoded = PNG.sync.read(Buffer.from(thumbnail.data, 'base64'));
    assert.deepEqual([...decoded.data.subarray((10 * 160 + 10) * 4, (10 * 160 + 10) * 4 + 4)], [255, 0, 0, 255], 'the same picture');
    const set = new ContextSet();
    set.add(result.item);
    assert.deepEqual(chipViews(set, [])[0]?.thumbnail, { mediaType: 'image/png', data: thumbnail.data }, 'the chip carries the thumbnail, not the 1568 px image');
    const small = downscaleImage(stripes(400, 200), 'image/png', 400, 200, 100);
    assert.equal(small?.thumbnail, undefined, 'an image scaled to 160 px or less is its own thumbnail');
  });

  it('the worker thread scales an image and hands back the bytes; a worker that cannot start answers undefined', async () => {
    const worker = new ImageDownscaler(join(__dirname, 'imageWorker.mjs'));
    try {
      const result = await worker.downscale(stripes(400, 200), 'image/png', 400, 200, 100);
      assert.deepEqual(probeImage(result?.bytes ?? new Uint8Array()), { mediaType: 'image/png', width: 100, height: 50 });
      const large = await worker.downscale(stripes(800, 400), 'image/png', 800, 400, 400);
      assert.deepEqual(probeImage(large?.thumbnail?.bytes ?? new Uint8Array()), { mediaType: 'image/png', width: 160, height: 80 }, 'the thumbnail comes back from the worker too');
    } finally {
      worker.dispose();
    }
    const missing = new ImageDownscaler('/nonexistent/imageWorker.js');
    assert.equal(await missing.downscale(stripes(40, 20), 'image/png', 40, 20, 10), undefined);
    missing.dispose();
  });
});
