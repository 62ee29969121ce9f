import * as l10n from '@vscode/l10n';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { isVcsPath, secretFolderHit, secretPathHit } from '../egress/secretPaths';
import { mediaOfPath } from '../media/mediaFacts';

/**
 * What is never sent to Claude unless the user overrides it for one file: secrets, files the
 * workspace ignores (.gitignore, files.exclude, claudeStudio.context.exclude) and binaries.
 * Paths are workspace-relative with forward slashes.
 */
export type ExclusionReason =
  | 'secret' | 'gitignore' | 'filesExclude' | 'setting' | 'binary' | 'vcs' | 'outside' | 'secretContent' | 'tooLarge' | 'loop' | 'tooDeep'
  /** An image or PDF found by expanding a folder: those cost real tokens, so only a file picked by name is added. */
  | 'mediaInFolder';

export interface Exclusion {
  readonly reason: ExclusionReason;
  /** The rule that matched (or, for `outside`, where the link leads; for `secretContent`, what was found), for the message. */
  readonly pattern?: string;
  /** Set when the rule matched the real path behind a symlink rather than the path itself. */
  readonly via?: string;
}

/** The one list of secret names and paths lives with the egress gate; re-exported for old callers. */
export { DEFAULT_SECRET_PATTERNS } from '../egress/secretPaths';

/** Extensions that are binary whatever their bytes say (read no further). */
const BINARY_EXTENSIONS: ReadonlySet<string> = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'webp', 'tiff', 'psd', 'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar',
  'jar', 'war', 'class', 'exe', 'dll', 'so', 'dylib', 'o', 'a', 'lib', 'obj', 'bin', 'wasm', 'pyc', 'pyo',
  'mp3', 'mp4', 'wav', 'ogg', 'flac', 'mov', 'avi', 'mkv', 'webm', 'ttf', 'otf', 'woff', 'woff2', 'eot',
  'sqlite', 'db', 'vsix', 'node', 'iso', 'dmg',
]);

/** A `.gitignore` and the folder it sits in ('' for the workspace root). */
export interface IgnoreFile {
  readonly dir: string;
  readonly content: string;
}

export interface ExclusionConfig {
  /** `claudeStudio.context.exclude`: gitignore-syntax globs. */
  readonly userPatterns?: readonly string[];
  /** `files.exclude` globs that are switched on. */
  readonly filesExclude?: readonly string[];
  readonly gitignores?: readonly IgnoreFile[];
  /** Default true. */
  readonly respectGitignore?: boolean;
}

/** Messages the user reads when something is left out. */
export function describeExclusion(exclusion: Exclusion): string {
  const pattern = exclusion.pattern;
  const via = exclusion.via;
  // The rule that matched, and the link that led to it: " (rule, it links to x)", " (rule)", " (it links to x)" or "".
  const rule =
    pattern !== undefined && via !== undefined ? l10n.t(' ({0}, it links to {1})', pattern, via)
    : pattern !== undefined ? ` (${pattern})`
    : via !== undefined ? l10n.t(' (it links to {0})', via)
    : '';
  switch (exclusion.reason) {
    case 'outside':
      return pattern !== undefined ? l10n.t('links outside the workspace (to {0})', pattern) : l10n.t('links outside the workspace');
    case 'secretContent':
      return pattern !== undefined ? l10n.t('holds {0}', pattern) : l10n.t('holds what looks like a secret');
    case 'tooLarge':
      return pattern !== undefined ? l10n.t('too large to read ({0})', pattern) : l10n.t('too large to read');
    case 'loop':
      return via !== undefined ? l10n.t('a symlink loop (it links to {0})', via) : l10n.t('a symlink loop');
    case 'tooDeep':
      return pattern !== undefined ? l10n.t('nested too deep (over {0} folders)', pattern) : l10n.t('nested too deep');
    case 'secret':
      return l10n.t('may hold secrets{0}', rule);
    case 'gitignore':
      return l10n.t('ignored by .gitignore{0}', rule);
    case 'filesExclude':
      return l10n.t('hidden by files.exclude{0}', rule);
    case 'setting':
      return l10n.t('excluded by claudeStudio.context.exclude{0}', rule);
    case 'binary':
      return l10n.t('binary file');
    case 'mediaInFolder':
      return l10n.t('an image or PDF inside a picked folder (add it by itself to send it)');
    case 'vcs':
      return l10n.t('version-control data');
  }
}

function matcher(patterns: readonly string[]): Ignore | undefined {
  const clean = patterns.filter((pattern) => typeof pattern === 'string' && pattern.trim() !== '');
  return clean.length > 0 ? ignore().add(clean) : undefined;
}

/** The pattern of `ig` that decides `path`, when it ignores it. */
function matched(ig: Ignore | undefined, path: string): { ignored: boolean; pattern?: string } {
  if (ig === undefined || path === '') return { ignored: false };
  const result = ig.test(path);
  return result.ignored ? { ignored: true, ...(result.rule?.pattern !== undefined ? { pattern: result.rule.pattern } : {}) } : { ignored: false };
}

/** Every ancestor folder of a path, shallowest first, each with a trailing slash (as `ignore` wants). */
function ancestors(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(`${parts.slice(0, i).join('/')}/`);
  return out;
}

/**
 * The exclusion rules of one workspace. `check` is cheap (compiled once) so folder expansion can
 * call it for thousands of paths.
 */
export class ExclusionRules {
  private readonly user: Ignore | undefined;
  private readonly filesExclude: Ignore | undefined;
  private readonly gitignores: { dir: string; ig: Ignore }[];
  private readonly folderCache = new Map<string, Hits>();

  constructor(config: ExclusionConfig = {}) {
    this.user = matcher(config.userPatterns ?? []);
    this.filesExclude = matcher(config.filesExclude ?? []);
    this.gitignores = config.respectGitignore === false
      ? []
      : (config.gitignores ?? []).map((file) => ({ dir: file.dir.replace(/\/+$/, ''), ig: ignore().add(file.content) }));
  }

  /** Why `path` (a file) must not be sent, or undefined when it may. Binary content is checked separately. */
  check(path: string): Exclusion | undefined {
    const clean = normalize(path);
    if (clean === undefined) return { reason: 'setting', pattern: path };
    if (isVcsPath(clean)) return { reason: 'vcs' };
    const secret = secretPathHit(clean);
    if (secret !== undefined) return { reason: 'secret', pattern: secret.pattern };
    return this.ruleFor([...ancestors(clean), clean]);
  }

  /** A folder excluded as a whole, so expansion need not walk into it. */
  checkFolder(path: string): Exclusion | undefined {
    const clean = normalize(path)?.replace(/\/+$/, '');
    if (clean === undefined) return { reason: 'setting', pattern: path };
    if (clean === '') return undefined;
    if (isVcsPath(clean)) return { reason: 'vcs' };
    const secret = secretFolderHit(clean);
    if (secret !== undefined) return { reason: 'secret', pattern: secret.pattern };
    return this.ruleFor([...ancestors(clean), `${clean}/`]);
  }

  /** The first rule that ignores one of `candidates` (a path and its folders, shallowest first). */
  private ruleFor(candidates: readonly string[]): Exclusion | undefined {
    const hits = candidates.map((candidate) => (candidate.endsWith('/') ? this.folderHits(candidate) : this.hitsFor(candidate)));
    // The user's own rules (the setting, files.exclude) name the reason before .gitignore does.
    return hits.find((hit) => hit.rule !== undefined)?.rule ?? hits.find((hit) => hit.git !== undefined)?.git;
  }

  /** Folders repeat for every file in them: each is matched once per rule set. */
  private folderHits(folder: string): Hits {
    let hits = this.folderCache.get(folder);
    if (hits === undefined) {
      hits = this.hitsFor(folder);
      if (this.folderCache.size > 50_000) this.folderCache.clear();
      this.folderCache.set(folder, hits);
    }
    return hits;
  }

  private hitsFor(candidate: string): Hits {
    let rule: Exclusion | undefined;
    for (const [ig, reason] of [[this.user, 'setting'], [this.filesExclude, 'filesExclude']] as const) {
      const hit = matched(ig, candidate);
      if (hit.ignored) {
        rule = { reason, ...(hit.pattern ? { pattern: hit.pattern } : {}) };
        break;
      }
    }
    let git: Exclusion | undefined;
    for (const { dir, ig } of this.gitignores) {
      if (dir !== '' && !candidate.startsWith(`${dir}/`)) continue;
      const hit = matched(ig, dir === '' ? candidate : candidate.slice(dir.length + 1));
      if (hit.ignored) {
        git = { reason: 'gitignore', ...(hit.pattern ? { pattern: hit.pattern } : {}) };
        break;
      }
    }
    return { ...(rule !== undefined ? { rule } : {}), ...(git !== undefined ? { git } : {}) };
  }
}

interface Hits {
  readonly rule?: Exclusion;
  readonly git?: Exclusion;
}

/** Forward slashes, no leading `./` or `/`; undefined for a path that climbs out (`..`). */
function normalize(path: string): string | undefined {
  const clean = path.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/^\/+/, '');
  if (clean.split('/').some((part) => part === '..')) return undefined;
  return clean;
}

/** True for a name whose extension is always binary. */
export function hasBinaryExtension(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && BINARY_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}

/**
 * True for a binary file that is never sent: every binary extension but the images and PDFs Claude
 * reads (PNG, JPEG, GIF, WebP, PDF), which go out as image and document blocks.
 */
export function isNeverSentBinary(path: string): boolean {
  return hasBinaryExtension(path) && mediaOfPath(path) === undefined;
}

/**
 * Binary sniffing as git does it: a NUL byte in the first 8000 bytes. UTF-16 text would trip it
 * too, which is fine: it would not be sent well as UTF-8 text either.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8000);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** `files.exclude` is an object of glob -> boolean (or a `when` clause): the globs switched on. */
export function enabledGlobs(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}
