/**
 * Offline demo answers, in the shape of what was asked: when the request carries files or a
 * selection (the extension's context blocks: a path in backticks, then a fenced block), the
 * answer names each one it received and quotes code from the first; the advice around it is
 * chosen by keyword overlap with the question and the files' languages (ties and no-match fall
 * back to a hash of the question), so the same question always gets the same answer. Streamed in
 * small, slow chunks so a UI visibly renders partial text.
 */
import { createHash } from 'node:crypto';
import type { ScriptedReply } from './types';

export const DEMO_CHUNK_SIZE = 6;
export const DEMO_CHUNK_DELAY_MS = 30;

interface DemoTopic {
  keywords: readonly string[];
  title: string;
  body: string;
  code: { lang: string; source: string };
  outro: string;
}

const FENCE = '```';

export const DEMO_TOPICS: readonly DemoTopic[] = [
  {
    keywords: ['typescript', 'ts', 'type', 'types', 'interface', 'generic', 'javascript', 'js', 'node'],
    title: 'Typing it precisely in TypeScript',
    body:
      'The safest approach is to let the compiler carry the invariant for you. Model the states as a ' +
      'discriminated union, narrow on the tag, and let exhaustiveness checking flag the cases you forgot.',
    code: {
      lang: 'ts',
      source: [
        "type Result<T> = { kind: 'ok'; value: T } | { kind: 'error'; message: string };",
        '',
        'function unwrap<T>(result: Result<T>): T {',
        "  if (result.kind === 'ok') return result.value;",
        '  throw new Error(result.message);',
        '}',
      ].join('\n'),
    },
    outro: 'With `strict` on, a new variant added later becomes a compile error at every `switch` that misses it.',
  },
  {
    keywords: ['python', 'py', 'pip', 'django', 'pandas', 'list', 'dict'],
    title: 'A Pythonic way to do it',
    body:
      'Python rewards small, composable functions. Prefer comprehensions for transformations, keep side ' +
      'effects at the edges, and let the standard library do the heavy lifting.',
    code: {
      lang: 'python',
      source: [
        'from collections import Counter',
        '',
        'def top_words(text: str, n: int = 3) -> list[tuple[str, int]]:',
        '    words = (w.strip(".,!?").lower() for w in text.split())',
        '    return Counter(w for w in words if w).most_common(n)',
      ].join('\n'),
    },
    outro: 'Add a doctest or two and the function documents and tests itself.',
  },
  {
    keywords: ['go', 'golang', 'lru', 'cache', 'evict', 'eviction', 'goroutine'],
    title: 'How the LRU cache works',
    body:
      'It pairs a doubly linked list with a map. The list keeps entries in order of use, newest at the ' +
      'front; the map finds an entry\'s list element in O(1). `Get` moves a hit to the front, and `Put` ' +
      'evicts from the back once the list is longer than `Capacity`.',
    code: {
      lang: 'go',
      source: [
        'c := lru.New(2)',
        'c.Put("a", []byte("1"))',
        'c.Put("b", []byte("2"))',
        'c.Get("a")              // "a" is now the most recently used',
        'c.Put("c", []byte("3")) // evicts "b", the least recently used',
      ].join('\n'),
    },
    outro: 'It is not safe for concurrent use: guard it with a `sync.Mutex` if several goroutines share it.',
  },
  {
    keywords: ['rust', 'cargo', 'borrow', 'lifetime', 'ownership', 'trait'],
    title: 'Working with the borrow checker',
    body:
      'Most borrow-checker fights go away once ownership matches the data flow: pass references into ' +
      'functions that only read, move values into functions that keep them, and return owned results.',
    code: {
      lang: 'rust',
      source: [
        'fn longest<\'a>(a: &\'a str, b: &\'a str) -> &\'a str {',
        '    if a.len() >= b.len() { a } else { b }',
        '}',
      ].join('\n'),
    },
    outro: 'When a lifetime annotation feels forced, it often means the function should return an owned `String`.',
  },
  {
    keywords: ['test', 'tests', 'testing', 'unit', 'mock', 'assert', 'coverage', 'bug', 'debug'],
    title: 'Pinning the behaviour down with a test',
    body:
      'Start by writing the smallest test that fails for the reason you expect. It documents the bug, ' +
      'proves the fix, and keeps the behaviour from regressing quietly later.',
    code: {
      lang: 'ts',
      source: [
        "import { test } from 'node:test';",
        "import assert from 'node:assert/strict';",
        '',
        "test('parses an empty line as no fields', () => {",
        "  assert.deepEqual(parseLine(''), []);",
        '});',
      ].join('\n'),
    },
    outro: 'Keep tests deterministic: inject clocks and randomness instead of reading them globally.',
  },
  {
    keywords: ['sql', 'query', 'database', 'postgres', 'index', 'join', 'table'],
    title: 'Writing the query',
    body:
      'Let the database do the filtering and aggregation close to the data. Select only the columns you ' +
      'need, and check the plan once the table has realistic volume.',
    code: {
      lang: 'sql',
      source: [
        'SELECT author, COUNT(*) AS commits',
        'FROM commits',
        "WHERE committed_at >= now() - interval '30 days'",
        'GROUP BY author',
        'ORDER BY commits DESC',
        'LIMIT 10;',
      ].join('\n'),
    },
    outro: 'An index on `committed_at` keeps this fast as history grows.',
  },
  {
    keywords: ['git', 'commit', 'branch', 'merge', 'rebase', 'diff'],
    title: 'Getting Git to do what you mean',
    body:
      'Keep commits small and focused so history stays readable. Before sharing a branch, tidy it with an ' +
      'interactive rebase; after sharing, prefer new commits over rewriting.',
    code: { lang: 'bash', source: ['git switch -c fix/login-timeout', 'git add -p', 'git commit -m "Fix login timeout"', 'git rebase -i main'].join('\n') },
    outro: '`git add -p` is the quickest way to split one messy change into reviewable commits.',
  },
];

const GENERAL_TOPIC: DemoTopic = {
  keywords: [],
  title: 'Here is how I would approach it',
  body:
    'Break the problem into a small core that is easy to test and a thin layer that talks to the outside ' +
    'world. Get the core right first, then wire it up.',
  code: { lang: 'ts', source: ['export function solve(input: string): string {', '  return input.trim();', '}'].join('\n') },
  outro: 'Share the code you have so far and I can point at the exact spot to change.',
};

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9+#]+/).filter(Boolean);
}

export function pickDemoTopic(question: string): DemoTopic {
  const words = new Set(wordsOf(question));
  let best: DemoTopic | undefined;
  let bestScore = 0;
  for (const topic of DEMO_TOPICS) {
    const score = topic.keywords.filter((keyword) => words.has(keyword)).length;
    if (score > bestScore) {
      best = topic;
      bestScore = score;
    }
  }
  if (best) return best;
  if (question.trim() === '') return GENERAL_TOPIC;
  const digest = createHash('sha256').update(question).digest();
  return (digest[0] ?? 0) % 2 === 0 ? GENERAL_TOPIC : (DEMO_TOPICS[(digest[1] ?? 0) % DEMO_TOPICS.length] ?? GENERAL_TOPIC);
}

/** A file, selection or snippet the request carried: its path, its lines if a part, its code. */
export interface DemoSource {
  readonly path: string;
  readonly lines?: string;
  readonly language: string;
  readonly code: string;
}

/** The line before a fence names what it holds: `File \`a.ts\` (typescript, lines 3-9):` or `\`a.ts\` (lines 3-9):`. */
const SOURCE_HEADER = /`([^`\n]{1,300})`\s*\(([^)\n]*)\)\s*:\s*$/;
const FENCE_BLOCK = /^(`{3,})([^\n`]*)\n([\s\S]*?)\n\1[ \t]*$/gm;
/** Lines of a source quoted in the answer. */
const QUOTED_LINES = 12;

/** Every source in `text` whose fence follows a line naming it, in order, each path once (its latest version). */
export function demoSources(text: string): DemoSource[] {
  const found = new Map<string, DemoSource>();
  for (const match of text.matchAll(FENCE_BLOCK)) {
    const before = text.slice(0, match.index).trimEnd();
    const header = SOURCE_HEADER.exec(before.slice(before.lastIndexOf('\n') + 1));
    if (header === null) continue;
    const path = header[1] ?? '';
    const lines = /\blines? (\d+(?:-\d+)?)/.exec(header[2] ?? '')?.[1];
    const key = `${path}:${lines ?? ''}`;
    found.delete(key);
    found.set(key, { path, ...(lines !== undefined ? { lines } : {}), language: (match[2] ?? '').trim(), code: match[3] ?? '' });
  }
  return [...found.values()];
}

/** The words the user typed: the text with every named source (header and fence) taken out. */
export function demoQuestion(text: string): string {
  const without = text.replace(FENCE_BLOCK, '').split('\n').filter((line) => !SOURCE_HEADER.test(line)).join('\n');
  return without.replace(/\n{3,}/g, '\n\n').trim();
}

function label(source: DemoSource): string {
  return source.lines === undefined ? `\`${source.path}\`` : `\`${source.path}\` (lines ${source.lines})`;
}

function quote(source: DemoSource): string[] {
  const lines = source.code.split('\n');
  const shown = lines.slice(0, QUOTED_LINES);
  const longest = Math.max(2, ...[...source.code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const cut = lines.length > shown.length ? [`_…and ${lines.length - shown.length} more lines._`] : [];
  return [`${fence}${source.language}`, ...shown, fence, ...cut];
}

/** `question` is everything the user's turn said; `sources` default to the ones found in it. */
export function demoMarkdown(question: string, sources: readonly DemoSource[] = demoSources(question)): string {
  const asked = demoQuestion(question);
  const topic = pickDemoTopic(`${asked} ${sources.map((source) => `${source.language} ${source.path.split('.').pop() ?? ''}`).join(' ')}`);
  const quoted = asked.split('\n')[0]?.slice(0, 120) ?? '';
  // What this question brought is what it is about; else the first file of the conversation.
  const first = demoSources(question)[0] ?? sources[0];
  const intro = quoted ? `You asked: *${quoted}*` : 'You did not ask anything specific, so here is a general tip.';
  if (first === undefined) {
    return [`## ${topic.title}`, '', intro, '', topic.body, '', `${FENCE}${topic.code.lang}`, topic.code.source, FENCE, '', topic.outro].join('\n');
  }
  const files = sources.filter((source) => source.lines === undefined).length;
  const parts = sources.length - files;
  const counted = [files > 0 ? `${files} ${files === 1 ? 'file' : 'files'}` : '', parts > 0 ? `${parts} ${parts === 1 ? 'selection' : 'selections'}` : ''].filter(Boolean).join(' and ');
  return [
    `## Looking at ${label(first)}`,
    '',
    intro,
    '',
    `I received ${counted}: ${sources.map(label).join(', ')}.`,
    '',
    `Here is where I would start, from ${label(first)}:`,
    '',
    ...quote(first),
    '',
    topic.body,
    '',
    topic.outro,
    '',
    '_Offline demo: this answer is put together from what you sent, without a model._',
  ].join('\n');
}

/** `conversation`: every user message's text, for files attached in an earlier turn (default: the question's own). */
export function demoReply(question: string, withThinking: boolean, conversation = question): ScriptedReply {
  const sources = demoSources(conversation);
  const reply: ScriptedReply = { text: demoMarkdown(question, sources), chunkSize: DEMO_CHUNK_SIZE, chunkDelayMs: DEMO_CHUNK_DELAY_MS };
  if (withThinking) {
    const what = sources.length > 0 ? `${sources.length === 1 ? 'one source' : `${sources.length} sources`}, starting with ${sources[0]?.path}` : `"${pickDemoTopic(question).title.toLowerCase()}"`;
    reply.thinking = `The question is about ${what}. A short explanation and one example should do.`;
  }
  return reply;
}
