/**
 * Which service answers, and what each one offers: the one capability table. Everything above the
 * client (cache planner, streaming, recipes) is provider-blind; what a provider lacks is stated
 * here, and the features that need it ask here instead of failing on the first request.
 */
import type { BedrockRouting } from './modelIds';

/** `anthropic` is the Anthropic API or a compatible gateway (`baseURL`). */
export type Provider = 'anthropic' | 'bedrock';
export const PROVIDERS: readonly Provider[] = ['anthropic', 'bedrock'];

/** What a provider offers in the Anthropic API's shape. */
export interface ProviderCapabilities {
  readonly displayName: string;
  /** `messages.countTokens`; without it the status bar's count stays an estimate. */
  readonly countTokens: boolean;
  /** Message Batches (`messages.batches.*`); without them Run Now still works. */
  readonly batches: boolean;
  /** The Models API (`models.list`); without it the built-in catalog is the list. */
  readonly modelsApi: boolean;
  /** Where the credentials come from, for onboarding and messages. */
  readonly credentials: 'apiKey' | 'awsChain';
}

export const PROVIDER_CAPABILITIES: Readonly<Record<Provider, ProviderCapabilities>> = Object.freeze({
  anthropic: { displayName: 'Anthropic API', countTokens: true, batches: true, modelsApi: true, credentials: 'apiKey' },
  // @anthropic-ai/bedrock-sdk 1.2: "The Bedrock API does not currently support token counting or the Batch API".
  bedrock: { displayName: 'Amazon Bedrock', countTokens: false, batches: false, modelsApi: false, credentials: 'awsChain' },
});

/** Every user-visible string of this module, for vscode.l10n. */
export const providerMessages = {
  noBatches: (provider: Provider): string =>
    `Message Batches are not available on ${PROVIDER_CAPABILITIES[provider].displayName}. Use Run Now to send the same requests one by one, or set "claudeStudio.provider" to "anthropic".`,
  estimateOnly: (provider: Provider): string =>
    `${PROVIDER_CAPABILITIES[provider].displayName} does not count tokens: the figure is an estimate.`,
  badProfile: (profile: string): string =>
    `"claudeStudio.bedrock.profile" (${profile}) is not an AWS profile name. Fix it in your user settings, or clear it to use the default profile.`,
  noRegion: (): string =>
    'Amazon Bedrock needs a region: set "claudeStudio.bedrock.region" (for example us-east-1) in your user settings, or AWS_REGION before starting VS Code.',
} as const;

/** `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-4`, ... */
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export function isAwsRegion(value: string): boolean {
  return AWS_REGION.test(value);
}

/** Bedrock settings, parsed (application scope: they choose where requests and credentials go). */
export interface BedrockSettings {
  /** Empty: AWS_REGION from the environment. */
  readonly region: string;
  /** Empty: the AWS default chain's own choice (AWS_PROFILE, else `default`). */
  readonly profile: string;
  /** How a catalog model is named on Bedrock (see modelIds.ts). */
  readonly inferenceProfile: BedrockRouting;
}

/** The profile name as the AWS shared config files allow it. */
const AWS_PROFILE = /^[A-Za-z0-9_.+@=,-]{1,128}$/;

export function isAwsProfile(value: string): boolean {
  return AWS_PROFILE.test(value);
}
