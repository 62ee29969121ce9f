import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findModel } from '../../../../src/core/anthropic/catalog';
import { buildRequest, customIdFor, fileRequestBytes, CUSTOM_ID_PATTERN, estimateCost, jobTagOf, requestBytes, splitByLimits } from '../../../../src/core/batches/requests';
import { codeToApply, resultBody } from '../../../../src/core/batches/ingest';
import { skipReason } from '../../../../src/core/batches/fileFilter';
import { describeCounts, emptyCounts } from '../../../../src/core/batches/model';

const spec = { prompt: 'Add doc comments.', model: 'claude-sonnet-5-5', maxTokens: 1000 };

describe('batch requests', () => {
  it('custom_ids come from a table index and always match the API pattern', () => {
    const tag = jobTagOf('job_0123456789abcdef0123');
    for (const i of [0, 1, 99_999, 10 ** 9]) assert.match(customIdFor(tag, i), CUSTOM_ID_PATTERN);
    assert.equal(new Set(Array.from({ length: 1000 }, (_, i) => customIdFor(tag, i))).size, 1000);
    assert.equal(jobTagOf('../weird key/é'), 'weirdkey');
  });

  it('one request per file with a cached shared system prompt and the file in the user turn', () => {
    const request = buildRequest(spec, 'a-0', { label: 'src/a "b".ts', text: 'let x = 1;' });
    assert.equal(request.custom_id, 'a-0');
    const system = request.params.system as { text: string; cache_control?: unknown }[];
    assert.deepEqual(system[0]?.cache_control, { type: 'ephemeral' });
    assert.match(system[0]?.text ?? '', /Add doc comments\./);
    assert.equal(request.params.messages[0]?.content, '<file path="src/a &quot;b&quot;.ts">\nlet x = 1;\n</file>');
    assert.equal('temperature' in request.params, false);
  });

  it('splits by count and by bytes, and reports items too large for any batch', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    assert.deepEqual(splitByLimits(items, () => 10, { maxCount: 4, maxBytes: 10_000 }).chunks.map((c) => c.length), [4, 4, 2]);
    assert.deepEqual(splitByLimits(items, () => 100, { maxCount: 100, maxBytes: 64 + 300 }).chunks.map((c) => c.length), [3, 3, 3, 1]);
    const mixed = splitByLimits([1, 500, 2], (n) => n, { maxCount: 100, maxBytes: 200 });
    assert.deepEqual(mixed.tooLarge, [500]);
    assert.deepEqual(mixed.chunks, [[1, 2]]);
    assert.ok(requestBytes(buildRequest(spec, 'x', { label: 'a', text: 'é' })) > 0);
  });

  it('sizes a request without building its JSON, byte-exact for escapes, unicode and lone surrogates', () => {
    const texts = ['', 'plain', 'quote " and \\ backslash', 'ctl \n\t\r\b\f \u0001 \u001f', 'é ü ß', '漢字', '😀 pair', 'lone \ud800 high', 'lone \udc00 low', 'end high \ud83d'];
    for (let i = 0; i < 200; i++) texts.push(Array.from({ length: 40 }, () => String.fromCharCode(Math.floor(Math.random() * 0x10000))).join(''));
    for (const text of texts) {
      const file = { label: 'src/ü "x".ts', text };
      assert.equal(fileRequestBytes(spec, 'id-1', file), requestBytes(buildRequest(spec, 'id-1', file)), JSON.stringify(text));
    }
  });

  it('estimates cost at the batch discount: half the standard price', () => {
    const model = findModel('claude-sonnet-5-5')!;
    const files = [{ label: 'a.ts', text: 'x'.repeat(4000) }, { label: 'b.ts', text: 'y'.repeat(4000) }];
    const batch = estimateCost(spec, files, model, true);
    const standard = estimateCost(spec, files, model, false);
    assert.equal(batch.requests, 2);
    assert.ok(batch.inputUsd > 0);
    assert.ok(Math.abs(batch.inputUsd * 2 - standard.inputUsd) < 1e-12);
    assert.ok(Math.abs(batch.maxOutputUsd * 2 - standard.maxOutputUsd) < 1e-12);
  });

  it('apply takes the longest fenced block, or the whole answer', () => {
    assert.equal(codeToApply('Here:\n```ts\nshort\n```\nand\n```ts\nthe longer one\n```\n'), 'the longer one\n');
    assert.equal(codeToApply('no fences'), 'no fences');
    assert.equal(resultBody({ custom_id: 'a', result: { type: 'expired' } }).includes('Expired'), true);
  });

  it('describes counts with expired and canceled shown as such', () => {
    assert.equal(describeCounts({ ...emptyCounts(), succeeded: 2, expired: 1, canceled: 1 }), '2/4 succeeded, 1 canceled, 1 expired');
  });
});

describe('batch file filter', () => {
  it('skips secrets, binaries, ignored folders and huge files', () => {
    assert.equal(skipReason('src/a.ts', new TextEncoder().encode('let a')), undefined);
    assert.equal(skipReason('.env'), 'may hold secrets');
    assert.equal(skipReason('config/.env.local'), 'may hold secrets');
    assert.equal(skipReason('keys/server.pem'), 'may hold secrets');
    assert.equal(skipReason('home/id_rsa'), 'may hold secrets');
    assert.equal(skipReason('logo.png'), 'binary');
    assert.equal(skipReason('data.txt', new Uint8Array([65, 0, 66])), 'binary');
    assert.equal(skipReason('node_modules/x/index.js'), 'in an ignored folder');
    assert.equal(skipReason('big.txt', new Uint8Array(10), 5), 'too large');
  });
});
