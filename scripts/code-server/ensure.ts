/**
 * Pre-warms the code-server cache used by the e2e harness:
 *   node --import tsx scripts/code-server/ensure.ts
 * Prints the install as JSON on stdout.
 */
import { ensureCodeServer } from '../../test/e2e/harness/codeServer';

const started = Date.now();
ensureCodeServer().then(
  (inst) => {
    process.stdout.write(`${JSON.stringify({ ...inst, seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
