import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { CheckResult, ManifestFiles } from '../../../scripts/publishCheck/checks';
import { bundledLibraries, checkAudit, checkRepository, normalizeRepositoryUrl, checkContents, checkManifest, checkReadmeImages, checkSize, pngSize, unwantedInPackage } from '../../../scripts/publishCheck/checks';

const ROOT = path.resolve(__dirname, '../../..');

const good = {
  publisher: 'claude-studio',
  name: 'claude-studio',
  displayName: 'Claude Studio',
  description: 'Talk to Claude about your code.',
  version: '0.1.0',
  engines: { vscode: '^1.95.0' },
  icon: 'media/icon.png',
  repository: { type: 'git', url: 'https://github.com/example/claude-studio.git' },
  license: 'MIT',
  categories: ['AI', 'Chat'],
  activationEvents: ['onStartupFinished'],
};

/** `png: null` is an icon that is missing or not a PNG. */
function files(png: { width: number; height: number } | null = { width: 256, height: 256 }, existing = ['LICENSE']): ManifestFiles {
  return { png: () => png ?? undefined, exists: (file) => existing.includes(file), gitRemotes: ['git@github.com:example/claude-studio.git'] };
}

function outcome(results: readonly CheckResult[], name: string): string {
  const result = results.find((r) => r.name === name);
  return `${result?.outcome}: ${result?.detail}`;
}

describe('publish:check', () => {
  it('passes a manifest with every field both registries need', () => {
    const results = checkManifest(good, files());
    assert.deepEqual(results.filter((r) => r.outcome !== 'pass'), []);
  });

  it('fails each missing or wrong manifest field with what is wrong', () => {
    const results = checkManifest(
      { ...good, publisher: 'Claude Studio', version: '1.0', engines: {}, icon: 'media/claude.svg', repository: 'git@github.com:x/y', categories: ['AI', 'Robots'], activationEvents: ['*'], description: '' },
      files(null, []),
    );
    for (const name of ['publisher', 'version', 'engines.vscode', 'icon', 'repository', 'license', 'categories', 'activationEvents', 'description']) {
      assert.match(outcome(results, name), /^fail/, name);
    }
    assert.match(outcome(results, 'icon'), /PNG, not SVG/);
    assert.match(outcome(results, 'categories'), /Robots/);
    assert.match(outcome(checkManifest(good, files({ width: 64, height: 64 })), 'icon'), /^fail: media\/icon\.png is 64x64; at least 128x128/);
    assert.match(outcome(checkManifest(good, files(null)), 'icon'), /missing or not a PNG/);
  });

  it('warns, and says why, when no git remote confirms the repository URL', () => {
    const none = checkRepository('https://github.com/example/claude-studio.git', []);
    assert.equal(none.outcome, 'warn');
    assert.match(none.detail, /^https:\/\/github\.com\/example\/claude-studio\.git is not confirmed: this checkout has no git remote\. Make sure/);
    const other = checkRepository('https://github.com/example/claude-studio.git', ['https://gitlab.com/someone/else.git']);
    assert.equal(other.outcome, 'warn');
    assert.match(other.detail, /the git remotes are https:\/\/gitlab\.com\/someone\/else\.git/);
    assert.equal(checkRepository('https://github.com/Example/claude-studio', ['git+ssh://git@github.com/example/claude-studio.git/']).outcome, 'pass');
    assert.equal(checkRepository(undefined, []).outcome, 'fail');
    assert.equal(normalizeRepositoryUrl('git@github.com:Example/Claude-Studio.git'), 'https://github.com/example/claude-studio');
  });

  it('keeps source maps, tests, sources, node_modules and secrets out of the package', () => {
    for (const bad of ['dist/extension.js.map', 'node_modules/ajv/package.json', 'test/unit/a.test.ts', 'src/extension.ts', 'bench/cache.js', '.env', 'media/server.pem', 'out/claude-studio.vsix']) {
      assert.ok(unwantedInPackage(bad), bad);
    }
    for (const ok of ['dist/extension.js', 'media/dist/webview.js', 'media/icon.png', 'README.md', 'media/walkthrough/setup.md']) {
      assert.equal(unwantedInPackage(ok), undefined, ok);
    }
    const results = checkContents(['package.json', 'dist/extension.js', 'dist/extension.js.map'], ['package.json', 'LICENSE']);
    assert.match(outcome(results, 'contents'), /^fail: dist\/extension\.js\.map \(a source map\)/);
    assert.match(outcome(results, 'required files'), /^fail: not packaged: LICENSE/);
  });

  it('holds the .vsix to its budget and the README to the real size', () => {
    const readme = 'npm run package          # -> out/claude-studio.vsix (about 400 KB)';
    assert.deepEqual(checkSize(401 * 1024, 512 * 1024, readme).map((r) => r.outcome), ['pass', 'pass']);
    assert.match(outcome(checkSize(600 * 1024, 512 * 1024, readme), 'vsix size'), /^fail: 600 KB is over the 512 KB budget/);
    assert.match(outcome(checkSize(300 * 1024, 512 * 1024, readme), 'README size'), /^fail: says about 400 KB, the package is 300 KB/);
    assert.match(outcome(checkSize(300 * 1024, 512 * 1024, 'no figure'), 'README size'), /^warn/);
  });

  it('refuses http and SVG README images and warns about relative ones', () => {
    assert.equal(checkReadmeImages('![a](https://example.com/a.png)').outcome, 'pass');
    assert.equal(checkReadmeImages('![a](docs/a.png)').outcome, 'warn');
    assert.equal(checkReadmeImages('![a](http://example.com/a.png)').outcome, 'fail');
    assert.equal(checkReadmeImages('<img src="https://example.com/badge.svg">').outcome, 'fail');
  });

  it('reports an audit that could not reach its endpoint as a warning that says so, never a pass', () => {
    const unreachable = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', error: { summary: '' } });
    assert.match(outcome([checkAudit(1, unreachable)], 'npm audit'), /^warn: the audit endpoint could not be used, so nothing was checked: 405 Method Not Allowed/);
    assert.match(outcome([checkAudit(1, 'npm ERR! network')], 'npm audit'), /^warn: no JSON/);
    const clean = JSON.stringify({ metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }, dependencies: { prod: 120 } } });
    assert.match(outcome([checkAudit(0, clean)], 'npm audit'), /^pass: no known vulnerabilities in 120 production packages/);
    const serious = JSON.stringify({ metadata: { vulnerabilities: { low: 1, high: 2, critical: 0 }, dependencies: { prod: 120 } } });
    assert.match(outcome([checkAudit(1, serious)], 'npm audit'), /^fail: 1 low, 2 high/);
  });

  it('lists the bundled libraries from npm ls, and reads a PNG header', () => {
    assert.deepEqual(bundledLibraries({ dependencies: { ajv: { version: '8.20.0' }, '@anthropic-ai/sdk': { version: '1.12.0' } } }), ['@anthropic-ai/sdk@1.12.0', 'ajv@8.20.0']);
    assert.deepEqual(pngSize(fs.readFileSync(path.join(ROOT, 'media', 'icon.png'))), { width: 256, height: 256 });
    assert.equal(pngSize(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>')), undefined);
  });
});
