/**
 * Every user-visible string of the history module, in one place for vscode.l10n. Problems say
 * which line of a saved conversation was skipped and why, so a damaged file is explainable.
 */
export const historyMessages = {
  // Problems found while replaying a conversation log.
  truncatedLine: (line: number): string =>
    `Line ${line} is incomplete (the window probably closed while it was being written); it was skipped.`,
  notJson: (line: number): string => `Line ${line} is not valid JSON; it was skipped.`,
  notObject: (line: number): string => `Line ${line} is not a record; it was skipped.`,
  unknownRecord: (line: number, type: string): string =>
    `Line ${line} has a record type "${type}" this version does not know (saved by a newer version?); it was skipped.`,
  invalidRecord: (line: number, type: string, reason: string): string =>
    `Line ${line} (${type}) ${reason}; it was skipped.`,
  newerVersion: (version: number): string =>
    `This conversation was saved by a newer version (format ${version}); parts of it may be missing.`,
  idMismatch: (fileId: string, headerId: string): string =>
    `The conversation file ${fileId} says it is ${headerId}; it is opened as ${fileId}.`,
  unusableHeader: 'The first line does not describe a conversation, so nothing could be restored.',
  emptyLog: 'The conversation file is empty.',

  // Reasons a record is invalid (completing `invalidRecord`).
  badTurn: 'does not hold a valid turn',
  duplicateTurn: (id: string): string => `adds turn ${id} a second time`,
  unknownTurn: (id: string): string => `refers to turn ${id}, which does not exist`,
  notStreaming: (id: string): string => `adds streamed text to turn ${id}, which is not streaming`,
  notAssistant: (id: string): string => `refers to turn ${id}, which is not an answer`,
  badField: (field: string): string => `has an invalid "${field}"`,
  secondHeader: 'starts a second conversation inside this one',

  // Store errors.
  notFound: (id: string): string => `Conversation ${id} was not found in the history.`,
  badId: (id: string): string => `"${id}" is not a valid conversation id.`,
  alreadyExists: (id: string): string => `Conversation ${id} is already saved.`,
  writeFailed: (id: string): string => `Claude Studio could not save conversation ${id} to the history.`,
  inUse: (id: string): string => `Conversation ${id} is open in another window; this window does not change it.`,
  copyTitle: (title: string): string => `${title} (copy)`,
  mediaMissing: (label: string): string => `The stored copy of ${label} is missing or damaged: it is no longer sent with that message.`,

  // Markdown export.
  exportDate: 'Date',
  exportModel: 'Model',
  exportUser: 'You',
  exportAssistant: 'Claude',
  exportThinking: 'Thinking',
  exportRecipe: (name: string, steps: number): string => `${name}: ${steps} step${steps === 1 ? '' : 's'}`,
  /** After the title of a recipe step that did not end well (the chat marks it the same way). */
  exportStepStatus: { running: 'did not finish', error: 'failed' },
  exportStopped: 'Stopped before the answer was complete.',
  exportInterrupted: 'Interrupted: the window closed while this answer was streaming.',
  exportError: (message: string): string => `Error: ${message}`,
  exportUsage: (input: number, output: number, cacheRead: number, cacheWrite: number): string =>
    `Tokens: ${input} in, ${output} out, ${cacheRead} read from cache, ${cacheWrite} written to cache`,
  exportCost: (costUsd: number): string => `cost $${costUsd.toFixed(4)}`,
} as const;
