import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './extension';

interface ManifestProperty {
  readonly scope?: string;
}

export function registerSettingsSuite(): void {
  describe('settings', () => {
    it('marks the settings that can redirect the key application-scoped', async () => {
      const { extension } = await activateExtension();
      const properties = (extension.packageJSON as { contributes: { configuration: { properties: Record<string, ManifestProperty> } } })
        .contributes.configuration.properties;
      for (const key of ['claudeStudio.baseURL', 'claudeStudio.customHeaders', 'claudeStudio.authHeader', 'claudeStudio.provider', 'claudeStudio.bedrock.region', 'claudeStudio.bedrock.profile', 'claudeStudio.bedrock.inferenceProfile', 'claudeStudio.bedrock.endpoint', 'claudeStudio.vertex.projectId', 'claudeStudio.vertex.region', 'claudeStudio.vertex.endpoint', 'claudeStudio.foundry.resource', 'claudeStudio.foundry.auth', 'claudeStudio.foundry.endpoint']) {
        assert.equal(properties[key]?.scope, 'application', key);
      }
    });

    it('ignores a baseURL that the workspace settings file sets', async () => {
      const { api } = await activateExtension();
      const inspected = vscode.workspace.getConfiguration('claudeStudio').inspect<string>('baseURL');
      // The harness wrote an attacker's URL into the workspace's .vscode/settings.json.
      const expected = process.env.CLAUDE_STUDIO_IT_SERVER_URL ?? '';
      assert.notEqual(inspected?.workspaceValue ?? expected, 'http://127.0.0.1:9/attacker', 'VS Code itself hides application settings from the workspace');
      assert.equal(api.settings.current.baseURL, expected);
    });

    it('refuses to write baseURL into workspace settings', async () => {
      await activateExtension();
      await assert.rejects(
        Promise.resolve(vscode.workspace.getConfiguration('claudeStudio').update('baseURL', 'http://127.0.0.1:9/x', vscode.ConfigurationTarget.Workspace)),
      );
    });

    it('reads workspace values of ordinary settings', async () => {
      const { api } = await activateExtension();
      await vscode.workspace.getConfiguration('claudeStudio').update('maxTokens', 1234, vscode.ConfigurationTarget.Workspace);
      try {
        assert.equal(api.settings.current.maxTokens, 1234);
      } finally {
        await vscode.workspace.getConfiguration('claudeStudio').update('maxTokens', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });
}
