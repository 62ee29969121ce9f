/** What the Report Issue command says, in one place. */
export const reportIssueStrings = {
  reporterFailed: (why: string) => `VS Code's issue reporter did not open (${why}); the report is open as a Markdown document instead.`,
  opened: 'Check the report before you share it: keys, tokens and file contents were removed.',
} as const;
