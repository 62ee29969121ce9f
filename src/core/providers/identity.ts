/**
 * Which service answers and as whom, in words for the status bar and onboarding: the provider and
 * the identity its credentials come from (never a secret: a key's source, an AWS profile, a Google
 * project, a Foundry resource), with the region where one applies.
 */
import * as l10n from '@vscode/l10n';
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
    source === 'secretStorage' ? l10n.t('API key from the keychain') : source === 'environment' ? l10n.t('API key from {0}', variable) : l10n.t('no API key set'),
  gateway: (host: string): string => l10n.t('through {0}', host),
  awsProfile: (profile: string): string => l10n.t('AWS profile {0}', profile),
  awsChain: (profileVar: string | undefined): string => (profileVar ? l10n.t('AWS profile {0} (AWS_PROFILE)', profileVar) : l10n.t('AWS default credentials')),
  region: (region: string): string => l10n.t('region {0}', region),
  get noRegion(): string { return l10n.t('no region set'); },
  profileRouting: (routing: string): string => (routing === 'none' ? l10n.t('base model ids') : l10n.t('{0} inference profiles', routing)),
  gcpProject: (project: string): string => l10n.t('project {0}', project),
  get gcpAdc(): string { return l10n.t('Google application default credentials'); },
  resource: (resource: string): string => l10n.t('resource {0}', resource),
  get noResource(): string { return l10n.t('no resource set'); },
  get entra(): string { return l10n.t('Entra ID (Azure CLI sign-in)'); },
  line: (provider: string, identity: string): string => l10n.t('Provider: {0} — {1}', provider, identity),
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
