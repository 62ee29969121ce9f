/**
 * Makes text from outside (a file name, a model id from a workspace setting, an error) literal in
 * Markdown. Tooltips that enable command links render their Markdown trusted, so a file named
 * `[x](command:…)` would otherwise become a link that runs a command. Every character Markdown
 * gives a meaning to is backslash-escaped, `$(` (a theme icon) included, and line breaks become
 * spaces so a name cannot start a block of its own.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~$:&"'=]/g, '\\$&');
}
