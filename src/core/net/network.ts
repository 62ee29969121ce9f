/**
 * Corporate networks: the fetch every API request goes through. It honours VS Code's `http.proxy`
 * (or, when that is empty, `https_proxy`/`http_proxy` as VS Code does), `http.noProxy` (or
 * `no_proxy`), `http.proxyStrictSSL`, `http.proxyAuthorization` and `http.proxySupport: off`, and
 * trusts the operating system's certificate store besides Node's own and `NODE_EXTRA_CA_CERTS`.
 * Built on undici's EnvHttpProxyAgent (CONNECT tunnels, no_proxy matching) and its fetch.
 */
import * as l10n from '@vscode/l10n';
import * as tls from 'node:tls';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import type { Dispatcher } from 'undici';
import type { SdkFetch } from '../anthropic/retryPolicy';

/** VS Code's `http.*` settings that shape a request, parsed. */
export interface NetworkSettings {
  /** `http.proxy`; empty means the environment's proxy variables, if any. */
  readonly proxy: string;
  /** `http.noProxy`: hosts (`example.com`, `.example.com`, `*.example.com`, `host:port`, `*`) reached directly. */
  readonly noProxy: readonly string[];
  /** `http.proxyStrictSSL`: verify certificates on proxied connections (to the proxy and through it). */
  readonly proxyStrictSSL: boolean;
  /** `http.proxyAuthorization`: the `Proxy-Authorization` header value, if any. */
  readonly proxyAuthorization: string | null;
  /** `http.proxySupport: off` turns every proxy off. */
  readonly proxyOff: boolean;
}

export const DEFAULT_NETWORK: NetworkSettings = Object.freeze({
  proxy: '',
  noProxy: Object.freeze([]) as readonly string[],
  proxyStrictSSL: true,
  proxyAuthorization: null,
  proxyOff: false,
});

/** Every user-visible string of this module, for vscode.l10n. */
export const networkMessages = {
  badProxy: (value: string): string =>
    l10n.t('"http.proxy" ({0}) is not an http:// or https:// proxy URL, so it is ignored. Fix it in your user settings, or clear it to use the environment\'s proxy.', value),
  badNoProxy: (): string => l10n.t('"http.noProxy" should be a list of host names; the entries that are not text are ignored.'),
} as const;

/** Reads the `http.*` settings (keys relative to `http.`); a bad value falls back and is reported. */
export function parseNetworkSettings(read: (key: string) => unknown): { settings: NetworkSettings; problems: string[] } {
  const problems: string[] = [];
  let proxy = typeof read('proxy') === 'string' ? (read('proxy') as string).trim() : '';
  if (proxy !== '' && !isProxyUrl(proxy)) {
    problems.push(networkMessages.badProxy(safeProxyText(proxy)));
    proxy = '';
  }
  const rawNoProxy = read('noProxy');
  const list = Array.isArray(rawNoProxy) ? (rawNoProxy as unknown[]) : [];
  if (rawNoProxy !== undefined && rawNoProxy !== null && (!Array.isArray(rawNoProxy) || list.some((entry) => typeof entry !== 'string'))) {
    problems.push(networkMessages.badNoProxy());
  }
  const noProxy = list.filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const authorization = read('proxyAuthorization');
  return {
    settings: {
      proxy,
      noProxy,
      proxyStrictSSL: read('proxyStrictSSL') !== false,
      proxyAuthorization: typeof authorization === 'string' && authorization.trim() !== '' ? authorization.trim() : null,
      proxyOff: read('proxySupport') === 'off',
    },
    problems,
  };
}

function isProxyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** A proxy URL fit for a message or a log: no user name or password. */
export function safeProxyText(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//');
  }
}

/** `tls.getCACertificates` (Node 22.15+), absent from older Node and its types. */
export interface CertificateSource {
  readonly getCACertificates?: (type: 'default' | 'system') => string[];
}

/**
 * The certificates to trust, or `undefined` for Node's default store. Node 22.15+ can read the
 * operating system's store: then it is added to the default one (bundled roots and
 * `NODE_EXTRA_CA_CERTS`). Older Node keeps its default store, which has `NODE_EXTRA_CA_CERTS`.
 */
export function trustedCertificates(source: CertificateSource = tls as unknown as CertificateSource): string[] | undefined {
  if (typeof source.getCACertificates !== 'function') return undefined;
  try {
    return [...new Set([...source.getCACertificates('default'), ...source.getCACertificates('system')])];
  } catch {
    return undefined;
  }
}

/** What {@link createNetworkFetch} reads besides the settings (tests pass their own). */
export interface NetworkEnvironment {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly certificates?: () => string[] | undefined;
}

/** A fetch for the SDK and the dispatcher behind it, to close when the settings change. */
export interface NetworkFetch {
  readonly fetch: SdkFetch;
  /** The proxy in use for `https://` requests not in `noProxy` (no credentials), or undefined. */
  readonly proxy: string | undefined;
  close(): Promise<void>;
}

function envValue(env: Readonly<Record<string, string | undefined>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The proxy for `https://` requests outside `noProxy`: the setting, else the environment's; '' for none. */
function httpsProxyOf(settings: NetworkSettings, env: Readonly<Record<string, string | undefined>>): string {
  if (settings.proxyOff) return '';
  return settings.proxy || envValue(env, 'https_proxy', 'HTTPS_PROXY') || envValue(env, 'http_proxy', 'HTTP_PROXY') || '';
}

/** Whether API requests go through a proxy at all (for diagnostics; never its address). */
export function proxyInUse(settings: NetworkSettings, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return httpsProxyOf(settings, env) !== '';
}

/** Builds the fetch every API request goes through (see the file comment). */
export function createNetworkFetch(settings: NetworkSettings, environment: NetworkEnvironment = {}): NetworkFetch {
  const env = environment.env ?? process.env;
  const ca = (environment.certificates ?? trustedCertificates)();
  const envHttp = envValue(env, 'http_proxy', 'HTTP_PROXY');
  // Empty strings, not undefined: undefined would let undici read the variables again.
  const httpsProxy = httpsProxyOf(settings, env);
  const httpProxy = settings.proxyOff ? '' : settings.proxy || envHttp || '';
  const noProxy = settings.noProxy.length > 0 ? settings.noProxy.join(',') : (envValue(env, 'no_proxy', 'NO_PROXY') ?? '');
  const strict = settings.proxyStrictSSL;
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy,
    httpsProxy,
    noProxy,
    // Direct connections always verify; proxied ones follow http.proxyStrictSSL.
    connect: { ...(ca ? { ca } : {}) },
    requestTls: { ...(ca ? { ca } : {}), rejectUnauthorized: strict },
    proxyTls: { ...(ca ? { ca } : {}), rejectUnauthorized: strict },
    ...(settings.proxyAuthorization !== null ? { token: settings.proxyAuthorization } : {}),
  });
  const fetch: SdkFetch = (input, init) =>
    // undici's own fetch takes its own dispatcher; the SDK only reads the standard Response surface.
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]) as unknown as Promise<Response>;
  return {
    fetch,
    proxy: httpsProxy === '' ? undefined : safeProxyText(httpsProxy),
    close: () => (dispatcher as Dispatcher).close(),
  };
}
