import type { ContextEntry } from '../context/contextSet';

/**
 * The files a `/batch <prompt>` typed in the chat runs over: the file chips of the chat's context,
 * in their order, each once. Selections and snippets are parts of files, not files, and a file
 * that was deleted has nothing to send: both are left out and counted so the user is told.
 */
export function batchFilesFromContext(entries: readonly ContextEntry[]): { uris: string[]; leftOut: number } {
  const uris: string[] = [];
  const seen = new Set<string>();
  let leftOut = 0;
  for (const { item, state } of entries) {
    if (item.kind !== 'file' || item.uri === undefined || state === 'deleted') {
      leftOut++;
      continue;
    }
    if (seen.has(item.uri)) continue;
    seen.add(item.uri);
    uris.push(item.uri);
  }
  return { uris, leftOut };
}
