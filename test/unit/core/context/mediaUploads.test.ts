import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MediaUploads } from '../../../../src/core/context';
import type { MediaPiece } from '../../../../src/core/context';
import { parseWebviewMessage } from '../../../../src/shared/protocol';

const piece = (id: string, index: number, last: boolean, data: string, name = 'big.png'): MediaPiece => ({ source: 'drop', name, data, part: { id, index, last } });

describe('a large pasted or dropped file posted in pieces', () => {
  it('the protocol takes a piece only with a well-formed part', () => {
    const base = { type: 'addMediaData', source: 'drop', name: 'a.png', data: 'AAAA' };
    assert.deepEqual(parseWebviewMessage({ ...base, part: { id: 'u1-2', index: 3, last: false } }), { ...base, part: { id: 'u1-2', index: 3, last: false } });
    assert.equal(parseWebviewMessage({ ...base, part: { id: 'u1', index: -1, last: false } }), undefined);
    assert.equal(parseWebviewMessage({ ...base, part: { id: 'u1', index: 1.5, last: false } }), undefined);
    assert.equal(parseWebviewMessage({ ...base, part: { id: 'u1', index: 5000, last: false } }), undefined);
    assert.equal(parseWebviewMessage({ ...base, part: { id: '../x', index: 0, last: true } }), undefined);
    assert.equal(parseWebviewMessage({ ...base, part: { id: 'u1', index: 0 } }), undefined);
    assert.equal(parseWebviewMessage({ ...base, part: 'u1' }), undefined);
  });

  it('joins the pieces in order when the last arrives; a whole file passes straight through', () => {
    const uploads = new MediaUploads();
    assert.equal(uploads.receive(piece('a', 0, false, 'AAAA')), undefined);
    assert.equal(uploads.receive(piece('a', 1, false, 'BBBB', 'other name')), undefined);
    assert.deepEqual(uploads.receive(piece('a', 2, true, 'CC==')), { source: 'drop', name: 'big.png', data: 'AAAABBBBCC==' }, 'named by its first piece');
    assert.equal(uploads.pending, 0);
    assert.deepEqual(uploads.receive({ source: 'paste', name: 'p.png', data: 'QUJD' }), { source: 'paste', name: 'p.png', data: 'QUJD' });
  });

  it('a piece out of order, missing or repeated spoils its upload: nothing is added', () => {
    const uploads = new MediaUploads();
    uploads.receive(piece('a', 0, false, 'AAAA'));
    assert.equal(uploads.receive(piece('a', 2, true, 'CCCC')), undefined, 'piece 1 never came');
    assert.equal(uploads.pending, 0);
    assert.equal(uploads.receive(piece('b', 1, true, 'BBBB')), undefined, 'no piece 0');
    uploads.receive(piece('c', 0, false, 'AAAA'));
    uploads.receive(piece('c', 1, false, 'BBBB'));
    assert.equal(uploads.receive(piece('c', 1, true, 'BBBB')), undefined, 'piece 1 twice');
    assert.equal(uploads.pending, 0);
  });

  it('the whole is held to the size limit, and only a couple of uploads stay open', () => {
    const uploads = new MediaUploads(8, 2);
    uploads.receive(piece('a', 0, false, 'AAAA'));
    assert.equal(uploads.receive(piece('a', 1, true, 'BBBBCCCC')), undefined, '12 characters is over the limit of 8');
    assert.equal(uploads.pending, 0);
    uploads.receive(piece('x', 0, false, 'AAAA'));
    uploads.receive(piece('y', 0, false, 'AAAA'));
    uploads.receive(piece('z', 0, false, 'AAAA'));
    assert.equal(uploads.pending, 2, 'the oldest abandoned upload is dropped');
    assert.equal(uploads.receive(piece('x', 1, true, 'BBBB')), undefined);
    assert.deepEqual(uploads.receive(piece('z', 1, true, 'BBBB')), { source: 'drop', name: 'big.png', data: 'AAAABBBB' });
  });
});
