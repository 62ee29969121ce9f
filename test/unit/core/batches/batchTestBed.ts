/** What the batch manager's tests against test/server share: the server, a storage folder per test, managers over it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { findModel } from '../../../../src/core/anthropic/catalog';
import { BatchManager } from '../../../../src/core/batches/batchManager';
import type { BatchManagerDeps } from '../../../../src/core/batches/batchManager';
import type { BatchFile } from '../../../../src/core/batches/requests';
import { nodeBatchFs } from '../../../../src/platform/nodeBatchFs';
import { startTestServer } from '../../../server';
import type { TestServer } from '../../../server';

export interface BatchTestBed {
  /** test/server with a manual clock (a batch ends 1 s of that clock after it is created); reset before each test. */
  readonly server: TestServer;
  /** A fresh storage folder for each test, removed after it. */
  readonly dir: string;
  /** A manager (a window) on {@link dir} that rereads `files` for resends and retries; disposed after the test. */
  manager(overrides?: Partial<BatchManagerDeps>, client?: Anthropic): BatchManager;
}

/** Registers the file's hooks (server up for the file, folder and managers per test) and returns the bed. */
export function batchTestBed(folderPrefix: string, files: readonly BatchFile[]): BatchTestBed {
  let server: TestServer | undefined;
  let dir = '';
  const managers: BatchManager[] = [];

  before(async () => {
    server = await startTestServer({ manualClock: true, batchProcessingMs: 1000 });
  });
  after(() => server?.close());
  beforeEach(() => {
    bed.server.reset();
    dir = mkdtempSync(join(tmpdir(), folderPrefix));
  });
  afterEach(() => {
    for (const m of managers.splice(0)) m.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const bed: BatchTestBed = {
    get server(): TestServer {
      if (server === undefined) throw new Error('test/server starts in before(): use it inside a test');
      return server;
    },
    get dir(): string {
      return dir;
    },
    manager(overrides = {}, client = new Anthropic({ apiKey: bed.server.apiKey, baseURL: bed.server.url, maxRetries: 0 })): BatchManager {
      const m = new BatchManager({
        fs: nodeBatchFs,
        dir,
        getClient: async () => client,
        clock: { now: () => Date.now(), setTimer: () => ({ dispose: () => undefined }) },
        model: (id) => findModel(id),
        pollIntervals: () => ({ minMs: 1000, maxMs: 30_000 }),
        ...overrides,
      });
      m.readFiles = async (requests) => requests.map((r) => files.find((f) => f.uri === r.file)!);
      managers.push(m);
      return m;
    },
  };
  return bed;
}
