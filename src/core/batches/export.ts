/**
 * Export of a job's results: a folder with one Markdown file per request and results.jsonl, both
 * written line by line from the stored results (never all in memory).
 */
import type { BatchManager } from './batchManager';
import { resultBody } from './ingest';
import type { BatchJob } from './model';
import type { BatchFs } from './ports';

/** A file name from a label: path separators and unsafe characters become '_'. */
export function exportName(label: string): string {
  return label.replace(/[\\/]/g, '__').replace(/[^a-zA-Z0-9._ -]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'result';
}

export async function exportJob(manager: BatchManager, job: BatchJob, folder: string, fs: BatchFs): Promise<number> {
  await fs.mkdir(folder);
  const jsonl = await fs.createWriter(`${folder}/results.jsonl`);
  const used = new Set<string>();
  let count = 0;
  try {
    for (const request of job.requests) {
      const item = await manager.readResult(job, request).catch(() => undefined);
      if (item === undefined) continue;
      await jsonl.write(`${JSON.stringify(item)}\n`);
      let name = exportName(request.label);
      while (used.has(name.toLowerCase())) name = `${name}_`;
      used.add(name.toLowerCase());
      await fs.writeFileAtomic(`${folder}/${name}.md`, `# ${request.label}\n\n${resultBody(item)}\n`);
      count++;
    }
  } finally {
    await jsonl.close();
  }
  return count;
}
