/**
 * Which service answers, and what each one offers: the one capability table. Everything above the
 * client (cache planner, streaming, recipes) is provider-blind; what a provider lacks is stated
 * here, and the features that need it ask here instead of failing on the first request.
 */
import * as l10n from '@vscode/l10n';
import { isLoopbackHost } from '../anthropic/loopback';
import type { BedrockRouting } from './modelIds';

/** `anthropic` is the Anthropic API or a compatible gateway (`baseURL`). */
export type Provider = 'anthropic' | 'bedrock' | 'vertex' | 'foundry';
export const PROVIDERS: readonly Provider[] = ['anthropic', 'bedrock', 'vertex', 'foundry'];

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
  readonly credentials: 'apiKey' | 'awsChain' | 'googleAdc' | 'entraId';
}

export const PROVIDER_CAPABILITIES: Readonly<Record<Provider, ProviderCapabilities>> = Object.freeze({
  anthropic: { displayName: 'Anthropic API', countTokens: true, batches: true, modelsApi: true, credentials: 'apiKey' },
  // @anthropic-ai/bedrock-sdk 1.2: "The Bedrock API does not currently support token counting or the Batch API".
  bedrock: { displayName: 'Amazon Bedrock', countTokens: false, batches: false, modelsApi: false, credentials: 'awsChain' },
  // @anthropic-ai/vertex-sdk 1.1: no Batch API; count_tokens goes to count-tokens:rawPredict.
  vertex: { displayName: 'Google Vertex AI', countTokens: true, batches: false, modelsApi: false, credentials: 'googleAdc' },
  // @anthropic-ai/foundry-sdk 1.1: "does not currently support the Batch API". An Entra ID sign-in
  // instead of the key is a setting (foundry.auth); AnthropicService states it.
  foundry: { displayName: 'Microsoft Foundry', countTokens: true, batches: false, modelsApi: false, credentials: 'apiKey' },
});

/** Every user-visible string of this module, for vscode.l10n. */
export const providerMessages = {
  noBatches: (provider: Provider): string =>
    l10n.t('Message Batches are not available on {0}. Use Run Now to send the same requests one by one, or set "claudeStudio.provider" to "anthropic".', PROVIDER_CAPABILITIES[provider].displayName),
  estimateOnly: (provider: Provider): string =>
    l10n.t('{0} does not count tokens: the figure is an estimate.', PROVIDER_CAPABILITIES[provider].displayName),
  badProfile: (profile: string): string =>
    l10n.t('"claudeStudio.bedrock.profile" ({0}) is not an AWS profile name. Fix it in your user settings, or clear it to use the default profile.', profile),
  badProject: (project: string): string =>
    l10n.t('"claudeStudio.vertex.projectId" ({0}) is not a Google Cloud project id. Fix it in your user settings, or clear it to use the project of your application default credentials.', project),
  noVertexRegion: (): string =>
    l10n.t('Google Vertex AI needs a region: set "claudeStudio.vertex.region" (for example us-east5, or global) in your user settings, or CLOUD_ML_REGION before starting VS Code.'),
  noFoundryResource: (): string =>
    l10n.t('Microsoft Foundry needs the name of your Foundry resource: set "claudeStudio.foundry.resource" in your user settings (the <resource> in https://<resource>.services.ai.azure.com).'),
  noRegion: (): string =>
    l10n.t('Amazon Bedrock needs a region: set "claudeStudio.bedrock.region" (for example us-east-1) in your user settings, or AWS_REGION before starting VS Code.'),
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
  /** Empty: `https://bedrock-runtime.<region>.amazonaws.com`; else a VPC (PrivateLink) endpoint. */
  readonly endpoint: string;
}

/** Vertex AI settings, parsed (application scope). */
export interface VertexSettings {
  /** Empty: ANTHROPIC_VERTEX_PROJECT_ID, else the project of the application default credentials. */
  readonly projectId: string;
  /** Empty: CLOUD_ML_REGION. `global`, `us`, `eu` or a region such as `us-east5`. */
  readonly region: string;
  /** Empty: Google's endpoint for the region; else a Private Service Connect endpoint (`https://.../v1`). */
  readonly endpoint: string;
}

/** Microsoft Foundry settings, parsed (application scope). */
export interface FoundrySettings {
  /** The Foundry resource name: `https://<resource>.services.ai.azure.com/anthropic/`. */
  readonly resource: string;
  /** `apiKey`: the key in SecretStorage; `entraId`: a Microsoft Entra ID token from the Azure CLI sign-in. */
  readonly auth: 'apiKey' | 'entraId';
  /** Empty: `https://<resource>.services.ai.azure.com/anthropic/`; else another endpoint (a private endpoint, a gateway in front of it). */
  readonly endpoint: string;
}

/** Google Cloud project ids: 6 to 30 lowercase letters, digits and hyphens, starting with a letter. */
export function isGcpProject(value: string): boolean {
  return /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(value);
}

/** `global`, `us`, `eu`, or a Google Cloud region such as `us-east5` or `europe-west1`. */
export function isVertexRegion(value: string): boolean {
  return /^(?:global|us|eu|[a-z]+-[a-z]+\d{1,2})$/.test(value);
}

/** An Azure resource name: letters, digits and hyphens, 2 to 64 characters. */
export function isFoundryResource(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]$/.test(value);
}

/** An https:// endpoint without credentials, or http:// to this machine (a local test endpoint). */
export function isProviderEndpoint(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** The profile name as the AWS shared config files allow it. */
const AWS_PROFILE = /^[A-Za-z0-9_.+@=,-]{1,128}$/;

export function isAwsProfile(value: string): boolean {
  return AWS_PROFILE.test(value);
}
