import * as l10n from '@vscode/l10n';
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { extraSecretHits } from './extraSecretRules';

/**
 * secretlint 12 puts about 100 marks a scan on Node's global performance timeline and keeps each
 * of them (and a copy in its profiler) for the life of the process: 25 MB of heap every thousand
 * scans in the extension host, never freed, and 2 to 3 ms of every 1 MB scan. Nothing here reads
 * the profile, so marking is off. `@secretlint/profiler` is pinned to the version `@secretlint/core`
 * uses, so this is the instance it marks. (secretlint 13 has `setEnabled(false)` but needs Node 22.)
 */
secretLintProfiler.mark = (): void => undefined;

/** One secret found in text: what it looks like and where (1-based line). */
export interface SecretHit {
  readonly rule: string;
  /** "a private key", "an AWS access key": for "holds … on line N". */
  readonly label: string;
  readonly line: number;
}

/**
 * secretlint's maintained recommended rules (private keys, AWS, GCP, GitHub, GitLab, Slack,
 * npm, Anthropic, OpenAI, database connection strings with passwords, basic auth in URLs, …).
 * Its comment filter is off: `secretlint-disable` in a hostile file must not hide a key.
 */
const CONFIG: SecretLintCoreConfig = {
  // Registered one by one: secretlint 12 ignores `disabled` on a rule inside a preset.
  rules: recommended.rules
    .filter((rule) => rule.meta.id !== '@secretlint/secretlint-rule-filter-comments')
    .map((rule) => ({ id: rule.meta.id, rule: rule as SecretLintCoreConfig['rules'][number]['rule'] }) as SecretLintCoreConfig['rules'][number]),
};

/** Read when a hit is made, so they are in the display language. */
const LABELS: Readonly<Record<string, () => string>> = {
  privatekey: () => l10n.t('a private key'),
  'secp256k1-privatekey': () => l10n.t('a private key'),
  aws: () => l10n.t('an AWS credential'),
  'aws-access-key-id': () => l10n.t('an AWS access key'),
  gcp: () => l10n.t('a Google Cloud credential'),
  'google-api-key': () => l10n.t('a Google API key'),
  github: () => l10n.t('a GitHub token'),
  gitlab: () => l10n.t('a GitLab token'),
  slack: () => l10n.t('a Slack token'),
  npm: () => l10n.t('an npm token'),
  anthropic: () => l10n.t('an Anthropic API key'),
  openai: () => l10n.t('an OpenAI API key'),
  sendgrid: () => l10n.t('a SendGrid key'),
  'database-connection-string': () => l10n.t('a connection string with a password'),
  basicauth: () => l10n.t('a password in a URL'),
  'stripe-key': () => l10n.t('a Stripe key'),
  jwt: () => l10n.t('a JSON Web Token'),
  'azure-storage-key': () => l10n.t('an Azure storage key'),
  'secret-assignment': () => l10n.t('a secret-looking value'),
};

function labelOf(rule: string): string {
  const short = rule.replace(/^@secretlint\/secretlint-rule-/, '');
  return LABELS[short]?.() ?? l10n.t('a credential ({0})', short);
}

/** 1-based line of each offset; offsets sorted first, so the text is walked once. */
function linesOf(text: string, offsets: readonly number[]): Map<number, number> {
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const lines = new Map<number, number>();
  let line = 1;
  let from = 0;
  for (const offset of sorted) {
    for (let at = text.indexOf('\n', from); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
      line++;
      from = at + 1;
    }
    lines.set(offset, line);
  }
  return lines;
}

/**
 * Looks for well-known secret formats in text about to leave the machine. Pure (no I/O); async
 * only because secretlint's rules are. Hits are sorted by line, one per rule and line.
 */
export async function scanSecrets(text: string, fileName = 'content.txt'): Promise<SecretHit[]> {
  if (text.length === 0) return [];
  const raw: { index: number; rule: string; line?: number }[] = extraSecretHits(text);
  const result = await lintSource({
    source: { filePath: `/${fileName.replace(/^\/+/, '')}`, content: text, ext: extensionOf(fileName), contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  for (const message of result.messages) raw.push({ index: message.range[0], rule: message.ruleId, line: message.loc.start.line });
  const lines = linesOf(text, raw.filter((hit) => hit.line === undefined).map((hit) => hit.index));
  const seen = new Set<string>();
  const hits: SecretHit[] = [];
  for (const hit of raw) {
    const line = hit.line ?? lines.get(hit.index) ?? 1;
    const label = labelOf(hit.rule);
    const key = `${line}:${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hits.push({ rule: hit.rule.replace(/^@secretlint\/secretlint-rule-/, ''), label, line });
  }
  return hits.sort((a, b) => a.line - b.line);
}

function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/** "a private key on line 3", "an AWS access key on line 7 and 1 more". */
export function describeHits(hits: readonly SecretHit[]): string {
  const first = hits[0];
  if (first === undefined) return '';
  return hits.length > 1 ? l10n.t('{0} on line {1} and {2} more', first.label, first.line, hits.length - 1) : l10n.t('{0} on line {1}', first.label, first.line);
}

/** The text with each hit's line replaced by a marker; a private key block goes whole. */
export function redactLines(text: string, hits: readonly SecretHit[]): string {
  const lines = text.split('\n');
  const drop = new Set(hits.map((hit) => hit.line - 1));
  for (const hit of hits) {
    if (hit.rule !== 'privatekey') continue;
    // The block runs from its BEGIN line to the next END line.
    for (let i = hit.line - 1; i < lines.length; i++) {
      drop.add(i);
      if (/-----END [A-Z0-9 ]*PRIVATE KEY-----/.test(lines[i] ?? '')) break;
    }
  }
  return lines.map((line, index) => (drop.has(index) ? '[line removed by Claude Studio: it looked like a secret]' : line)).join('\n');
}
