/**
 * Images pasted into the composer and files dropped on the chat. The page only reads the bytes
 * (FileReader, in pieces: see {@link READ_PIECE_BYTES}) and posts them; the host decides what
 * they are and whether they may go (format from the bytes, the gate's read limit, the API's
 * limits). Files dragged from VS Code's explorer arrive as URIs, which the host adds through the
 * gate like any pick.
 */
import { MAX_DROPPED_URIS, MAX_MEDIA_DATA_CHARS } from '../../shared/protocol';
import type { HostApi } from '../api';
import { strings } from '../strings';

/** What a pasted or dropped file may be; the host checks the bytes again. */
const MEDIA_TYPES = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/;
const MEDIA_NAMES = /\.(png|jpe?g|gif|webp|pdf)$/i;
/** Larger files are refused here without reading them (the host's own limit is lower). */
const MAX_FILE_BYTES = Math.floor((MAX_MEDIA_DATA_CHARS / 4) * 3);
/** Mime types VS Code's explorer and the OS use for dragged file URIs. */
const URI_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

export interface MediaInputDeps {
  readonly api: HostApi;
  /** Shows why something was not taken (the composer's reason line). */
  readonly refuse: (message: string) => void;
}

function isMediaFile(file: File, pasted: boolean): boolean {
  if (pasted) return /^image\/(png|jpeg|gif|webp)$/.test(file.type);
  return MEDIA_TYPES.test(file.type) || MEDIA_NAMES.test(file.name);
}

/**
 * Bytes read and posted per piece: a multiple of 3, so each piece's base64 has no padding and the
 * pieces join into the base64 of the whole file. The browser reads off the main thread but
 * encodes a data URL on it when a read ends, and a post clones its data on it: a 12 MB file read
 * and posted whole is two ~50 ms tasks; in 384 KB pieces it is many tasks of a few ms each, and
 * the page keeps answering in between. The host joins the pieces.
 */
export const READ_PIECE_BYTES = 384 * 1024;

function readPiece(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/** Reads a file's base64 one piece at a time, handing each on as soon as it is read. */
export async function readBase64Pieces(file: Blob, onPiece: (data: string, index: number, last: boolean) => void, pieceBytes = READ_PIECE_BYTES): Promise<void> {
  for (let at = 0, index = 0; at < file.size; at += pieceBytes, index++) {
    const end = Math.min(file.size, at + pieceBytes);
    onPiece(await readPiece(file.slice(at, end)), index, end === file.size);
  }
}

let uploads = 0;

/** Posts each file's bytes; a file of another kind or too large is named in the reason instead. */
export async function postFiles(files: readonly File[], source: 'paste' | 'drop', deps: MediaInputDeps): Promise<number> {
  let posted = 0;
  for (const file of files) {
    const name = file.name || strings.media.pastedName;
    if (!isMediaFile(file, source === 'paste')) {
      deps.refuse(strings.media.notMedia(name));
      continue;
    }
    if (file.size > MAX_FILE_BYTES) {
      deps.refuse(strings.media.tooLarge(name));
      continue;
    }
    if (file.size === 0) continue;
    const id = `u${Date.now().toString(36)}-${++uploads}`;
    try {
      await readBase64Pieces(file, (data, index, last) => {
        // A file of one piece goes whole; the host joins the pieces of a larger one.
        const part = index === 0 && last ? {} : { part: { id, index, last } };
        deps.api.post({ type: 'addMediaData', source, name, data, ...part });
      });
      posted++;
    } catch {
      deps.refuse(strings.media.unreadable(name));
    }
  }
  return posted;
}

/**
 * Clipboard images go to the context; a clipboard that also holds text pastes that text (copying
 * cells or a rich-text selection brings a picture of it along, which is not what the user meant).
 */
export function onPaste(event: ClipboardEvent, deps: MediaInputDeps): void {
  const data = event.clipboardData;
  if (data === null || data.types.includes('text/plain')) return;
  const files = Array.from(data.files).filter((file) => file.type.startsWith('image/'));
  if (files.length === 0) return;
  event.preventDefault();
  void postFiles(files, 'paste', deps);
}

function droppedUris(data: DataTransfer): string[] {
  for (const type of URI_TYPES) {
    const text = data.getData(type);
    if (text === '') continue;
    return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#')).slice(0, MAX_DROPPED_URIS);
  }
  return [];
}

function carriesFiles(data: DataTransfer | null): boolean {
  return data !== null && (data.types.includes('Files') || URI_TYPES.some((type) => data.types.includes(type)));
}

/** Makes `target` take dropped files: URIs from the explorer, bytes from outside VS Code. */
export function acceptDrops(target: HTMLElement, deps: MediaInputDeps): void {
  let depth = 0;
  const setActive = (active: boolean): void => void target.classList.toggle('drop-active', active);
  target.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event.dataTransfer)) return;
    depth++;
    setActive(true);
  });
  target.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) setActive(false);
  });
  target.addEventListener('dragover', (event) => {
    if (!carriesFiles(event.dataTransfer)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  target.addEventListener('drop', (event) => {
    depth = 0;
    setActive(false);
    const data = event.dataTransfer;
    if (!carriesFiles(data) || data === null) return;
    event.preventDefault();
    const uris = droppedUris(data);
    if (uris.length > 0) return deps.api.post({ type: 'addDroppedUris', uris });
    void postFiles(Array.from(data.files), 'drop', deps);
  });
}
