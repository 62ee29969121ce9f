/**
 * Fuzzy matching of workspace paths for the `@` picker: the query's characters in order, scored
 * so that matches in the file name, at word starts and in runs come first.
 */
export interface FuzzyMatch {
  readonly path: string;
  readonly score: number;
  /** Indexes into `path` of the matched characters, for highlighting. */
  readonly positions: readonly number[];
}

function isBoundary(path: string, index: number): boolean {
  if (index === 0) return true;
  const prev = path[index - 1] ?? '';
  const char = path[index] ?? '';
  return prev === '/' || prev === '_' || prev === '-' || prev === '.' || prev === ' ' || (prev.toLowerCase() === prev && char.toUpperCase() === char && char.toLowerCase() !== char);
}

/** Scores one path, or undefined when the query is not a subsequence of it. */
export function fuzzyScore(query: string, path: string): FuzzyMatch | undefined {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return { path, score: 0, positions: [] };
  const lower = path.toLowerCase();
  const nameStart = path.lastIndexOf('/') + 1;
  // Prefer a match inside the file name: try from the name first, then from the start.
  for (const from of nameStart > 0 ? [nameStart, 0] : [0]) {
    const positions: number[] = [];
    let at = from;
    for (const char of q) {
      const found = lower.indexOf(char, at);
      if (found < 0) break;
      positions.push(found);
      at = found + 1;
    }
    if (positions.length !== q.length) continue;
    let score = 0;
    positions.forEach((position, i) => {
      score += 1;
      if (position >= nameStart) score += 2;
      if (isBoundary(path, position)) score += 3;
      if (i > 0 && positions[i - 1] === position - 1) score += 4;
    });
    if (lower.slice(nameStart).startsWith(q)) score += 10;
    score -= path.length / 100;
    return { path, score, positions };
  }
  return undefined;
}

/** The best `limit` matches, best first (ties: shorter path, then alphabetical). */
export function fuzzySearch(query: string, paths: Iterable<string>, limit = 20): FuzzyMatch[] {
  const matches: FuzzyMatch[] = [];
  for (const path of paths) {
    const match = fuzzyScore(query, path);
    if (match !== undefined) matches.push(match);
  }
  matches.sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
  return matches.slice(0, limit);
}
