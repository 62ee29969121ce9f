/**
 * The extension's core in a child process, for the crash matrix and the two-window test: a
 * BatchManager and a HistoryStore on a storage folder with node's fs and locks, against
 * test/server. CRASH_AT names a point ("<hook>#<n>"); the wrapped fs ports and client SIGKILL the
 * process at the n-th time that hook is reached. Nothing in src knows about it: the hooks live
 * only in these wrappers. The last stdout line is a JSON report of what the process saw.
 */
import { appendFileSync, existsSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import { findModel } from '../../src/core/anthropic/catalog';
import { BatchManager } from '../../src/core/batches/batchManager';
import { exportJob } from '../../src/core/batches/export';
import type { ExportFs } from '../../src/core/batches/export';
import type { BatchFs } from '../../src/core/batches/ports';
import { appendUserTurn, createConversation } from '../../src/core/chat/conversation';
import type { HistoryFs } from '../../src/core/history/historyPorts';
import { HistoryStore } from '../../src/core/history/historyStore';
import { systemClock } from '../../src/core/util/clock';
import { tempPathFor } from '../../src/platform/durableFile';
import { nodeBatchFs } from '../../src/platform/nodeBatchFs';
import { nodeExportFs } from '../../src/platform/nodeExportFs';
import { nodeHistoryFs } from '../../src/platform/nodeHistoryFs';
import { nodeLockFs } from '../../src/platform/nodeLockFs';

const env = (name: string): string => process.env[name] ?? '';
const STORE = env('STORE');
const [crashHook, crashCount] = env('CRASH_AT').split('#');
const counts = new Map<string, number>();

/** Counts `hook`; SIGKILLs this process when it is the crash point. */
function reach(hook: string): void {
  const n = (counts.get(hook) ?? 0) + 1;
  counts.set(hook, n);
  if (hook === crashHook && String(n) === crashCount) process.kill(process.pid, 'SIGKILL');
}
const armed = (hook: string): boolean => hook === crashHook && String((counts.get(hook) ?? 0) + 1) === crashCount;

const batchFs: BatchFs = {
  ...nodeBatchFs,
  async writeFileAtomic(path, text) {
    if (armed('journal.mid')) {
      // Killed between writing the temp and renaming it: the temp must be cleaned on restart.
      await writeFile(tempPathFor(path), text.slice(0, text.length >> 1));
    }
    reach('journal.mid');
    reach('journal.before');
    await nodeBatchFs.writeFileAtomic(path, text);
    reach('journal.after');
  },
  async createWriter(path) {
    const writer = await nodeBatchFs.createWriter(path);
    return {
      write: async (text) => {
        if (armed('results.mid')) {
          await writer.write(text.slice(0, text.length >> 1));
          await writer.sync?.();
        }
        reach('results.mid');
        await writer.write(text);
      },
      sync: async () => {
        await writer.sync?.();
        reach('results.synced');
      },
      close: () => writer.close(),
    };
  },
};

/** Export writes its own hook, so a crash point can fall inside an export (half of a file written). */
const exportFs: ExportFs = {
  ...nodeExportFs,
  async createNew(path) {
    const writer = await nodeExportFs.createNew(path);
    return {
      write: async (text) => {
        if (armed('export.mid')) await writer.write(text.slice(0, text.length >> 1));
        reach('export.mid');
        await writer.write(text);
      },
      close: () => writer.close(),
      ...(writer.abort !== undefined ? { abort: () => writer.abort?.() ?? Promise.resolve() } : {}),
    };
  },
};

/** What the driver knows is on disk: the crash test checks every acknowledged turn survived. */
const ack = (line: string): void => appendFileSync(`${STORE}/acks-${env('TAG')}.log`, `${line}\n`);

const historyFs: HistoryFs = {
  ...nodeHistoryFs,
  async appendFile(path, text) {
    if (armed('history.mid')) await appendFile(path, text.slice(0, text.length >> 1));
    reach('history.mid');
    await nodeHistoryFs.appendFile(path, text);
  },
};

const real = new Anthropic({ apiKey: env('API_KEY'), baseURL: env('SERVER_URL'), maxRetries: 0 });
/** The client, with hooks around batches.create (before it is sent, once the server answered) and after each Run now answer. */
const client = ((): Anthropic => {
  const hooked = Object.create(real) as Anthropic;
  const batches = Object.create(real.messages.batches) as Anthropic['messages']['batches'];
  batches.create = (async (...args: Parameters<typeof real.messages.batches.create>) => {
    reach('create.before');
    const batch = await real.messages.batches.create(...args);
    reach('create.answered');
    return batch;
  }) as never;
  const messages = Object.assign(Object.create(real.messages) as Anthropic['messages'], { batches });
  // Run now streams (the liveness rule): the hook fires once an answer is whole, before it is recorded.
  messages.stream = ((...args: Parameters<typeof real.messages.stream>) => {
    const stream = real.messages.stream(...args);
    const whole = stream.finalMessage.bind(stream);
    stream.finalMessage = async () => {
      const message = await whole();
      reach('now.answered');
      return message;
    };
    return stream;
  }) as never;
  Object.defineProperty(hooked, 'messages', { value: messages });
  return hooked;
})();

const MODEL = 'claude-sonnet-5-5';
const request = (i: number): { label: string; params: Anthropic.MessageCreateParamsNonStreaming } => ({ label: `r${i}`, params: { model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: `request ${i} of ${env('TAG')}` }] } });

async function main(): Promise<void> {
  const manager = new BatchManager({
    fs: batchFs,
    dir: `${STORE}/batches`,
    lockFs: nodeLockFs,
    getClient: async () => client,
    clock: systemClock,
    model: (id) => findModel(id),
    pollIntervals: () => ({ minMs: 60_000, maxMs: 60_000 }),
  });
  const history = new HistoryStore({ fs: historyFs, dir: `${STORE}/history`, openDir: `${STORE}/window-${env('WINDOW') || '1'}`, lockFs: nodeLockFs });
  await manager.init();
  const steps = env('STEPS').split(',').filter(Boolean);
  const report: Record<string, unknown> = { pid: process.pid };
  for (const step of steps) {
    if (step === 'batch') await manager.createPrepared([0, 1, 2].map(request), { name: `batch ${env('TAG')}`, prompt: 'p' });
    else if (step === 'now') await manager.runNow({ prompt: 'Say hi.', model: MODEL, maxTokens: 50 }, [0, 1, 2, 3].map((i) => ({ uri: `file:///ws/f${i}.ts`, label: `f${i}.ts`, text: `// ${env('TAG')} ${i}\n` })), { name: `now ${env('TAG')}` }, 1);
    else if (step === 'poll') {
      for (let i = 0; i < 20 && manager.jobs.some((j) => j.state !== 'ingested' && j.state !== 'failed'); i++) {
        await manager.pollOnce();
        if (manager.jobs.some((j) => j.state !== 'ingested' && j.state !== 'failed')) await new Promise((r) => setTimeout(r, 100));
      }
    } else if (step === 'chat') {
      const c = createConversation([], Date.now());
      await history.create(c);
      await history.setOpen(c.id);
      const recorder = history.recorder(c);
      for (let i = 1; i <= 4; i++) {
        recorder.turnAppended(appendUserTurn(c, `${env('TAG')} turn ${i}`, Date.now()));
        await recorder.flush();
        ack(`${c.id} ${env('TAG')} turn ${i}`);
      }
      await recorder.dispose();
    } else if (step === 'export') {
      for (const job of manager.jobs) if (job.state === 'ingested') await exportJob(manager, job, `${STORE}/export/${job.key}`, exportFs);
    } else if (step.startsWith('delete:')) {
      const job = manager.journal.get(step.slice('delete:'.length));
      if (job !== undefined) await manager.delete(job).catch((error: unknown) => (report.deleteError = String(error)));
    } else if (step.startsWith('touch:')) {
      // An edit from a window whose copy of the job may be stale.
      const job = manager.journal.get(step.slice('touch:'.length));
      if (job !== undefined) await manager.journal.save({ ...job, notified: true }).catch((error: unknown) => (report.touchError = String(error)));
    } else if (step.startsWith('open:')) {
      const opened = await history.loadToOpen(step.slice('open:'.length));
      const c = opened.conversation;
      if (opened.copied) await history.create(c);
      const recorder = history.recorder(c);
      recorder.turnAppended(appendUserTurn(c, `${env('TAG')} in shared`, Date.now()));
      await recorder.flush();
      ack(`${c.id} ${env('TAG')} in shared`);
      report.openedCopy = opened.copied;
      report.sharedId = c.id;
    } else if (step.startsWith('signal:')) {
      appendFileSync(`${STORE}/signal-${step.slice('signal:'.length)}`, '');
    } else if (step.startsWith('await:')) {
      // A barrier between two windows: the other window signals it.
      while (!existsSync(`${STORE}/signal-${step.slice('await:'.length)}`)) await new Promise((r) => setTimeout(r, 20));
    } else if (step.startsWith('wait:')) {
      const at = Number(step.slice('wait:'.length));
      await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
    }
  }
  await history.flush();
  report.jobs = manager.jobs.map((j) => ({ key: j.key, state: j.state, batchId: j.batchId, counts: j.counts, outcomes: j.requests.map((r) => r.outcome ?? null), interrupted: j.requests.filter((r) => r.interrupted).length }));
  report.open = await history.getOpen();
  manager.dispose();
  history.dispose();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`driver: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
