import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntryKind, PickFs } from '../../../../src/core/context';
import { ExclusionRules, expandPick, planPick } from '../../../../src/core/context';
import { EgressGate, locateReal } from '../../../../src/core/egress';

/**
 * A tiny file system with symlinks: `links` maps a workspace path to its target (absolute).
 * Handles are workspace-relative paths; the workspace's real root is /ws.
 */
function linkedFs(files: readonly string[], links: Readonly<Record<string, string>>): PickFs<string> {
  const ROOT = '/ws';
  const real = (path: string): string => {
    // Resolve each link along the path, as realpath(3) would.
    let current = ROOT;
    for (const part of path.split('/').filter(Boolean)) {
      current = `${current}/${part}`;
      for (let hops = 0; hops < 40; hops++) {
        const rel = current.slice(ROOT.length + 1);
        const target = current.startsWith(`${ROOT}/`) ? links[rel] : undefined;
        if (target === undefined) break;
        current = target;
      }
    }
    return current;
  };
  const under = (abs: string, path: string): boolean => `${ROOT}/${path}`.startsWith(`${abs}/`);
  const isDir = (abs: string): boolean => abs === ROOT || [...files, ...Object.keys(links)].some((path) => under(abs, path)) || abs.startsWith('/outside/dir');
  const kind = (path: string): EntryKind => (isDir(real(path)) ? 'directory' : 'file');
  return {
    stat: async (path) => kind(path),
    readDirectory: async (path) => {
      const abs = real(path);
      const names = new Set<string>();
      for (const file of files) if (`${ROOT}/${file}`.startsWith(`${abs}/`)) names.add(`${ROOT}/${file}`.slice(abs.length + 1).split('/')[0] as string);
      for (const link of Object.keys(links)) if (`${ROOT}/${link}`.startsWith(`${abs}/`) && !`${ROOT}/${link}`.slice(abs.length + 1).includes('/')) names.add(`${ROOT}/${link}`.slice(abs.length + 1));
      return [...names].sort().map((name) => {
        const child = path === '' ? name : `${path}/${name}`;
        return [name, kind(child), links[`${abs.slice(ROOT.length + 1)}${abs === ROOT ? '' : '/'}${name}`] !== undefined] as const;
      });
    },
    child: (path, name) => (path === '' ? name : `${path}/${name}`),
    path: (path) => path,
    realPath: async (path) => real(path),
  };
}

describe('egress: folder expansion over symlinks', () => {
  const gate = new EgressGate(new ExclusionRules());
  const options = { realRoots: ['/ws'] };

  it('ends a symlink loop at the second visit and says where', async () => {
    const fs = linkedFs(['loop/a.ts', 'src/b.ts'], { 'loop/up': '/ws' });
    const result = await expandPick([''], fs, gate, options);
    assert.deepEqual(result.picked.map((entry) => entry.path).sort(), ['loop/a.ts', 'src/b.ts']);
    assert.deepEqual(result.excludedFolders, [{ path: 'loop/up', exclusion: { reason: 'loop', via: '.' } }]);
  });

  it('stops at the depth limit with a reason', async () => {
    const deep = `${Array.from({ length: 6 }, (_, i) => `d${i}`).join('/')}/f.ts`;
    const result = await expandPick([''], linkedFs([deep, 'top.ts'], {}), gate, { ...options, maxDepth: 3 });
    assert.deepEqual(result.picked.map((entry) => entry.path), ['top.ts']);
    assert.deepEqual(result.excludedFolders.map((entry) => [entry.path, entry.exclusion.reason]), [['d0/d1/d2/d3', 'tooDeep']]);
  });

  it('carries real paths to the plan: a link to .env and a link out of the workspace are left out with reasons', async () => {
    const fs = linkedFs(['.env', 'src/a.ts'], { 'src/config.txt': '/ws/.env', 'docs/notes.md': '/home/u/.aws/credentials', 'vendor': '/outside/dir' });
    const result = await expandPick(['src', 'docs', 'vendor'], fs, gate, options);
    const plan = planPick(result.picked, gate, 100);
    assert.deepEqual(plan.include, ['src/a.ts']);
    assert.deepEqual(plan.excluded.map((entry) => [entry.path, entry.exclusion.reason, entry.exclusion.via ?? entry.exclusion.pattern]), [
      ['docs/notes.md', 'outside', '/home/u/.aws/credentials'],
      ['src/config.txt', 'secret', '.env'],
    ]);
    assert.deepEqual(result.excludedFolders, [{ path: 'vendor', exclusion: { reason: 'outside', pattern: '/outside/dir' } }]);
  });

  it('locates a real path inside one of the workspace folders or outside all', () => {
    assert.deepEqual(locateReal('/ws/src/a.ts', ['/other', '/ws']), { inside: true, path: 'src/a.ts' });
    assert.deepEqual(locateReal('/wsx/a.ts', ['/ws']), { inside: false, path: '/wsx/a.ts' });
    assert.deepEqual(locateReal('C:\\ws\\a.ts', ['C:/ws']), { inside: true, path: 'a.ts' });
  });
});
