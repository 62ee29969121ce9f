import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeStudioApi } from '../../../src/extension';

export const EXTENSION_ID = 'claude-studio.claude-studio';

/** Activates the extension under test and returns its API. */
export async function activateExtension(): Promise<{ api: ClaudeStudioApi; extension: vscode.Extension<ClaudeStudioApi> }> {
  const extension = vscode.extensions.getExtension<ClaudeStudioApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  return { api, extension };
}

interface ManifestCommand {
  readonly command: string;
}

/** The commands the manifest contributes. */
export function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  const manifest = extension.packageJSON as { contributes: { commands: ManifestCommand[] } };
  return manifest.contributes.commands.map((entry) => entry.command);
}
