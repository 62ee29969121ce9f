import * as vscode from 'vscode';
import { rememberSecrets } from '../core/anthropic/redact';
import { DisposableStore } from './disposable';

const SECRET_KEY = 'claudeStudio.anthropicApiKey';
/** Microsoft Foundry's key is another service's secret: kept apart, never sent to the Anthropic API. */
const FOUNDRY_SECRET_KEY = 'claudeStudio.foundryApiKey';

/** Whose key: the Anthropic API's, or the Foundry resource's. */
export type ApiKeySlot = 'anthropic' | 'foundry';

/** Where the key in use came from; shown to the user, never the key itself. */
export type ApiKeySource = 'secretStorage' | 'environment';

/**
 * The Anthropic API key, or the Foundry key when the provider is Foundry (`slot`): kept in VS
 * Code's SecretStorage (the OS keychain), with `ANTHROPIC_API_KEY` (`ANTHROPIC_FOUNDRY_API_KEY`)
 * from the environment as the fallback. The key is never written to settings, state, logs or the
 * webview.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly _onDidChange = this.disposables.add(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly slot: () => ApiKeySlot = () => 'anthropic',
  ) {
    this.disposables.add(
      secrets.onDidChange((event) => {
        if (event.key === SECRET_KEY || event.key === FOUNDRY_SECRET_KEY) this._onDidChange.fire();
      }),
    );
  }

  private get secretKey(): string {
    return this.slot() === 'foundry' ? FOUNDRY_SECRET_KEY : SECRET_KEY;
  }

  async get(): Promise<{ key: string; source: ApiKeySource } | undefined> {
    const stored = (await this.secrets.get(this.secretKey))?.trim();
    const fromEnv = (this.slot() === 'foundry' ? this.env.ANTHROPIC_FOUNDRY_API_KEY : this.env.ANTHROPIC_API_KEY)?.trim();
    const found: { key: string; source: ApiKeySource } | undefined = stored
      ? { key: stored, source: 'secretStorage' }
      : fromEnv
        ? { key: fromEnv, source: 'environment' }
        : undefined;
    // Whatever its format, the key in use is redacted from every error text stored or shown.
    if (found !== undefined) rememberSecrets([found.key]);
    return found;
  }

  async set(key: string): Promise<void> {
    rememberSecrets([key]);
    await this.secrets.store(this.secretKey, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(this.secretKey);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/** A light shape check, so an obvious paste mistake is caught before the first request. */
export function validateApiKeyInput(value: string, slot: ApiKeySlot = 'anthropic'): string | undefined {
  const key = value.trim();
  const foundry = slot === 'foundry';
  if (key === '') return foundry ? vscode.l10n.t('Paste the API key of your Microsoft Foundry resource.') : vscode.l10n.t('Paste your Anthropic API key.');
  if (/\s/.test(key)) return vscode.l10n.t('The key should not contain spaces or line breaks.');
  if (key.length < 16) return foundry ? vscode.l10n.t('That looks too short for a Microsoft Foundry API key.') : vscode.l10n.t('That looks too short for an Anthropic API key.');
  if (!foundry && key.length < 20) return vscode.l10n.t('That looks too short for an Anthropic API key.');
  return undefined;
}
