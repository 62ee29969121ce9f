/** Every user-visible string of the egress gate, in one place for vscode.l10n. */
export const egressStrings = {
  blockedTitle: (what: string, where: string, reason: string): string => `${what} would send ${where} to Claude, which is held back: ${reason}.`,
  blockedDetail: 'Nothing has been sent. Send it anyway (this once), send it with the flagged lines removed, or cancel.',
  blockedPathDetail: 'Nothing has been sent. Send it anyway (this once), or cancel. The rule stays in place for everything else.',
  sendAnyway: 'Send Anyway',
  redactAndSend: 'Remove Those Lines and Send',
  addAnyway: 'Add Anyway',
  redactAndAdd: 'Remove Those Lines and Add',
  sendMessage: 'Sending this message',
  addSelection: 'Add Selection to Chat',
  addFile: 'Adding this file',
  contextHeld: (label: string, reason: string): string => `${label} is held back: ${reason}.`,
  contextHeldDetail: 'It was not sent. Send it anyway (this once), remove the flagged lines, or cancel to keep your message and change the context.',
  instructionsSkipped: (reason: string): string =>
    `Claude Studio did not use .claude-studio/instructions.md: ${reason}. Fix the file; the chat starts without it.`,
  instructionsWhat: 'This chat',
  instructionsWhere: '.claude-studio/instructions.md',
  instructionsDetail: 'Nothing has been sent. Use it anyway (this once), use it with the flagged lines removed, or cancel to start the chat without it.',
  instructionsPathDetail: 'Nothing has been sent. Use it anyway (this once), or cancel to start the chat without it.',
  examplesWhere: (name: string): string => `the example set "${name}"`,
} as const;
