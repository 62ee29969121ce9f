/**
 * Entry point of the in-host suite: VS Code loads this module in a real extension host (code-server
 * here, @vscode/test-electron where VS Code can be downloaded) and awaits `run()`.
 */
import Mocha from 'mocha';
import { registerCommandsSuite } from './commands.suite';
import { registerSettingsSuite } from './settings.suite';
import { registerChatSuite } from './chat.suite';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  // The suites are bundled, not loaded from files: give them mocha's globals first.
  mocha.suite.emit('pre-require', globalThis, 'claude-studio-host-suite', mocha);
  registerCommandsSuite();
  registerSettingsSuite();
  registerChatSuite();
  const runner = await new Promise<Mocha.Runner>((resolve) => {
    const started = mocha.run(() => resolve(started));
  });
  const stats = runner.stats ?? { passes: 0, failures: 1, pending: 0 };
  // The harnesses read this line to report a count even when the host's exit code is all they get.
  // A skipped test is not a passed one, and a run that passed nothing proved nothing.
  console.log(`${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
  if (stats.failures > 0) throw new Error(`${stats.failures} in-host test(s) failed`);
  if (stats.pending > 0) throw new Error(`${stats.pending} in-host test(s) were skipped; every one must run`);
  if (stats.passes === 0) throw new Error('the in-host suite ran no tests');
}
