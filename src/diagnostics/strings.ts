import { l10n } from 'vscode';

/** What the Report Issue command says, in one place, through vscode.l10n. */
export const reportIssueStrings = {
  reporterFailed: (why: string): string =>
    l10n.t("VS Code's issue reporter did not open ({0}); the report is open as a Markdown document instead.", why),
  get opened(): string { return l10n.t('Check the report before you share it: keys, tokens and file contents were removed.'); },
};
