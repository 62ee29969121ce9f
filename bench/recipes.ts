/**
 * Recipe cache benchmark (`npm run bench:recipes`): runs "Multi-persona analysis" (5 personas, a
 * ~6k-token selection) through the real SDK against the local test server's cache accounting,
 * twice: as the engine does it (the first view alone, writing the shared prefix, then the others
 * side by side reading it) and with every view started at once (each one misses and writes its own
 * copy: the server, like the API, makes a write readable only once its response has begun).
 * Prints a table and then one JSON line (always the last line).
 */
import Anthropic from '@anthropic-ai/sdk';
import { findModel } from '../src/core/anthropic/catalog';
import type { ModelEntry } from '../src/core/anthropic/modelTypes';
import { BUILTIN_PERSONAS, builtinRecipes } from '../src/core/recipes/builtins';
import { runRecipe } from '../src/core/recipes/engine';
import type { Complete } from '../src/core/recipes/types';
import { startTestServer } from '../test/server';

const model = findModel('claude-sonnet-5-5') as ModelEntry;
const recipe = builtinRecipes().find((r) => r.id === 'personas');
if (recipe === undefined) throw new Error('no personas recipe');
const material = `\`src/big.ts\` (lines 1-400):\n\n\`\`\`ts\n${Array.from({ length: 400 }, (_, i) => `export function step${i}(input: number): number { return input * ${i} + 1; }`).join('\n')}\n\`\`\``;

interface Row { strategy: string; requests: number; cacheWrite: number; cacheRead: number; input: number; costUsd: number; wallMs: number }

async function measure(strategy: 'firstAlone' | 'allAtOnce'): Promise<Row> {
  const server = await startTestServer({ latencyMs: 50, promptProcessingMs: 200 });
  try {
    const client = new Anthropic({ apiKey: server.apiKey, baseURL: server.url, maxRetries: 0 });
    const complete: Complete = (params, signal) => client.messages.create(params, signal ? { signal } : {});
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
const rows = [await measure('firstAlone'), await measure('allAtOnce')];
console.log('strategy    requests  cacheWrite  cacheRead  input  cost($)   wall(ms)');
for (const r of rows) {
  console.log(`${r.strategy.padEnd(11)} ${String(r.requests).padStart(8)} ${String(r.cacheWrite).padStart(11)} ${String(r.cacheRead).padStart(10)} ${String(r.input).padStart(6)}  ${r.costUsd.toFixed(6)} ${String(r.wallMs).padStart(9)}`);
}
const [first, all] = rows as [Row, Row];
console.log(JSON.stringify({ bench: 'recipes', firstAlone: first, allAtOnce: all, costRatio: Number((first.costUsd / all.costUsd).toFixed(3)), wallRatio: Number((first.wallMs / all.wallMs).toFixed(3)) }));
}

void main();
