import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import type { ImageMediaType } from './mediaFacts';

/** The long edge the API itself scales larger images down to; the default of claudeStudio.images.maxLongEdge. */
export const DEFAULT_MAX_LONG_EDGE = 1568;
/** JPEG quality of a downscaled JPEG: visually lossless for screenshots and photos at this size. */
const JPEG_QUALITY = 85;
/** Pixels decoded at most (the API's 8000 px a side): a hostile header cannot ask for more memory. */
const MAX_DECODED_PIXELS = 8000 * 8000;

/** Long edge of the thumbnail made with a downscaled image, for its chip (drawn at 16 px, sharp at 10x zoom). */
export const THUMBNAIL_LONG_EDGE = 160;

/** Image bytes of one format and their size. */
export interface ScaledImage {
  readonly bytes: Uint8Array;
  readonly mediaType: ImageMediaType;
  readonly width: number;
  readonly height: number;
}

/**
 * A downscaled image: new bytes of the same format, and their size; and a thumbnail of it (long
 * edge {@link THUMBNAIL_LONG_EDGE}), so the webview never decodes the large image on its main
 * thread to draw a 16 px chip, and the chips message stays a few KB.
 */
export interface Downscaled extends ScaledImage {
  readonly thumbnail?: ScaledImage;
}

/** The size an image is scaled to so its long edge is at most `maxLongEdge` (aspect kept), or undefined when it fits. */
export function downscaleTarget(width: number, height: number, maxLongEdge: number): { width: number; height: number } | undefined {
  const long = Math.max(width, height);
  if (!(maxLongEdge > 0) || long <= maxLongEdge) return undefined;
  const scale = maxLongEdge / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Which source pixels (and how much of each) make up each destination pixel along one axis. */
function coverage(source: number, target: number): { start: Int32Array; count: Int32Array; weights: Float32Array[] } {
  const ratio = source / target;
  const start = new Int32Array(target);
  const count = new Int32Array(target);
  const weights: Float32Array[] = [];
  for (let t = 0; t < target; t++) {
    const from = t * ratio;
    const to = Math.min(source, from + ratio);
    const first = Math.floor(from);
    const last = Math.min(source - 1, Math.ceil(to) - 1);
    const w = new Float32Array(last - first + 1);
    for (let s = first; s <= last; s++) w[s - first] = (Math.min(to, s + 1) - Math.max(from, s)) / ratio;
    start[t] = first;
    count[t] = w.length;
    weights.push(w);
  }
  return { start, count, weights };
}

/**
 * Area-average (box) downscaling of RGBA pixels, in premultiplied alpha so transparent pixels'
 * colours do not bleed into their neighbours: each destination pixel is the exact average of the
 * source area it covers, which keeps thin lines and text legible where sampling would drop them.
 */
export function resizeRgba(src: Uint8Array, width: number, height: number, targetWidth: number, targetHeight: number): Uint8Array {
  const cols = coverage(width, targetWidth);
  const rows = coverage(height, targetHeight);
  // Pass 1: each row to the target width (premultiplied floats).
  const mid = new Float32Array(targetWidth * height * 4);
  for (let y = 0; y < height; y++) {
    const rowIn = y * width * 4;
    const rowOut = y * targetWidth * 4;
    for (let tx = 0; tx < targetWidth; tx++) {
      let r = 0, g = 0, b = 0, a = 0;
      const first = cols.start[tx] as number;
      const w = cols.weights[tx] as Float32Array;
      for (let k = 0; k < w.length; k++) {
        const i = rowIn + (first + k) * 4;
        const weight = w[k] as number;
        const alpha = (src[i + 3] as number) * weight;
        r += (src[i] as number) * alpha;
        g += (src[i + 1] as number) * alpha;
        b += (src[i + 2] as number) * alpha;
        a += alpha;
      }
      const o = rowOut + tx * 4;
      mid[o] = r;
      mid[o + 1] = g;
      mid[o + 2] = b;
      mid[o + 3] = a;
    }
  }
  // Pass 2: columns to the target height, then back from premultiplied.
  const out = new Uint8Array(targetWidth * targetHeight * 4);
  for (let ty = 0; ty < targetHeight; ty++) {
    const first = rows.start[ty] as number;
    const w = rows.weights[ty] as Float32Array;
    for (let tx = 0; tx < targetWidth; tx++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = 0; k < w.length; k++) {
        const i = ((first + k) * targetWidth + tx) * 4;
        const weight = w[k] as number;
        r += (mid[i] as number) * weight;
        g += (mid[i + 1] as number) * weight;
        b += (mid[i + 2] as number) * weight;
        a += (mid[i + 3] as number) * weight;
      }
      const o = (ty * targetWidth + tx) * 4;
      if (a > 0) {
        out[o] = Math.min(255, Math.round(r / a));
        out[o + 1] = Math.min(255, Math.round(g / a));
        out[o + 2] = Math.min(255, Math.round(b / a));
      }
      out[o + 3] = Math.min(255, Math.round(a));
    }
  }
  return out;
}

function decode(bytes: Uint8Array, mediaType: ImageMediaType): { data: Uint8Array; width: number; height: number } | undefined {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (mediaType === 'image/png') {
    const png = PNG.sync.read(buffer);
    return { data: png.data, width: png.width, height: png.height };
  }
  if (mediaType === 'image/jpeg') {
    const image = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECODED_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    return { data: image.data, width: image.width, height: image.height };
  }
  return undefined;
}

/**
 * Scales a PNG or JPEG down so its long edge is at most `maxLongEdge`, in the same format; undefined
 * when it already fits, or is a GIF or WebP (sent as is: the API scales those itself), or cannot be
 * decoded. Synchronous and CPU-bound: the extension runs it in a worker thread (platform/imageWorker).
 */
export function downscaleImage(bytes: Uint8Array, mediaType: ImageMediaType, width: number, height: number, maxLongEdge: number): Downscaled | undefined {
  const target = downscaleTarget(width, height, maxLongEdge);
  if (target === undefined || width * height > MAX_DECODED_PIXELS) return undefined;
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(bytes, mediaType);
  } catch {
    return undefined;
  }
  if (decoded === undefined || decoded.width !== width || decoded.height !== height) return undefined;
  const pixels = resizeRgba(decoded.data, width, height, target.width, target.height);
  const image = encode(pixels, mediaType, target.width, target.height);
  // From the scaled pixels, not the original: a 1568 px image is 5x fewer pixels to average.
  const small = downscaleTarget(target.width, target.height, THUMBNAIL_LONG_EDGE);
  if (small === undefined) return image;
  const thumbnail = encode(resizeRgba(pixels, target.width, target.height, small.width, small.height), mediaType, small.width, small.height);
  return { ...image, thumbnail };
}

function encode(pixels: Uint8Array, mediaType: ImageMediaType, width: number, height: number): ScaledImage {
  if (mediaType === 'image/png') {
    const png = new PNG({ width, height });
    png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
    return { bytes: new Uint8Array(PNG.sync.write(png)), mediaType, width, height };
  }
  const encoded = jpeg.encode({ data: pixels, width, height }, JPEG_QUALITY);
  return { bytes: new Uint8Array(encoded.data), mediaType, width, height };
}
