import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, CONFIG_SECTION } from '../../../../src/core/config/config';

interface ManifestProperty {
  readonly default?: unknown;
  readonly scope?: string;
}

function manifestProperties(): Record<string, ManifestProperty> | undefined {
  const manifest: unknown = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
  const contributes = (manifest as { contributes?: { configuration?: unknown } }).contributes;
  const configuration = contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  const out: Record<string, ManifestProperty> = {};
  for (const section of sections as { properties?: Record<string, ManifestProperty> }[]) {
    Object.assign(out, section.properties ?? {});
  }
  return sections.length > 0 ? out : undefined;
}

describe('package.json settings match CONFIG_KEYS', () => {
  const properties = manifestProperties();

  it('declares every setting with the same default and scope', { skip: properties ? false : 'no contributes.configuration yet' }, () => {
    assert.ok(properties);
    for (const info of CONFIG_KEYS) {
      const name = `${CONFIG_SECTION}.${info.key}`;
      const prop: ManifestProperty | undefined = properties[name];
      assert.ok(prop, `${name} is missing from package.json`);
      assert.deepEqual(prop.default, info.default, `${name} default`);
      if (info.applicationScope) assert.equal(prop.scope, 'application', `${name} must be application-scoped`);
    }
  });

  it('declares no setting the config does not read', { skip: properties ? false : 'no contributes.configuration yet' }, () => {
    assert.ok(properties);
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
