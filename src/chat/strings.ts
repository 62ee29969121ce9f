/** Every user-visible string of the chat feature, in one place for vscode.l10n. */
export const chatStrings = {
  offlineLabel: 'Offline demo',
  unknownModel: (id: string): string => `"${id}" is not a model Claude Studio knows. Pick one from the list.`,
  blockedLink: (scheme: string): string => `Claude Studio did not open a "${scheme}:" link from the chat: only web and mail links are opened.`,
  noEditorForInsert: 'Open an editor to insert the code into.',
  setKeyPrompt: 'Paste your Anthropic API key. It is stored in your system keychain, never in settings.',
  setKeyPlaceholder: 'sk-ant-…',
  keySaved: 'Claude Studio: API key saved.',
  keyCleared: 'Claude Studio: API key removed from the keychain.',
  keyStillFromEnv: 'Claude Studio: API key removed from the keychain. ANTHROPIC_API_KEY from the environment is still used.',
  noSelection: 'Select some code first.',
  askPrompt: 'What do you want to ask Claude about the selection?',
  askPlaceholder: 'e.g. Why does this loop never end?',
  pickModelTitle: 'Choose the model Claude Studio uses',
  deprecated: 'deprecated',
} as const;
