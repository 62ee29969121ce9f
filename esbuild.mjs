// Builds the bundles: the extension host (node, cjs, `vscode` external) and the chat webview
// (browser, iife). `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
  {
    // The cloud providers' clients (Bedrock with the AWS SDK, Vertex with google-auth-library,
    // Foundry): ES modules of their own in dist/providers/, loaded by platform/providerLoader only
    // when claudeStudio.provider names one, never at activation. Split, so the three share one copy
    // of the Anthropic SDK. Bundled CommonJS code may call require(): the banner gives it one.
    entryPoints: {
      bedrock: 'src/core/providers/bedrockClient.ts',
      vertex: 'src/core/providers/vertexClient.ts',
      foundry: 'src/core/providers/foundryClient.ts',
    },
    outdir: 'dist/providers',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    // ES builds first: a CommonJS package reached by a dynamic import() would only show `default`.
    mainFields: ['module', 'main'],
    target: 'node20',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
  {
    // The image codecs (pngjs, jpeg-js) and the downscaler: a worker thread's script, started only
    // when a large image is added (src/platform/imageDownscaler.ts), never part of extension.js.
    entryPoints: { imageWorker: 'src/platform/imageWorker.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
  {
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'media/dist',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
  {
    entryPoints: { webview: 'src/webview/styles.css' },
    outdir: 'media/dist',
    bundle: true,
    minify: production,
    logLevel: 'warning',
  },
];

// Chunk names carry a content hash: an earlier build's chunks would be packaged beside the new ones.
rmSync('dist/providers', { recursive: true, force: true });

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
