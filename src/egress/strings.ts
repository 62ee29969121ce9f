import { l10n } from 'vscode';

/** Every user-visible string of the egress gate, in one place, through vscode.l10n (read when shown). */
export const egressStrings = {
  blockedTitle: (what: string, where: string, reason: string): string => l10n.t('{0} would send {1} to Claude, which is held back: {2}.', what, where, reason),
  get blockedDetail(): string { return l10n.t('Nothing has been sent. Send it anyway (this once), send it with the flagged lines removed, or cancel.'); },
  get blockedPathDetail(): string { return l10n.t('Nothing has been sent. Send it anyway (this once), or cancel. The rule stays in place for everything else.'); },
  get sendAnyway(): string { return l10n.t('Send Anyway'); },
  get redactAndSend(): string { return l10n.t('Remove Those Lines and Send'); },
  get addAnyway(): string { return l10n.t('Add Anyway'); },
  get redactAndAdd(): string { return l10n.t('Remove Those Lines and Add'); },
  get sendMessage(): string { return l10n.t('Sending this message'); },
  get addSelection(): string { return l10n.t('Add Selection to Chat'); },
  get addFile(): string { return l10n.t('Adding this file'); },
  contextHeld: (label: string, reason: string): string => l10n.t('{0} is held back: {1}.', label, reason),
  get contextHeldDetail(): string {
    return l10n.t('It was not sent. Send it anyway (this once), remove the flagged lines, or cancel to keep your message and change the context.');
  },
  instructionsSkipped: (reason: string): string =>
    l10n.t('Claude Studio did not use .claude-studio/instructions.md: {0}. Fix the file; the chat starts without it.', reason),
  get instructionsWhat(): string { return l10n.t('This chat'); },
  instructionsWhere: '.claude-studio/instructions.md',
  get instructionsDetail(): string {
    return l10n.t('Nothing has been sent. Use it anyway (this once), use it with the flagged lines removed, or cancel to start the chat without it.');
  },
  get instructionsPathDetail(): string { return l10n.t('Nothing has been sent. Use it anyway (this once), or cancel to start the chat without it.'); },
  examplesWhere: (name: string): string => l10n.t('the example set "{0}"', name),
};
