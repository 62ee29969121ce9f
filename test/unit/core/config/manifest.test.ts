import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, CONFIG_SECTION } from '../../../../src/core/config/config';

interface ManifestProperty {
  readonly default?: unknown;
  readonly scope?: string;
}

/** Every `claudeStudio.*` property the manifest contributes; throws when it contributes no settings. */
function manifestProperties(): Record<string, ManifestProperty> {
  const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
  const contributes = (manifest as { contributes?: { configuration?: unknown } }).contributes;
  const configuration = contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  const out: Record<string, ManifestProperty> = {};
  for (const section of sections as { properties?: Record<string, ManifestProperty> }[]) {
    Object.assign(out, section.properties ?? {});
  }
  // A manifest that lost its settings section must fail here, not skip: VS Code would show none.
  if (sections.length === 0 || Object.keys(out).length === 0) throw new Error('package.json contributes no configuration properties');
  return out;
}

describe('package.json settings match CONFIG_KEYS', () => {
  it('declares every setting with the same default and scope', () => {
    const properties = manifestProperties();
    for (const info of CONFIG_KEYS) {
      const name = `${CONFIG_SECTION}.${info.key}`;
      const prop: ManifestProperty | undefined = properties[name];
      assert.ok(prop, `${name} is missing from package.json`);
      assert.deepEqual(prop.default, info.default, `${name} default`);
      if (info.applicationScope) assert.equal(prop.scope, 'application', `${name} must be application-scoped`);
    }
  });

  it('declares no setting the config does not read', () => {
    const properties = manifestProperties();
    const known = new Set(CONFIG_KEYS.map((k) => `${CONFIG_SECTION}.${k.key}`));
    const unknown = Object.keys(properties).filter((name) => name.startsWith(`${CONFIG_SECTION}.`) && !known.has(name));
    assert.deepEqual(unknown, []);
  });

  it('lists exactly the restricted settings in capabilities.untrustedWorkspaces.restrictedConfigurations', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
      capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: string[] } };
    };
    const listed = [...(manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? [])].sort();
    const restricted = CONFIG_KEYS.filter((k) => k.restricted).map((k) => `${CONFIG_SECTION}.${k.key}`).sort();
    assert.deepEqual(listed, restricted);
    for (const cost of ['thinking.budgetTokens', 'request.maxRetries', 'context.maxTotalTokens', 'batch.maxTokens', 'maxTokens']) {
      assert.ok(restricted.includes(`${CONFIG_SECTION}.${cost}`), `${cost} is restricted`);
    }
  });
});
