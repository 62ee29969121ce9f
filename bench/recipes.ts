/**
 * Recipe cache benchmark (`npm run bench:recipes`): runs "Multi-persona analysis" (5 personas, a
 * ~6k-token selection) through the real SDK against the local test server's cache accounting,
 * three ways: as the engine does it (the first view alone, the others side by side once its
 * response has begun, reading the prefix it wrote), the same but waiting for the first view's
 * whole reply, and with every view started at once (each one misses and writes its own
 * copy: the server, like the API, makes a write readable only once its response has begun).
 * Prints a table and then one JSON line (always the last line). Its `pass` needs the engine's way
 * to read as much of the cache as waiting for the first view's end does (the others start once the
 * first response has begun, and its write is readable then), and to cost less than every view at once.
 */
import Anthropic from '@anthropic-ai/sdk';
import { findModel } from '../src/core/anthropic/catalog';
import type { ModelEntry } from '../src/core/anthropic/modelTypes';
import { BUILTIN_PERSONAS, builtinRecipes } from '../src/core/recipes/builtins';
import { runRecipe } from '../src/core/recipes/engine';
import { sdkComplete } from '../src/core/recipes/sdkComplete';
import type { Complete } from '../src/core/recipes/types';
import { startTestServer } from '../test/server';

const model = findModel('claude-sonnet-5-5') as ModelEntry;
const recipe = builtinRecipes().find((r) => r.id === 'personas');
if (recipe === undefined) throw new Error('no personas recipe');
const material = `\`src/big.ts\` (lines 1-400):\n\n\`\`\`ts\n${Array.from({ length: 400 }, (_, i) => `export function step${i}(input: number): number { return input * ${i} + 1; }`).join('\n')}\n\`\`\``;

interface Row { strategy: string; requests: number; cacheWrite: number; cacheRead: number; input: number; costUsd: number; wallMs: number }

async function measure(strategy: 'firstAlone' | 'firstEnds' | 'allAtOnce'): Promise<Row> {
  // 50 ms to first byte, 200 ms reading the prompt, then ~400 ms writing the answer.
  const server = await startTestServer({ latencyMs: 50, promptProcessingMs: 200, responder: () => ({ text: 'A point worth making. '.repeat(40), chunkSize: 22, chunkDelayMs: 10 }) });
  try {
    const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
    // "First ends": a transport that cannot tell when a response begins, so the rest wait for its end.
    const streaming = sdkComplete(client, { stallTimeoutMs: 60_000 });
    const complete: Complete = strategy === 'firstEnds' ? (params, signal) => streaming(params, signal) : streaming;
    // "All at once" is the engine with the prefix judged too short to be worth waiting for.
    const asModel = strategy === 'allAtOnce' ? { ...model, minCacheableTokens: Number.MAX_SAFE_INTEGER } : model;
    const started = Date.now();
    const result = await runRecipe(recipe!, { material, personas: BUILTIN_PERSONAS.slice(0, 5) }, { complete, model: asModel, concurrency: 5 });
    const wallMs = Date.now() - started;
    const usage = server.records.filter((r) => r.path === '/v1/messages').map((r) => r.usage);
    return {
      strategy,
      requests: usage.length,
      cacheWrite: usage.reduce((n, u) => n + (u?.cache_creation_input_tokens ?? 0), 0),
      cacheRead: usage.reduce((n, u) => n + (u?.cache_read_input_tokens ?? 0), 0),
      input: usage.reduce((n, u) => n + (u?.input_tokens ?? 0), 0),
      costUsd: result.costUsd,
      wallMs,
    };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
const rows = [await measure('firstAlone'), await measure('firstEnds'), await measure('allAtOnce')];
console.log('strategy    requests  cacheWrite  cacheRead  input  cost($)   wall(ms)');
for (const r of rows) {
  console.log(`${r.strategy.padEnd(11)} ${String(r.requests).padStart(8)} ${String(r.cacheWrite).padStart(11)} ${String(r.cacheRead).padStart(10)} ${String(r.input).padStart(6)}  ${r.costUsd.toFixed(6)} ${String(r.wallMs).padStart(9)}`);
}
const [first, ends, all] = rows as [Row, Row, Row];
const ratio = (a: number, b: number): number => Number((a / b).toFixed(3));
const checks = {
  readsLikeWaitingForEnd: first.cacheRead === ends.cacheRead && first.cacheWrite === ends.cacheWrite,
  cheaperThanAllAtOnce: first.costUsd < all.costUsd,
};
const pass = Object.values(checks).every(Boolean);
console.log(JSON.stringify({
  bench: 'recipes', firstAlone: first, firstEnds: ends, allAtOnce: all,
  costRatio: ratio(first.costUsd, all.costUsd), wallRatio: ratio(first.wallMs, all.wallMs), wallRatioWaitingForEnd: ratio(ends.wallMs, all.wallMs),
  checks, pass,
}));
if (!pass) process.exitCode = 1;
}

void main();
