import { l10n } from 'vscode';
import { formatInteger } from '../core/util/l10n';

/** Every user-visible string of the chat feature, in one place, through vscode.l10n (read when shown). */
export const chatStrings = {
  get offlineLabel(): string { return l10n.t('Offline demo'); },
  unknownModel: (id: string): string => l10n.t('"{0}" is not a model Claude Studio knows. Pick one from the list.', id),
  blockedLink: (scheme: string): string => l10n.t('Claude Studio did not open a "{0}:" link from the chat: only web and mail links are opened.', scheme),
  get noEditorForInsert(): string { return l10n.t('Open an editor to insert the code into.'); },
  get setKeyPrompt(): string { return l10n.t('Paste your Anthropic API key. It is stored in your system keychain, never in settings.'); },
  foundryKeyPrompt: (resource: string): string =>
    resource
      ? l10n.t('Paste the API key of your Microsoft Foundry resource {0}. It is stored in your system keychain, never in settings.', resource)
      : l10n.t('Paste the API key of your Microsoft Foundry resource. It is stored in your system keychain, never in settings.'),
  get foundryKeyTitle(): string { return l10n.t('Claude Studio: Set Microsoft Foundry API Key'); },
  get foundryKeySaved(): string { return l10n.t('Claude Studio: Microsoft Foundry API key saved.'); },
  setKeyPlaceholder: 'sk-ant-…',
  get keySaved(): string { return l10n.t('Claude Studio: API key saved.'); },
  get keyCleared(): string { return l10n.t('Claude Studio: API key removed from the keychain.'); },
  get keyStillFromEnv(): string { return l10n.t('Claude Studio: API key removed from the keychain. ANTHROPIC_API_KEY from the environment is still used.'); },
  get noSelection(): string { return l10n.t('Select some code first.'); },
  get askTitle(): string { return l10n.t('Ask Claude About Selection'); },
  /** The right-click actions, as the egress question names them. */
  actionTitles: {
    get explain(): string { return l10n.t('Explain Selection'); },
    get findBugs(): string { return l10n.t('Find Bugs'); },
    get refactor(): string { return l10n.t('Refactor'); },
    get writeTests(): string { return l10n.t('Write Tests'); },
    get document(): string { return l10n.t('Document'); },
  },
  get askPrompt(): string { return l10n.t('What do you want to ask Claude about the selection?'); },
  get askPlaceholder(): string { return l10n.t('e.g. Why does this loop never end?'); },
  get pickModelTitle(): string { return l10n.t('Choose the model Claude Studio uses'); },
  get deprecated(): string { return l10n.t('deprecated'); },
  get currentModel(): string { return l10n.t('current'); },
  get answeredBy(): string { return l10n.t('wrote this answer'); },
  get regenerateWithTitle(): string { return l10n.t('Regenerate the answer with which model?'); },
  overflowTitle: (tokens: number, model: string, window: number): string =>
    l10n.t(
      "This message would make the conversation about {0} tokens, too long for {1}'s {2}-token context window (with room for the answer).",
      formatInteger(tokens), model, formatInteger(window),
    ),
  get overflowDetail(): string {
    return l10n.t('Continue in a fresh chat that starts from a summary of this one, or one that keeps only the newest messages. This conversation stays in your history.');
  },
  get overflowSummary(): string { return l10n.t('New Chat with a Summary'); },
  get overflowDrop(): string { return l10n.t('Drop the Oldest Messages'); },
  get summarizing(): string { return l10n.t('Claude Studio: summarizing the conversation…'); },
  summaryFailed: (message: string): string => l10n.t('Claude Studio could not summarize the conversation: {0}', message),
  /** A model's prices in a model picker: US dollars per million input and output tokens. */
  modelPrices: (input: number, output: number): string => l10n.t('${0}/M in · ${1}/M out', input, output),
  modelPricesAndWindow: (input: number, output: number, windowK: number): string =>
    l10n.t('${0}/M in · ${1}/M out · {2}k context', input, output, windowK),
  openedCopy: (title: string): string =>
    l10n.t('"{0}" is open in another window, so this window continues it as a copy; the original is not changed here.', title),
};
