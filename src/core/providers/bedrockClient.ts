/**
 * The Amazon Bedrock client, through Anthropic's official `@anthropic-ai/bedrock-sdk`. This module
 * is the entry of its own bundle (`dist/bedrock.js`), loaded only when `claudeStudio.provider` is
 * `bedrock`, so the AWS SDK never weighs on the Anthropic path's activation.
 *
 * Credentials come from the AWS default chain only (environment, shared config and credentials
 * files with an optional profile, SSO, container and instance roles), never from settings; a
 * Bedrock API key in AWS_BEARER_TOKEN_BEDROCK is not read.
 */
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk/core/error';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { ClientConfigError } from '../anthropic/clientFactory';
import { withoutResendOfAcceptedWrites } from '../anthropic/retryPolicy';
import type { SdkFetch } from '../anthropic/retryPolicy';
import type { SdkErrorClasses } from './foreignErrors';
import { providerModelId } from './modelIds';
import type { BedrockRouting } from './modelIds';
import { modelIdMiddleware } from './modelMiddleware';
import { isAwsProfile, isAwsRegion, providerMessages } from './providers';

/** This bundle's SDK error classes, for the host to translate (see foreignErrors.ts). */
export const SDK_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

export interface BedrockClientOptions {
  /** Empty: AWS_REGION, then AWS_DEFAULT_REGION. */
  readonly region: string;
  /** Empty: the chain's own choice (AWS_PROFILE, else `default`). */
  readonly profile: string;
  /** How a catalog model is named (geography profile by default). */
  readonly inferenceProfile?: BedrockRouting;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** The network fetch (proxy, certificates); wrapped by the retry policy like the Anthropic client's. */
  readonly fetch?: SdkFetch;
  /** Another endpoint than `https://bedrock-runtime.<region>.amazonaws.com` (a VPC endpoint; tests). */
  readonly endpoint?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The region a Bedrock client would use, or a ClientConfigError that says how to set one. */
export function bedrockRegion(options: Pick<BedrockClientOptions, 'region' | 'env'>): string {
  const env = options.env ?? process.env;
  const region = options.region.trim() || env['AWS_REGION']?.trim() || env['AWS_DEFAULT_REGION']?.trim() || '';
  if (region === '' || !isAwsRegion(region)) throw new ClientConfigError(providerMessages.noRegion());
  return region;
}

export function createBedrockClient(options: BedrockClientOptions): AnthropicBedrock {
  const region = bedrockRegion(options);
  const profile = options.profile.trim();
  if (profile !== '' && !isAwsProfile(profile)) throw new ClientConfigError(providerMessages.badProfile(profile));
  return new AnthropicBedrock({
    awsRegion: region,
    // Given, so ANTHROPIC_BEDROCK_BASE_URL is not read.
    baseURL: options.endpoint ?? `https://bedrock-runtime.${region}.amazonaws.com`,
    // null: SigV4 from the AWS chain, not a bearer key from AWS_BEARER_TOKEN_BEDROCK.
    apiKey: null,
    ...(profile !== '' ? { providerChainResolver: () => Promise.resolve(fromNodeProviderChain({ profile })) } : {}),
    timeout: Math.round(options.timeoutMs),
    maxRetries: options.maxRetries,
    logLevel: 'warn',
    openTelemetry: { traces: false, propagation: false },
    fetch: withoutResendOfAcceptedWrites(options.fetch ?? globalThis.fetch),
    // Catalog ids become Bedrock ids (profile for the region), and legacy models get their version.
    middleware: [modelIdMiddleware((model) => providerModelId('bedrock', model, { region, routing: options.inferenceProfile ?? 'geo' }))],
  });
}
