/**
 * What the long-conversation benchmark (bench/longChat.ts) loads: a deterministic 1,000-turn chat
 * (seeded PRNG, so runs and machines compare) and the webview page, built from the work tree or
 * from a git ref and served on loopback.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chatCsp } from '../src/shared/csp';
import type { AssistantTurnView, ChatSnapshot, TurnView, UsageView } from '../src/shared/protocol';
import { seededRandom } from './seededRandom';
import { buildWebviewBundle, REPO_ROOT, sendFile, serveLoopback } from './webviewPage';

const NONCE = 'YmVuY2gtbG9uZ2NoYXQ';

const WORDS = ['cache', 'request', 'token', 'stream', 'buffer', 'handler', 'config', 'parser', 'module', 'queue', 'retry', 'timeout', 'client', 'schema', 'index', 'state', 'event', 'promise', 'latency', 'payload'];
const FILLER = ['the', 'a', 'each', 'when', 'so', 'because', 'then', 'which', 'keeps', 'returns', 'reads', 'writes', 'calls', 'checks', 'only', 'never', 'once', 'after', 'with', 'is'];
const CODE: readonly (readonly [string, readonly string[]])[] = [
  ['ts', ['export async function load(id: string): Promise<Item[]> {', '  const rows = await db.query(`select * from items where owner = $1`, [id]);', '  return rows.map((row) => ({ id: row.id, name: row.name.trim() }));', '}']],
  ['python', ['def retry(fn, attempts=3):', '    for i in range(attempts):', '        try:', '            return fn()', '        except TimeoutError as e:', '            last = e', '    raise last']],
  ['json', ['{', '  "name": "claude-studio",', '  "retries": 3,', '  "cache": { "ttl": "5m", "enabled": true }', '}']],
  ['bash', ['npm ci', 'npx tsc --noEmit -p tsconfig.json', 'node --import tsx --test $(find test -name "*.test.ts")']],
  ['rust', ['fn parse(input: &str) -> Result<Vec<u32>, ParseIntError> {', '    input.split(\',\').map(|s| s.trim().parse()).collect()', '}']],
  ['', ['SELECT owner, count(*) AS n', 'FROM items', 'GROUP BY owner', 'ORDER BY n DESC;']],
];

/** ~1 KB of varied markdown: prose with inline markup, then a list, a code block or a table. */
function answerText(random: () => number, i: number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sentence = (): string => {
    const words = Array.from({ length: 9 + Math.floor(random() * 10) }, () => {
      const roll = random();
      return roll < 0.07 ? `\`${pick(WORDS)}Id\`` : roll < 0.1 ? `**${pick(WORDS)}**` : roll < 0.12 ? `*${pick(WORDS)}*` : random() < 0.5 ? pick(WORDS) : pick(FILLER);
    }).join(' ');
    return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
  };
  const [lang, code] = CODE[i % CODE.length] ?? ['', []];
  const parts = [`${sentence()} ${sentence()} See [the ${pick(WORDS)} docs](https://example.com/${pick(WORDS)}).`];
  if (i % 3 === 0) parts.push(`### ${pick(WORDS)} and ${pick(WORDS)}`, `- ${sentence()}\n- ${sentence()}\n  - ${sentence()}\n- ${sentence()}`);
  parts.push(`\`\`\`${lang}\n${code.join('\n')}\n\`\`\``);
  if (i % 4 === 1) parts.push(`| ${pick(WORDS)} | ms | note |\n|---|--:|---|\n| a | ${i} | ${pick(WORDS)} |\n| b | ${i * 2} | ${pick(WORDS)} |`);
  if (i % 5 === 2) parts.push(`> ${sentence()}`);
  parts.push(sentence());
  return parts.join('\n\n');
}

const USAGE: UsageView = { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 900, cacheWriteTokens: 0, costUsd: 0.01, savedUsd: 0.002 };

export function conversation(turns: number): ChatSnapshot {
  const random = seededRandom(42);
  const list: TurnView[] = [];
  for (let i = 0; list.length < turns; i++) {
    list.push({ id: `u${i}`, role: 'user', text: `Question ${i}: how does the ${WORDS[i % WORDS.length]} ${FILLER[i % FILLER.length]} work here?` });
    const answer: AssistantTurnView = { id: `a${i}`, role: 'assistant', text: answerText(random, i), thinking: '', status: 'done', stopReason: 'end_turn', usage: USAGE, model: 'claude-bench' };
    if (list.length < turns) list.push(answer);
  }
  return {
    conversationId: `bench-${turns}`, title: 'Benchmark', turns: list, busy: false, model: 'claude-bench',
    models: [{ id: 'claude-bench', label: 'Claude Bench', deprecated: false }], totals: USAGE,
  };
}

/** The page as src/chat/webviewHtml.ts builds it, with 'self' standing in for the webview's cspSource. */
function pageHtml(): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${chatCsp("'self'", NONCE)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="webview.css"><title>Claude Studio</title></head>
<body><div id="app"></div><script nonce="${NONCE}" src="webview.js"></script></body></html>`;
}

/** Builds the webview from `root` (the work tree, or an extracted git ref) into `dir`. */
export async function buildWebview(root: string, dir: string): Promise<void> {
  await buildWebviewBundle(root, dir);
  fs.writeFileSync(path.join(dir, 'index.html'), pageHtml());
}

/** Extracts the webview sources of `ref` (never the work tree) and builds them. */
export async function buildWebviewAt(ref: string, dir: string): Promise<void> {
  const source = `${dir}-src`;
  fs.mkdirSync(source, { recursive: true });
  const tar = execFileSync('git', ['archive', ref, 'tsconfig.json', 'src/webview', 'src/shared'], { cwd: REPO_ROOT, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', source], { input: tar });
  await buildWebview(source, dir);
}

/** Serves the files below `root` on loopback (see {@link serveLoopback}). */
export async function serve(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = await serveLoopback((url, res) => {
    const file = path.join(root, path.normalize(url.pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    sendFile(res, file);
  });
  return { url: `http://127.0.0.1:${server.port}`, close: server.close };
}
