import * as l10n from '@vscode/l10n';

/**
 * Every user-visible string of the history module, in one place for vscode.l10n. Problems say
 * which line of a saved conversation was skipped and why, so a damaged file is explainable.
 */
export const historyMessages = {
  // Problems found while replaying a conversation log.
  truncatedLine: (line: number): string =>
    l10n.t('Line {0} is incomplete (the window probably closed while it was being written); it was skipped.', line),
  notJson: (line: number): string => l10n.t('Line {0} is not valid JSON; it was skipped.', line),
  notObject: (line: number): string => l10n.t('Line {0} is not a record; it was skipped.', line),
  unknownRecord: (line: number, type: string): string =>
    l10n.t('Line {0} has a record type "{1}" this version does not know (saved by a newer version?); it was skipped.', line, type),
  invalidRecord: (line: number, type: string, reason: string): string =>
    l10n.t('Line {0} ({1}) {2}; it was skipped.', line, type, reason),
  newerVersion: (version: number): string =>
    l10n.t('This conversation was saved by a newer version (format {0}); parts of it may be missing.', version),
  idMismatch: (fileId: string, headerId: string): string =>
    l10n.t('The conversation file {0} says it is {1}; it is opened as {0}.', fileId, headerId),
  get unusableHeader(): string { return l10n.t('The first line does not describe a conversation, so nothing could be restored.'); },
  get emptyLog(): string { return l10n.t('The conversation file is empty.'); },

  // Reasons a record is invalid (completing `invalidRecord`).
  get badTurn(): string { return l10n.t('does not hold a valid turn'); },
  duplicateTurn: (id: string): string => l10n.t('adds turn {0} a second time', id),
  unknownTurn: (id: string): string => l10n.t('refers to turn {0}, which does not exist', id),
  notStreaming: (id: string): string => l10n.t('adds streamed text to turn {0}, which is not streaming', id),
  notAssistant: (id: string): string => l10n.t('refers to turn {0}, which is not an answer', id),
  badField: (field: string): string => l10n.t('has an invalid "{0}"', field),
  get secondHeader(): string { return l10n.t('starts a second conversation inside this one'); },

  // Store errors.
  notFound: (id: string): string => l10n.t('Conversation {0} was not found in the history.', id),
  badId: (id: string): string => l10n.t('"{0}" is not a valid conversation id.', id),
  alreadyExists: (id: string): string => l10n.t('Conversation {0} is already saved.', id),
  writeFailed: (id: string): string => l10n.t('Claude Studio could not save conversation {0} to the history.', id),
  inUse: (id: string): string => l10n.t('Conversation {0} is open in another window; this window does not change it.', id),
  copyTitle: (title: string): string => l10n.t('{0} (copy)', title),
  mediaCollectionFailed: (): string => l10n.t('Removing stored images and PDFs that no conversation uses failed; they are kept.'),
  mediaMissing: (label: string): string => l10n.t('The stored copy of {0} is missing or damaged: it is no longer sent with that message.', label),

  // Markdown export.
  get exportDate(): string { return l10n.t('Date'); },
  get exportModel(): string { return l10n.t('Model'); },
  get exportUser(): string { return l10n.t('You'); },
  exportAssistant: 'Claude',
  get exportThinking(): string { return l10n.t('Thinking'); },
  exportRecipe: (name: string, steps: number): string => (steps === 1 ? l10n.t('{0}: 1 step', name) : l10n.t('{0}: {1} steps', name, steps)),
  /** After the title of a recipe step that did not end well (the chat marks it the same way). */
  exportStepStatus: {
    get running(): string { return l10n.t('did not finish'); },
    get error(): string { return l10n.t('failed'); },
  },
  get exportStopped(): string { return l10n.t('Stopped before the answer was complete.'); },
  get exportInterrupted(): string { return l10n.t('Interrupted: the window closed while this answer was streaming.'); },
  exportError: (message: string): string => l10n.t('Error: {0}', message),
  exportUsage: (input: number, output: number, cacheRead: number, cacheWrite: number): string =>
    l10n.t('Tokens: {0} in, {1} out, {2} read from cache, {3} written to cache', input, output, cacheRead, cacheWrite),
  exportCost: (costUsd: number): string => l10n.t('cost ${0}', costUsd.toFixed(4)),
  exportCostUnknown: (models: string): string => l10n.t('cost unknown: no price for {0}', models),
  exportCostPartial: (costUsd: number, models: string): string => l10n.t('cost at least ${0}: no price for {1}', costUsd.toFixed(4), models),
} as const;
