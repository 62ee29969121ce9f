/**
 * Every user-visible string of the chat webview, in one place so wording stays consistent. Each is
 * looked up by its English text in the extension's l10n bundle (`l10n/bundle.l10n.*.json`, which
 * the host sends in `didInit`), so they are getters and functions, read when drawn, never at load.
 * Functions are used where a value is interpolated so callers never concatenate sentence fragments.
 */
import * as l10n from '@vscode/l10n';

export const strings = {
  get appLabel(): string { return l10n.t('Claude chat'); },
  get transcriptLabel(): string { return l10n.t('Conversation'); },
  get jumpToLatest(): string { return l10n.t('Scroll to the latest message'); },
  messageTooLong: (max: string): string => l10n.t('This message is too long to send (limit {0} characters).', max),
  get youLabel(): string { return l10n.t('You'); },
  claudeLabel: 'Claude',

  get modelLabel(): string { return l10n.t('Model'); },
  get deprecatedSuffix(): string { return l10n.t(' (deprecated)'); },
  get newChat(): string { return l10n.t('New Chat'); },
  totalsSaved: (saved: string): string => l10n.t(' · saved {0}', saved),
  totalsTitle: (tokens: string, cost: string, saved: string): string =>
    l10n.t('This chat so far: {0}. Cost {1}; prompt caching saved {2}.', tokens, cost, saved),
  totalsTitleUnknown: (tokens: string, models: string): string => l10n.t('This chat so far: {0}. Cost unknown: no price for {1}.', tokens, models),
  totalsTitlePartial: (tokens: string, cost: string, models: string, saved: string): string =>
    l10n.t('This chat so far: {0}. Cost at least {1} (no price for {2}); prompt caching saved {3}.', tokens, cost, models, saved),
  get offlineTitle(): string { return l10n.t('Not talking to the Anthropic API: answers come from a local stand-in.'); },

  get composerLabel(): string { return l10n.t('Message Claude'); },
  get composerPlaceholder(): string { return l10n.t('Ask Claude about your code…'); },
  get composerHint(): string { return l10n.t('Enter to send · Shift+Enter for a new line'); },
  get composerHintBusy(): string { return l10n.t('Esc to stop'); },
  get send(): string { return l10n.t('Send'); },
  get sendLabel(): string { return l10n.t('Send message'); },
  get stop(): string { return l10n.t('Stop'); },
  get stopLabel(): string { return l10n.t('Stop generating'); },
  get disabledUntrusted(): string { return l10n.t('Chat is unavailable in Restricted Mode.'); },
  get disabledNoKey(): string { return l10n.t('Set your API key to start chatting.'); },

  get onboardingTitle(): string { return l10n.t('Connect Claude Studio to Claude'); },
  get onboardingBody(): string { return l10n.t('Set your Anthropic API key to start chatting about your code.'); },
  get onboardingBodyFoundry(): string { return l10n.t('Set the API key of your Microsoft Foundry resource to start chatting about your code.'); },
  get onboardingButton(): string { return l10n.t('Set API Key'); },
  get untrustedTitle(): string { return l10n.t('Restricted Mode'); },
  get untrustedBody(): string {
    return l10n.t('This workspace is not trusted, so Claude Studio is turned off. Trust the workspace (Workspaces: Manage Workspace Trust) to chat with Claude.');
  },

  get welcomeTitle(): string { return l10n.t('Ask Claude about your code'); },
  get welcomeBody(): string { return l10n.t('Ask a question, paste an error or describe a change. Answers stream in here.'); },

  get thinkingStreaming(): string { return l10n.t('Thinking…'); },
  get thinkingDone(): string { return l10n.t('Thinking'); },
  thoughtFor: (words: number, formatted: string): string =>
    words === 1 ? l10n.t('Thought for {0} word', formatted) : l10n.t('Thought for {0} words', formatted),
  get pending(): string { return l10n.t('Claude is working…'); },

  get copy(): string { return l10n.t('Copy'); },
  get copied(): string { return l10n.t('Copied'); },
  get insert(): string { return l10n.t('Insert'); },
  get apply(): string { return l10n.t('Apply'); },
  applyCodeLabel: (lang: string): string =>
    lang
      ? l10n.t('Apply this {0} code to the selection (or the lines it matches, else the whole file) as a diff you can accept or discard', lang)
      : l10n.t('Apply this code to the selection (or the lines it matches, else the whole file) as a diff you can accept or discard'),
  copyCodeLabel: (lang: string): string => (lang ? l10n.t('Copy {0} code', lang) : l10n.t('Copy code')),
  insertCodeLabel: (lang: string): string =>
    lang ? l10n.t('Insert {0} code into the editor', lang) : l10n.t('Insert code into the editor'),
  imageLink: (alt: string): string => (alt ? l10n.t('Image: {0}', alt) : l10n.t('Image')),

  get copyMessageLabel(): string { return l10n.t('Copy message'); },
  get editMessageLabel(): string { return l10n.t('Edit message'); },
  // The edit forks the conversation; the title says so, since the old answer is not lost.
  get editMessageTitle(): string { return l10n.t('Edit and regenerate from here; the current answer stays reachable'); },
  get editInputLabel(): string { return l10n.t('Edit your message'); },
  get editHint(): string { return l10n.t('Enter to send · Esc to cancel'); },
  get editSendLabel(): string { return l10n.t('Send edited message'); },
  get cancel(): string { return l10n.t('Cancel'); },
  get cancelEditLabel(): string { return l10n.t('Cancel editing'); },
  applyFiles: (count: number): string => (count === 1 ? l10n.t('Apply to 1 file') : l10n.t('Apply to {0} files', count)),
  applyFilesLabel: (files: readonly string[]): string => l10n.t('Apply the code blocks to {0} as one change you review first', files.join(', ')),
  applyFilesTitle: (files: readonly string[]): string => l10n.t('Review and apply as one change (one Undo): {0}', files.join(', ')),
  get wrapCodeLabel(): string { return l10n.t('Wrap long lines'); },
  selectionReference: (path: string, lines: string): string => l10n.t('Selected code: {0}, {1}', path, lines),
  get regenerateLabel(): string { return l10n.t('Regenerate answer'); },
  get regenerateTitle(): string { return l10n.t('Answer this message again; this answer stays reachable as a version'); },
  get regenerateWithLabel(): string { return l10n.t('Regenerate with another model'); },
  get regenerateWithTitle(): string { return l10n.t('Choose a model and answer this message again; this answer stays reachable as a version'); },
  get previousVersion(): string { return l10n.t('Previous version'); },
  get nextVersion(): string { return l10n.t('Next version'); },
  branchPosition: (index: number, count: number): string => `${index} / ${count}`,
  branchGroupLabel: (index: number, count: number): string => l10n.t('Version {0} of {1}', index, count),
  get continueAnswer(): string { return l10n.t('Continue'); },
  get continueLabel(): string { return l10n.t('Continue this answer'); },
  get continueErrorLabel(): string { return l10n.t('Continue this answer from where it stopped'); },
  get continueErrorTitle(): string { return l10n.t('Send the answer so far back to Claude as the start of its answer, and carry on from there'); },
  get continueTitle(): string { return l10n.t('Ask Claude to carry on from where the answer was cut off'); },

  get statusStopped(): string { return l10n.t('Stopped'); },
  get statusInterrupted(): string { return l10n.t('Interrupted'); },
  get stopMaxTokens(): string { return l10n.t('Reached the max tokens limit'); },
  stopSequence: (seq: string | undefined): string =>
    seq ? l10n.t('Stopped at the stop sequence “{0}”', seq) : l10n.t('Stopped at a stop sequence'),
  get stopRefusal(): string { return l10n.t('Claude declined to answer'); },

  recipe: {
    get stepsLabel(): string { return l10n.t('Recipe steps'); },
    heading: (name: string, done: number, total: number): string =>
      total === 1 ? l10n.t('{0} · {1} of {2} step', name, done, total) : l10n.t('{0} · {1} of {2} steps', name, done, total),
    total: (amount: string): string => l10n.t('{0} in total', amount),
    marker: { running: '…', done: '✓', error: '!' },
    status: {
      get running(): string { return l10n.t('running'); },
      get done(): string { return l10n.t('done'); },
      get error(): string { return l10n.t('failed'); },
    },
  },

  usage: {
    get input(): string { return l10n.t('in'); },
    get output(): string { return l10n.t('out'); },
    get cacheRead(): string { return l10n.t('cache read'); },
    get cacheWrite(): string { return l10n.t('write'); },
    saved: (amount: string): string => l10n.t('(saved {0})', amount),
    totals: (input: string, output: string): string => l10n.t('{0} in, {1} out', input, output),
    totalsCached: (base: string, cached: string): string => l10n.t('{0}, {1} cached', base, cached),
    get costUnknownShort(): string { return l10n.t('cost unknown'); },
    costAtLeast: (amount: string): string => l10n.t('at least {0}', amount),
    costUnknown: (models: string): string => l10n.t('cost unknown: no price for {0}', models),
    costPartial: (amount: string, models: string): string => l10n.t('at least {0}: no price for {1}', amount, models),
  },

  media: {
    pastedName: 'pasted image',
    notMedia: (name: string): string => l10n.t('{0} was not added: only PNG, JPEG, GIF and WebP images and PDFs can be pasted or dropped here.', name),
    tooLarge: (name: string): string => l10n.t('{0} was not added: it is larger than a request may carry (32 MB).', name),
    unreadable: (name: string): string => l10n.t('{0} could not be read.', name),
    get dropHint(): string { return l10n.t('Drop images or PDFs to add them to the context'); },
    inTurn: (count: number): string => (count === 1 ? l10n.t('1 image or PDF sent with this message') : l10n.t('{0} images and PDFs sent with this message', count)),
  },

  context: {
    get barLabel(): string { return l10n.t('Context sent with your next message'); },
    tokens: (formatted: string): string => l10n.t('{0} tok', formatted),
    get stateUpdated(): string { return l10n.t('updated'); },
    get stateDeleted(): string { return l10n.t('deleted'); },
    get stateExcluded(): string { return l10n.t('excluded'); },
    openTitle: (label: string, tokens: string): string => l10n.t('{0}: about {1} tokens. Click to open.', label, tokens),
    sentTitle: (label: string, tokens: string): string =>
      l10n.t('{0}: about {1} tokens, already sent; sent again only if it changes. Click to open.', label, tokens),
    updatedTitle: (label: string): string =>
      l10n.t('{0} was edited after it was added: the next message carries the updated version. Click to open.', label),
    deletedTitle: (label: string): string => l10n.t('{0} was deleted: the next message tells Claude so.', label),
    excludedTitle: (label: string, reason: string): string =>
      l10n.t('{0} was left out: {1}. Click to add it anyway (you will be asked to confirm).', label, reason),
    mediaTitle: (title: string, detail: string): string => `${detail}. ${title}`,
    removeLabel: (label: string): string => l10n.t('Remove {0} from the context', label),
    suggestionLabel: (label: string): string => l10n.t('Add {0} to the context', label),
    get suggestionTitle(): string { return l10n.t('Add the active editor (or its selection) to the context'); },
    total: (formatted: string): string => l10n.t('{0} tokens of context', formatted),
    get pickerLabel(): string { return l10n.t('Workspace files'); },
    get pickerEmpty(): string { return l10n.t('No matching files'); },
    get pickerHint(): string { return l10n.t('↑↓ to choose · Enter to add · Esc to close'); },
    inTurn: (count: number): string => (count === 1 ? l10n.t('1 context item') : l10n.t('{0} context items', count)),
  },

  get errorTitle(): string { return l10n.t('Something went wrong'); },
  get retry(): string { return l10n.t('Retry'); },
  get retryLabel(): string { return l10n.t('Retry this answer'); },
  get retryOverLabel(): string { return l10n.t('Retry: write this answer again from the start'); },
  get copyErrorLabel(): string { return l10n.t('Copy error message'); },
  retryingIn: (seconds: number): string => l10n.t('Retrying automatically in {0}s…', seconds),
  get retryingNow(): string { return l10n.t('Retrying…'); },
  actions: {
    get setApiKey(): string { return l10n.t('Set API Key'); },
    get pickModel(): string { return l10n.t('Change Model'); },
    get reduceContext(): string { return l10n.t('Reduce Context'); },
    get retry(): string { return l10n.t('Retry'); },
    get openSettings(): string { return l10n.t('Open Settings'); },
  },
};
