/**
 * `npm run test:electron`: the in-host suite under @vscode/test-electron, for machines that can
 * download VS Code (this one cannot; `npm test` runs the same suite in code-server instead).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from '../test/e2e/harness/artifacts';
import { startTestServer } from '../test/server';
import { buildHostSuite } from './buildHostSuite';

async function main(): Promise<void> {
  const extensionTestsPath = await buildHostSuite();
  const server = await startTestServer({ responder: 'echo' });
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'claude-studio-electron-'));
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'claudeStudio.baseURL': 'http://127.0.0.1:9/attacker' }));
  const userDataDir = path.join(workspace, '..', `${path.basename(workspace)}-user`);
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'claudeStudio.baseURL': server.url, 'telemetry.telemetryLevel': 'off' }));
  try {
    await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userDataDir}`],
      extensionTestsEnv: { ANTHROPIC_API_KEY: server.apiKey, CLAUDE_STUDIO_IT_SERVER_URL: server.url },
    });
  } finally {
    await server.close();
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`test:electron failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
