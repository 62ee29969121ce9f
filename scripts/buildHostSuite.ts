/** Bundles the in-host test suite (test/integration/host) for a VS Code extension host. */
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../test/e2e/harness/artifacts';

export const HOST_SUITE = path.join(REPO_ROOT, 'out', 'test', 'host', 'index.js');

export async function buildHostSuite(): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test', 'integration', 'host', 'index.ts')],
    outfile: HOST_SUITE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // mocha is loaded from node_modules at run time; vscode is the host's own module.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return HOST_SUITE;
}
