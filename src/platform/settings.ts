import * as vscode from 'vscode';
import type { Config } from '../core/config/config';
import { parseConfig } from '../core/config/config';
import { DisposableStore } from './disposable';
import { readRawSetting } from './rawSettings';

const SECTION = 'claudeStudio';

/** The one typed view of the settings, re-parsed when they change. */
export class Settings implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<Config>());
  readonly onDidChange = this._onDidChange.event;
  private cached?: { config: Config; problems: string[] };

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SECTION)) return;
        this.cached = undefined;
        this._onDidChange.fire(this.current);
      }),
    );
    // Trust granted: the workspace's values of the restricted settings count from now on.
    this.disposables.add(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.cached = undefined;
        this._onDidChange.fire(this.current);
      }),
    );
  }

  get current(): Config {
    return this.load().config;
  }

  /** Human-readable problems with the current values (each was replaced by a safe value). */
  get problems(): readonly string[] {
    return this.load().problems;
  }

  private load(): { config: Config; problems: string[] } {
    if (this.cached === undefined) {
      const configuration = vscode.workspace.getConfiguration(SECTION);
      const trusted = vscode.workspace.isTrusted;
      this.cached = parseConfig((key) => readRawSetting(configuration, key, trusted));
      for (const problem of this.cached.problems) this.log.warn(`Setting ignored: ${problem}`);
    }
    return this.cached;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
