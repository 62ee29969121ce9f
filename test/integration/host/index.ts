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
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  // The harnesses read this line to report a count even when the host's exit code is all they get.
  console.log(`${mocha.suite.total() - failures} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}
