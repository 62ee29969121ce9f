/**
 * Microsoft Foundry, through Anthropic's official `@anthropic-ai/foundry-sdk`: an entry of the lazy
 * provider bundles (dist/providers/foundry.mjs), loaded only when `claudeStudio.provider` is
 * `foundry`. The key comes from SecretStorage (or a Microsoft Entra ID token from the Azure CLI),
 * never from settings; the model is the deployment name.
 */
import { AnthropicFoundry } from '@anthropic-ai/foundry-sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk/core/error';
import { ClientConfigError } from '../anthropic/clientFactory';
import { withoutResendOfAcceptedWrites } from '../anthropic/retryPolicy';
import type { SdkFetch } from '../anthropic/retryPolicy';
import type { SdkErrorClasses } from './foreignErrors';
import { isFoundryResource, providerMessages } from './providers';

export const SDK_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

export interface FoundryClientOptions {
  readonly resource: string;
  /** Exactly one of them. */
  readonly apiKey?: string;
  readonly entraToken?: () => Promise<string>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly fetch?: SdkFetch;
  /** Another endpoint than `https://<resource>.services.ai.azure.com/anthropic/` (claudeStudio.foundry.endpoint; tests). */
  readonly endpoint?: string;
}

export function foundryEndpoint(resource: string): string {
  return `https://${resource}.services.ai.azure.com/anthropic/`;
}

export function createFoundryClient(options: FoundryClientOptions): AnthropicFoundry {
  const resource = options.resource.trim();
  if (options.endpoint === undefined && (resource === '' || !isFoundryResource(resource))) {
    throw new ClientConfigError(providerMessages.noFoundryResource());
  }
  return new AnthropicFoundry({
    // A base URL, never `resource`, so ANTHROPIC_FOUNDRY_* variables are not read.
    baseURL: options.endpoint ?? foundryEndpoint(resource),
    resource: null,
    // null, not undefined: undefined would read ANTHROPIC_FOUNDRY_API_KEY beside the Entra token.
    ...(options.entraToken ? { azureADTokenProvider: options.entraToken, apiKey: null as unknown as undefined } : { apiKey: options.apiKey ?? '' }),
    timeout: Math.round(options.timeoutMs),
    maxRetries: options.maxRetries,
    logLevel: 'warn',
    openTelemetry: { traces: false, propagation: false },
    fetch: withoutResendOfAcceptedWrites(options.fetch ?? globalThis.fetch),
  });
}
