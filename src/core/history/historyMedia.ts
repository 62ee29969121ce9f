import { createHash } from 'node:crypto';
import type { Conversation, Turn } from '../chat/conversation';
import type { ContextBlock, ContextBlockMedia } from '../context/contextSet';
import type { MediaType } from '../media/mediaFacts';
import type { HistoryProblem } from './historyLog';
import { historyMessages as msg } from './historyMessages';

/**
 * Images and PDFs of conversations live beside the logs, each once, in a file named by the
 * SHA-256 of its bytes (`media/<sha256>.png`): a screenshot sent in ten conversations is stored
 * once, a log line holds a 64-character reference instead of megabytes of base64, and the bytes
 * read back are checked against their name, so a restored conversation sends exactly what the
 * first one did.
 */

/** Media taken out of records being encoded, to be written as files before the records are. */
export type MediaStash = Map<string, { readonly bytes: Uint8Array; readonly mediaType: MediaType }>;

const EXTENSIONS: Readonly<Record<MediaType, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'application/pdf': 'pdf' };
export const SHA256 = /^[0-9a-f]{64}$/;

/** `<sha256>.png`: the file name of stored media. */
export function mediaFileName(sha256: string, mediaType: MediaType): string {
  return `${sha256}.${EXTENSIONS[mediaType]}`;
}

const MEDIA_FILE = new RegExp(`^([0-9a-f]{64})\\.(?:${Object.values(EXTENSIONS).join('|')})$`);

/** The hash a stored media file is named by; undefined for any other name (a temp file, say). */
export function mediaFileHash(name: string): string | undefined {
  return MEDIA_FILE.exec(name)?.[1];
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A JSON.stringify replacer that moves each context block's media bytes into `stash` and leaves
 * `{ ..., sha256 }` in their place (no `data`).
 */
export function stashingReplacer(stash: MediaStash): (key: string, value: unknown) => unknown {
  return (key, value) => {
    if (key !== 'media' || typeof value !== 'object' || value === null) return value;
    const media = value as ContextBlockMedia;
    if (typeof media.data !== 'string' || media.data === '') return value;
    const bytes = new Uint8Array(Buffer.from(media.data, 'base64'));
    const sha256 = sha256Of(bytes);
    stash.set(sha256, { bytes, mediaType: media.mediaType });
    const { data: _data, ...rest } = media;
    return { ...rest, sha256 };
  };
}

/** Whether any turn of a record carries media (most records do not: they are encoded plainly). */
export function hasMedia(turn: Turn | undefined): boolean {
  return turn?.kind === 'user' && (turn.context?.some((block) => block.media !== undefined) ?? false);
}

/**
 * Reads back the media of every turn that holds references: bytes whose hash matches their name
 * become the block's base64 again. A missing or altered file cannot be sent as it was: the block
 * keeps its caption, loses its media, and the problem is reported.
 */
export async function loadMedia(conversation: Conversation, read: (sha256: string, mediaType: MediaType) => Promise<Uint8Array>): Promise<HistoryProblem[]> {
  const problems: HistoryProblem[] = [];
  const cache = new Map<string, string | undefined>();
  for (const [id, turn] of conversation.turns) {
    if (turn.kind !== 'user' || turn.context?.some((block) => block.media?.sha256 !== undefined) !== true) continue;
    const context: ContextBlock[] = [];
    for (const block of turn.context) {
      const media = block.media;
      if (media?.sha256 === undefined) {
        context.push(block);
        continue;
      }
      const sha256 = media.sha256;
      if (!cache.has(sha256)) {
        const bytes = await read(sha256, media.mediaType).catch(() => undefined);
        cache.set(sha256, bytes !== undefined && sha256Of(bytes) === sha256 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : undefined);
      }
      const data = cache.get(sha256);
      const { sha256: _ref, ...rest } = media;
      if (data !== undefined) context.push({ ...block, media: { ...rest, data } });
      else {
        problems.push({ line: 0, message: msg.mediaMissing(block.label) });
        context.push({ label: block.label, text: block.text });
      }
    }
    conversation.turns.set(id, { ...turn, context });
  }
  return problems;
}
