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

/**
 * Draws from a shuffled deck, reshuffled when it runs out, instead of rolling each time: a
 * chapter of a dozen code blocks then has the proportions below (and every language) rather
 * than whatever a short run of rolls gives.
 */
function deck<T>(random: Random, cards: readonly T[]): () => T {
  let left: T[] = [];
  return () => {
    if (left.length === 0) {
      left = [...cards];
      // Fisher-Yates with the seeded generator.
      for (let i = left.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [left[i], left[j]] = [left[j] as T, left[i] as T];
      }
    }
    return left.pop() as T;
  };
}

const repeat = <T>(card: T, times: number): T[] => Array.from({ length: times }, () => card);

type LengthClass = 'short' | 'medium' | 'long';
/** Mostly short snippets, sometimes a whole file (long open fences are the expensive case): 7, 4 and 1 in 12. */
const LENGTH_CARDS: readonly LengthClass[] = [...repeat<LengthClass>('short', 7), ...repeat<LengthClass>('medium', 4), 'long'];
const LINES: Readonly<Record<LengthClass, readonly [number, number]>> = { short: [4, 15], medium: [16, 45], long: [60, 120] };

type BlockKind = 'paragraph' | 'code' | 'list' | 'table' | 'quote';
/** 35% paragraphs, 35% code, 15% lists, 10% tables, 5% quotes. */
const BLOCK_CARDS: readonly BlockKind[] = [...repeat<BlockKind>('paragraph', 7), ...repeat<BlockKind>('code', 7), ...repeat<BlockKind>('list', 3), ...repeat<BlockKind>('table', 2), 'quote'];

interface Decks {
  readonly block: () => BlockKind;
  readonly language: () => string;
  readonly length: () => LengthClass;
}

function decks(random: Random): Decks {
  return { block: deck(random, BLOCK_CARDS), language: deck(random, LANGUAGES), length: deck(random, LENGTH_CARDS) };
}

function codeBlock(random: Random, lang: string, lines: number): string[] {
  return ['```' + lang, ...(CODE[lang] as CodeGen)(random, lines), '```'];
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
  return LANGUAGES.map((lang) => codeBlock(random, lang, 12).join('\n')).join('\n\n');
}

type BlockSpec = { readonly kind: Exclude<BlockKind, 'code'> } | { readonly kind: 'code'; readonly lang: string; readonly lines: number };

interface Section {
  readonly blocks: readonly BlockSpec[];
  readonly details: boolean;
}

/** Lines of one chapter: about 20k characters, the smallest size the bench measures. */
const CHAPTER_LINES = 480;

/** The shape of a chapter (which blocks, which languages, how long the code): drawn once per seed. */
function chapterPlan(random: Random): Section[] {
  const draw = decks(random);
  const sections: Section[] = [];
  // Estimated as the blocks are drawn; the text itself comes later.
  const typicalLines: Readonly<Record<Exclude<BlockKind, 'code'>, number>> = { paragraph: 3.5, list: 8, table: 11, quote: 3 };
  let lines = 0;
  while (lines < CHAPTER_LINES) {
    const blocks: BlockSpec[] = [];
    const count = between(random, 3, 7);
    for (let b = 0; b < count && lines < CHAPTER_LINES; b++) {
      const kind = draw.block();
      if (kind === 'code') {
        const lang = draw.language();
        const [min, max] = LINES[draw.length()];
        const spec = { kind, lang, lines: between(random, min, max) } as const;
        blocks.push(spec);
        lines += spec.lines + 3;
      } else {
        blocks.push({ kind });
        lines += typicalLines[kind] + 1;
      }
    }
    const details = random() < 0.3;
    sections.push({ blocks, details });
    lines += 2 + (details ? 6 : 0);
  }
  return sections;
}

/**
 * Answers are made of chapters of about 20k characters that share one shape (the same blocks,
 * languages and code lengths in the same order) with their own words: the 80k answer is four
 * chapters and the 320k one sixteen, so the sizes differ in length only, not in kind. Drawn
 * freely, the 20k answer had four times the share of auto-detected code of the 320k one (10.4%
 * of its text against 2.7%) and shorter lines, and both change what a character costs to render.
 */
function answer(seed: number, done: (lines: number, chapters: number) => boolean): string {
  const random = seededRandom(seed);
  const plan = chapterPlan(random);
  const out: string[] = [`# ${sentence(random).slice(0, -1)}`, '', ...paragraph(random), ''];
  let section = 1;
  // Checked before each block: never cut inside a fence, list or table.
  for (let chapter = 0; !done(out.length, chapter); chapter++) {
    for (const { blocks, details } of plan) {
      if (done(out.length, chapter)) break;
      out.push(`## ${section}. ${pick(random, WORDS)} and ${pick(random, WORDS)}`, '');
      section++;
      for (const spec of blocks) {
        if (done(out.length, chapter)) break;
        const block = spec.kind === 'code' ? codeBlock(random, spec.lang, spec.lines) : spec.kind === 'paragraph' ? paragraph(random) : spec.kind === 'list' ? list(random) : spec.kind === 'table' ? table(random) : quote(random);
        out.push(...block, '');
      }
      if (details && !done(out.length, chapter)) out.push(`### ${pick(random, WORDS)} details`, '', ...paragraph(random), '');
    }
  }
  while (out.at(-1) === '') out.pop();
  return out.join('\n');
}

/** An answer of `chapters` whole chapters (about 20k characters each). */
export function generateChapters(chapters: number, seed = 2024): string {
  return answer(seed, (_lines, chapter) => chapter >= chapters);
}

/** An answer of about `lines` lines: chapters until there are that many, cut after a whole block. */
export function generateAnswer(lines: number, seed = 2024): string {
  return answer(seed, (count) => count >= lines);
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
