import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { ContextSet, DEFAULT_CONTEXT_LIMITS, ExclusionRules, contextBlockTokens, describeExclusion, planPick, readContextFile, requestMediaProblem, summarizeExcluded } from '../../../../src/core/context';
import type { ContextBlock, ReadResult } from '../../../../src/core/context';
import { EgressGate } from '../../../../src/core/egress';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { buildRequestWithPlan } from '../../../../src/core/chat/requestBuilder';
import { nextRequestSize } from '../../../../src/core/chat/nextRequestSize';
import { readTurn } from '../../../../src/core/history/historyRecords';
import { imageTokens, pdfTokens } from '../../../../src/core/media';
import { chipViews } from '../../../../src/core/context/chips';
import { estimateTokens } from '../../../../src/core/tokens/estimate';
import { makeCompressedPdf, makePdf, makePng, pngHeader } from '../../../media/fixtures';

const read = (path: string, bytes: Uint8Array, extra: { maxReadBytes?: number; maxFileTokens?: number; currentTotal?: number } = {}): Promise<ReadResult> =>
  readContextFile(
    {
      path,
      uri: `file:///w/${path}`,
      currentTotal: extra.currentTotal ?? 0,
      limits: { ...DEFAULT_CONTEXT_LIMITS, ...(extra.maxFileTokens !== undefined ? { maxFileTokens: extra.maxFileTokens } : {}) },
      ...(extra.maxReadBytes !== undefined ? { maxReadBytes: extra.maxReadBytes } : {}),
      size: bytes.length,
    },
    async () => bytes,
  );

async function item(path: string, bytes: Uint8Array) {
  const result = await read(path, bytes);
  assert.ok(result.ok, result.ok ? '' : result.refusal.message);
  return result.item;
}

describe('images and PDFs as context items', () => {
  it('an image becomes an image item: base64 bytes, size from the header, the documented estimate', async () => {
    const png = makePng(400, 300);
    const image = await item('assets/logo.png', png);
    assert.equal(image.kind, 'image');
    assert.equal(image.id, 'image:assets/logo.png');
    assert.equal(image.content, '');
    assert.deepEqual(image.media, { kind: 'image', mediaType: 'image/png', data: png.toString('base64'), bytes: png.length, width: 400, height: 300, tokens: imageTokens(400, 300) });
    assert.equal(image.tokens, 160);
  });

  it('a PDF becomes a document item with its page count', async () => {
    const pdf = makeCompressedPdf(3);
    const doc = await item('docs/spec.pdf', pdf);
    assert.equal(doc.kind, 'document');
    assert.equal(doc.media?.pages, 3);
    assert.equal(doc.tokens, pdfTokens(3));
    assert.equal(doc.media?.data, pdf.toString('base64'));
  });

  it('the bytes decide the media type (a JPEG named .png is sent as JPEG)', async () => {
    const jpeg = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/wAARCAAKABQDASIAAhEBAxEB/9k=', 'base64');
    const image = await item('shot.png', jpeg);
    assert.equal(image.media?.mediaType, 'image/jpeg');
    assert.deepEqual([image.media?.width, image.media?.height], [20, 10]);
  });

  it('refuses with a clear message: not readable, over 8000 px, over 100 pages, over the token and read limits', async () => {
    const refused = async (path: string, bytes: Uint8Array, extra = {}): Promise<string> => {
      const result = await read(path, bytes, extra);
      assert.equal(result.ok, false);
      return result.ok ? '' : result.refusal.message;
    };
    assert.match(await refused('a.png', Buffer.from('not a png')), /a\.png was not added: it is not a PNG, JPEG, GIF or WebP image/);
    assert.match(await refused('b.pdf', Buffer.from('%PDF-1.4 nothing')), /b\.pdf was not added: it is not a PDF whose pages could be read/);
    assert.match(await refused('wide.png', pngHeader(9000, 10)), /it is 9000x10 px, over the API's 8000 px limit/);
    assert.match(await refused('long.pdf', makePdf(120)), /it has 120 pages, over the API's 100-page limit/);
    assert.match(await refused('some.pdf', makePdf(30)), /some\.pdf \(PDF, 30 pages\) is about 67\.5k tokens, over the 50k-token limit for one file/);
    assert.match(await refused('big.png', makePng(10, 10), { maxReadBytes: 50 }), /big\.png was not added: too large to read/);
    assert.match(await refused('c.png', makePng(100, 100), { currentTotal: DEFAULT_CONTEXT_LIMITS.maxTotalTokens - 5 }), /over the 150k-token limit/);
  });

  it('the egress gate lets the images and PDFs Claude reads through, and still refuses other binaries', () => {
    const gate = new EgressGate(new ExclusionRules({ userPatterns: ['private/**'] }));
    for (const path of ['a.png', 'b.JPG', 'c.jpeg', 'd.gif', 'e.webp', 'f.pdf']) assert.equal(gate.checkPath({ path }), undefined, path);
    assert.deepEqual(gate.checkPath({ path: 'g.bmp' }), { reason: 'binary' });
    assert.deepEqual(gate.checkPath({ path: 'h.zip' }), { reason: 'binary' });
    // The path rules and symlink rules apply as to any file.
    assert.equal(gate.checkPath({ path: 'private/shot.png' })?.reason, 'setting');
    assert.equal(gate.checkPath({ path: 'shot.png', real: { inside: false, path: '/etc/shot.png' } })?.reason, 'outside');
    assert.equal(gate.checkPath({ path: 'shot.png', real: { inside: true, path: 'private/x.png' } })?.reason, 'setting');
  });
});

describe('picking images and PDFs', () => {
  it('a file picked by name is added; one found inside a picked folder is left out and the summary says so', () => {
    const plan = planPick(
      [{ path: 'shot.png', explicit: true }, { path: 'assets/icon.png', explicit: false }, { path: 'docs/spec.pdf', explicit: false }, { path: 'src/a.ts', explicit: false }],
      new EgressGate(new ExclusionRules()), 10,
    );
    assert.deepEqual(plan.include, ['shot.png', 'src/a.ts']);
    assert.deepEqual(plan.excluded.map((entry) => [entry.path, entry.exclusion.reason]), [['assets/icon.png', 'mediaInFolder'], ['docs/spec.pdf', 'mediaInFolder']]);
    assert.match(summarizeExcluded(plan.excluded, describeExclusion), /^2 left out: assets\/icon\.png \(an image or PDF inside a picked folder \(add it by itself to send it\)\)/);
  });
});

describe('images and PDFs in the request', () => {
  it('go out after their caption as image and document blocks, estimated by the documented rule, in the cached prefix', async () => {
    const set = new ContextSet();
    const png = makePng(400, 300);
    const pdf = makePdf(2);
    set.add(await item('docs/spec.pdf', pdf));
    set.add(await item('assets/logo.png', png));
    const blocks = set.takeBlocks();
    assert.deepEqual(blocks.map((b) => b.text), ['Document `docs/spec.pdf` (PDF, 2 pages):', 'Image `assets/logo.png` (PNG, 400x300 px):']);
    assert.equal(contextBlockTokens(blocks[1] as ContextBlock), imageTokens(400, 300) + estimateTokens(blocks[1]?.text ?? ''));

    const conversation = createConversation(['You are helpful.'], 0);
    appendUserTurn(conversation, 'Compare them.', 0, blocks);
    const { params, cachePlan } = buildRequestWithPlan(conversation, { model: 'claude-sonnet-5-5', maxTokens: 1000, cacheTtl: '5m', minCacheableTokens: 1024 });
    const content = params.messages[0]?.content as ContentBlockParam[];
    assert.deepEqual(content.map((b) => b.type), ['text', 'document', 'text', 'image', 'text']);
    assert.deepEqual(content[1], { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf.toString('base64') } });
    assert.deepEqual((content[3] as { source: unknown }).source, { type: 'base64', media_type: 'image/png', data: png.toString('base64') });
    // The estimate is the documented one, not the base64 read as text.
    assert.ok(cachePlan.totalTokens < pdfTokens(2) + imageTokens(400, 300) + 100, String(cachePlan.totalTokens));
    // The attached PDF and image form one context run: its end is a breakpoint, the tail another.
    const reasons = cachePlan.breakpoints.map((b) => b.reasons.join('+'));
    assert.deepEqual(reasons, ['context', 'tail']);
    assert.ok('cache_control' in (content[3] as object), 'the breakpoint closes the run on the image');
    const size = nextRequestSize(conversation, '');
    assert.ok(size.tokens >= pdfTokens(2) + imageTokens(400, 300));
  });

  it('a second turn sends the same bytes again, byte for byte, and nothing new for them', async () => {
    const set = new ContextSet();
    set.add(await item('assets/logo.png', makePng(40, 30)));
    const conversation = createConversation([], 0);
    const first = appendUserTurn(conversation, 'What is it?', 0, set.takeBlocks());
    const answer = appendAssistantTurn(conversation, first.id, 'claude-sonnet-5-5', 0);
    answer.text = 'A logo.';
    answer.status = 'done';
    const one = buildRequestWithPlan(conversation, { model: 'claude-sonnet-5-5', maxTokens: 100, cacheTtl: '5m' }).params;
    assert.equal(set.pendingBlocks().length, 0);
    appendUserTurn(conversation, 'Which colour?', 0, set.takeBlocks());
    const two = buildRequestWithPlan(conversation, { model: 'claude-sonnet-5-5', maxTokens: 100, cacheTtl: '5m' }).params;
    const strip = (blocks: unknown): unknown => JSON.parse(JSON.stringify(blocks, (key, value: unknown) => (key === 'cache_control' ? undefined : value)));
    assert.deepEqual(strip(two.messages[0]), strip(one.messages[0]));
    assert.equal(two.messages.length, 3);
  });

  it('an image changed after it was sent goes out again as an updated version; the same bytes do not', async () => {
    const set = new ContextSet();
    set.add(await item('a.png', makePng(4, 4)));
    set.takeBlocks();
    assert.equal(set.add(await item('a.png', makePng(4, 4))), 'unchanged');
    const edited = makePng(8, 4, [0, 0, 255]);
    assert.equal(set.add(await item('a.png', edited)), 'updated');
    const [block] = set.takeBlocks();
    assert.equal(block?.label, 'a.png (updated)');
    assert.match(block?.text ?? '', /^Updated version of `a\.png` \(PNG, 8x4 px\): it changed after it was added/);
    assert.equal(block?.media?.data, edited.toString('base64'));
    set.markDeleted('image:a.png');
    assert.match(set.takeBlocks()[0]?.text ?? '', /was deleted after it was added/);
  });

  it('history keeps the media of a turn and refuses a forged one', async () => {
    const set = new ContextSet();
    set.add(await item('a.png', makePng(4, 4)));
    const conversation = createConversation([], 0);
    const turn = appendUserTurn(conversation, 'see', 0, set.takeBlocks());
    const back = readTurn(JSON.parse(JSON.stringify(turn)));
    assert.deepEqual(back, turn);
    const forged = JSON.parse(JSON.stringify(turn)) as { context: { media: { mediaType: string } }[] };
    (forged.context[0] as { media: { mediaType: string } }).media.mediaType = 'image/svg+xml';
    assert.equal(readTurn(forged), undefined);
  });

  it('the request-wide limits are checked before sending, earlier turns included', () => {
    const image = (width = 10): ContextBlock => ({ label: 'x.png', text: 'Image', media: { kind: 'image', mediaType: 'image/png', data: 'AAAA', tokens: 1, width, height: 10 } });
    const pdf = (pages: number): ContextBlock => ({ label: 'x.pdf', text: 'PDF', media: { kind: 'document', mediaType: 'application/pdf', data: 'AAAA', tokens: 1, pages } });
    assert.equal(requestMediaProblem([image(), pdf(100)]), undefined);
    assert.match(requestMediaProblem(Array.from({ length: 101 }, () => image())) ?? '', /101 images and 0 PDFs, more than the API's 100 a request/);
    assert.match(requestMediaProblem([pdf(60), pdf(41)]) ?? '', /101 PDF pages, more than the API's 100/);
    assert.equal(requestMediaProblem([...Array.from({ length: 20 }, () => image()), image(2500)]) !== undefined, true);
    assert.equal(requestMediaProblem([...Array.from({ length: 19 }, () => image()), image(2500)]), undefined);
    assert.match(requestMediaProblem([{ label: 'big.pdf', text: 'PDF', media: { kind: 'document', mediaType: 'application/pdf', data: 'A'.repeat(33 * 1024 * 1024), tokens: 1, pages: 1 } }]) ?? '', /over the API's 32 MB limit/);
  });

  it('the chip says what the file is, its size, and carries a thumbnail for a small image only', async () => {
    const set = new ContextSet();
    set.add(await item('assets/logo.png', makePng(400, 300)));
    set.add(await item('docs/spec.pdf', makePdf(2)));
    const [image, doc] = chipViews(set, []);
    assert.equal(image?.kind, 'image');
    assert.match(image?.detail ?? '', /^PNG, 400x300 px, \d+ (bytes|KB)$/);
    assert.equal(image?.thumbnail?.mediaType, 'image/png');
    assert.equal(doc?.kind, 'document');
    assert.match(doc?.detail ?? '', /^PDF, 2 pages, \d+ (bytes|KB)$/);
    assert.equal(doc?.thumbnail, undefined);
  });
});
