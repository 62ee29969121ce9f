/**
 * Code blocks in an answer that say which file they are for, and where a block belongs in a file.
 *
 * A block names its file in the fence's info string (```ts src/app.ts, ```ts title="src/app.ts",
 * ```src/app.ts, ```ts:src/app.ts) or on the line just before the fence (`src/app.ts`,
 * **src/app.ts**, `File: src/app.ts`, `### src/app.ts`). The answer is the model's output, so
 * it is untrusted: a path is kept only when it is a plain relative path that stays inside the
 * folder it is resolved against (no absolute paths, no `..`, no drive letters, no `.git`).
 * Parsing is markdown-it's CommonMark, the same parser that renders the answer.
 */
import MarkdownIt from 'markdown-it';

export interface FileBlock {
  /** Workspace-relative, `/`-separated, as the answer wrote it (normalized). */
  readonly path: string;
  readonly code: string;
  readonly lang: string;
}

const parser = new MarkdownIt('commonmark');

/** Files a block may not target however the path is spelled. */
const FORBIDDEN_SEGMENTS = new Set(['.git', '.hg', '.svn']);

/** Why a path from an answer is refused, or undefined when it is a safe relative path. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0 || path.length > 400) return 'empty or too long';
  if ([...path].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return 'control characters';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path) || path.startsWith('~')) return 'not relative to the workspace';
  const segments = path.split(/[\\/]/);
  if (segments.some((segment) => segment === '..')) return 'leaves the workspace folder';
  if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment.toLowerCase()))) return 'inside version control metadata';
  if (segments.at(-1) === '' || segments.at(-1) === '.') return 'a folder, not a file';
  return undefined;
}

/** `./a//b.ts` → `a/b.ts`; undefined when it is not a safe relative file path. */
export function normalizeBlockPath(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (unsafePathReason(trimmed) !== undefined) return undefined;
  const path = trimmed.split(/[\\/]+/).filter((segment) => segment !== '.' && segment !== '').join('/');
  return path !== '' && unsafePathReason(path) === undefined ? path : undefined;
}

/** A token that looks like a file path: has an extension or a folder, no spaces, no URL scheme. */
function looksLikePath(text: string): boolean {
  if (!/^[\w@.\-/\\[\]()+]+$/.test(text) || /^[a-z]+:\/\//i.test(text)) return false;
  const base = text.split(/[\\/]/).at(-1) ?? '';
  return /\.[A-Za-z0-9]{1,10}$/.test(base) || (/[\\/]/.test(text) && base !== '') || /^(Makefile|Dockerfile|Rakefile|Gemfile|Procfile)$/.test(base);
}

/** The path named by a fence's info string, if any (the first word is the language otherwise). */
function pathFromInfo(info: string): string | undefined {
  const titled = /(?:title|file|filename|path)\s*=\s*"([^"]+)"|(?:title|file|filename|path)\s*=\s*(\S+)/.exec(info);
  if (titled) return titled[1] ?? titled[2];
  const words = info.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const colon = /^[\w+#-]+:(.+)$/.exec(first);
  if (colon?.[1] && looksLikePath(colon[1])) return colon[1];
  // "```src/app.ts" alone, or "```ts app.ts": a language name has neither an extension nor a folder.
  return words.slice(0, 2).find((word) => looksLikePath(word));
}

/** The path a paragraph or heading right before a fence names, if it names exactly one. */
function pathFromLead(text: string): string | undefined {
  // The paragraph's last line: "Three changes.\n`src/a.ts`" names src/a.ts.
  let line = (text.trim().split(/\r?\n/).at(-1) ?? '').trim().replace(/:$/, '').trim();
  line = line.replace(/^(?:file|path|in|update|create|new file|changes? (?:to|in))\s*:?\s+/i, '');
  // `path`, **path**, *path*, "path" (the markers must pair up).
  for (let unwrapped = /^(`|\*\*|\*|__|"|')(.+)\1$/.exec(line); unwrapped; unwrapped = /^(`|\*\*|\*|__|"|')(.+)\1$/.exec(line)) {
    line = (unwrapped[2] ?? '').replace(/:$/, '');
  }
  return looksLikePath(line) ? line : undefined;
}

/** The language a fence's info string names (its first word, unless that word is the path). */
function langOf(info: string, path: string): string {
  const first = info.trim().split(/\s+/)[0] ?? '';
  if (first === path) return '';
  return first.split(':')[0] ?? '';
}

/** Every fenced code block in `markdown` that names a safe relative file path, in order. */
export function fileBlocksOf(markdown: string): FileBlock[] {
  const tokens = parser.parse(markdown, {});
  const blocks: FileBlock[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'fence') continue;
    let raw = pathFromInfo(token.info);
    if (raw === undefined) {
      // paragraph_open, inline, paragraph_close (or heading_*) right before the fence.
      const before = tokens[i - 2];
      const closing = tokens[i - 1];
      if (before?.type === 'inline' && (closing?.type === 'paragraph_close' || closing?.type === 'heading_close')) raw = pathFromLead(before.content);
    }
    const path = raw === undefined ? undefined : normalizeBlockPath(raw);
    if (path === undefined) continue;
    blocks.push({ path, code: token.content, lang: langOf(token.info, raw ?? '') });
  }
  return blocks;
}

/** Lines [start, end] (0-based, inclusive) of a document that a block replaces. */
export interface LineRegion {
  readonly start: number;
  readonly end: number;
}

const norm = (line: string): string => line.trim();

/**
 * Where `code` belongs in `documentText` when the user selected nothing: the region that starts
 * at a line equal to the block's first line and ends at a line equal to its last line, chosen so
 * its length is closest to the block's. Undefined when the first line is not in the document, or
 * is there more than once (ambiguous), or no end follows it; the caller then asks or falls back.
 */
export function matchingRegion(documentText: string, code: string): LineRegion | undefined {
  const doc = documentText.split(/\r?\n/);
  const lines = code.replace(/\n$/, '').split(/\r?\n/);
  const first = lines.findIndex((line) => norm(line) !== '');
  const last = lines.length - 1 - [...lines].reverse().findIndex((line) => norm(line) !== '');
  if (first < 0) return undefined;
  const head = norm(lines[first] ?? '');
  const tail = norm(lines[last] ?? '');
  const starts = doc.flatMap((line, index) => (norm(line) === head ? [index] : []));
  if (starts.length !== 1) return undefined;
  const start = starts[0] ?? 0;
  const span = last - first;
  let best: number | undefined;
  for (let index = start; index < doc.length; index++) {
    if (norm(doc[index] ?? '') !== tail) continue;
    if (best === undefined || Math.abs(index - start - span) < Math.abs(best - start - span)) best = index;
    if (index - start > span * 3 + 20) break;
  }
  return best === undefined ? undefined : { start, end: best };
}
