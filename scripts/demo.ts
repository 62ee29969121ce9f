/**
 * `npm run demo`: builds the .vsix, starts a real VS Code (code-server) with it on a copy of the
 * sample workspace, and prints the URL to open. With ANTHROPIC_API_KEY set it talks to the
 * Anthropic API; without it, it starts the local test server in a clearly labelled offline demo
 * mode with scripted answers. Ctrl+C stops everything it started.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../test/e2e/harness/artifacts';
import type { CodeServerHandle } from '../test/e2e/harness/codeServer';
import { ensureCodeServer, startCodeServer } from '../test/e2e/harness/codeServer';
import type { TestServer } from '../test/server';
import { startTestServer } from '../test/server';

const VSIX = path.join(REPO_ROOT, 'out', 'claude-studio.vsix');
const STATE = path.join(process.env.CLAUDE_STUDIO_CACHE ?? path.join(os.homedir(), '.cache', 'claude-studio'), 'demo');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  say('Claude Studio demo: packaging the extension…');
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  say('Preparing VS Code (code-server; the first run installs it, about 2-3 minutes)…');
  await ensureCodeServer();

  const realKey = process.env.ANTHROPIC_API_KEY?.trim();
  let server: TestServer | undefined;
  const settings: Record<string, unknown> = { 'workbench.colorTheme': 'Dark Modern' };
  const env: Record<string, string> = {};
  if (realKey) {
    env.ANTHROPIC_API_KEY = realKey;
  } else {
    server = await startTestServer({ responder: 'demo', batchProcessingMs: 8000 });
    settings['claudeStudio.baseURL'] = server.url;
    env.ANTHROPIC_API_KEY = server.apiKey;
  }

  // A copy, so trying "Apply" on an answer never edits the repository's own sample files.
  const workspace = path.join(STATE, 'workspace');
  if (!fs.existsSync(workspace)) fs.cpSync(path.join(REPO_ROOT, 'demo', 'workspace'), workspace, { recursive: true });
  const userDataDir = path.join(STATE, 'user-data');
  const extensionsDir = path.join(STATE, 'extensions');
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.rmSync(extensionsDir, { recursive: true, force: true });

  const started: { codeServer?: CodeServerHandle } = {};
  const stop = async (): Promise<void> => {
    await started.codeServer?.stop();
    await server?.close();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));

  const codeServer = await startCodeServer({ vsixPaths: [VSIX], workspace, userSettings: settings, env, userDataDir, extensionsDir, label: 'demo' });
  started.codeServer = codeServer;
  say('');
  say(realKey ? 'Using the Anthropic API with ANTHROPIC_API_KEY from your environment.' : 'OFFLINE DEMO: no ANTHROPIC_API_KEY, so answers come from the local test server (scripted, free).');
  if (server) say(`  test server: ${server.url}`);
  say(`Open this URL in your browser:\n\n  ${codeServer.url}\n`);
  say('Then click the Claude Studio icon in the activity bar, or select code and right-click "Explain Selection".');
  say('Press Ctrl+C to stop.');
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  if (/krb5|gssapi/i.test(String(error))) process.stderr.write('code-server needs Debian\'s libkrb5-dev: apt-get install libkrb5-dev\n');
  process.exitCode = 1;
});
