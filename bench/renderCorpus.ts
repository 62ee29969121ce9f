/**
 * A deterministic, realistic long assistant answer for the render benchmark, and the deltas it
 * is streamed in. Deterministic (seeded PRNG, no Date or Math.random) so that runs and machines
 * compare: the same seed always gives the same text and the same cut points.
 *
 * The shape follows what long coding answers look like: sections with headings, paragraphs with
 * inline markup, tight/loose/nested lists, many fenced code blocks in several languages (a few
 * without a language, which triggers auto-detection), tables and the odd quote.
 */

import { seededRandom } from './seededRandom';

export { seededRandom };

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

const WORDS = [
  'cache', 'request', 'token', 'stream', 'buffer', 'handler', 'config', 'parser', 'module', 'worker', 'queue',
  'retry', 'timeout', 'client', 'server', 'schema', 'index', 'query', 'result', 'session', 'render', 'frame',
  'layout', 'value', 'state', 'event', 'promise', 'thread', 'memory', 'latency', 'payload', 'field', 'record',
];
const PROSE = [
  'the', 'a', 'this', 'each', 'every', 'when', 'so', 'because', 'then', 'which', 'keeps', 'returns', 'reads', 'writes',
  'calls', 'checks', 'avoids', 'means', 'only', 'never', 'still', 'once', 'before', 'after', 'without', 'with', 'is',
];
const IDENTS = ['userId', 'items', 'config', 'result', 'count', 'entry', 'limit', 'offset', 'payload', 'cacheKey', 'retries', 'elapsed'];

function sentence(random: Random): string {
  const parts: string[] = [];
  const length = between(random, 8, 20);
  for (let i = 0; i < length; i++) {
    const roll = random();
    if (roll < 0.06) parts.push(`\`${pick(random, IDENTS)}\``);
    else if (roll < 0.09) parts.push(`**${pick(random, WORDS)}**`);
    else if (roll < 0.11) parts.push(`*${pick(random, WORDS)}*`);
    else if (roll < 0.12) parts.push(`[${pick(random, WORDS)}](https://example.com/docs/${pick(random, WORDS)})`);
    else parts.push(random() < 0.45 ? pick(random, WORDS) : pick(random, PROSE));
  }
  const text = parts.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A paragraph of 1-4 source lines (soft breaks, as models often wrap). */
function paragraph(random: Random): string[] {
  return Array.from({ length: between(random, 1, 4) }, () => `${sentence(random)} ${random() < 0.5 ? sentence(random) : ''}`.trimEnd());
}

type CodeGen = (random: Random, lines: number) => string[];

const name = (random: Random): string => pick(random, IDENTS);

const CODE: Readonly<Record<string, CodeGen>> = {
  ts: (random, lines) => {
    const out = [`export async function ${pick(random, WORDS)}Handler(${name(random)}: string, limit = ${between(random, 1, 99)}): Promise<number> {`];
    while (out.length < lines - 1) {
      const roll = random();
      if (roll < 0.3) out.push(`  const ${name(random)} = await fetchJson<Record<string, number>>(\`/api/${pick(random, WORDS)}/\${limit}\`);`);
      else if (roll < 0.5) out.push(`  if (${name(random)}.length > ${between(random, 0, 500)}) throw new Error('too many ${pick(random, WORDS)}s');`);
      else if (roll < 0.7) out.push(`  // ${sentence(random)}`);
      else if (roll < 0.85) out.push(`  for (const item of ${name(random)}) total += item.${pick(random, WORDS)} ?? 0;`);
      else out.push('');
    }
    out.push('}');
    return out;
  },
  python: (random, lines) => {
    const out = [`def ${pick(random, WORDS)}_${pick(random, WORDS)}(${name(random).toLowerCase()}, limit=${between(random, 1, 99)}):`, `    """${sentence(random)}"""`];
    while (out.length < lines) {
      const roll = random();
      if (roll < 0.3) out.push(`    ${pick(random, WORDS)} = [x for x in ${pick(random, WORDS)}s if x.${pick(random, WORDS)} > ${between(random, 0, 9)}]`);
      else if (roll < 0.5) out.push(`    if not ${pick(random, WORDS)}:`, `        raise ValueError("missing ${pick(random, WORDS)}")`);
      else if (roll < 0.7) out.push(`    # ${sentence(random)}`);
      else if (roll < 0.85) out.push(`    return {"${pick(random, WORDS)}": ${between(random, 0, 1000)}, "ok": True}`);
      else out.push('');
    }
    return out;
  },
  go: (random, lines) => {
    const out = [`func (s *${pick(random, ['Server', 'Cache', 'Queue'])}) ${pick(random, ['Get', 'Put', 'Evict', 'Flush'])}(key string) (int, error) {`];
    while (out.length < lines - 1) {
      const roll = random();
      if (roll < 0.3) out.push(`\t${pick(random, WORDS)}, ok := s.${pick(random, WORDS)}s[key]`);
      else if (roll < 0.5) out.push('\tif !ok {', '\t\treturn 0, fmt.Errorf("not found: %s", key)', '\t}');
      else if (roll < 0.7) out.push(`\t// ${sentence(random)}`);
      else if (roll < 0.85) out.push('\ts.mu.Lock()', '\tdefer s.mu.Unlock()');
      else out.push('');
    }
    out.push('}');
    return out;
  },
  rust: (random, lines) => {
    const out = [`pub fn ${pick(random, WORDS)}_${pick(random, WORDS)}(input: &[u8], limit: usize) -> Result<Vec<u32>, Error> {`];
    while (out.length < lines - 1) {
      const roll = random();
      if (roll < 0.3) out.push(`    let ${pick(random, WORDS)} = input.iter().map(|b| *b as u32).take(limit).collect::<Vec<_>>();`);
      else if (roll < 0.5) out.push(`    if ${pick(random, WORDS)}.is_empty() { return Err(Error::Empty); }`);
      else if (roll < 0.7) out.push(`    // ${sentence(random)}`);
      else if (roll < 0.85) out.push(`    println!("{} {:?}", "${pick(random, WORDS)}", ${pick(random, WORDS)});`);
      else out.push('');
    }
    out.push('}');
    return out;
  },
  json: (random, lines) => {
    const out = ['{'];
    while (out.length < lines - 1) out.push(`  "${pick(random, WORDS)}${out.length}": ${random() < 0.5 ? between(random, 0, 9999) : `"${pick(random, WORDS)}"`},`);
    out.push('  "end": true', '}');
    return out;
  },
  bash: (random, lines) => {
    const out = ['#!/usr/bin/env bash', 'set -euo pipefail'];
    while (out.length < lines) {
      const roll = random();
      if (roll < 0.4) out.push(`npm run ${pick(random, ['build', 'test', 'lint'])} -- --${pick(random, WORDS)}=${between(random, 1, 9)}`);
      else if (roll < 0.7) out.push(`export ${pick(random, WORDS).toUpperCase()}_DIR="$HOME/.cache/${pick(random, WORDS)}"`);
      else out.push(`# ${sentence(random)}`);
    }
    return out;
  },
  sql: (random, lines) => {
    const out = [`SELECT ${pick(random, WORDS)}, COUNT(*) AS n`];
    while (out.length < lines - 1) {
      out.push(pick(random, [
        `  FROM ${pick(random, WORDS)}s AS t`,
        `  JOIN ${pick(random, WORDS)}s u ON u.id = t.${pick(random, WORDS)}_id`,
        `  WHERE t.${pick(random, WORDS)} > ${between(random, 0, 100)}`,
        `  -- ${sentence(random)}`,
      ]));
    }
    out.push(`  GROUP BY 1 ORDER BY n DESC LIMIT ${between(random, 5, 50)};`);
    return out;
  },
  yaml: (random, lines) => {
    const out = ['name: ci', 'on: [push, pull_request]', 'jobs:'];
    while (out.length < lines) out.push(`  ${pick(random, WORDS)}${out.length}:`, '    runs-on: ubuntu-latest');
    return out;
  },
  css: (random, lines) => {
    const out: string[] = [];
    while (out.length < lines) {
      out.push(`.${pick(random, WORDS)}-${pick(random, WORDS)} {`, `  padding: ${between(random, 0, 16)}px ${between(random, 0, 16)}px;`, `  color: var(--vscode-${pick(random, WORDS)}-foreground);`, '}');
    }
    return out.slice(0, lines - (lines % 4)).concat(lines % 4 === 0 ? [] : ['/* end */']);
  },
  java: (random, lines) => {
    const out = [`public final class ${pick(random, ['Cache', 'Parser', 'Worker'])}${between(random, 1, 9)} {`];
    while (out.length < lines - 1) {
      out.push(pick(random, [
        `    private final Map<String, Integer> ${pick(random, WORDS)}s = new HashMap<>();`,
        `    public int ${pick(random, WORDS)}(String key) { return ${pick(random, WORDS)}s.getOrDefault(key, 0); }`,
        `    // ${sentence(random)}`,
        '',
      ]));
    }
    out.push('}');
    return out;
  },
  // No language: the renderer falls back to auto-detection once the block is finished.
  '': (random, lines) => Array.from({ length: lines }, () => `${pick(random, WORDS)} = ${pick(random, WORDS)}(${between(random, 0, 99)})  # ${pick(random, PROSE)}`),
};

const LANGUAGES = Object.keys(CODE);

function codeBlock(random: Random): string[] {
  const lang = pick(random, LANGUAGES);
  const gen = CODE[lang] as CodeGen;
  const roll = random();
  // Mostly short snippets, sometimes a whole file: long open fences are the expensive case.
  const lines = roll < 0.6 ? between(random, 4, 15) : roll < 0.92 ? between(random, 16, 45) : between(random, 60, 120);
  return ['```' + lang, ...gen(random, lines), '```'];
}

function list(random: Random): string[] {
  const ordered = random() < 0.4;
  const loose = random() < 0.25;
  const out: string[] = [];
  const items = between(random, 3, 9);
  for (let i = 0; i < items; i++) {
    out.push(`${ordered ? `${i + 1}.` : '-'} ${sentence(random)}`);
    // A nested item is indented to the parent's content column.
    if (random() < 0.2) out.push(`${ordered ? '   ' : '  '}- ${sentence(random)}`);
    if (loose && i < items - 1) out.push('');
  }
  return out;
}

function table(random: Random): string[] {
  const columns = between(random, 3, 5);
  const header = Array.from({ length: columns }, () => pick(random, WORDS));
  const out = [`| ${header.join(' | ')} |`, `|${Array.from({ length: columns }, (_, i) => (i === columns - 1 ? '---:' : ':---')).join('|')}|`];
  const rows = between(random, 3, 14);
  for (let r = 0; r < rows; r++) {
    out.push(`| ${Array.from({ length: columns }, (_, c) => (c === 0 ? `\`${pick(random, IDENTS)}\`` : c === columns - 1 ? String(between(random, 1, 5000)) : pick(random, WORDS))).join(' | ')} |`);
  }
  return out;
}

function quote(random: Random): string[] {
  return [`> **Note:** ${sentence(random)}`, `> ${sentence(random)}`];
}

/**
 * One short fenced block in every language the answers use (and one without a language), so a
 * warm-up compiles every highlight.js grammar, and auto-detection's candidates, before timing.
 */
export function everyLanguageSample(seed = 11): string {
  const random = seededRandom(seed);
  return LANGUAGES.map((lang) => ['```' + lang, ...(CODE[lang] as CodeGen)(random, 12), '```'].join('\n')).join('\n\n');
}

/** A markdown answer of exactly `lines` lines (the last without a trailing newline). */
export function generateAnswer(lines: number, seed = 2024): string {
  const random = seededRandom(seed);
  const out: string[] = [`# ${sentence(random).slice(0, -1)}`, '', ...paragraph(random), ''];
  let section = 1;
  while (out.length < lines) {
    out.push(`## ${section}. ${pick(random, WORDS)} and ${pick(random, WORDS)}`, '');
    section++;
    const blocks = between(random, 3, 7);
    for (let b = 0; b < blocks; b++) {
      const roll = random();
      const block = roll < 0.35 ? paragraph(random) : roll < 0.7 ? codeBlock(random) : roll < 0.85 ? list(random) : roll < 0.95 ? table(random) : quote(random);
      out.push(...block, '');
    }
    if (random() < 0.3) out.push(`### ${pick(random, WORDS)} details`, '');
  }
  // Cut at a blank line so no fence, list or table is left half-open, then pad with prose.
  let end = Math.min(out.length, lines);
  while (end > 0 && out[end - 1] !== '') end--;
  const body = out.slice(0, end);
  while (body.length < lines) body.push(sentence(random));
  return body.slice(0, lines).join('\n');
}

/**
 * Cuts `text` into exactly `count` non-empty deltas at random points, as a host that coalesces a
 * token stream does: cuts fall mid-word, mid-fence-marker and mid-line.
 */
export function splitIntoDeltas(text: string, count: number, seed = 7): string[] {
  if (count < 1 || count > text.length) throw new Error(`cannot cut ${text.length} characters into ${count} deltas`);
  const random = seededRandom(seed);
  const cuts = new Set<number>();
  while (cuts.size < count - 1) cuts.add(1 + Math.floor(random() * (text.length - 1)));
  const sorted = [0, ...Array.from(cuts).sort((a, b) => a - b), text.length];
  const deltas: string[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) deltas.push(text.slice(sorted[i], sorted[i + 1]));
  return deltas;
}
