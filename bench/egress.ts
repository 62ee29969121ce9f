/**
 * Egress gate benchmark (`npm run bench:egress`): what the gate adds to sending workspace
 * content, through the same core code the extension runs (src/core/egress).
 *
 * - scanMs: the secret scan (secretlint's recommended rules and the gate's own) of 1 MB of
 *   realistic TypeScript. Target: under 20 ms.
 * - readMs: beside it, decoding the same 1 MB (Buffer.toString), the least any send must do.
 * - plan10kMs: planning a 10,000-file pick through the gate (path rules on each path, real-path
 *   rules on the tenth that sit behind a symlink, a few links out of the workspace).
 * Medians over repeated runs (bench/stats.ts). The last line printed is one JSON object.
 * Options: --runs N (31).
 */
import { ExclusionRules, planPick } from '../src/core/context';
import type { PickedPath } from '../src/core/context';
import { EgressGate, scanSecrets } from '../src/core/egress';
import { sourceFile } from './sourceText';
import { medianTime, round, timingSink } from './stats';

const BYTES = 1_048_576;
const SCAN_TARGET_MS = 20;
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Math.max(5, Number(process.argv[runsFlag + 1]) || 31) : 31;
const WARMUP = 5;

const timed = (fn: () => Promise<number> | number): Promise<number> => medianTime(fn, RUNS, WARMUP);

async function main(): Promise<void> {
  let text = sourceFile('src/big/module.ts', 7, BYTES);
  while (Buffer.byteLength(text) < BYTES) text += text;
  const bytes = Buffer.from(text).subarray(0, BYTES);
  const source = bytes.toString('utf8');

  const found = await scanSecrets(source, 'src/big/module.ts');
  if (found.length !== 0) throw new Error(`the clean fixture has ${found.length} hits: ${JSON.stringify(found.slice(0, 3))}`);
  const scanMs = await timed(async () => (await scanSecrets(source, 'src/big/module.ts')).length + 1);
  const readMs = await timed(() => bytes.toString('utf8').length);

  const rules = new ExclusionRules({ userPatterns: ['generated/'], filesExclude: ['**/.git', '**/dist'], gitignores: [{ dir: '', content: 'node_modules/\n*.log\n' }] });
  const gate = new EgressGate(rules);
  let salt = 0;
  // Fresh paths each run, so no per-folder cache from an earlier run flatters the figure.
  const pick = (): PickedPath[] => {
    salt++;
    return Array.from({ length: 10_000 }, (_, i) => {
      const path = `src/r${salt}/m${i % 40}/sub${i % 7}/f${i}.ts`;
      if (i % 10 !== 0) return { path, explicit: false };
      const real = i % 1000 === 0 ? { inside: false, path: `/home/u/.aws/credentials${i}` } : { inside: true, path: `lib/r${salt}/real${i}.ts` };
      return { path, explicit: false, real };
    });
  };
  const plan10kMs = await timed(() => planPick(pick(), gate, 20_000).include.length);

  const result = { bench: 'egress', scanMs: round(scanMs, 2), readMs: round(readMs, 2), plan10kMs: round(plan10kMs, 1), pass: scanMs < SCAN_TARGET_MS };
  console.log(`secret scan of 1 MB: ${result.scanMs} ms (target ${SCAN_TARGET_MS} ms); decoding it: ${result.readMs} ms; planning a 10,000-file pick: ${result.plan10kMs} ms (runs: ${RUNS}, sink ${timingSink() % 10})`);
  console.log(JSON.stringify(result));
  if (!result.pass) process.exitCode = 1;
}

void main();
