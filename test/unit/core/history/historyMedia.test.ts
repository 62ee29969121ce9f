import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import type { Conversation } from '../../../../src/core/chat/conversation';
import { buildRequest } from '../../../../src/core/chat/requestBuilder';
import { ContextSet, DEFAULT_CONTEXT_LIMITS, readContextFile } from '../../../../src/core/context';
import { HistoryStore } from '../../../../src/core/history/historyStore';
import { sha256Of } from '../../../../src/core/history/historyMedia';
import { exportMarkdown } from '../../../../src/core/history/markdownExport';
import { makePdf, makePng } from '../../../media/fixtures';
import { DIR } from './fixtures';
import { FakeClock, MemoryFs } from './memoryFs';

/** The memory file system with bytes, as node's history fs has: media become files of their own. */
class BytesFs extends MemoryFs {
  readonly blobs = new Map<string, Uint8Array>();
  async writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
    this.ops.push({ op: 'writeBytes', path, bytes: bytes.length } as never);
    this.blobs.set(path, new Uint8Array(bytes));
  }
  async readBytes(path: string): Promise<Uint8Array> {
    const bytes = this.blobs.get(path);
    if (bytes === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return bytes;
  }
  override async readFile(path: string): Promise<string> {
    if (this.blobs.has(path)) return 'binary';
    return super.readFile(path);
  }
  override async stat(path: string): Promise<{ size: number; mtimeMs: number }> {
    const bytes = this.blobs.get(path);
    return bytes !== undefined ? { size: bytes.length, mtimeMs: 0 } : super.stat(path);
  }
}

const OPTIONS = { model: 'claude-sonnet-5-5', maxTokens: 1000, cacheTtl: '5m' as const, minCacheableTokens: 1024 };

async function contextWith(paths: Record<string, Uint8Array>): Promise<ContextSet> {
  const set = new ContextSet();
  for (const [path, bytes] of Object.entries(paths)) {
    const result = await readContextFile({ path, currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS }, async () => bytes);
    assert.ok(result.ok);
    set.add(result.item);
  }
  return set;
}

/** Two user turns: a PNG and a PDF with the first, the same PNG again (updated copy) with the second. */
async function saveConversation(store: HistoryStore, clock: FakeClock, png: Uint8Array): Promise<Conversation> {
  const c = createConversation(['You are helpful.'], clock.now());
  await store.create(c);
  const rec = store.recorder(c);
  const first = appendUserTurn(c, 'What is in these?', clock.now(), (await contextWith({ 'shot.png': png, 'spec.pdf': makePdf(2) })).takeBlocks());
  rec.turnAppended(first);
  const answer = appendAssistantTurn(c, first.id, 'claude-sonnet-5-5', clock.now());
  rec.turnAppended(answer);
  Object.assign(answer, { text: 'A screenshot and a spec.', status: 'done' });
  rec.turnFinal(answer);
  const second = appendUserTurn(c, 'And this one?', clock.now(), (await contextWith({ 'copy/shot.png': png })).takeBlocks());
  rec.turnAppended(second);
  await rec.dispose();
  return c;
}

describe('history keeps images and PDFs as content-addressed files', () => {
  it('the log names media by hash, each stored once; a restored conversation replays byte-identical requests', async () => {
    const fs = new BytesFs();
    const clock = new FakeClock();
    const store = new HistoryStore({ fs, dir: DIR, clock });
    const png = makePng(640, 480);
    const c = await saveConversation(store, clock, png);
    const log = fs.files.get(`${DIR}/conversations/${c.id}.jsonl`) ?? '';
    assert.doesNotMatch(log, /"data"/, 'no base64 in the log');
    assert.ok(log.includes(`"sha256":"${sha256Of(png)}"`));
    assert.deepEqual([...fs.blobs.keys()].sort(), [`${DIR}/media/${sha256Of(makePdf(2))}.pdf`, `${DIR}/media/${sha256Of(png)}.png`].sort());
    const writes = fs.ops.filter((op) => (op.op as string) === 'writeBytes');
    assert.equal(writes.length, 2, 'the PNG sent twice is written once');

    const restored = (await new HistoryStore({ fs, dir: DIR, clock }).load(c.id));
    assert.deepEqual(restored.problems, []);
    assert.equal(JSON.stringify(buildRequest(restored.conversation, OPTIONS)), JSON.stringify(buildRequest(c, OPTIONS)));
  });

  it('a stored file that is missing or altered is reported, and its block keeps only its caption', async () => {
    const fs = new BytesFs();
    const clock = new FakeClock();
    const store = new HistoryStore({ fs, dir: DIR, clock });
    const png = makePng(64, 48);
    const c = await saveConversation(store, clock, png);
    fs.blobs.set(`${DIR}/media/${sha256Of(png)}.png`, makePng(64, 48, [0, 0, 0]));
    const { conversation, problems } = await new HistoryStore({ fs, dir: DIR, clock }).load(c.id);
    assert.equal(problems.length, 2);
    assert.match(problems[0]?.message ?? '', /stored copy of shot\.png is missing or damaged/);
    const first = [...conversation.turns.values()][0];
    assert.ok(first?.kind === 'user');
    assert.equal(first.context?.[0]?.media, undefined);
    assert.equal(first.context?.[1]?.media?.kind, 'document');
  });

  it('a store without byte files keeps media inline, as before, and reads them back', async () => {
    const fs = new MemoryFs();
    const clock = new FakeClock();
    const store = new HistoryStore({ fs, dir: DIR, clock });
    const c = await saveConversation(store, clock, makePng(32, 32));
    assert.match(fs.files.get(`${DIR}/conversations/${c.id}.jsonl`) ?? '', /"data":"iVBOR/);
    const restored = await new HistoryStore({ fs, dir: DIR, clock }).load(c.id);
    assert.equal(JSON.stringify(buildRequest(restored.conversation, OPTIONS)), JSON.stringify(buildRequest(c, OPTIONS)));
  });

  it('Export to Markdown links each image (and PDF) a message carried', async () => {
    const clock = new FakeClock();
    const c = createConversation([], clock.now());
    const png = makePng(8, 8);
    appendUserTurn(c, 'Look', clock.now(), (await contextWith({ 'ui/shot (1).png': png, 'spec.pdf': makePdf(1) })).takeBlocks());
    const markdown = exportMarkdown(c, { mediaLink: (media) => `/s/media/${media.sha256}.${media.mediaType === 'application/pdf' ? 'pdf' : 'png'}` });
    assert.ok(markdown.includes(`![ui/shot (1).png](</s/media/${sha256Of(png)}.png>)`), markdown);
    assert.ok(markdown.includes(`[spec.pdf](</s/media/${sha256Of(makePdf(1))}.pdf>)`), markdown);
  });
});
