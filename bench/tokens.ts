/**
 * Token estimate benchmark (`npm run bench:tokens`): how long does the local estimate of a 1 MB
 * file take? It runs on every keystroke of the draft and every cursor move over a file, so it
 * must stay far below a frame (the target: under 5 ms).
 *
 * Two 1 MB texts (exactly 1,048,576 UTF-8 bytes) of generated TypeScript: plain ASCII, and the
 * same code with non-ASCII comments every eighth line (German, Japanese, Russian, emoji).
 * Each is timed over many runs after a warm-up; medians are reported. The same-run baseline is
 * `Buffer.byteLength(text)`, a native single pass over the same text (`text.length` is O(1) and
 * would time nothing). For context the table also shows the content hash of a request that size,
 * which the status item computes per change. The last line printed is one JSON object.
 *
 * Options: --runs N (301).
 */
import { performance } from 'node:perf_hooks';
import { estimateTokens } from '../src/core/tokens/estimate';
import { requestKey } from '../src/core/tokens/requestKey';
import { sourceFile } from './sourceText';

const BYTES = 1_048_576;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Math.max(11, Number(process.argv[runsFlag + 1]) || 301) : 301;
const WARMUP = 30;

/** Cuts or pads `text` to exactly `bytes` UTF-8 bytes without splitting a character. */
function toBytes(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) < bytes) out += text;
  let buffer = Buffer.from(out).subarray(0, bytes);
  while (buffer.toString('utf8').includes('\uFFFD')) buffer = buffer.subarray(0, buffer.length - 1);
  const trimmed = buffer.toString('utf8');
  return trimmed + ' '.repeat(bytes - Buffer.byteLength(trimmed));
}

const ascii = toBytes(sourceFile('src/big/module.ts', 7, BYTES), BYTES);
const COMMENTS = ['// Größe prüfen — naïve Schätzung', '// 東京の注文を検証する', '// Проверка размера заказа', '// ✓ done 🚀'];
const mixed = toBytes(
  ascii
    .split('\n')
    .map((line, i) => (i % 8 === 0 ? `${line} ${COMMENTS[(i / 8) % COMMENTS.length] ?? ''}` : line))
    .join('\n'),
  BYTES,
);

let sink = 0;

/** Median milliseconds of `fn` over RUNS runs, after a warm-up. */
function median(fn: () => number): number {
  for (let i = 0; i < WARMUP; i++) sink += fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    sink += fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const rows: { text: string; estimateMs: number; baselineMs: number; tokens: number }[] = [];
for (const [name, text] of [['ascii', ascii], ['mixed', mixed]] as const) {
  rows.push({
    text: name,
    estimateMs: median(() => estimateTokens(text)),
    baselineMs: median(() => Buffer.byteLength(text, 'utf8')),
    tokens: estimateTokens(text),
  });
}
const request = { model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: [{ type: 'text', text: ascii }] }] };
const hashMs = median(() => requestKey(request).length);

const fmt = (ms: number): string => ms.toFixed(4).padStart(9);
console.log(`estimateTokens over ${BYTES.toLocaleString('en-US')} bytes, median of ${RUNS} runs (node ${process.version})`);
console.log('text    estimate ms  byteLength ms  ratio   tokens');
for (const row of rows) {
  console.log(`${row.text.padEnd(6)} ${fmt(row.estimateMs)}    ${fmt(row.baselineMs)}    ${(row.estimateMs / row.baselineMs).toFixed(2).padStart(5)}  ${row.tokens}`);
}
console.log(`content hash (sha256 of canonical JSON) of a 1 MB request: ${hashMs.toFixed(3)} ms`);
if (sink === -1) console.log('');

// The worse of the two texts is the figure that has to meet the target.
const worst = rows.reduce((a, b) => (b.estimateMs > a.estimateMs ? b : a));
console.log(
  JSON.stringify({
    bench: 'tokens',
    bytes: BYTES,
    estimateMs: Number(worst.estimateMs.toFixed(4)),
    baselineMs: Number(worst.baselineMs.toFixed(4)),
    ratio: Number((worst.estimateMs / worst.baselineMs).toFixed(2)),
    pass: worst.estimateMs < 5,
  }),
);
