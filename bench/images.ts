/**
 * Image downscaling benchmark (`npm run bench:images`): adding a 4000x3000 screenshot to the
 * chat, through the same read path the extension runs (core/context readContextFile with the
 * worker-thread downscaler of src/platform/imageDownscaler.ts, the worker bundled by esbuild as
 * it ships in dist/imageWorker.js).
 *
 * - downscaleMs: wall time from the file's bytes to the context item holding the 1568x1176 PNG.
 * - maxTaskMs: the longest the calling (extension host) thread was blocked meanwhile, measured
 *   as the largest gap between timer ticks. Target: under 50 ms.
 * - baseline: the same downscale run on the calling thread, measured in the same run (what the
 *   host would suffer without the worker: every extension frozen for the whole time).
 * Medians over --runs N (3) runs after one warm-up. The last line printed is one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { PNG } from 'pngjs';
import { DEFAULT_CONTEXT_LIMITS, readContextFile } from '../src/core/context';
import type { ShrinkImage } from '../src/core/context';
import { downscaleImage } from '../src/core/media/downscale';
import { ImageDownscaler } from '../src/platform/imageDownscaler';
import { median, round } from './stats';

const WIDTH = 4000;
const HEIGHT = 3000;
const MAX_LONG_EDGE = 1568;
const TARGET_TASK_MS = 50;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Math.max(1, Number(process.argv[runsFlag + 1]) || 3) : 3;

/** A screenshot-like PNG: flat panels, a gradient, and rows of "text" (dense, noisy glyph strokes). */
function screenshot(): Buffer {
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = (y * WIDTH + x) * 4;
      const panel = x < 600 ? 37 : y < 120 ? 60 : 30;
      const text = x > 700 && y % 40 < 18 && (x % 14 < 9) && random() < 0.45;
      const value = text ? 212 : panel + Math.floor((x / WIDTH) * 12);
      png.data[i] = value;
      png.data[i + 1] = text ? 212 : value + 4;
      png.data[i + 2] = text ? 180 : value + 10;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** Runs `work` while a timer ticks on this thread; the largest gap between ticks is the longest task. */
async function measure(work: () => Promise<unknown>): Promise<{ ms: number; maxTaskMs: number }> {
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  last = performance.now();
  maxGap = 0;
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 5));
  maxGap = Math.max(maxGap, performance.now() - last);
  clearInterval(timer);
  return { ms, maxTaskMs: maxGap };
}

async function addImage(bytes: Uint8Array, shrinkImage: ShrinkImage): Promise<void> {
  const result = await readContextFile({ path: 'shots/screen.png', currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS, maxReadBytes: 32 * 1024 * 1024, shrinkImage }, async () => bytes);
  if (!result.ok || result.item.media?.width !== MAX_LONG_EDGE) throw new Error(`not downscaled: ${JSON.stringify(result.ok ? result.item.media?.width : result.refusal)}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-images-'));
  const script = join(dir, 'imageWorker.js');
  await esbuild.build({ entryPoints: ['src/platform/imageWorker.ts'], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'warning' });
  const png = screenshot();
  const downscaler = new ImageDownscaler(script);
  const onWorker: ShrinkImage = (bytes, type, w, h) => downscaler.downscale(bytes, type, w, h, MAX_LONG_EDGE);
  const onThread: ShrinkImage = async (bytes, type, w, h) => downscaleImage(bytes, type, w, h, MAX_LONG_EDGE);
  try {
    await addImage(png, onWorker); // warm-up: worker start and JIT
    await addImage(png, onThread);
    const worker: { ms: number; maxTaskMs: number }[] = [];
    const thread: { ms: number; maxTaskMs: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      worker.push(await measure(() => addImage(png, onWorker)));
      thread.push(await measure(() => addImage(png, onThread)));
    }
    const figures = {
      bench: 'images',
      downscaleMs: round(median(worker.map((r) => r.ms))),
      maxTaskMs: round(median(worker.map((r) => r.maxTaskMs))),
      targetTaskMs: TARGET_TASK_MS,
      baseline: { where: 'extension host thread', downscaleMs: round(median(thread.map((r) => r.ms))), maxTaskMs: round(median(thread.map((r) => r.maxTaskMs))) },
      image: { from: `${WIDTH}x${HEIGHT}`, to: `${MAX_LONG_EDGE}x${Math.round((HEIGHT * MAX_LONG_EDGE) / WIDTH)}`, pngBytes: png.length },
      runs: RUNS,
    };
    console.log(`downscale ${figures.image.from} -> ${figures.image.to} PNG (${png.length} bytes): ${figures.downscaleMs} ms in the worker, longest host task ${figures.maxTaskMs} ms (target < ${TARGET_TASK_MS}); on the host thread ${figures.baseline.downscaleMs} ms, blocking ${figures.baseline.maxTaskMs} ms`);
    console.log(JSON.stringify(figures));
  } finally {
    downscaler.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
