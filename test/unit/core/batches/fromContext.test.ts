import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { batchFilesFromContext } from '../../../../src/core/batches/fromContext';
import { createContextItem } from '../../../../src/core/context/contextItem';
import type { ContextEntry } from '../../../../src/core/context/contextSet';

const file = (path: string, state: ContextEntry['state'] = 'new'): ContextEntry => ({
  item: createContextItem({ kind: 'file', path, uri: `file:///w/${path}`, languageId: 'typescript', content: 'x' }),
  state,
});

test('batchFilesFromContext keeps the file chips in order and leaves out selections, snippets and deleted files', () => {
  const selection: ContextEntry = {
    item: createContextItem({ kind: 'selection', path: 'src/c.ts', uri: 'file:///w/src/c.ts', languageId: 'typescript', content: 'y', range: { startLine: 1, endLine: 2 } }),
    state: 'new',
  };
  const snippet: ContextEntry = { item: createContextItem({ kind: 'snippet', path: 'pasted', languageId: 'plaintext', content: 'z' }), state: 'sent' };
  const result = batchFilesFromContext([file('src/b.ts', 'sent'), selection, file('src/a.ts', 'updated'), snippet, file('gone.ts', 'deleted')]);
  assert.deepEqual(result.uris, ['file:///w/src/b.ts', 'file:///w/src/a.ts']);
  assert.equal(result.leftOut, 3);
});

test('batchFilesFromContext with no context gives no files', () => {
  assert.deepEqual(batchFilesFromContext([]), { uris: [], leftOut: 0 });
});
