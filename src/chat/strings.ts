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
  askTitle: 'Ask Claude About Selection',
  /** The right-click actions, as the egress question names them. */
  actionTitles: { explain: 'Explain Selection', findBugs: 'Find Bugs', refactor: 'Refactor', writeTests: 'Write Tests', document: 'Document' },
  askPrompt: 'What do you want to ask Claude about the selection?',
  askPlaceholder: 'e.g. Why does this loop never end?',
  pickModelTitle: 'Choose the model Claude Studio uses',
  deprecated: 'deprecated',
  currentModel: 'current',
  overflowTitle: (tokens: number, model: string, window: number): string =>
    `This message would make the conversation about ${tokens.toLocaleString('en-US')} tokens, too long for ${model}'s ${window.toLocaleString('en-US')}-token context window (with room for the answer).`,
  overflowDetail: 'Continue in a fresh chat that starts from a summary of this one, or one that keeps only the newest messages. This conversation stays in your history.',
  overflowSummary: 'New Chat with a Summary',
  overflowDrop: 'Drop the Oldest Messages',
  summarizing: 'Claude Studio: summarizing the conversation…',
  summaryFailed: (message: string): string => `Claude Studio could not summarize the conversation: ${message}`,
  openedCopy: (title: string): string => `"${title}" is open in another window, so this window continues it as a copy; the original is not changed here.`,
} as const;
