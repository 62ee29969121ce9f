/**
 * Self-check of the e2e harness against a throwaway extension:
 *   node --import tsx test/e2e/harness/selfcheck.ts
 *
 * Builds a tiny extension (command `demo.hello`, a webview view, a status bar
 * item, an onStartupFinished probe) into a temp dir, packages it with vsce,
 * installs it into code-server, drives the workbench with chromium, restarts
 * code-server, and checks that no code-server or chromium process is left.
 */
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, resetArtifacts } from './artifacts';
import { findWebviewFrame, openWorkbench, runCommand, screenshot, setColorTheme, themeSettings, withFailureDump, currentThemeKind } from './browser';
import { ensureCodeServer, leftoverProcesses, startCodeServer, type CodeServerHandle } from './codeServer';
import { runExtensionTests } from './integration';
import type { Workbench } from './browser';

const EXT_JS = String.raw`
const vscode = require('vscode');
const fs = require('fs');
let count = 0;
exports.activate = function (context) {
  const probe = process.env.DEMO_PROBE_FILE;
  if (probe) {
    fs.writeFileSync(probe, JSON.stringify({
      pid: process.pid,
      envProbe: process.env.DEMO_ENV_PROBE ?? null,
      itResults: process.env.CLAUDE_STUDIO_IT_RESULTS ?? null,
      activatedAt: new Date().toISOString(),
      vscodeVersion: vscode.version,
      appHost: vscode.env.appHost,
      uiKind: vscode.env.uiKind,
    }));
  }
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 1000);
  item.text = 'Demo ready';
  item.show();
  context.subscriptions.push(item);
  let view;
  context.subscriptions.push(vscode.window.registerWebviewViewProvider('demo.view', {
    resolveWebviewView(v) {
      view = v;
      v.webview.options = { enableScripts: true };
      v.webview.html = '<!DOCTYPE html><html><head><meta charset="utf-8">'
        + '<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground)} #greeting{font-size:20px;padding:8px;border:1px solid var(--vscode-focusBorder)}</style>'
        + '</head><body><div id="demo-root"><h3>Demo webview</h3><div id="greeting">waiting</div>'
        + '<textarea id="demo-input" placeholder="Ask something"></textarea></div>'
        + '<script>const vscodeApi = acquireVsCodeApi();'
        + 'window.addEventListener("message", e => { document.getElementById("greeting").textContent = e.data.text; });'
        + 'vscodeApi.postMessage({ ready: true });</script></body></html>';
      v.webview.onDidReceiveMessage(() => { if (count > 0) v.webview.postMessage({ text: 'Hello from command ' + count }); });
    },
  }));
  context.subscriptions.push(vscode.commands.registerCommand('demo.hello', async () => {
    count++;
    await vscode.commands.executeCommand('demo.view.focus');
    const deadline = Date.now() + 10000;
    while (!view && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
    if (view) view.webview.postMessage({ text: 'Hello from command ' + count });
    vscode.window.showInformationMessage('Demo says hello ' + count);
  }));
};
exports.deactivate = function () {};
`;

const EXT_PACKAGE = {
  name: 'harness-demo',
  displayName: 'Harness Demo',
  description: 'Throwaway extension for the e2e harness self-check',
  version: '0.0.1',
  publisher: 'claude-studio-harness',
  license: 'MIT',
  engines: { vscode: '^1.90.0' },
  main: './extension.js',
  activationEvents: ['onStartupFinished'],
  contributes: {
    commands: [{ command: 'demo.hello', title: 'Hello', category: 'Demo' }],
    viewsContainers: { activitybar: [{ id: 'demo', title: 'Demo', icon: 'icon.svg' }] },
    views: { demo: [{ type: 'webview', id: 'demo.view', name: 'Demo View' }] },
  },
};

const ICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2"/></svg>';

/** Tests module for the extension host (`run()` is what VS Code calls). */
const IT_INDEX_JS = String.raw`
const fs = require('fs');
exports.run = async function () {
  const vscode = require('vscode');
  const ext = vscode.extensions.getExtension('claude-studio-harness.harness-demo');
  await ext.activate();
  await vscode.commands.executeCommand('demo.hello');
  const cmds = await vscode.commands.getCommands(true);
  const result = {
    passed: ext.isActive && cmds.includes('demo.hello') && process.env.DEMO_ENV_PROBE === 'it-env',
    extensionPath: ext.extensionPath,
    env: process.env.DEMO_ENV_PROBE,
  };
  console.log('in-host test result: ' + JSON.stringify(result));
  fs.writeFileSync(process.env.IT_RESULTS, JSON.stringify(result));
  if (!result.passed) throw new Error('in-host check failed');
};
`;

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** Temp dirs of this self-check, removed on exit. */
const tmpDirs: string[] = [];
process.on('exit', () => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function mkTemp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

function step(msg: string): void {
  process.stderr.write(`[selfcheck] ${msg}\n`);
}

function buildDemoVsix(): string {
  const dir = mkTemp('harness-demo-ext-');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(EXT_PACKAGE, null, 2));
  fs.writeFileSync(path.join(dir, 'extension.js'), EXT_JS);
  fs.writeFileSync(path.join(dir, 'icon.svg'), ICON_SVG);
  fs.writeFileSync(path.join(dir, 'README.md'), '# Harness demo\n\nThrowaway extension used by the e2e harness self-check.\n');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const vsix = path.join(dir, 'harness-demo.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error(`vsce package failed: ${r.stdout}\n${r.stderr}`);
  return vsix;
}

async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    if (Date.now() > deadline) throw new Error(`${file} not written in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return fs.readFileSync(file, 'utf8');
}

async function main(): Promise<void> {
  const before = await leftoverProcesses(0);
  if (before.length) throw new Error(`code-server/chromium already running; stop them first:\n${before.join('\n')}`);
  const artifacts = resetArtifacts();
  const timings: Record<string, number> = {};
  let t = Date.now();
  const inst = await ensureCodeServer();
  timings.ensureCodeServerMs = Date.now() - t;
  step(`code-server ${inst.version} at ${inst.bin}`);

  const vsix = buildDemoVsix();
  step(`packaged ${vsix}`);
  const workspace = mkTemp('harness-ws-');
  fs.writeFileSync(path.join(workspace, 'hello.txt'), 'hello from the self-check workspace\n');
  const probeFile = path.join(mkTemp('harness-probe-'), 'probe.json');

  let server: CodeServerHandle | undefined;
  let wb: Workbench | undefined;
  try {
    t = Date.now();
    server = await startCodeServer({
      vsixPaths: [vsix],
      workspace,
      userSettings: themeSettings('dark'),
      env: { DEMO_PROBE_FILE: probeFile, DEMO_ENV_PROBE: 'reached-the-extension-host', CLAUDE_STUDIO_IT_RESULTS: '/tmp/it-results.json' },
      label: 'selfcheck-code-server',
    });
    timings.startCodeServerMs = Date.now() - t;
    const t1 = Date.now();
    wb = await openWorkbench(server.url, { label: 'selfcheck' });
    timings.browserToWorkbenchReadyMs = Date.now() - t1;
    timings.startToWorkbenchReadyMs = Date.now() - t;
    const page = wb.page;
    const html = await httpGet(server.url);
    if (!html.includes('extensionsGallery&quot;:{&quot;serviceUrl&quot;:&quot;&quot;}')) {
      throw new Error('extension gallery not disabled in the served product configuration');
    }
    step('served product configuration has extensionsGallery.serviceUrl "" (no marketplace)');

    await withFailureDump(page, 'selfcheck', async () => {
      // The extension was installed with --install-extension and should activate on onStartupFinished.
      const probe = JSON.parse(await waitForFile(probeFile, 30_000)) as Record<string, unknown>;
      timings.startToActivationMs = Date.now() - t;
      step(`extension host probe: ${JSON.stringify(probe)}`);
      if (probe.envProbe !== 'reached-the-extension-host') throw new Error('env var did not reach the extension host');

      await page.locator('[id="workbench.parts.statusbar"]').getByText('Demo ready').waitFor({ timeout: 15_000 });
      step('status bar item seen');

      await runCommand(page, 'Demo: Hello');
      const frame = await findWebviewFrame(page, '#demo-root');
      await frame.locator('#greeting', { hasText: 'Hello from command 1' }).waitFor({ timeout: 15_000 });
      const text = await frame.locator('#demo-root').innerText();
      step(`webview text: ${JSON.stringify(text)}`);
      const chain: string[] = [];
      for (let f: typeof frame | null = frame; f; f = f.parentFrame()) chain.push(f.url().replace(/\?.*/, '?…'));
      step(`webview frame chain (inner → outer):\n    ${chain.join('\n    ')}`);
      await frame.locator('#demo-input').fill('typed into the webview');
      await page.locator('.notifications-toasts').getByText('Demo says hello 1').waitFor({ timeout: 10_000 });
      step(`dark screenshot: ${await screenshot(page, 'selfcheck-dark')}`);

      await setColorTheme(page, 'light');
      step(`theme now ${await currentThemeKind(page)}; light screenshot: ${await screenshot(page, 'selfcheck-light')}`);

      // State across a restart: same dirs, same port; the page reconnects after reload.
      const tr = Date.now();
      await server!.restart();
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('[id="workbench.parts.statusbar"]').waitFor({ state: 'visible', timeout: 60_000 });
      timings.restartToWorkbenchReadyMs = Date.now() - tr;
      if ((await currentThemeKind(page)) !== 'light') throw new Error('theme choice did not survive the restart');
      await runCommand(page, 'Demo: Hello');
      const frame2 = await findWebviewFrame(page, '#demo-root');
      await frame2.locator('#greeting', { hasText: 'Hello from command 1' }).waitFor({ timeout: 15_000 });
      step('after restart: theme kept (light), command + webview work again');
      step(`restart screenshot: ${await screenshot(page, 'selfcheck-after-restart')}`);
    });
  } finally {
    const ts = Date.now();
    await wb?.close();
    await server?.stop();
    timings.stopMs = Date.now() - ts;
  }

  let left = await leftoverProcesses();
  if (left.length) throw new Error(`processes left behind after the UI part:\n${left.join('\n')}`);

  // In-host integration tests: extensionDevelopmentPath + extensionTestsPath.
  const testsDir = mkTemp('harness-it-');
  const resultsFile = path.join(testsDir, 'results.json');
  fs.writeFileSync(path.join(testsDir, 'index.js'), IT_INDEX_JS);
  const ti = Date.now();
  const it = await runExtensionTests({
    extensionDevelopmentPath: path.dirname(vsix),
    extensionTestsPath: path.join(testsDir, 'index.js'),
    workspace,
    env: { IT_RESULTS: resultsFile, DEMO_ENV_PROBE: 'it-env' },
    label: 'selfcheck-it',
  });
  timings.extensionTestsMs = Date.now() - ti;
  const results = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8') : 'MISSING';
  step(`extension tests: exit ${it.exitCode}; results ${results}`);
  if (it.exitCode !== 0 || !results.includes('"passed":true')) throw new Error('in-host extension tests did not pass');

  left = await leftoverProcesses();
  step(`timings: ${JSON.stringify(timings)}`);
  step(`artifacts: ${artifacts}`);
  if (left.length) throw new Error(`processes left behind:\n${left.join('\n')}`);
  step('no code-server or chromium process left. SELF-CHECK PASSED');
}

main().catch((err: unknown) => {
  process.stderr.write(`[selfcheck] FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
