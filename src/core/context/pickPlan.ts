import type { EgressGate, RealLocation } from '../egress/gate';
import type { Exclusion } from './exclusions';
import { mediaOfPath } from '../media/mediaFacts';

/** One path the user picked or a folder expanded to; workspace-relative, forward slashes. */
export interface PickedPath {
  readonly path: string;
  /** Whether the user picked it by name (only those can be overridden one by one). */
  readonly explicit: boolean;
  /** Where it really is, when it is a link or lies under one (the gate checks both paths). */
  readonly real?: RealLocation;
}

export interface PickPlan {
  /** To read, in a stable order (sorted by path). */
  readonly include: readonly string[];
  /** Left out, with the rule; `explicit` ones the user may override. */
  readonly excluded: readonly { readonly path: string; readonly exclusion: Exclusion; readonly explicit: boolean }[];
  /** Set when the pick has more files than allowed: nothing is added. */
  readonly tooMany?: { readonly count: number; readonly limit: number };
}

/**
 * Plans adding a pick of files (folders already expanded): which to read, which the rules leave out
 * and why, and whether the pick is too large to add at all. Pure, so 10,000 paths take milliseconds.
 */
export function planPick(paths: readonly PickedPath[], gate: EgressGate, maxFiles: number, known?: ReadonlyMap<string, Exclusion | undefined>): PickPlan {
  const include: string[] = [];
  const excluded: { path: string; exclusion: Exclusion; explicit: boolean }[] = [];
  const seen = new Set<string>();
  for (const entry of paths) {
    const { path, explicit } = entry;
    if (seen.has(path)) continue;
    seen.add(path);
    const exclusion = (known?.has(path) ? known.get(path) : gate.checkPath(entry)) ?? (!explicit && mediaOfPath(path) !== undefined ? { reason: 'mediaInFolder' as const } : undefined);
    if (exclusion !== undefined) excluded.push({ path, exclusion, explicit });
    else include.push(path);
  }
  include.sort(comparePaths);
  excluded.sort((a, b) => comparePaths(a.path, b.path));
  if (include.length > maxFiles) return { include: [], excluded, tooMany: { count: include.length, limit: maxFiles } };
  return { include, excluded };
}

/** Plain code-unit order: the same on every platform and locale, so the blocks keep their order. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A one-line summary of what a pick left out: "2 left out: .env (may hold secrets), logo.png (binary file)". */
export function summarizeExcluded(excluded: PickPlan['excluded'], describe: (exclusion: Exclusion) => string, shown = 3): string {
  if (excluded.length === 0) return '';
  const names = excluded.slice(0, shown).map((entry) => `${entry.path} (${describe(entry.exclusion)})`);
  const more = excluded.length > shown ? `, and ${excluded.length - shown} more` : '';
  return `${excluded.length} left out: ${names.join(', ')}${more}.`;
}

/**
 * {@link planPick} for big picks: the gate's path rules (about 10 µs a path) run in slices with a turn of the
 * event loop between them, so 10,000 paths never hold the extension host for more than a few ms.
 */
export async function planPickInSlices(paths: readonly PickedPath[], gate: EgressGate, maxFiles: number, signal?: AbortSignal, slice = 1000): Promise<PickPlan> {
  const known = new Map<string, Exclusion | undefined>();
  for (let start = 0; start < paths.length; start += slice) {
    if (signal?.aborted) throw signal.reason;
    for (const entry of paths.slice(start, start + slice)) if (!known.has(entry.path)) known.set(entry.path, gate.checkPath(entry));
    if (start + slice < paths.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return planPick(paths, gate, maxFiles, known);
}
