import type Anthropic from '@anthropic-ai/sdk';
import * as l10n from '@vscode/l10n';
import type * as vscode from 'vscode';
import type { ModelEntry } from '../core/anthropic/catalog';
import { BUILTIN_MODELS, findModelFor } from '../core/anthropic/catalog';
import type { UsageLike } from '../core/anthropic/cost';
import { priceAnswer, type Price } from '../core/anthropic/price';
import { createCatalogLoader } from '../core/anthropic/catalogSource';
import { createClient } from '../core/anthropic/clientFactory';
import { hostError } from '../core/providers/foreignErrors';
import type { SdkErrorClasses } from '../core/providers/foreignErrors';
import { PROVIDER_CAPABILITIES } from '../core/providers/providers';
import type { Provider, ProviderCapabilities } from '../core/providers/providers';
import { buildCloudClient, endpointOf, providerContext } from './cloudClients';
import { providerIdentity } from '../core/providers/identity';
import type { ProviderIdentity } from '../core/providers/identity';
import { rememberSecrets } from '../core/anthropic/redact';
import { createNetworkFetch } from '../core/net/network';
import type { NetworkFetch, NetworkSettings } from '../core/net/network';
import { isLoopbackHost } from '../core/anthropic/loopback';
import { watchOfflineServer } from '../core/anthropic/offlineServer';
import { Emitter } from '../core/util/emitter';
import type { FriendlyError } from '../core/anthropic/errors';
import { describeError } from '../core/anthropic/errors';
import type { Config } from '../core/config/config';
import type { ApiKeyStore } from './apiKeyStore';
import type { Settings } from './settings';
import { DisposableStore } from './disposable';

/** Raised when no key is set: the chat shows onboarding instead of an error. */
export class MissingApiKeyError extends Error {
  override readonly name = 'MissingApiKeyError';
  constructor() {
    super(l10n.t('No Anthropic API key is set.'));
  }
}

/**
 * The one place that turns settings and the stored key into an SDK client, lazily (never at
 * activation) and again only when the key or a connection setting changes. Also owns the model
 * catalog and prices usage against it.
 */
export class AnthropicService implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private client?: { client: Anthropic; key: string; signature: string };
  private network?: { fetch: NetworkFetch; signature: string };
  /** The error classes of a provider client loaded from its own bundle (its own SDK copy). */
  private foreignErrors?: SdkErrorClasses;
  private readonly catalogLoader = createCatalogLoader();
  /** Whether a response of the current client came from the extension's own offline server. */
  private offlineSeen = false;
  private readonly _onDidSeeOfflineServer = new Emitter<void>();
  /** A response said it came from the offline test/demo server (the chat shows its badge). */
  readonly onDidSeeOfflineServer = this._onDidSeeOfflineServer.event;
  private catalog: readonly ModelEntry[] = BUILTIN_MODELS;

  constructor(private readonly settings: Settings, private readonly keys: ApiKeyStore) {
    this.disposables.add(keys.onDidChange(() => this.invalidate()));
    this.disposables.add(settings.onDidChange(() => (this.client = undefined)));
  }

  /** What the chosen provider offers: features it lacks ask here instead of failing. */
  get capabilities(): ProviderCapabilities {
    const config = this.settings.current;
    const table = PROVIDER_CAPABILITIES[config.provider];
    // Foundry signs in with a key or, by setting, with an Entra ID token (no key to wait for).
    return config.provider === 'foundry' && config.foundry.auth === 'entraId' ? { ...table, credentials: 'entraId' } : table;
  }

  async getClient(): Promise<Anthropic> {
    const provider = this.settings.current.provider;
    if (provider !== 'anthropic') return this.cloudClient(provider);
    const key = await this.keys.get();
    if (key === undefined) throw new MissingApiKeyError();
    const config = this.settings.current;
    const network = this.networkFetch(this.settings.network);
    const signature = JSON.stringify([config.baseURL, config.authHeader, config.customHeaders, config.request, config.allowInsecureHttp, this.network?.signature]);
    if (this.client?.signature !== signature || this.client.key !== key.key) {
      this.offlineSeen = false;
      const fetch = watchOfflineServer(network.fetch, () => {
        if (this.offlineSeen) return;
        this.offlineSeen = true;
        this._onDidSeeOfflineServer.fire();
      });
      this.client = { client: createClient({ ...clientOptions(key.key, config), fetch }), key: key.key, signature };
    }
    return this.client.client;
  }

  /**
   * Bedrock, Vertex AI or Foundry through its own lazily loaded bundle (cloudClients.ts). Typed as
   * the Anthropic client for the provider-blind code above; what the provider lacks (token
   * counting, batches, the Models API) is asked of {@link capabilities} before use.
   */
  private async cloudClient(provider: Exclude<Provider, 'anthropic'>): Promise<Anthropic> {
    const config = this.settings.current;
    let key = '';
    if (this.capabilities.credentials === 'apiKey') {
      const stored = await this.keys.get();
      if (stored === undefined) throw new MissingApiKeyError();
      key = stored.key;
    }
    const network = this.networkFetch(this.settings.network);
    const signature = JSON.stringify([provider, config[provider], config.request, this.network?.signature]);
    if (this.client?.signature !== signature || this.client.key !== key) {
      const common = { timeoutMs: config.request.timeoutSeconds * 1000, maxRetries: config.request.maxRetries, fetch: network.fetch };
      const built = await buildCloudClient(provider, config, common, key);
      this.foreignErrors = built.errors;
      this.client = { client: built.client, key, signature };
    }
    return this.client.client;
  }

  /** Whose key Set API Key asks for: the Anthropic API's, or the Foundry resource's (named in its prompts). */
  get keyService(): { readonly service: 'anthropic' } | { readonly service: 'foundry'; readonly resource: string } {
    const config = this.settings.current;
    return config.provider === 'foundry' ? { service: 'foundry', resource: config.foundry.resource } : { service: 'anthropic' };
  }

  /** Which service answers and as whom (never a secret), for the status bar and onboarding. */
  async identity(): Promise<ProviderIdentity> {
    const config = this.settings.current;
    const needsKey = this.capabilities.credentials === 'apiKey';
    const key = needsKey ? await this.keys.get().catch(() => undefined) : undefined;
    return providerIdentity(config, process.env, key?.source);
  }

  /**
   * True when the current client talks to the extension's own offline server (`npm run demo`,
   * the test server): it said so in a header, and `baseURL` is on this machine. A local proxy
   * in front of the real API says no such thing.
   */
  get offlineServer(): boolean {
    return this.offlineSeen && this.client !== undefined && isLoopback(this.settings.current.baseURL);
  }

  /** The catalog from the Models API when reachable, the built-in one otherwise. */
  async models(): Promise<readonly ModelEntry[]> {
    if (!this.capabilities.modelsApi) return this.catalog;
    try {
      const result = await this.catalogLoader.load(await this.getClient(), { timeoutMs: 10_000 });
      this.catalog = result.models;
      this.settings.useCatalog(result.models);
    } catch {
      // No key or no client yet: the built-in catalog is the answer.
    }
    return this.catalog;
  }

  /** The catalog entry for a model id, a provider's id for a catalog model included (see findModelFor). */
  model(id: string): ModelEntry | undefined {
    return findModelFor(id, this.catalog) ?? findModelFor(id);
  }

  /** What an answer cost; a model with no known price is {@link unknownPrice}, never $0. */
  price(usage: UsageLike, modelId: string, answeredBy?: string): Price {
    return priceAnswer(usage, modelId, (id) => this.model(id), answeredBy);
  }

  describe(raw: unknown): FriendlyError {
    const error = hostError(raw, this.foreignErrors);
    const config = this.settings.current;
    if (error instanceof MissingApiKeyError) {
      const message = config.provider === 'foundry' ? l10n.t('Set your Microsoft Foundry API key to start chatting.') : l10n.t('Set your Anthropic API key to start chatting.');
      return { kind: 'auth', message, retryable: false, action: 'setApiKey' };
    }
    const proxy = this.network?.fetch.proxy;
    // baseURL and the auth header belong to the Anthropic provider (a gateway's 401 advice).
    const anthropic = config.provider === 'anthropic';
    return describeError(error, {
      model: config.model,
      baseURL: endpointOf(config),
      ...(anthropic ? {} : { provider: providerContext(config) }),
      ...(anthropic ? { authHeader: config.authHeader } : {}),
      ...(proxy !== undefined ? { proxy } : {}),
      timeoutMs: config.request.timeoutSeconds * 1000,
    });
  }

  /** One dispatcher (proxy, certificates, connection pool) while the http.* settings stay the same. */
  private networkFetch(settings: NetworkSettings): NetworkFetch {
    const signature = JSON.stringify(settings);
    if (this.network?.signature !== signature) {
      void this.network?.fetch.close().catch(() => undefined);
      // A proxy password or Proxy-Authorization value must never reach a message or the log.
      rememberSecrets(proxySecrets(settings), []);
      this.network = { fetch: createNetworkFetch(settings), signature };
    }
    return this.network.fetch;
  }

  private invalidate(): void {
    this.client = undefined;
    this.catalogLoader.clear();
  }

  dispose(): void {
    this.disposables.dispose();
    this._onDidSeeOfflineServer.dispose();
    void this.network?.fetch.close().catch(() => undefined);
  }
}

function proxySecrets(settings: NetworkSettings): string[] {
  const secrets: string[] = [];
  if (settings.proxyAuthorization !== null) secrets.push(settings.proxyAuthorization);
  try {
    const url = new URL(settings.proxy);
    if (url.password) secrets.push(decodeURIComponent(url.password));
  } catch {
    // No proxy URL: nothing to hide.
  }
  return secrets;
}

function clientOptions(apiKey: string, config: Config): Parameters<typeof createClient>[0] {
  return {
    apiKey,
    baseURL: config.baseURL,
    authHeader: config.authHeader,
    timeoutMs: config.request.timeoutSeconds * 1000,
    maxRetries: config.request.maxRetries,
    headers: config.customHeaders,
    allowInsecureHttp: config.allowInsecureHttp,
  };
}

/** True when requests go to this machine (the test server or the offline demo). */
export function isLoopback(baseURL: string): boolean {
  if (!baseURL) return false;
  try {
    return isLoopbackHost(new URL(baseURL).hostname);
  } catch {
    return false;
  }
}
