/**
 * The pure checks of `npm run publish:check`: what the VS Code Marketplace (vsce) and Open VSX
 * (ovsx) refuse or warn about, decided from data the runner gathers (the manifest, the file list
 * of the package, its size, npm's JSON). No I/O here, so each rule is unit-tested.
 */
import { secretPathHit } from '../../src/core/egress/secretPaths';

export type Outcome = 'pass' | 'fail' | 'warn';

export interface CheckResult {
  readonly name: string;
  readonly outcome: Outcome;
  readonly detail: string;
}

const pass = (name: string, detail = ''): CheckResult => ({ name, outcome: 'pass', detail });
const fail = (name: string, detail: string): CheckResult => ({ name, outcome: 'fail', detail });
const warn = (name: string, detail: string): CheckResult => ({ name, outcome: 'warn', detail });

/** The Marketplace's categories (vsce rejects any other). */
export const MARKETPLACE_CATEGORIES: readonly string[] = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs',
  'Linters', 'Machine Learning', 'Notebooks', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes',
  'Visualization', 'Other',
];

/** Semantic versioning as the Marketplace takes it: major.minor.patch, no pre-release tag. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** Publisher and extension names: lowercase letters, digits and hyphens (Open VSX namespaces too). */
const NAME = /^[a-z0-9][a-z0-9-]*$/;
/** The smallest icon the Marketplace shows sharply. */
export const MIN_ICON_PX = 128;

/** What the runner found out about files the manifest names. */
export interface ManifestFiles {
  /** Size of a PNG, or undefined when the file is missing or not a PNG. */
  png(path: string): { readonly width: number; readonly height: number } | undefined;
  exists(path: string): boolean;
  /** The URLs of the checkout's git remotes (`git remote -v`), to confirm the repository URL with. */
  readonly gitRemotes?: readonly string[];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function repositoryUrl(repository: unknown): string | undefined {
  if (typeof repository === 'string') return text(repository);
  if (typeof repository === 'object' && repository !== null) return text((repository as { url?: unknown }).url);
  return undefined;
}

/** `git@github.com:o/r.git`, `https://github.com/o/r/` and `git+https://github.com/O/r.git` as one comparable form. */
export function normalizeRepositoryUrl(url: string): string {
  return url
    .trim()
    .replace(/^git\+/, '')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/^(ssh|git):\/\/(git@)?/, 'https://')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

/**
 * The repository URL is public on the Marketplace page and is where vsce points the README's
 * relative links, so a guessed one is worse than none. It passes when a git remote of this
 * checkout names it; otherwise it is a warning that says so (nobody has confirmed it is real).
 */
export function checkRepository(repository: string | undefined, gitRemotes: readonly string[] | undefined): CheckResult {
  if (repository === undefined || !/^https:\/\//.test(repository)) return fail('repository', 'missing, or not an https URL');
  const wanted = normalizeRepositoryUrl(repository);
  if ((gitRemotes ?? []).some((remote) => normalizeRepositoryUrl(remote) === wanted)) return pass('repository', `${repository} (a git remote of this checkout)`);
  const remotes = gitRemotes === undefined || gitRemotes.length === 0 ? 'this checkout has no git remote' : `the git remotes are ${gitRemotes.join(', ')}`;
  return warn(
    'repository',
    `${repository} is not confirmed: ${remotes}. Make sure it is the extension's public repository before publishing (the Marketplace links to it and rewrites the README's relative links from it).`,
  );
}

/** The manifest fields both registries need, the icon, the license file and activation. */
export function checkManifest(manifest: Record<string, unknown>, files: ManifestFiles): CheckResult[] {
  const results: CheckResult[] = [];
  const publisher = text(manifest.publisher);
  results.push(publisher && NAME.test(publisher) ? pass('publisher', publisher) : fail('publisher', 'missing, or not lowercase letters, digits and hyphens'));
  const name = text(manifest.name);
  results.push(name && NAME.test(name) ? pass('name', name) : fail('name', 'missing, or not lowercase letters, digits and hyphens'));
  for (const field of ['displayName', 'description'] as const) {
    results.push(text(manifest[field]) ? pass(field) : fail(field, 'missing'));
  }
  const version = text(manifest.version);
  results.push(version && SEMVER.test(version) ? pass('version', version) : fail('version', `"${String(manifest.version)}" is not major.minor.patch`));
  const engine = text((manifest.engines as { vscode?: unknown } | undefined)?.vscode);
  results.push(engine && /^\^?\d+\.\d+\.\d+$/.test(engine) ? pass('engines.vscode', engine) : fail('engines.vscode', `"${String(engine)}" is not a version range like ^1.95.0`));

  const icon = text(manifest.icon);
  if (icon === undefined) results.push(fail('icon', 'missing'));
  else if (!icon.toLowerCase().endsWith('.png')) results.push(fail('icon', `${icon}: the Marketplace takes a PNG, not SVG`));
  else {
    const size = files.png(icon);
    if (size === undefined) results.push(fail('icon', `${icon} is missing or not a PNG`));
    else if (size.width < MIN_ICON_PX || size.height < MIN_ICON_PX) results.push(fail('icon', `${icon} is ${size.width}x${size.height}; at least ${MIN_ICON_PX}x${MIN_ICON_PX}`));
    else results.push(pass('icon', `${icon} ${size.width}x${size.height}`));
  }

  const repository = repositoryUrl(manifest.repository);
  results.push(checkRepository(repository, files.gitRemotes));
  const license = text(manifest.license);
  const licenseFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].find((file) => files.exists(file));
  results.push(license && licenseFile ? pass('license', `${license}, ${licenseFile}`) : fail('license', license ? 'no LICENSE file (Open VSX requires one)' : 'no "license" field'));

  const categories = Array.isArray(manifest.categories) ? manifest.categories.filter((c): c is string => typeof c === 'string') : [];
  const unknown = categories.filter((c) => !MARKETPLACE_CATEGORIES.includes(c));
  results.push(categories.length === 0 ? fail('categories', 'none') : unknown.length > 0 ? fail('categories', `not Marketplace categories: ${unknown.join(', ')}`) : pass('categories', categories.join(', ')));

  const activation = Array.isArray(manifest.activationEvents) ? manifest.activationEvents : [];
  results.push(activation.includes('*') ? fail('activationEvents', '"*" activates on every start; use specific events') : pass('activationEvents', activation.join(', ') || 'implicit'));
  return results;
}

/** Why a file should not be in the package, or undefined when it may be. */
export function unwantedInPackage(path: string): string | undefined {
  const clean = path.replace(/\\/g, '/').replace(/^extension\//, '');
  if (/\.map$/i.test(clean)) return 'a source map';
  if (/(^|\/)node_modules\//.test(clean)) return 'node_modules (the bundle has the libraries)';
  if (/(^|\/)(test|tests|test-results|bench|\.vscode-test)\//.test(clean) || /\.test\.[cm]?[jt]s$/.test(clean)) return 'a test or benchmark';
  if (/^src\//.test(clean) || /\.ts$/.test(clean)) return 'source (the bundle is shipped)';
  if (/\.vsix$/i.test(clean)) return 'a package';
  const secret = secretPathHit(clean);
  if (secret !== undefined) return `a secret by name (${secret.pattern})`;
  return undefined;
}

/** The `vsce ls` list against what must never ship. */
export function checkContents(paths: readonly string[], required: readonly string[]): CheckResult[] {
  const bad = paths.flatMap((path) => {
    const why = unwantedInPackage(path);
    return why === undefined ? [] : [`${path} (${why})`];
  });
  const missing = required.filter((file) => !paths.includes(file));
  return [
    bad.length === 0 ? pass('contents', `${paths.length} files`) : fail('contents', bad.join('; ')),
    missing.length === 0 ? pass('required files', required.join(', ')) : fail('required files', `not packaged: ${missing.join(', ')}`),
  ];
}

/** The .vsix against its budget, and the README's "about N KB" against the real size. */
export function checkSize(bytes: number, budgetBytes: number, readme: string): CheckResult[] {
  const kb = Math.round(bytes / 1024);
  const results = [bytes <= budgetBytes ? pass('vsix size', `${kb} KB of ${Math.round(budgetBytes / 1024)} KB`) : fail('vsix size', `${kb} KB is over the ${Math.round(budgetBytes / 1024)} KB budget`)];
  const stated = /claude-studio\.vsix \(about (\d+) KB\)/.exec(readme);
  if (stated === null) results.push(warn('README size', 'the README does not state the .vsix size'));
  else {
    const claimed = Number(stated[1]);
    results.push(Math.abs(claimed - kb) <= Math.max(10, kb * 0.05) ? pass('README size', `says about ${claimed} KB`) : fail('README size', `says about ${claimed} KB, the package is ${kb} KB`));
  }
  return results;
}

/**
 * README images: vsce refuses SVG and plain-http images; a relative image shows on the
 * Marketplace only when vsce rewrites it from the repository URL (the package script keeps links
 * as written with --no-rewrite-relative-links, so it is a warning to look at).
 */
export function checkReadmeImages(readme: string): CheckResult {
  const sources = [...readme.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)/g), ...readme.matchAll(/<img[^>]+src=["']([^"']+)/gi)].map((m) => m[1] ?? '');
  const insecure = sources.filter((src) => /^http:\/\//i.test(src));
  const svg = sources.filter((src) => /\.svg(\?|#|$)/i.test(src));
  if (insecure.length > 0 || svg.length > 0) return fail('README images', [...insecure.map((s) => `${s} (http)`), ...svg.map((s) => `${s} (SVG)`)].join('; '));
  const relative = sources.filter((src) => !/^(https:|data:)/i.test(src));
  if (relative.length > 0) return warn('README images', `relative, shown on the Marketplace only through the repository URL: ${relative.join(', ')}`);
  return pass('README images', `${sources.length} https`);
}

/** The production dependency tree of `npm ls --omit=dev --json`, as `name@version` lines. */
export function bundledLibraries(npmLs: unknown): string[] {
  const deps = (npmLs as { dependencies?: Record<string, { version?: string }> } | undefined)?.dependencies ?? {};
  return Object.entries(deps).map(([name, info]) => `${name}@${info.version ?? '?'}`).sort();
}

/**
 * `npm audit --omit=dev --json`: a finding at high or critical fails; one the endpoint could not
 * give (a mirror without the audit API, no network) is a warning that says so, never a pass.
 */
export function checkAudit(exitCode: number, stdout: string): CheckResult {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    return warn('npm audit', `no JSON from npm audit (exit ${exitCode}): the audit was not done`);
  }
  const r = report as { message?: unknown; error?: { summary?: unknown }; metadata?: { vulnerabilities?: Record<string, number>; dependencies?: { prod?: number } } };
  const vulnerabilities = r.metadata?.vulnerabilities;
  if (vulnerabilities === undefined) {
    const why = text(r.message) ?? text(r.error?.summary) ?? `exit ${exitCode}`;
    return warn('npm audit', `the audit endpoint could not be used, so nothing was checked: ${why}`);
  }
  const counts = Object.entries(vulnerabilities).filter(([, n]) => n > 0).map(([level, n]) => `${n} ${level}`);
  const serious = (vulnerabilities.high ?? 0) + (vulnerabilities.critical ?? 0);
  const prod = r.metadata?.dependencies?.prod;
  const scope = prod !== undefined ? `${prod} production packages` : 'production packages';
  if (serious > 0) return fail('npm audit', `${counts.join(', ')} in ${scope}`);
  return counts.length > 0 ? warn('npm audit', `${counts.join(', ')} in ${scope}`) : pass('npm audit', `no known vulnerabilities in ${scope}`);
}

/** The width and height of a PNG from its header, or undefined when it is not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The first chunk is IHDR: width and height are its first two big-endian words.
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
