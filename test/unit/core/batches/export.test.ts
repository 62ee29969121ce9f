/** Exporting into a folder the user picked: safe names, no silent replacing, no following links. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { BatchManager } from '../../../../src/core/batches/batchManager';
import { ExportError, exportConflicts, exportJob, exportName } from '../../../../src/core/batches/export';
import type { ExportFs } from '../../../../src/core/batches/export';
import type { BatchJob } from '../../../../src/core/batches/model';
import { nodeExportFs } from '../../../../src/platform/nodeExportFs';
import { fsynced, inode } from '../../platform/fsyncSpy';

/** The parts of a job and a manager an export reads. */
function fixture(labels: readonly string[]): { job: BatchJob; manager: BatchManager } {
  const job = { requests: labels.map((label) => ({ label })) } as unknown as BatchJob;
  const manager = {
    readResult: async (_job: BatchJob, request: { label: string }) => ({
      custom_id: request.label,
      result: { type: 'succeeded', message: { content: [{ type: 'text', text: `answer for ${request.label}` }] } },
    }),
  } as unknown as BatchManager;
  return { job, manager };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('exportName', () => {
  it('never gives a Windows device name, whatever the case or extension, nor a trailing dot or space', () => {
    for (const label of ['CON', 'con', 'Nul', 'PRN.ts', 'aux.txt', 'COM1', 'lpt9.md', 'CONIN$']) {
      const name = exportName(label);
      assert.doesNotMatch(`${name}.md`, /^(con|prn|aux|nul|com\d|lpt\d|conin\$?)(\.|$)/i, `${label} -> ${name}`);
    }
    assert.equal(exportName('CON'), '_CON');
    assert.equal(exportName('notes. '), 'notes_');
    assert.equal(exportName('console.ts'), 'console.ts', 'only exact device names are changed');
    assert.equal(exportName('src/a.ts'), 'src__a.ts');
  });
});

describe('exportJob into a real folder', () => {
  it('writes CON as _CON.md', async () => {
    const { job, manager } = fixture(['CON', 'a.ts']);
    const out = join(dir, 'job');
    assert.equal(await exportJob(manager, job, out, nodeExportFs), 2);
    assert.deepEqual(readdirSync(out).sort(), ['_CON.md', 'a.ts.md', 'results.jsonl']);
  });

  it('never replaces an earlier export without the caller saying so, and lists what would be replaced', async () => {
    const { job, manager } = fixture(['a.ts', 'b.ts']);
    const out = join(dir, 'job');
    await exportJob(manager, job, out, nodeExportFs);
    writeFileSync(join(out, 'a.ts.md'), 'my notes');
    assert.deepEqual((await exportConflicts(job, out, nodeExportFs)).map((path) => path.slice(out.length + 1)).sort(), ['a.ts.md', 'b.ts.md', 'results.jsonl']);
    await assert.rejects(exportJob(manager, job, out, nodeExportFs), ExportError);
    assert.equal(readFileSync(join(out, 'a.ts.md'), 'utf8'), 'my notes', 'nothing was replaced');
    assert.equal(await exportJob(manager, job, out, nodeExportFs, { replace: true }), 2);
    assert.match(readFileSync(join(out, 'a.ts.md'), 'utf8'), /answer for a\.ts/);
  });

  it('never follows a symbolic link at results.jsonl, a result file or the folder, even when replacing', async () => {
    const { job, manager } = fixture(['a.ts']);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const out = join(dir, 'job');
    mkdirSync(out);
    symlinkSync(victim, join(out, 'results.jsonl'));
    await assert.rejects(exportConflicts(job, out, nodeExportFs), /symbolic link/);
    await assert.rejects(exportJob(manager, job, out, nodeExportFs, { replace: true }), /symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');

    rmSync(join(out, 'results.jsonl'));
    symlinkSync(victim, join(out, 'a.ts.md'));
    await assert.rejects(exportJob(manager, job, out, nodeExportFs, { replace: true }), /symbolic link/);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');

    const linkedFolder = join(dir, 'linked');
    symlinkSync(join(dir, 'elsewhere'), linkedFolder);
    await assert.rejects(exportJob(manager, job, linkedFolder, nodeExportFs), /symbolic link/);
  });

  it('a write that fails mid-export leaves no half file under a real name, and no temp', async () => {
    const { job, manager } = fixture(['a.ts', 'b.ts', 'c.ts']);
    const out = join(dir, 'job');
    let files = 0;
    // The disk fills up while the second result file is written.
    const failing: ExportFs = {
      ...nodeExportFs,
      async createNew(path) {
        const writer = await nodeExportFs.createNew(path);
        const failHere = path.endsWith('.md') && ++files === 2;
        return { ...writer, write: async (text) => (failHere ? Promise.reject(new Error('ENOSPC: no space left on device')) : writer.write(text)) };
      },
    };
    await assert.rejects(exportJob(manager, job, out, failing), /ENOSPC/);
    // a.ts.md was whole before the failure; results.jsonl (a's line only) and b.ts.md were not.
    assert.deepEqual(readdirSync(out), ['a.ts.md']);
  });

  it("removes the temps of an export that crashed into the folder, keeps a live export's, and syncs the folder", async () => {
    const { job, manager } = fixture(['a.ts']);
    const out = join(dir, 'job');
    mkdirSync(out);
    const crashed = '.a.ts.md.4000001.0badf00d.claude-studio.tmp';
    const live = `.b.md.${process.pid}.0badf00d.claude-studio.tmp`;
    writeFileSync(join(out, crashed), 'half');
    writeFileSync(join(out, live), 'being written');
    const synced = await fsynced(dir, async () => {
      assert.equal(await exportJob(manager, job, out, nodeExportFs), 1);
    });
    assert.deepEqual(readdirSync(out).sort(), [live, 'a.ts.md', 'results.jsonl']);
    assert.ok(synced.has(inode(join(out, 'a.ts.md'))), 'the file');
    assert.ok(synced.has(inode(out)), 'the folder that names it');
  });
});
