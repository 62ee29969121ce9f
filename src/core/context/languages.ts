/** File extensions that name a programming language worth telling Claude about. */
const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'TypeScript', tsx: 'TypeScript', mts: 'TypeScript', cts: 'TypeScript',
  js: 'JavaScript', jsx: 'JavaScript', mjs: 'JavaScript', cjs: 'JavaScript',
  py: 'Python', go: 'Go', rs: 'Rust', java: 'Java', kt: 'Kotlin', kts: 'Kotlin', scala: 'Scala',
  c: 'C', h: 'C', cc: 'C++', cpp: 'C++', cxx: 'C++', hpp: 'C++', cs: 'C#', fs: 'F#',
  rb: 'Ruby', php: 'PHP', swift: 'Swift', m: 'Objective-C', dart: 'Dart', lua: 'Lua',
  ex: 'Elixir', exs: 'Elixir', erl: 'Erlang', hs: 'Haskell', ml: 'OCaml', clj: 'Clojure',
  sh: 'Shell', bash: 'Shell', ps1: 'PowerShell', sql: 'SQL', r: 'R', jl: 'Julia', zig: 'Zig',
  vue: 'Vue', svelte: 'Svelte', html: 'HTML', css: 'CSS', scss: 'SCSS',
};

/** The glob of files worth counting (one pattern, so the editor can search once). */
export const LANGUAGE_GLOB = `**/*.{${Object.keys(LANGUAGE_BY_EXTENSION).join(',')}}`;

/**
 * The workspace's main languages from its file names, most files first: at most `limit`, and
 * only languages with at least a tenth of the leader's count, so one stray script is not named.
 */
export function mainLanguages(paths: Iterable<string>, limit = 3): string[] {
  const counts = new Map<string, number>();
  for (const path of paths) {
    const dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/')) continue;
    const language = LANGUAGE_BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
    if (language !== undefined) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = ranked[0]?.[1] ?? 0;
  return ranked.filter(([, count]) => count * 10 >= top).slice(0, limit).map(([language]) => language);
}
