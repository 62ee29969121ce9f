// Builds the two bundles: the extension host (node, cjs, `vscode` external) and the chat webview
// (browser, iife). `--watch` rebuilds on change; `--production` minifies and drops source maps.
import * as esbuild from 'esbuild';

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
    // Amazon Bedrock's client and the AWS SDK: a bundle of their own, loaded only when
    // claudeStudio.provider is bedrock (src/platform/providerLoader.ts), never at activation.
    entryPoints: { bedrock: 'src/core/providers/bedrockClient.ts' },
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

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
