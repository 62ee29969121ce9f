import { execFile } from 'node:child_process';
import type Anthropic from '@anthropic-ai/sdk';
import { ClientConfigError } from '../core/anthropic/clientFactory';
import type { SdkFetch } from '../core/anthropic/retryPolicy';
import type { Config } from '../core/config/config';
import { createEntraTokenProvider } from '../core/providers/entraToken';
import type { RunAzureCli } from '../core/providers/entraToken';
import type { SdkErrorClasses } from '../core/providers/foreignErrors';
import type { ProviderErrorContext } from '../core/providers/providerErrors';
import type { Provider } from '../core/providers/providers';
import { loadProvider } from './providerLoader';

export interface CloudClient {
  /** Typed as the Anthropic client for the provider-blind code above; what it lacks is in the capability table. */
  readonly client: Anthropic;
  /** Its bundle's SDK error classes, for hostError. */
  readonly errors: SdkErrorClasses;
}

interface Common {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly fetch: SdkFetch;
}

/** `az` from PATH, as the Azure SDKs' CLI credential runs it (az.cmd on Windows). */
const runAzureCli: RunAzureCli = (args) =>
  new Promise((resolve, reject) => {
    const windows = process.platform === 'win32';
    execFile(windows ? 'az.cmd' : 'az', [...args], { timeout: 30_000, windowsHide: true, shell: windows }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT ' : ''}${stderr || error.message}`));
      else resolve(stdout);
    });
  });

let entraToken: (() => Promise<string>) | undefined;

/**
 * Builds the client of a cloud provider from its lazily loaded bundle. `key` is the Foundry key
 * when Foundry signs in with one. The bundle's own ClientConfigError becomes this bundle's.
 */
export async function buildCloudClient(provider: Exclude<Provider, 'anthropic'>, config: Config, common: Common, key: string): Promise<CloudClient> {
  try {
    switch (provider) {
      case 'bedrock': {
        const bedrock = await loadProvider('bedrock');
        const { endpoint, ...bedrockSettings } = config.bedrock;
        const client = bedrock.createBedrockClient({ ...common, ...bedrockSettings, ...(endpoint !== '' ? { endpoint } : {}) });
        return { client: client as unknown as Anthropic, errors: bedrock.SDK_ERRORS };
      }
      case 'vertex': {
        const vertex = await loadProvider('vertex');
        const { endpoint, ...vertexSettings } = config.vertex;
        const client = vertex.createVertexClient({ ...common, ...vertexSettings, ...(endpoint !== '' ? { endpoint } : {}) });
        return { client: client as unknown as Anthropic, errors: vertex.SDK_ERRORS };
      }
      case 'foundry': {
        const foundry = await loadProvider('foundry');
        const auth = config.foundry.auth === 'entraId' ? { entraToken: (entraToken ??= createEntraTokenProvider(runAzureCli)) } : { apiKey: key };
        const endpoint = config.foundry.endpoint;
        const client = foundry.createFoundryClient({ ...common, resource: config.foundry.resource, ...auth, ...(endpoint !== '' ? { endpoint } : {}) });
        return { client: client as unknown as Anthropic, errors: foundry.SDK_ERRORS };
      }
    }
  } catch (error) {
    throw error instanceof Error && error.name === 'ClientConfigError' ? new ClientConfigError(error.message) : error;
  }
}

/** Where requests of the provider go, for messages (no secret in it). */
export function endpointOf(config: Config): string {
  switch (config.provider) {
    case 'bedrock':
      return config.bedrock.endpoint || `https://bedrock-runtime.${config.bedrock.region || 'region'}.amazonaws.com`;
    case 'vertex':
      return config.vertex.endpoint || `https://${config.vertex.region || 'region'}-aiplatform.googleapis.com`;
    case 'foundry':
      return config.foundry.endpoint || `https://${config.foundry.resource || 'resource'}.services.ai.azure.com/anthropic/`;
    default:
      return config.baseURL;
  }
}

/** What error messages may name of the provider setup (no secret). */
export function providerContext(config: Config): ProviderErrorContext {
  switch (config.provider) {
    case 'vertex':
      return { provider: 'vertex', model: config.model, where: config.vertex.region || process.env['CLOUD_ML_REGION'] || '' };
    case 'foundry':
      // With an endpoint instead of a resource name, its host names the resource in messages.
      return { provider: 'foundry', model: config.model, where: config.foundry.resource || hostOf(config.foundry.endpoint) };
    default:
      return {
        provider: 'bedrock',
        model: config.model,
        where: config.bedrock.region || process.env['AWS_REGION'] || '',
        ...(config.bedrock.profile ? { profile: config.bedrock.profile } : {}),
      };
  }
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : '';
}
