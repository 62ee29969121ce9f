import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as BedrockClientModule from '../core/providers/bedrockClient';

export type BedrockModule = typeof BedrockClientModule;

let bedrock: BedrockModule | undefined;
/** The folder of the provider bundles: dist/, next to extension.js. */
let bundleDir = __dirname;

/**
 * Loads `dist/bedrock.js`, the Bedrock client and the AWS SDK in a bundle of their own (see
 * esbuild.mjs), the first time Bedrock is chosen: the Anthropic path never loads them.
 */
export function loadBedrock(): BedrockModule {
  bedrock ??= createRequire(__filename)(join(bundleDir, 'bedrock.js')) as BedrockModule;
  return bedrock;
}

/** Tests that run the host code from source: where the built provider bundles are. */
export function useProviderBundles(dir: string): void {
  bundleDir = dir;
  bedrock = undefined;
}
