import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { BLOCK_OVERHEAD_TOKENS, MESSAGE_OVERHEAD_TOKENS, countInputTokens, countTextTokens } from '../../server';
import { imageTokens, pdfTokens } from '../../../src/core/media';
import { gifHeader, jpegHeader, makeCompressedPdf, makePdf, makePng, pngHeader, webpHeader } from '../../media/fixtures';
import { MODEL, assertEnvelope, raw, withServer } from './harness';

const b64 = (bytes: Buffer): string => bytes.toString('base64');
const image = (data: string, mediaType = 'image/png'): Record<string, unknown> => ({ type: 'image', source: { type: 'base64', media_type: mediaType, data } });
const pdf = (data: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data }, ...extra });
const ask = (...blocks: Record<string, unknown>[]): Record<string, unknown> => ({
  model: MODEL,
  max_tokens: 64,
  messages: [{ role: 'user', content: [...blocks, { type: 'text', text: 'What is this?' }] }],
});

describe('image and document blocks', () => {
  test('accepts PNG, JPEG, GIF and WebP images and base64 PDFs, with the right media type', () =>
    withServer({}, async ({ server }) => {
      const body = ask(
        image(b64(makePng(4, 3))),
        image(b64(jpegHeader(640, 480)), 'image/jpeg'),
        image(b64(gifHeader(10, 10)), 'image/gif'),
        image(b64(webpHeader(300, 200)), 'image/webp'),
        pdf(b64(makePdf(2)), { title: 'spec.pdf' }),
        pdf(b64(makeCompressedPdf(3))),
      );
      const response = await raw(server, 'POST', '/v1/messages', body);
      assert.equal(response.status, 200, response.text);
    }));

  const png = b64(makePng(2, 2));
  const cases: [string, Record<string, unknown>, string | RegExp][] = [
    ['an image media type the API does not take', ask(image(png, 'image/bmp')), "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"],
    ['invalid base64', ask(image('iVBORw0KGgo*not-base64*')), 'messages.0.content.0.image.source.base64: invalid base64 data'],
    ['base64 that is no image', ask(image(b64(Buffer.from('hello, not an image')))), 'messages.0.content.0.image.source.base64.data: The image specified was not valid'],
    ['an image whose bytes are another format', ask(image(b64(jpegHeader(10, 10)), 'image/png')), 'messages.0.content.0.image.source.base64.data: Image does not match the provided media type image/png'],
    ['an image over 8000 px', ask(image(b64(pngHeader(8001, 10)))), 'messages.0.content.0.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels'],
    ['an unknown source type', ask({ type: 'image', source: { type: 'path', data: png } }), "messages.0.content.0.image.source: Input tag 'path' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'"],
    ['a source without data', ask({ type: 'image', source: { type: 'base64', media_type: 'image/png' } }), 'messages.0.content.0.image.source.base64.data: Field required'],
    ['a PDF with another media type', ask({ type: 'document', source: { type: 'base64', media_type: 'application/msword', data: png } }), "messages.0.content.0.document.source.base64.media_type: Input should be 'application/pdf'"],
    ['a PDF that is not one', ask(pdf(png)), 'messages.0.content.0.pdf.source.base64.data: The PDF specified was not valid.'],
    ['a PDF over 100 pages', ask(pdf(b64(makePdf(101)))), 'messages.0.content.0.pdf.source.base64.data: A maximum of 100 PDF pages may be provided.'],
    ['PDFs over 100 pages together', ask(pdf(b64(makePdf(60))), pdf(b64(makeCompressedPdf(41)))), 'messages.0.content.1.pdf.source.base64.data: A maximum of 100 PDF pages may be provided.'],
  ];
  for (const [name, body, message] of cases) {
    test(`400 invalid_request_error: ${name}`, () =>
      withServer({}, async ({ server }) => {
        assertEnvelope(await raw(server, 'POST', '/v1/messages', body), 400, 'invalid_request_error', message);
        // count_tokens checks the same blocks.
        const { max_tokens: _unused, ...count } = body;
        assertEnvelope(await raw(server, 'POST', '/v1/messages/count_tokens', count), 400, 'invalid_request_error', message);
      }));
  }

  test('400: an image over 5 MB of base64', () =>
    withServer({}, async ({ server }) => {
      const big = Buffer.concat([makePng(2, 2), Buffer.alloc(4 * 1024 * 1024)]);
      const data = b64(big);
      assertEnvelope(await raw(server, 'POST', '/v1/messages', ask(image(data))), 400, 'invalid_request_error', `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: ${data.length} bytes > 5242880 bytes`);
    }));

  test('400: more than 100 images and documents in one request, counted across messages', () =>
    withServer({}, async ({ server }) => {
      const small = image(b64(makePng(1, 1)));
      const messages = [
        { role: 'user', content: [...Array.from({ length: 60 }, () => small), { type: 'text', text: 'first' }] },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [...Array.from({ length: 40 }, () => small), pdf(b64(makePdf(1))), { type: 'text', text: 'second' }] },
      ];
      const response = await raw(server, 'POST', '/v1/messages', { model: MODEL, max_tokens: 16, messages });
      assertEnvelope(response, 400, 'invalid_request_error', 'too many images and documents: 100 + 1 > 100');
    }));

  test('400: past 20 images an image may be 2000 px at most', () =>
    withServer({}, async ({ server }) => {
      const small = image(b64(makePng(1, 1)));
      const wide = image(b64(pngHeader(2001, 100)));
      const twenty = ask(...Array.from({ length: 19 }, () => small), wide);
      assert.equal((await raw(server, 'POST', '/v1/messages', twenty)).status, 200);
      const response = await raw(server, 'POST', '/v1/messages', ask(...Array.from({ length: 20 }, () => small), wide));
      assertEnvelope(response, 400, 'invalid_request_error', 'messages.0.content.20.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels');
    }));

  test('a PDF over 32 MB is over the request size limit: 413 request_too_large, as on the API', () =>
    withServer({ maxBodyBytes: 1024 * 1024 }, async ({ server }) => {
      // The limit is scaled down for the test; the server's default is the API's 32 MB.
      const big = Buffer.concat([makePdf(1), Buffer.alloc(1024 * 1024)]);
      assertEnvelope(await raw(server, 'POST', '/v1/messages', ask(pdf(b64(big)))), 413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    }));
});

describe('image and document tokens', () => {
  test('images cost width * height / 750 (after the API scales them); PDFs a documented estimate a page', () => {
    const png = b64(makePng(300, 200));
    const block = image(png) as unknown as ContentBlockParam;
    const text = { type: 'text' as const, text: 'abcd' };
    const one = countInputTokens({ messages: [{ role: 'user', content: [block, text] }] });
    assert.equal(one, MESSAGE_OVERHEAD_TOKENS + BLOCK_OVERHEAD_TOKENS + imageTokens(300, 200) + BLOCK_OVERHEAD_TOKENS + 1);
    assert.equal(imageTokens(300, 200), 80);
    const big = image(b64(pngHeader(4000, 3000))) as unknown as ContentBlockParam;
    assert.ok(countInputTokens({ messages: [{ role: 'user', content: [big] }] }) < 1700, 'a 4000x3000 image is counted at its scaled size');
    const doc = pdf(b64(makePdf(3)), { title: 'spec.pdf' }) as unknown as ContentBlockParam;
    assert.equal(countInputTokens({ messages: [{ role: 'user', content: [doc] }] }), MESSAGE_OVERHEAD_TOKENS + BLOCK_OVERHEAD_TOKENS + pdfTokens(3) + countTextTokens('spec.pdf'));
  });

  test('count_tokens and usage agree, and a second turn reads the image and PDF from cache', () =>
    withServer({}, async ({ server, client }) => {
      const blocks: ContentBlockParam[] = [
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: b64(makePdf(2)) } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: b64(makePng(400, 300)) }, cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Compare them.' },
      ];
      const first = [{ role: 'user' as const, content: blocks }];
      const counted = await client.messages.countTokens({ model: MODEL, messages: first });
      assert.equal(counted.input_tokens, countInputTokens({ messages: first }));
      server.script({ text: 'They match.' });
      const one = await client.messages.create({ model: MODEL, max_tokens: 64, messages: first });
      assert.equal(one.usage.cache_creation_input_tokens, MESSAGE_OVERHEAD_TOKENS + 2 * BLOCK_OVERHEAD_TOKENS + pdfTokens(2) + imageTokens(400, 300));
      const second = [...first, { role: 'assistant' as const, content: 'They match.' }, { role: 'user' as const, content: 'And now?' }];
      const two = await client.messages.create({ model: MODEL, max_tokens: 64, messages: second });
      assert.equal(two.usage.cache_read_input_tokens, one.usage.cache_creation_input_tokens);
    }));
});
