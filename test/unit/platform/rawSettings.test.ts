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
    assert.equal(readRawSetting(configuration, 'baseURL'), 'https://proxy.example.com');
    assert.deepEqual(readRawSetting(configuration, 'customHeaders'), {});
    assert.equal(readRawSetting(configuration, 'model'), 'claude-opus-5-5');
    const { config } = parseConfig((key) => readRawSetting(configuration, key));
    assert.equal(config.baseURL, 'https://proxy.example.com');
  });

  it('falls back to the default when only a workspace sets baseURL', () => {
    const configuration = layered({ baseURL: { defaultValue: '', workspaceValue: 'http://127.0.0.1:9' } });
    assert.equal(readRawSetting(configuration, 'baseURL'), '');
  });
});
