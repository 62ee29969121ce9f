import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { Conversation } from '../../../../src/core/chat/conversation';
import { ContextSet, DEFAULT_CONTEXT_LIMITS, readContextFile } from '../../../../src/core/context';
import { HistoryStore } from '../../../../src/core/history/historyStore';
import { sha256Of } from '../../../../src/core/history/historyMedia';
import { MEDIA_GC_AGE_MS, MEDIA_GC_STARTUP_DELAY_MS } from '../../../../src/core/history/mediaCollector';
import { FileLocks, memoryLockFs } from '../../../../src/core/util/fileLock';
import { systemClock } from '../../../../src/core/util/clock';
import { makePdf, makePng } from '../../../media/fixtures';
import { DIR } from './fixtures';
import { FakeClock, MemoryFs } from './memoryFs';

const MEDIA = `${DIR}/media`;
const HOUR = 60 * 60 * 1000;

/** The memory file system with byte files that have modification times, as node's has. */
class MediaFs extends MemoryFs {
  readonly blobs = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();
  /** While set, writing a conversation log waits for it (a window between touching its media and naming them). */
  hold: Promise<void> | undefined;
  constructor(private readonly clock: FakeClock) {
    super();
  }
  async writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(path, { bytes: new Uint8Array(bytes), mtimeMs: this.clock.now() });
  }
  async readBytes(path: string): Promise<Uint8Array> {
    const blob = this.blobs.get(path);
    if (blob === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return blob.bytes;
  }
  async touch(path: string, timeMs: number): Promise<void> {
    const blob = this.blobs.get(path);
    if (blob === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    blob.mtimeMs = timeMs;
  }
  /** While set, reading a conversation log waits for it (a collection between finding old files and reading the logs). */
  readHold: Promise<void> | undefined;
  override async readFile(path: string): Promise<string> {
    if (path.endsWith('.jsonl')) await this.readHold;
    return super.readFile(path);
  }
  override async appendFile(path: string, text: string): Promise<void> {
    if (path.endsWith('.jsonl')) await this.hold;
    return super.appendFile(path, text);
  }
  override async readdir(dir: string): Promise<string[]> {
    const names = await super.readdir(dir);
    return [...names, ...[...this.blobs.keys()].filter((path) => path.startsWith(`${dir}/`)).map((path) => path.slice(dir.length + 1))];
  }
  override async unlink(path: string): Promise<void> {
    if (this.blobs.delete(path)) return;
    return super.unlink(path);
  }
  override async stat(path: string): Promise<{ size: number; mtimeMs: number }> {
    const blob = this.blobs.get(path);
    return blob !== undefined ? { size: blob.bytes.length, mtimeMs: blob.mtimeMs } : super.stat(path);
  }
  /** Stored media (not temp files), as `<first 8 of sha256>.<ext>`. */
  stored(): string[] {
    return [...this.blobs.keys()].filter((path) => path.startsWith(`${MEDIA}/`)).map((path) => path.slice(MEDIA.length + 1)).filter((name) => /^[0-9a-f]{64}\./.test(name)).map((name) => `${name.slice(0, 8)}${name.slice(name.indexOf('.'))}`).sort();
  }
}

const short = (bytes: Uint8Array, ext: string): string => `${sha256Of(bytes).slice(0, 8)}.${ext}`;

async function saveWith(store: HistoryStore, clock: FakeClock, files: Record<string, Uint8Array>): Promise<Conversation> {
  const set = new ContextSet();
  for (const [path, bytes] of Object.entries(files)) {
    const result = await readContextFile({ path, currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS }, async () => bytes);
    assert.ok(result.ok);
    set.add(result.item);
  }
  const c = createConversation(['You are helpful.'], clock.now());
  appendUserTurn(c, 'What is in these?', clock.now(), set.takeBlocks());
  await store.create(c);
  await store.flush();
  return c;
}

function setup(): { fs: MediaFs; clock: FakeClock; lockFs: ReturnType<typeof memoryLockFs>; store: HistoryStore; errors: unknown[] } {
  const clock = new FakeClock();
  const fs = new MediaFs(clock);
  const lockFs = memoryLockFs();
  const errors: unknown[] = [];
  const store = new HistoryStore({ fs, dir: DIR, clock, lockFs, onError: (error) => errors.push(error) });
  return { fs, clock, lockFs, store, errors };
}

const shared = makePng(64, 48);
const onlyFirst = makePdf(2);
const second = makePng(32, 32, [1, 2, 3]);

describe('stored images and PDFs no conversation names any more', () => {
  it('go after a conversation is deleted once over an hour old; those another conversation names, newer ones and other files stay', async () => {
    const { fs, clock, store, errors } = setup();
    const first = await saveWith(store, clock, { 'a.png': shared, 'spec.pdf': onlyFirst });
    await saveWith(store, clock, { 'b.png': shared, 'c.png': second });
    clock.advance(2 * HOUR);
    const fresh = makePng(8, 8, [9, 9, 9]);
    await fs.writeBytesAtomic(`${MEDIA}/${sha256Of(fresh)}.png`, fresh); // unnamed, but written just now
    await fs.writeBytesAtomic(`${MEDIA}/.tmp-${sha256Of(fresh)}.png`, fresh); // a write under way
    clock.advance(MEDIA_GC_AGE_MS - 1);
    await store.delete(first.id);
    assert.equal(await store.collectMedia(), 1, 'the delete started a collection, which this joins');
    assert.deepEqual(fs.stored(), [short(shared, 'png'), short(second, 'png'), short(fresh, 'png')].sort());
    assert.ok(fs.blobs.has(`${MEDIA}/.tmp-${sha256Of(fresh)}.png`), 'a temp file is left alone');
    assert.deepEqual(errors, []);
  });

  it('a file a window reuses is touched first, so a collection that read the logs before its line was written keeps it', async () => {
    const { fs, clock, lockFs, store } = setup();
    const old = await saveWith(store, clock, { 'a.png': shared });
    await saveWith(store, clock, {}); // a log for the collection to read
    await store.delete(old.id);
    await store.collectMedia();
    assert.deepEqual(fs.stored(), [short(shared, 'png')], 'too new to go');
    clock.advance(2 * HOUR);
    // This window's collection has found the file old and is reading the logs (held here)...
    let releaseReads: () => void = () => undefined;
    fs.readHold = new Promise<void>((resolve) => (releaseReads = resolve));
    const collecting = store.collectMedia();
    // ...when another window names the same image: it touches the file, then (held here) writes its log.
    const other = new HistoryStore({ fs, dir: DIR, clock, lockFs });
    let release: () => void = () => undefined;
    fs.hold = new Promise<void>((resolve) => (release = resolve));
    const saving = saveWith(other, clock, { 'again.png': shared });
    const path = `${MEDIA}/${sha256Of(shared)}.png`;
    for (let i = 0; i < 100 && fs.blobs.get(path)?.mtimeMs !== clock.now(); i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fs.blobs.get(path)?.mtimeMs, clock.now(), 'touched before the log is written');
    releaseReads();
    assert.equal(await collecting, 0, 'checked again under the lock: no longer old');
    assert.equal(await store.collectMedia(), 0);
    release();
    const saved = await saving;
    assert.deepEqual(fs.stored(), [short(shared, 'png')]);
    fs.hold = undefined;
    const { problems } = await new HistoryStore({ fs, dir: DIR, clock, lockFs }).load(saved.id);
    assert.deepEqual(problems, [], 'the conversation reads its image back');
    other.dispose();
  });

  it('nothing is removed while another window holds the media lock', async () => {
    const { fs, clock, lockFs, store } = setup();
    const c = await saveWith(store, clock, { 'spec.pdf': onlyFirst });
    clock.advance(2 * HOUR);
    const otherWindow = new FileLocks(lockFs, `${DIR}/locks`, systemClock);
    assert.ok(await otherWindow.tryAcquire('media'));
    await store.delete(c.id);
    assert.equal(await store.collectMedia(), 0);
    assert.deepEqual(fs.stored(), [short(onlyFirst, 'pdf')]);
    await otherWindow.release('media');
    assert.equal(await store.collectMedia(), 1);
    assert.deepEqual(fs.stored(), []);
    otherWindow.dispose();
  });

  it('a window collects once, two minutes after it starts; a log it cannot read keeps everything', async () => {
    const { fs, clock, store } = setup();
    const c = await saveWith(store, clock, { 'spec.pdf': onlyFirst });
    // Deleted by a window that closed before collecting: the log is gone, the file is not.
    await fs.unlink(`${DIR}/conversations/${c.id}.jsonl`);
    clock.advance(2 * HOUR);
    const timer = store.scheduleMediaCollection();
    clock.advance(MEDIA_GC_STARTUP_DELAY_MS - 1);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fs.stored(), [short(onlyFirst, 'pdf')], 'not yet');
    clock.advance(1);
    for (let i = 0; i < 200 && fs.stored().length > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(fs.stored(), []);
    timer.dispose();

    const kept = await saveWith(store, clock, { 'b.png': second });
    await store.delete(kept.id);
    await store.collectMedia();
    clock.advance(2 * HOUR);
    fs.files.set(`${DIR}/conversations/c-unreadable.jsonl`, '');
    fs.guard = (op) => {
      if (op.op === 'readFile' && op.path.endsWith('c-unreadable.jsonl')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    assert.equal(await store.collectMedia(), 0);
    assert.deepEqual(fs.stored(), [short(second, 'png')]);
  });
});
