import type { MediaSource } from './droppedMedia';
import { MAX_DROPPED_BASE64 } from './droppedMedia';

/** One `addMediaData` as the host received it (already narrowed by the protocol's parser). */
export interface MediaPiece {
  readonly source: MediaSource;
  readonly name: string;
  /** Base64: the whole file's, or (with `part`) one piece of it. */
  readonly data: string;
  /** Set when the webview posts a large file in pieces (each a few hundred KB, in order). */
  readonly part?: { readonly id: string; readonly index: number; readonly last: boolean };
}

/** A pasted or dropped file whose pieces have all arrived. */
export interface MediaUpload {
  readonly source: MediaSource;
  readonly name: string;
  readonly data: string;
}

interface Open {
  readonly source: MediaSource;
  readonly name: string;
  readonly pieces: string[];
  chars: number;
}

/**
 * Joins the pieces of a large pasted or dropped file. The webview posts one piece per message so
 * that no single post has to clone megabytes on its thread; the pieces are untrusted like every
 * message: they must come in order (messages from one webview do), the whole stays within the
 * API's request size, and only a couple of uploads are kept open at once (the webview sends one
 * file at a time; an upload it abandoned is dropped when newer ones start).
 */
export class MediaUploads {
  private readonly open = new Map<string, Open>();

  constructor(private readonly maxChars = MAX_DROPPED_BASE64, private readonly maxOpen = 2) {}

  /** The whole file when `piece` completes it (or is a whole file itself); undefined otherwise. */
  receive(piece: MediaPiece): MediaUpload | undefined {
    const part = piece.part;
    if (part === undefined) return { source: piece.source, name: piece.name, data: piece.data };
    let upload = this.open.get(part.id);
    if (part.index === 0) {
      this.open.delete(part.id);
      upload = { source: piece.source, name: piece.name, pieces: [], chars: 0 };
      this.open.set(part.id, upload);
      for (const id of this.open.keys()) {
        if (this.open.size <= this.maxOpen) break;
        this.open.delete(id); // the oldest first: a Map keeps insertion order
      }
    }
    // A piece out of order, or one too many, spoils the upload: what it would join is not the file.
    if (upload === undefined || part.index !== upload.pieces.length || upload.chars + piece.data.length > this.maxChars) {
      this.open.delete(part.id);
      return undefined;
    }
    upload.pieces.push(piece.data);
    upload.chars += piece.data.length;
    if (!part.last) return undefined;
    this.open.delete(part.id);
    return { source: upload.source, name: upload.name, data: upload.pieces.join('') };
  }

  /** Uploads waiting for more pieces (for tests). */
  get pending(): number {
    return this.open.size;
  }
}
