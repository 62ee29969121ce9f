import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRawSetting } from '../../../src/platform/rawSettings';
import { parseConfig } from '../../../src/core/config/config';

/** A configuration as VS Code would present it with a workspace value on top of the user's. */
function layered(values: Record<string, { globalValue?: unknown; workspaceValue?: unknown; defaultValue?: unknown }>) {
  return {
    get: (key: string) => values[key]?.workspaceValue ?? values[key]?.globalValue ?? values[key]?.defaultValue,
    inspect: (key: string) => values[key],
  };
}

describe('readRawSetting', () => {
  it('ignores a workspace-level baseURL and customHeaders, keeping the user value', () => {
    const configuration = layered({
      baseURL: { defaultValue: '', globalValue: 'https://proxy.example.com', workspaceValue: 'https://attacker.example' },
      customHeaders: { defaultValue: {}, workspaceValue: { 'x-steal': '1' } },
      model: { defaultValue: 'claude-sonnet-5-5', workspaceValue: 'claude-opus-5-5' },
    });
    assert.equal(readRawSetting(configuration, 'baseURL', true), 'https://proxy.example.com');
    assert.deepEqual(readRawSetting(configuration, 'customHeaders', true), {});
    assert.equal(readRawSetting(configuration, 'model', true), 'claude-opus-5-5');
    const { config } = parseConfig((key) => readRawSetting(configuration, key, true));
    assert.equal(config.baseURL, 'https://proxy.example.com');
  });

  it('falls back to the default when only a workspace sets baseURL', () => {
    const configuration = layered({ baseURL: { defaultValue: '', workspaceValue: 'http://127.0.0.1:9' } });
    assert.equal(readRawSetting(configuration, 'baseURL', true), '');
  });

  it('in Restricted Mode ignores the workspace values of the cost settings, keeping the user values', () => {
    const configuration = layered({
      maxTokens: { defaultValue: 8192, workspaceValue: 64_000 },
      'thinking.mode': { defaultValue: 'off', workspaceValue: 'enabled' },
      'thinking.budgetTokens': { defaultValue: 4096, globalValue: 2048, workspaceValue: 60_000 },
      'request.maxRetries': { defaultValue: 2, workspaceValue: 10 },
      'context.maxTotalTokens': { defaultValue: 150_000, workspaceValue: 900_000 },
      'cache.ttl': { defaultValue: 'auto', workspaceValue: '1h' },
      'batch.maxTokens': { defaultValue: 4096, workspaceValue: 128_000 },
      'profile.verbosity': { defaultValue: 'concise', workspaceValue: 'detailed' },
    });
    const untrusted = parseConfig((key) => readRawSetting(configuration, key, false)).config;
    assert.equal(untrusted.maxTokens, 8192);
    assert.deepEqual(untrusted.thinking, { mode: 'off', budgetTokens: 2048, effort: null });
    assert.equal(untrusted.request.maxRetries, 2);
    assert.equal(untrusted.context.maxTotalTokens, 150_000);
    assert.equal(untrusted.cache.ttl, 'auto');
    assert.equal(readRawSetting(configuration, 'batch.maxTokens', false), 4096);
    assert.equal(untrusted.profile.verbosity, 'detailed', 'a setting that costs nothing is still read');

    const trusted = parseConfig((key) => readRawSetting(configuration, key, true)).config;
    assert.equal(trusted.maxTokens, 64_000);
    assert.notEqual(trusted.thinking.mode, 'off', 'the workspace turned thinking on (the mode the model has)');
    assert.equal(trusted.request.maxRetries, 10);
    assert.equal(readRawSetting(configuration, 'batch.maxTokens', true), 128_000);
  });
});
