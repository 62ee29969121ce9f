/**
 * Every user-visible string of the chat webview, in one place so wording stays consistent and a
 * later localisation pass has a single file to translate. Functions are used where a value is
 * interpolated so callers never concatenate sentence fragments themselves.
 */
export const strings = {
  appLabel: 'Claude chat',
  transcriptLabel: 'Conversation',
  jumpToLatest: 'Scroll to the latest message',
  messageTooLong: (max: string): string => `This message is too long to send (limit ${max} characters).`,
  youLabel: 'You',
  claudeLabel: 'Claude',

  modelLabel: 'Model',
  deprecatedSuffix: ' (deprecated)',
  newChat: 'New Chat',
  totalsSaved: (saved: string): string => ` · saved ${saved}`,
  totalsTitle: (tokens: string, cost: string, saved: string): string =>
    `This chat so far: ${tokens}. Cost ${cost}; prompt caching saved ${saved}.`,
  offlineTitle: 'Not talking to the Anthropic API: answers come from a local stand-in.',

  composerLabel: 'Message Claude',
  composerPlaceholder: 'Ask Claude about your code…',
  composerHint: 'Enter to send · Shift+Enter for a new line',
  composerHintBusy: 'Esc to stop',
  send: 'Send',
  sendLabel: 'Send message',
  stop: 'Stop',
  stopLabel: 'Stop generating',
  disabledUntrusted: 'Chat is unavailable in Restricted Mode.',
  disabledNoKey: 'Set your API key to start chatting.',

  onboardingTitle: 'Connect Claude Studio to Claude',
  onboardingBody: 'Set your Anthropic API key to start chatting about your code.',
  onboardingButton: 'Set API Key',
  untrustedTitle: 'Restricted Mode',
  untrustedBody:
    'This workspace is not trusted, so Claude Studio is turned off. Trust the workspace ' +
    '(Workspaces: Manage Workspace Trust) to chat with Claude.',

  welcomeTitle: 'Ask Claude about your code',
  welcomeBody: 'Ask a question, paste an error or describe a change. Answers stream in here.',

  thinkingStreaming: 'Thinking…',
  thinkingDone: 'Thinking',
  thoughtFor: (words: number, formatted: string): string =>
    `Thought for ${formatted} ${words === 1 ? 'word' : 'words'}`,
  pending: 'Claude is working…',

  copy: 'Copy',
  copied: 'Copied',
  insert: 'Insert',
  apply: 'Apply',
  applyCodeLabel: (lang: string): string =>
    `Apply ${lang ? `this ${lang} code` : 'this code'} to the selection (or the lines it matches, else the whole file) as a diff you can accept or discard`,
  copyCodeLabel: (lang: string): string => (lang ? `Copy ${lang} code` : 'Copy code'),
  insertCodeLabel: (lang: string): string =>
    lang ? `Insert ${lang} code into the editor` : 'Insert code into the editor',
  imageLink: (alt: string): string => (alt ? `Image: ${alt}` : 'Image'),

  copyMessageLabel: 'Copy message',
  editMessageLabel: 'Edit message',
  // The edit forks the conversation; the title says so, since the old answer is not lost.
  editMessageTitle: 'Edit and regenerate from here; the current answer stays reachable',
  editInputLabel: 'Edit your message',
  editHint: 'Enter to send · Esc to cancel',
  editSendLabel: 'Send edited message',
  cancel: 'Cancel',
  cancelEditLabel: 'Cancel editing',
  applyFiles: (count: number): string => (count === 1 ? 'Apply to 1 file' : `Apply to ${count} files`),
  applyFilesLabel: (files: readonly string[]): string => `Apply the code blocks to ${files.join(', ')} as one change you review first`,
  applyFilesTitle: (files: readonly string[]): string => `Review and apply as one change (one Undo): ${files.join(', ')}`,
  wrapCodeLabel: 'Wrap long lines',
  selectionReference: (path: string, lines: string): string => `Selected code: ${path}, ${lines}`,
  regenerateLabel: 'Regenerate answer',
  regenerateTitle: 'Answer this message again; this answer stays reachable as a version',
  regenerateWithLabel: 'Regenerate with another model',
  regenerateWithTitle: 'Choose a model and answer this message again; this answer stays reachable as a version',
  previousVersion: 'Previous version',
  nextVersion: 'Next version',
  branchPosition: (index: number, count: number): string => `${index} / ${count}`,
  branchGroupLabel: (index: number, count: number): string => `Version ${index} of ${count}`,
  continueAnswer: 'Continue',
  continueLabel: 'Continue this answer',
  continueErrorLabel: 'Continue this answer from where it stopped',
  continueErrorTitle: 'Send the answer so far back to Claude as the start of its answer, and carry on from there',
  continueTitle: 'Ask Claude to carry on from where the answer was cut off',

  statusStopped: 'Stopped',
  statusInterrupted: 'Interrupted',
  stopMaxTokens: 'Reached the max tokens limit',
  stopSequence: (seq: string | undefined): string =>
    seq ? `Stopped at the stop sequence “${seq}”` : 'Stopped at a stop sequence',
  stopRefusal: 'Claude declined to answer',

  recipe: {
    stepsLabel: 'Recipe steps',
    heading: (name: string, done: number, total: number): string => `${name} · ${done} of ${total} step${total === 1 ? '' : 's'}`,
    total: (amount: string): string => `${amount} in total`,
    marker: { running: '…', done: '✓', error: '!' },
    status: { running: 'running', done: 'done', error: 'failed' },
  },

  usage: {
    input: 'in',
    output: 'out',
    cacheRead: 'cache read',
    cacheWrite: 'write',
    saved: (amount: string): string => `(saved ${amount})`,
  },

  media: {
    pastedName: 'pasted image',
    notMedia: (name: string): string => `${name} was not added: only PNG, JPEG, GIF and WebP images and PDFs can be pasted or dropped here.`,
    tooLarge: (name: string): string => `${name} was not added: it is larger than a request may carry (32 MB).`,
    unreadable: (name: string): string => `${name} could not be read.`,
    dropHint: 'Drop images or PDFs to add them to the context',
    inTurn: (count: number): string => `${count} ${count === 1 ? 'image or PDF' : 'images and PDFs'} sent with this message`,
  },

  context: {
    barLabel: 'Context sent with your next message',
    tokens: (formatted: string): string => `${formatted} tok`,
    stateUpdated: 'updated',
    stateDeleted: 'deleted',
    stateExcluded: 'excluded',
    openTitle: (label: string, tokens: string): string => `${label}: about ${tokens} tokens. Click to open.`,
    sentTitle: (label: string, tokens: string): string => `${label}: about ${tokens} tokens, already sent; sent again only if it changes. Click to open.`,
    updatedTitle: (label: string): string => `${label} was edited after it was added: the next message carries the updated version. Click to open.`,
    deletedTitle: (label: string): string => `${label} was deleted: the next message tells Claude so.`,
    excludedTitle: (label: string, reason: string): string => `${label} was left out: ${reason}. Click to add it anyway (you will be asked to confirm).`,
    mediaTitle: (title: string, detail: string): string => `${detail}. ${title}`,
    removeLabel: (label: string): string => `Remove ${label} from the context`,
    suggestionLabel: (label: string): string => `Add ${label} to the context`,
    suggestionTitle: 'Add the active editor (or its selection) to the context',
    total: (formatted: string): string => `${formatted} tokens of context`,
    pickerLabel: 'Workspace files',
    pickerEmpty: 'No matching files',
    pickerHint: '↑↓ to choose · Enter to add · Esc to close',
    inTurn: (count: number): string => `${count} context ${count === 1 ? 'item' : 'items'}`,
  },

  errorTitle: 'Something went wrong',
  retry: 'Retry',
  retryLabel: 'Retry this answer',
  retryOverLabel: 'Retry: write this answer again from the start',
  copyErrorLabel: 'Copy error message',
  retryingIn: (seconds: number): string => `Retrying automatically in ${seconds}s…`,
  retryingNow: 'Retrying…',
  actions: {
    setApiKey: 'Set API Key',
    pickModel: 'Change Model',
    reduceContext: 'Reduce Context',
    retry: 'Retry',
    openSettings: 'Open Settings',
  },
} as const;
