/**
 * Artifacts of an end-to-end run: screenshots, failure dumps, code-server and
 * extension-host logs. They live in `test-results/e2e/` at the repo root
 * (gitignored, kept by CI) and are wiped once per run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Repo root: three levels above this file (test/e2e/harness). */
export const REPO_ROOT: string = path.resolve(
  typeof __dirname === 'string' ? __dirname : process.cwd(),
  '..',
  '..',
  '..',
);

let cleanedThisRun = false;

/** `test-results/e2e/` (or `$CLAUDE_STUDIO_E2E_ARTIFACTS`), created if missing. */
export function artifactsDir(): string {
  const dir = process.env.CLAUDE_STUDIO_E2E_ARTIFACTS ?? path.join(REPO_ROOT, 'test-results', 'e2e');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Empties the artifacts dir. Only the first call in a process does anything,
 * so every suite may call it in its `before` hook safely.
 */
export function resetArtifacts(): string {
  const dir = process.env.CLAUDE_STUDIO_E2E_ARTIFACTS ?? path.join(REPO_ROOT, 'test-results', 'e2e');
  if (!cleanedThisRun) {
    fs.rmSync(dir, { recursive: true, force: true });
    cleanedThisRun = true;
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file name safe for any file system, from a free-form test title. */
export function safeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return (cleaned || 'unnamed').slice(0, 120);
}

/** Absolute path of an artifact file (sub-dirs created). */
export function artifactPath(...parts: string[]): string {
  const p = path.join(artifactsDir(), ...parts);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  return p;
}
