import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Downscaled } from '../core/media/downscale';
import type { ImageMediaType } from '../core/media/mediaFacts';

/** One image to scale, as posted to the worker. */
export interface DownscaleJob {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly mediaType: ImageMediaType;
  readonly width: number;
  readonly height: number;
  readonly maxLongEdge: number;
}

export interface DownscaleReply {
  readonly id: number;
  readonly result?: Downscaled;
  readonly error?: string;
}

/** The worker goes away after this long without work (it holds the codecs and their memory). */
const IDLE_MS = 30_000;

/**
 * Scales images down in a worker thread (dist/imageWorker.js), started on first use and stopped
 * when idle, so the extension host's thread only posts bytes and gets bytes back. A worker that
 * fails answers every waiting job with undefined: the image is then sent as it is.
 */
export class ImageDownscaler {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Downscaled | undefined) => void>();
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The worker script: dist/imageWorker.js beside the extension bundle by default. */
    private readonly script = join(__dirname, 'imageWorker.js'),
    private readonly execArgv?: string[],
  ) {}

  downscale(bytes: Uint8Array, mediaType: ImageMediaType, width: number, height: number, maxLongEdge: number): Promise<Downscaled | undefined> {
    const worker = this.start();
    const id = this.nextId++;
    clearTimeout(this.idle);
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      // A copy is posted (a Buffer's slice() would share memory): the caller keeps its bytes, sent as is if scaling fails.
      const job: DownscaleJob = { id, bytes: new Uint8Array(bytes), mediaType, width, height, maxLongEdge };
      worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
    });
  }

  dispose(): void {
    clearTimeout(this.idle);
    void this.worker?.terminate();
    this.worker = undefined;
    this.failAll();
  }

  private start(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(this.script, this.execArgv !== undefined ? { execArgv: this.execArgv } : {});
    worker.unref();
    worker.on('message', (reply: DownscaleReply) => {
      const resolve = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      resolve?.(reply.result !== undefined ? { ...reply.result, bytes: new Uint8Array(reply.result.bytes) } : undefined);
      if (this.waiting.size === 0) this.idle = setTimeout(() => this.dispose(), IDLE_MS);
    });
    const fail = (): void => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
    return worker;
  }

  private failAll(): void {
    for (const resolve of this.waiting.values()) resolve(undefined);
    this.waiting.clear();
  }
}
