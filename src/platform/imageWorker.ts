/**
 * Entry of dist/imageWorker.js, a worker thread of its own: decoding and scaling a 12-megapixel
 * image takes hundreds of milliseconds of CPU, which on the extension host's thread would freeze
 * every extension for that long. The codecs (pngjs, jpeg-js) live in this bundle only.
 */
import { parentPort } from 'node:worker_threads';
import { downscaleImage } from '../core/media/downscale';
import type { DownscaleJob, DownscaleReply } from './imageDownscaler';

parentPort?.on('message', (job: DownscaleJob) => {
  let reply: DownscaleReply;
  try {
    const result = downscaleImage(job.bytes, job.mediaType, job.width, job.height, job.maxLongEdge);
    reply = { id: job.id, result };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  const result = reply.result;
  const transfer = result !== undefined ? [result.bytes.buffer as ArrayBuffer, ...(result.thumbnail !== undefined ? [result.thumbnail.bytes.buffer as ArrayBuffer] : [])] : [];
  parentPort?.postMessage(reply, transfer);
});
