/**
 * bench:history — search 1,000 saved conversations (logs of about 2 MB: many turns, long answers
 * streamed as checkpoints then finals) for a word that only one answer has, through the real
 * store and the real node fs adapter in a temp folder. The first search builds the index from
 * every log; later ones (`searchMs`, median over different words) must take under 200 ms.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryStore } from '../src/core/history/historyStore';
import { encodeSummary } from '../src/core/history/historyIndex';
import { nodeHistoryFs } from '../src/platform/nodeHistoryFs';
import { seededRandom } from './seededRandom';
import { median, round } from './stats';

const CONVERSATIONS = 1000;
const TURNS = 48; // answers per conversation
const TARGET_MS = 200;
const random = seededRandom(19);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const syllables = ['ka', 'lo', 'mi', 're', 'sto', 'van', 'de', 'ex', 'pro', 'tor', 'ul', 'ni', 'zen', 'qua', 'bri', 'fel'];
const vocabulary = Array.from({ length: 20000 }, () => Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(syllables)).join(''));
const common = ['the', 'a', 'to', 'of', 'and', 'function', 'return', 'const', 'value', 'file', 'you', 'is', 'in', 'it'];
const word = (): string => (random() < 0.4 ? pick(common) : (vocabulary[Math.floor(vocabulary.length * random() ** 2)] ?? 'x'));

/** An answer of about 20k characters: prose and fenced code. */
function answerText(): string {
  const parts: string[] = [];
  let length = 0;
  while (length < 20000) {
    const code = random() < 0.3;
    const line = code
      ? `  const ${word()}${pick(['Id', 'Map', 'List'])} = ${word()}(${word()}, ${Math.floor(random() * 1000)});`
      : Array.from({ length: 12 }, word).join(' ') + '.';
    parts.push(code ? `\`\`\`ts\n${line}\n\`\`\`` : line);
    length += line.length + 1;
  }
  return parts.join('\n');
}

const pool = Array.from({ length: 120 }, answerText);
const planted = Array.from({ length: 7 }, (_, i) => `zyxplanted${i}word`);
const plantedIn = planted.map((_, i) => 37 + i * 131);

function logFor(index: number): { text: string; updatedAt: number } {
  const id = `c_bench${index}`;
  const lines: unknown[] = [{ v: 1, t: 'conversation', id, title: `Conversation ${index} about ${word()}`, createdAt: index * 1000, system: ['You are helpful.'] }];
  for (let turn = 0; turn < TURNS; turn++) {
    const at = index * 1000 + turn;
    const user = `u${turn}`;
    const answer = `a${turn}`;
    lines.push({ t: 'turn', turn: { kind: 'user', id: user, ...(turn > 0 ? { parentId: `a${turn - 1}` } : {}), text: `How do I ${word()} the ${word()} ${word()}?`, createdAt: at } });
    lines.push({ t: 'turn', turn: { kind: 'assistant', id: answer, parentId: user, model: 'claude', text: '', thinking: '', status: 'streaming', createdAt: at } });
    let text = `${pick(pool)}\nSee ${id}x${turn}helper.`;
    const p = plantedIn.indexOf(index);
    if (p >= 0 && turn === 20) text = `${text.slice(0, 5000)} ${planted[p]} ${text.slice(5000)}`;
    for (let at2 = 0; at2 < text.length; at2 += 1500) lines.push({ t: 'delta', id: answer, text: text.slice(at2, at2 + 1500), ...(at2 === 0 ? { thinking: 'Let me think.' } : {}) });
    lines.push({ t: 'final', turn: { kind: 'assistant', id: answer, parentId: user, model: 'claude', text, thinking: 'Let me think.', status: 'done', createdAt: at, usage: { input_tokens: 10, output_tokens: 5000 } } });
  }
  return { text: lines.map((line) => JSON.stringify(line)).join('\n') + '\n', updatedAt: index * 1000 + TURNS };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'claude-studio-bench-history-'));
  try {
    await mkdir(join(dir, 'conversations'));
    let bytes = 0;
    const index: string[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const { text, updatedAt } = logFor(i);
      bytes += text.length;
      await writeFile(join(dir, 'conversations', `c_bench${i}.jsonl`), text);
      index.push(encodeSummary({ id: `c_bench${i}`, title: `Conversation ${i}`, createdAt: i * 1000, updatedAt, turnCount: TURNS * 2, preview: '' }));
    }
    await writeFile(join(dir, 'index.0.jsonl'), index.join(''));
    const rssBefore = process.memoryUsage().rss;
    const store = new HistoryStore({ fs: nodeHistoryFs, dir });
    const expect = (found: readonly { id: string }[], i: number): boolean => found.length === 1 && found[0]?.id === `c_bench${plantedIn[i] ?? 0}`;
    let start = performance.now();
    let pass = expect(await store.search(planted[0] ?? ''), 0);
    const firstSearchMs = performance.now() - start;
    const times: number[] = [];
    for (let i = 1; i < planted.length; i++) {
      // A partial word, as typed: the index matches inside words.
      const query = (planted[i] ?? '').slice(0, -2);
      start = performance.now();
      const found = await store.search(query);
      times.push(performance.now() - start);
      pass &&= expect(found, i);
    }
    global.gc?.();
    const rssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    const searchMs = median(times);
    store.dispose();
    console.log(`logs: ${CONVERSATIONS} x ${round(bytes / CONVERSATIONS / 2 ** 20, 2)} MB; searches: ${times.map((t) => round(t)).join(', ')} ms; RSS growth ${round(rssMb)} MB`);
    console.log(JSON.stringify({ bench: 'history', conversations: CONVERSATIONS, firstSearchMs: round(firstSearchMs), searchMs: round(searchMs), rssMb: round(rssMb), pass: pass && searchMs < TARGET_MS }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
