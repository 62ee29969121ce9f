/**
 * Google Vertex AI, through Anthropic's official `@anthropic-ai/vertex-sdk`: an entry of the lazy
 * provider bundles (dist/providers/vertex.mjs), loaded only when `claudeStudio.provider` is
 * `vertex`. Credentials are Google application default credentials only (GOOGLE_APPLICATION_CREDENTIALS,
 * `gcloud auth application-default login`, the metadata server), never settings.
 */
import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import type { ClientOptions as VertexOptions } from '@anthropic-ai/vertex-sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk/core/error';
import { ClientConfigError } from '../anthropic/clientFactory';
import { withoutResendOfAcceptedWrites } from '../anthropic/retryPolicy';
import type { SdkFetch } from '../anthropic/retryPolicy';
import type { SdkErrorClasses } from './foreignErrors';
import { providerModelId } from './modelIds';
import { modelIdMiddleware } from './modelMiddleware';
import { isGcpProject, isVertexRegion, providerMessages } from './providers';

export const SDK_ERRORS: SdkErrorClasses = { APIError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError };

export interface VertexClientOptions {
  /** Empty: ANTHROPIC_VERTEX_PROJECT_ID, else the credentials' own project. */
  readonly projectId: string;
  /** Empty: CLOUD_ML_REGION. */
  readonly region: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly fetch?: SdkFetch;
  /** Another endpoint than Google's for the region (claudeStudio.vertex.endpoint; tests). */
  readonly endpoint?: string;
  /** Tests only: a ready auth client instead of application default credentials. */
  readonly authClient?: VertexOptions['authClient'];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Google's endpoint for a Vertex region, as the Vertex client derives it. */
export function vertexEndpoint(region: string): string {
  if (region === 'global') return 'https://aiplatform.googleapis.com/v1';
  if (region === 'us' || region === 'eu') return `https://aiplatform.${region}.rep.googleapis.com/v1`;
  return `https://${region}-aiplatform.googleapis.com/v1`;
}

export function vertexRegion(options: Pick<VertexClientOptions, 'region' | 'env'>): string {
  const env = options.env ?? process.env;
  const region = options.region.trim() || env['CLOUD_ML_REGION']?.trim() || '';
  if (region === '' || !isVertexRegion(region)) throw new ClientConfigError(providerMessages.noVertexRegion());
  return region;
}

export function createVertexClient(options: VertexClientOptions): AnthropicVertex {
  const env = options.env ?? process.env;
  const region = vertexRegion(options);
  const project = options.projectId.trim() || env['ANTHROPIC_VERTEX_PROJECT_ID']?.trim() || '';
  if (project !== '' && !isGcpProject(project)) throw new ClientConfigError(providerMessages.badProject(project));
  return new AnthropicVertex({
    region,
    projectId: project || null,
    // Given, so ANTHROPIC_VERTEX_BASE_URL is not read.
    baseURL: options.endpoint ?? vertexEndpoint(region),
    ...(options.authClient ? { authClient: options.authClient } : {}),
    timeout: Math.round(options.timeoutMs),
    maxRetries: options.maxRetries,
    logLevel: 'warn',
    openTelemetry: { traces: false, propagation: false },
    fetch: withoutResendOfAcceptedWrites(options.fetch ?? globalThis.fetch),
    middleware: [modelIdMiddleware((model) => providerModelId('vertex', model))],
  });
}
