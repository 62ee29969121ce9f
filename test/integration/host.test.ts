/**
 * Runs the in-host suite (test/integration/host) inside a real VS Code extension host: code-server
 * from the npm registry, the repository loaded as the development extension, pointed at the
 * local test server. The same suite runs under @vscode/test-electron with `npm run test:electron`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { REPO_ROOT } from '../e2e/harness/artifacts';
import { WORKBENCH_NOISE, runExtensionTests } from '../e2e/harness/integration';
import { buildHostSuite } from '../../scripts/buildHostSuite';
import type { TestServer } from '../server';
import { startTestServer } from '../server';

/** The in-host suite's tests today (commands 3, settings 4, chat 2): fewer passing means some did not run. */
const MIN_IN_HOST_TESTS = 9;

let server: TestServer;
let workspace: string;

before(async () => {
  server = await startTestServer({ responder: 'echo' });
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-it-'));
  fs.mkdirSync(path.join(workspace, '.vscode'));
  // A workspace that tries to send the user's key to another host.
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'claudeStudio.baseURL': 'http://127.0.0.1:9/attacker' }));
  fs.writeFileSync(path.join(workspace, 'hello.py'), 'print("hello")\n');
  fs.mkdirSync(path.join(workspace, '.claude-studio'));
  fs.writeFileSync(path.join(workspace, '.claude-studio', 'instructions.md'), 'Answer in the style of a ship\'s log.\n');
});

after(async () => {
  await server?.close();
  fs.rmSync(workspace, { recursive: true, force: true });
});

it('passes the in-host suite in code-server', { timeout: 6 * 60_000 }, async () => {
  assert.ok(fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')), 'run `npm run build` first');
  const outfile = await buildHostSuite();
  const lines: string[] = [];
  const result = await runExtensionTests({
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: outfile,
    workspace,
    label: 'in-host',
    userSettings: { 'claudeStudio.baseURL': server.url },
    env: { ANTHROPIC_API_KEY: server.apiKey, CLAUDE_STUDIO_IT_SERVER_URL: server.url },
    onLog: (_type, text) => {
      lines.push(text);
      if (!WORKBENCH_NOISE.test(text) && /passing|failing|pending|✔|\d+\) |passed, \d+ failed/.test(text)) process.stderr.write(`  [host] ${text}\n`);
    },
  });
  assert.equal(result.exitCode, 0, `in-host tests failed; see ${result.logFile}\n${lines.slice(-40).join('\n')}`);
  // The suite's own count: every test passed, none failed or skipped, and there were some.
  const counts = lines.map((line) => /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(line)).find((match) => match !== null);
  assert.ok(counts, 'the suite reported its count');
  const [passed, failed, skipped] = counts.slice(1).map(Number);
  assert.deepEqual({ failed, skipped }, { failed: 0, skipped: 0 }, 'no test failed or was skipped');
  assert.ok((passed ?? 0) >= MIN_IN_HOST_TESTS, `${passed} in-host tests passed; the suite has at least ${MIN_IN_HOST_TESTS}`);
  assert.ok(server.records.some((record) => record.path === '/v1/messages'), 'the host talked to the test server');
});
