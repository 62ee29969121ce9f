import { inflateSync } from 'node:zlib';
import { imageSize } from 'image-size';
import type { ImageMediaType } from './mediaFacts';

/** An image's format and size, read from its header (nothing is decoded). */
export interface ImageInfo {
  readonly mediaType: ImageMediaType;
  readonly width: number;
  readonly height: number;
}

const FORMATS: Readonly<Record<string, ImageMediaType>> = { png: 'image/png', jpg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

/**
 * The format and dimensions of a PNG, JPEG, GIF or WebP from its bytes (image-size reads the
 * headers); undefined for anything else or a header it cannot read.
 */
export function probeImage(bytes: Uint8Array): ImageInfo | undefined {
  let info: ReturnType<typeof imageSize>;
  try {
    info = imageSize(bytes);
  } catch {
    return undefined;
  }
  const mediaType = info.type !== undefined ? FORMATS[info.type] : undefined;
  if (mediaType === undefined || !(info.width > 0 && info.height > 0)) return undefined;
  return { mediaType, width: info.width, height: info.height };
}

const latin1 = new TextDecoder('latin1');
/** Object streams inflated at most, and their total size: a hostile file cannot make us inflate gigabytes. */
const MAX_OBJECT_STREAMS = 2000;
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/**
 * The number of pages of a PDF, read from its page tree: the `/Count` of the root `/Pages` node
 * (the largest count, since a node counts the leaves below it), whether the node is a plain object
 * or sits in a compressed object stream (PDF 1.5+). When there is no page tree to read, the
 * `/Type /Page` objects are counted. Undefined for bytes that are not a PDF or hold no page.
 */
export function countPdfPages(bytes: Uint8Array): number | undefined {
  if (!startsWithPdfHeader(bytes)) return undefined;
  const text = latin1.decode(bytes);
  const bodies = [...plainObjects(text), ...objectStreamObjects(bytes, text)];
  // An incremental update appends a newer version of an object: the last one of each number counts.
  const counts = new Map<string, number>();
  let leaves = 0;
  for (const { id, body } of bodies) {
    if (/\/Type\s*\/Pages(?![A-Za-z0-9])/.test(body)) {
      const count = /\/Count\s+(\d{1,7})(?!\d)/.exec(body);
      if (count?.[1] !== undefined) counts.set(id, Number(count[1]));
    } else if (/\/Type\s*\/Page(?![A-Za-z0-9])/.test(body)) {
      leaves++;
    }
  }
  const tree = counts.size > 0 ? Math.max(...counts.values()) : 0;
  const pages = tree > 0 ? tree : leaves;
  return pages > 0 ? pages : undefined;
}

function startsWithPdfHeader(bytes: Uint8Array): boolean {
  // The header may follow a little junk (up to 1 KB, as readers allow).
  const head = latin1.decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

interface PdfObject {
  readonly id: string;
  readonly body: string;
}

/** `N G obj ... endobj` objects written out in the file (their streams' bytes included, unread). */
function plainObjects(text: string): PdfObject[] {
  const objects: PdfObject[] = [];
  const pattern = /(\d{1,10})\s+(\d{1,5})\s+obj\b/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    // Only the dictionary matters for the page tree: cut at the stream's data.
    const stream = body.indexOf('stream');
    objects.push({ id: `${match[1]} ${match[2]}`, body: stream >= 0 ? body.slice(0, stream) : body });
    pattern.lastIndex = end;
  }
  return objects;
}

/** The objects packed in `/Type /ObjStm` streams (Flate-compressed or not). */
function objectStreamObjects(bytes: Uint8Array, text: string): PdfObject[] {
  const objects: PdfObject[] = [];
  const pattern = /\/Type\s*\/ObjStm(?![A-Za-z0-9])/g;
  let inflated = 0;
  let streams = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null && streams++ < MAX_OBJECT_STREAMS) {
    const dictStart = text.lastIndexOf('obj', match.index);
    const streamKeyword = text.indexOf('stream', match.index);
    if (dictStart < 0 || streamKeyword < 0) continue;
    const dict = text.slice(dictStart, streamKeyword);
    let dataStart = streamKeyword + 'stream'.length;
    if (text[dataStart] === '\r') dataStart++;
    if (text[dataStart] === '\n') dataStart++;
    const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    const dataEnd = length?.[1] !== undefined && dataStart + Number(length[1]) <= bytes.length ? dataStart + Number(length[1]) : text.indexOf('endstream', dataStart);
    if (dataEnd < 0) continue;
    const raw = bytes.subarray(dataStart, dataEnd);
    let content: Uint8Array;
    if (/\/Filter\s*(\[\s*)?\/FlateDecode/.test(dict)) {
      try {
        content = inflateSync(raw, { maxOutputLength: MAX_INFLATED_BYTES - inflated });
      } catch {
        continue;
      }
    } else if (/\/Filter/.test(dict)) {
      continue; // another filter: not one a page tree is stored with in practice
    } else {
      content = raw;
    }
    inflated += content.length;
    objects.push(...splitObjectStream(latin1.decode(content), dict));
    if (inflated >= MAX_INFLATED_BYTES) break;
    pattern.lastIndex = dataEnd;
  }
  return objects;
}

/** An object stream starts with `N` pairs (object number, offset from `/First`), then the objects. */
function splitObjectStream(content: string, dict: string): PdfObject[] {
  const n = Number(/\/N\s+(\d+)/.exec(dict)?.[1] ?? NaN);
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? NaN);
  if (!Number.isInteger(n) || !Number.isInteger(first) || first > content.length) return [];
  const numbers = content.slice(0, first).trim().split(/\s+/).map(Number);
  const objects: PdfObject[] = [];
  for (let i = 0; i < n && 2 * i + 1 < numbers.length; i++) {
    const id = numbers[2 * i];
    const offset = numbers[2 * i + 1];
    const next = 2 * i + 3 < numbers.length ? numbers[2 * i + 3] : undefined;
    if (id === undefined || offset === undefined || !Number.isInteger(id) || !Number.isInteger(offset)) break;
    const end = next !== undefined && Number.isInteger(next) ? first + next : content.length;
    objects.push({ id: `${id} 0`, body: content.slice(first + offset, end) });
  }
  return objects;
}
