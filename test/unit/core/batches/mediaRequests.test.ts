import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchFile, BatchSpec } from '../../../../src/core/batches/requests';
import { buildRequest, estimateCost, estimatePreparedCost, fileRequestBytes, requestBytes, templateMessage } from '../../../../src/core/batches/requests';
import { pathSkipReason, skipReason } from '../../../../src/core/batches/fileFilter';
import { checkDocumentBlock, checkImageBlock } from '../../../server/media';
import type { JsonObject } from '../../../server/types';
import { makePdf, makePng } from '../../../media/fixtures';

const png = makePng(400, 300);
const shot: BatchFile = {
  uri: 'file:///w/shots/login.png', label: 'shots/login.png', text: '',
  media: { kind: 'image', mediaType: 'image/png', data: png.toString('base64'), description: 'PNG, 400x300 px', tokens: 160 },
};
const spec: BatchSpec = { prompt: 'Describe each screenshot.', model: 'claude-sonnet-5-5', maxTokens: 500 };

describe('batches over images and PDFs', () => {
  it('an image file is sent as an image block inside its file tag, which the API takes', () => {
    const { params } = buildRequest(spec, 'job-0', shot);
    const content = params.messages[0]?.content;
    assert.ok(Array.isArray(content));
    assert.deepEqual(content.map((block) => block.type), ['text', 'image', 'text']);
    assert.deepEqual(content[0], { type: 'text', text: '<file path="shots/login.png" type="PNG, 400x300 px">' });
    assert.deepEqual(content[1], { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png.toString('base64') } });
    checkImageBlock(content[1] as unknown as JsonObject, 'messages.0.content.1');
  });

  it('a templated request puts a PDF where a text file goes; a text file is sent exactly as before', () => {
    const template = { system: 'You review specs.', task: 'List the open questions.' };
    const pdf = makePdf(3);
    const spec2 = { ...spec, template };
    const { params } = buildRequest(spec2, 'job-1', { label: 'docs/spec.pdf', text: '', media: { kind: 'document', mediaType: 'application/pdf', data: pdf.toString('base64'), description: 'PDF, 3 pages', tokens: 6750 } });
    const content = params.messages[0]?.content;
    assert.ok(Array.isArray(content));
    assert.equal((content[0] as { text: string }).text, '<material>\n<file path="docs/spec.pdf" type="PDF, 3 pages">');
    assert.equal((content[2] as { text: string }).text, '</file>\n</material>\n\nList the open questions.');
    checkDocumentBlock(content[1] as unknown as JsonObject, 'messages.0.content.1');
    const text = buildRequest(spec2, 'job-2', { label: 'a.ts', text: 'let a = 1;' }).params.messages[0]?.content;
    assert.equal(text, templateMessage(template, { label: 'a.ts', text: 'let a = 1;' }));
  });

  it('sizes and estimates count the media: bytes for the 256 MB split, the documented tokens for the cost', () => {
    assert.equal(fileRequestBytes(spec, 'job-0', shot), requestBytes(buildRequest(spec, 'job-0', shot)));
    const model = { pricing: { inputPerMTok: 3, outputPerMTok: 15, cacheWrite5mPerMTok: 3.75, cacheWrite1hPerMTok: 6, cacheReadPerMTok: 0.3 } };
    const withImage = estimateCost(spec, [shot], model as never);
    const without = estimateCost(spec, [{ ...shot, media: undefined }], model as never);
    assert.equal(withImage.inputTokens - without.inputTokens, 160);
    const built = estimatePreparedCost([buildRequest(spec, 'job-0', shot).params], model as never);
    const plain = estimatePreparedCost([buildRequest(spec, 'job-0', { ...shot, media: undefined }).params], model as never);
    assert.ok(built.inputTokens - plain.inputTokens >= 160, 'a built request counts its image by the documented rule, not its base64');
  });

  it('media files skip on their path only (ignored folders, secret names), not as binaries', () => {
    assert.equal(pathSkipReason('shots/login.png'), undefined);
    assert.equal(skipReason('shots/login.png'), 'binary', 'the text path still calls them binary');
    assert.equal(pathSkipReason('node_modules/x/logo.png'), 'in an ignored folder');
  });
});
