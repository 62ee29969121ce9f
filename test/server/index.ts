/**
 * Local Anthropic-compatible API server for tests, benchmarks, e2e runs and the offline demo.
 * Start with `startTestServer()` and point the SDK at `server.url`.
 */
export { startTestServer } from './server';
export type { TestServer } from './server';
export { RemoteTestServer } from './remote';
export { startConnectProxy } from './connectProxy';
export { startGceMetadata } from './gceMetadata';
export { makeTestCertificates } from './testCertificates';
export type { TestCertificates } from './testCertificates';
export type { GceMetadataOptions, GceMetadataServer } from './gceMetadata';
export { BEDROCK_VERSION, DEFAULT_AWS_CREDENTIALS } from './bedrock';
export type { AwsTestCredentials, BedrockOptions } from './bedrock';
export { VERTEX_VERSION } from './cloudFronts';
export type { FoundryOptions, VertexOptions } from './cloudFronts';
export type { ConnectProxy, ConnectProxyOptions } from './connectProxy';
export type { RemoteFault, RemoteReply } from './remote';
export {
  BLOCK_OVERHEAD_TOKENS,
  BYTES_PER_TOKEN,
  MESSAGE_OVERHEAD_TOKENS,
  countBlockTokens,
  countInputTokens,
  countOutputTokens,
  countTextTokens,
  flattenPrompt,
} from './tokens';
export type { PromptBlock, PromptInput } from './tokens';
export { CACHE_TTL_MS, PromptCache } from './cache';
export type { CacheUsage } from './cache';
export { DEFAULT_MIN_CACHEABLE_TOKENS, DEFAULT_MODELS } from './models';
export { DEFAULT_API_KEY, DEFAULT_CACHE_LOOKBACK_BLOCKS } from './state';
export { demoMarkdown, pickDemoTopic } from './demo';
export { createDemoResponder, demoResponder, echoResponder } from './script';
export type { DemoPacing } from './script';
export { errorEnvelope } from './errors';
export type { ErrorEnvelope } from './errors';
export type { ServerClock } from './clock';
export type * from './types';
