import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as BedrockClientModule from '../core/providers/bedrockClient';
import type * as FoundryClientModule from '../core/providers/foundryClient';
import type * as VertexClientModule from '../core/providers/vertexClient';

export interface ProviderModules {
  bedrock: typeof BedrockClientModule;
  vertex: typeof VertexClientModule;
  foundry: typeof FoundryClientModule;
}
export type BedrockModule = ProviderModules['bedrock'];

const loaded = new Map<keyof ProviderModules, Promise<unknown>>();
/** The folder of the provider bundles: dist/providers/, next to extension.js. */
let bundleDir = join(__dirname, 'providers');

/**
 * Loads a cloud provider's client from dist/providers/<name>.mjs (see esbuild.mjs) the first time
 * that provider is chosen: the Anthropic path never loads them, nor one provider another's SDK.
 */
export function loadProvider<K extends keyof ProviderModules>(name: K): Promise<ProviderModules[K]> {
  let module = loaded.get(name);
  if (module === undefined) {
    module = import(pathToFileURL(join(bundleDir, `${name}.mjs`)).href);
    // A failed load (a missing file) is tried again next time.
    module.catch(() => loaded.delete(name));
    loaded.set(name, module);
  }
  return module as Promise<ProviderModules[K]>;
}

/** Tests that run the host code from source: where the built provider bundles are. */
export function useProviderBundles(dir: string): void {
  bundleDir = dir;
  loaded.clear();
}
