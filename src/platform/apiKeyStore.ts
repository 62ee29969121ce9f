import * as vscode from 'vscode';
import { rememberSecrets } from '../core/anthropic/redact';
import { DisposableStore } from './disposable';

const SECRET_KEY = 'claudeStudio.anthropicApiKey';

/** Where the key in use came from; shown to the user, never the key itself. */
export type ApiKeySource = 'secretStorage' | 'environment';

/**
 * The Anthropic API key: kept in VS Code's SecretStorage (the OS keychain), with
 * `ANTHROPIC_API_KEY` from the environment as the fallback. The key is never written to
 * settings, state, logs or the webview.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.disposables.add(
      secrets.onDidChange((event) => {
        if (event.key === SECRET_KEY) this._onDidChange.fire();
      }),
    );
  }

  async get(): Promise<{ key: string; source: ApiKeySource } | undefined> {
    const stored = (await this.secrets.get(SECRET_KEY))?.trim();
    const found: { key: string; source: ApiKeySource } | undefined = stored
      ? { key: stored, source: 'secretStorage' }
      : this.env.ANTHROPIC_API_KEY?.trim()
        ? { key: this.env.ANTHROPIC_API_KEY.trim(), source: 'environment' }
        : undefined;
    // Whatever its format, the key in use is redacted from every error text stored or shown.
    if (found !== undefined) rememberSecrets([found.key]);
    return found;
  }

  async set(key: string): Promise<void> {
    rememberSecrets([key]);
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/** A light shape check, so an obvious paste mistake is caught before the first request. */
export function validateApiKeyInput(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return 'Paste your Anthropic API key.';
  if (/\s/.test(key)) return 'The key should not contain spaces or line breaks.';
  if (key.length < 20) return 'That looks too short for an Anthropic API key.';
  return undefined;
}
