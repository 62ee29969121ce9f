import * as vscode from 'vscode';
import type { ModelEntry } from '../core/anthropic/catalog';
import type { Config } from '../core/config/config';
import { parseConfig } from '../core/config/config';
import { parseNetworkSettings } from '../core/net/network';
import type { NetworkSettings } from '../core/net/network';
import { DisposableStore } from './disposable';
import { readRawSetting } from './rawSettings';

const SECTION = 'claudeStudio';
/** VS Code's own network settings (`http.proxy`, `http.noProxy`, ...), which every request honours. */
const HTTP_SECTION = 'http';

/** The one typed view of the settings, re-parsed when they change. */
export class Settings implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<Config>());
  readonly onDidChange = this._onDidChange.event;
  private cached?: { config: Config; problems: string[] };
  private cachedNetwork?: NetworkSettings;
  /** The Models API's catalog once loaded; the built-in one until then. */
  private catalog?: readonly ModelEntry[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        const network = event.affectsConfiguration(HTTP_SECTION);
        if (network) this.cachedNetwork = undefined;
        if (!event.affectsConfiguration(SECTION) && !network) return;
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

  /**
   * VS Code's `http.*` settings. They are application- or machine-scoped in VS Code; only the
   * user's (global) value is read all the same, so a workspace cannot route requests.
   */
  get network(): NetworkSettings {
    if (this.cachedNetwork === undefined) {
      const configuration = vscode.workspace.getConfiguration(HTTP_SECTION);
      const parsed = parseNetworkSettings((key) => {
        const inspected = configuration.inspect(key);
        return inspected?.globalValue ?? inspected?.defaultValue;
      });
      for (const problem of parsed.problems) this.log.warn(`Setting ignored: ${problem}`);
      this.cachedNetwork = parsed.settings;
    }
    return this.cachedNetwork;
  }

  /** Human-readable problems with the current values (each was replaced by a safe value). */
  get problems(): readonly string[] {
    return this.load().problems;
  }

  /**
   * Fits thinking, effort and limits to what the API says the model takes (a model the built-in
   * catalog does not know, or knows differently): the API refuses a thinking type the model lacks.
   */
  useCatalog(catalog: readonly ModelEntry[]): void {
    if (this.catalog === catalog) return;
    const before = this.cached === undefined ? undefined : JSON.stringify(this.cached.config);
    this.catalog = catalog;
    this.cached = undefined;
    if (before !== undefined && JSON.stringify(this.current) !== before) this._onDidChange.fire(this.current);
  }

  /**
   * The settings as they would read with `model` chosen: thinking, effort and limits fitted to it
   * (a regenerated answer with another model). Nothing is written or logged.
   */
  forModel(model: string): Config {
    const current = this.current;
    if (model === current.model) return current;
    const configuration = vscode.workspace.getConfiguration(SECTION);
    const trusted = vscode.workspace.isTrusted;
    const raw = (key: string): unknown => (key === 'model' ? model : readRawSetting(configuration, key, trusted));
    return parseConfig(raw, this.catalog ? { catalog: this.catalog } : {}).config;
  }

  private load(): { config: Config; problems: string[] } {
    if (this.cached === undefined) {
      const configuration = vscode.workspace.getConfiguration(SECTION);
      const trusted = vscode.workspace.isTrusted;
      this.cached = parseConfig((key) => readRawSetting(configuration, key, trusted), this.catalog ? { catalog: this.catalog } : {});
      for (const problem of this.cached.problems) this.log.warn(`Setting ignored: ${problem}`);
    }
    return this.cached;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
