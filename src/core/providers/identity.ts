/**
 * Which service answers and as whom, in words for the status bar and onboarding: the provider and
 * the identity its credentials come from (never a secret: a key's source, an AWS profile, a Google
 * project, a Foundry resource), with the region where one applies.
 */
import type { Config } from '../config/config';
import { PROVIDER_CAPABILITIES } from './providers';

export interface ProviderIdentity {
  /** `Amazon Bedrock`. */
  readonly provider: string;
  /** A short tag for the status bar text; empty for the Anthropic API (the default says nothing). */
  readonly short: string;
  /** `AWS profile team-dev, region eu-west-3`. */
  readonly identity: string;
}

/** Every user-visible string of this module, for vscode.l10n. */
export const identityStrings = {
  short: { anthropic: '', bedrock: 'Bedrock', vertex: 'Vertex', foundry: 'Foundry' },
  keyFrom: (source: 'secretStorage' | 'environment' | undefined, variable: string): string =>
    source === 'secretStorage' ? 'API key from the keychain' : source === 'environment' ? `API key from ${variable}` : 'no API key set',
  gateway: (host: string): string => `through ${host}`,
  awsProfile: (profile: string): string => `AWS profile ${profile}`,
  awsChain: (profileVar: string | undefined): string => (profileVar ? `AWS profile ${profileVar} (AWS_PROFILE)` : 'AWS default credentials'),
  region: (region: string): string => `region ${region}`,
  noRegion: 'no region set',
  profileRouting: (routing: string): string => (routing === 'none' ? 'base model ids' : `${routing} inference profiles`),
  gcpProject: (project: string): string => `project ${project}`,
  gcpAdc: 'Google application default credentials',
  resource: (resource: string): string => `resource ${resource}`,
  noResource: 'no resource set',
  entra: 'Entra ID (Azure CLI sign-in)',
  line: (provider: string, identity: string): string => `Provider: ${provider} — ${identity}`,
} as const;

export function providerIdentity(
  config: Pick<Config, 'provider' | 'baseURL' | 'bedrock' | 'vertex' | 'foundry'>,
  env: Readonly<Record<string, string | undefined>>,
  keySource?: 'secretStorage' | 'environment',
): ProviderIdentity {
  const provider = PROVIDER_CAPABILITIES[config.provider].displayName;
  const short = identityStrings.short[config.provider];
  const s = identityStrings;
  switch (config.provider) {
    case 'bedrock': {
      const region = config.bedrock.region || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || '';
      const who = config.bedrock.profile ? s.awsProfile(config.bedrock.profile) : s.awsChain(env['AWS_PROFILE']);
      return { provider, short, identity: [who, region ? s.region(region) : s.noRegion, s.profileRouting(config.bedrock.inferenceProfile)].join(', ') };
    }
    case 'vertex': {
      const region = config.vertex.region || env['CLOUD_ML_REGION'] || '';
      const project = config.vertex.projectId || env['ANTHROPIC_VERTEX_PROJECT_ID'] || '';
      return { provider, short, identity: [s.gcpAdc, ...(project ? [s.gcpProject(project)] : []), region ? s.region(region) : s.noRegion].join(', ') };
    }
    case 'foundry': {
      const who = config.foundry.auth === 'entraId' ? s.entra : s.keyFrom(keySource, 'ANTHROPIC_FOUNDRY_API_KEY');
      return { provider, short, identity: [config.foundry.resource ? s.resource(config.foundry.resource) : s.noResource, who].join(', ') };
    }
    default: {
      const host = URL.canParse(config.baseURL) ? new URL(config.baseURL).host : '';
      return { provider, short, identity: [s.keyFrom(keySource, 'ANTHROPIC_API_KEY'), ...(host ? [s.gateway(host)] : [])].join(', ') };
    }
  }
}
