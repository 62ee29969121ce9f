/**
 * A Microsoft Entra ID token for Foundry from the Azure CLI sign-in (`az login`), the way the
 * Azure SDKs' AzureCliCredential gets one, without bundling the Azure identity library. Cached
 * until five minutes before it expires.
 */
import * as l10n from '@vscode/l10n';

/** The token audience Azure AI services (Foundry) take. */
export const COGNITIVE_SERVICES_RESOURCE = 'https://cognitiveservices.azure.com';
const REFRESH_EARLY_MS = 5 * 60_000;

/** Runs `az` with these arguments and resolves its standard output; rejects with its error. */
export type RunAzureCli = (args: readonly string[]) => Promise<string>;

/** Raised when no token can be had: the message says how to sign in. */
export class EntraTokenError extends Error {
  override readonly name = 'EntraTokenError';
}

export const entraMessages = {
  noCli: (): string =>
    l10n.t('Microsoft Foundry with Entra ID needs the Azure CLI: install it and run "az login", or set "claudeStudio.foundry.auth" to "apiKey" and set your Foundry key.'),
  notSignedIn: (detail: string): string =>
    l10n.t('The Azure CLI has no Entra ID sign-in for Foundry ({0}). Run "az login" in a terminal, then try again.', detail),
} as const;

export function createEntraTokenProvider(run: RunAzureCli, now: () => number = Date.now): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached !== undefined && now() < cached.expiresAt - REFRESH_EARLY_MS) return cached.token;
    let output: string;
    try {
      output = await run(['account', 'get-access-token', '--resource', COGNITIVE_SERVICES_RESOURCE, '--output', 'json']);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (/ENOENT|not found|not recognized/i.test(text)) throw new EntraTokenError(entraMessages.noCli());
      throw new EntraTokenError(entraMessages.notSignedIn(text.split('\n').find((line) => line.trim() !== '')?.trim().slice(0, 200) ?? l10n.t('no detail')));
    }
    const parsed = JSON.parse(output) as { accessToken?: unknown; expires_on?: unknown; expiresOn?: unknown };
    if (typeof parsed.accessToken !== 'string' || parsed.accessToken === '') throw new EntraTokenError(entraMessages.notSignedIn(l10n.t('no token in the answer')));
    const expiresAt = typeof parsed.expires_on === 'number' ? parsed.expires_on * 1000 : typeof parsed.expiresOn === 'string' ? Date.parse(parsed.expiresOn) : now() + 10 * 60_000;
    cached = { token: parsed.accessToken, expiresAt: Number.isNaN(expiresAt) ? now() + 10 * 60_000 : expiresAt };
    return cached.token;
  };
}
