import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { fileBlocksOf, matchingRegion, normalizeBlockPath, unsafePathReason } from '../../../../src/core/chat/fileBlocks';
import { assistantView } from '../../../../src/core/chat/turnViews';

const fence = (info: string, code: string): string => `\`\`\`${info}\n${code}\n\`\`\``;

describe('fileBlocksOf', () => {
  it('finds the file a block names in its info string, in each common spelling', () => {
    const answer = [
      fence('ts src/a.ts', 'export const a = 1;'),
      fence('ts title="src/b.ts"', 'export const b = 2;'),
      fence('src/c.py', 'c = 3'),
      fence('rust:src/d.rs', 'fn d() {}'),
      fence('ts', 'const unnamed = true;'),
    ].join('\n\n');
    assert.deepEqual(fileBlocksOf(answer), [
      { path: 'src/a.ts', code: 'export const a = 1;\n', lang: 'ts' },
      { path: 'src/b.ts', code: 'export const b = 2;\n', lang: 'ts' },
      { path: 'src/c.py', code: 'c = 3\n', lang: '' },
      { path: 'src/d.rs', code: 'fn d() {}\n', lang: 'rust' },
    ]);
  });

  it('finds the file named on the line right before the fence', () => {
    const answer = [
      'Here are the changes.',
      '`src/inventory.py`',
      fence('python', 'def total(): pass'),
      '**src/new_module.py**:',
      fence('python', 'X = 1'),
      'File: README.md',
      fence('markdown', '# Title'),
      '### tests/test_x.py',
      fence('python', 'def test(): pass'),
      'Then the last line of a paragraph:\nUpdate `src/last_line.py`:',
      fence('python', 'Y = 2'),
      'Some explanation that is not a path.',
      fence('python', 'print("not named")'),
    ].join('\n\n');
    assert.deepEqual(fileBlocksOf(answer).map((block) => block.path), ['src/inventory.py', 'src/new_module.py', 'README.md', 'tests/test_x.py', 'src/last_line.py']);
  });

  it('never takes a path that leaves the workspace or touches version control (model output is untrusted)', () => {
    for (const bad of ['../outside.ts', 'src/../../etc/passwd', '/etc/passwd', 'C:/Windows/x.ini', '~/.bashrc', '.git/config', 'a/.GIT/hooks/pre-commit', '\\\\server\\share\\x.txt']) {
      assert.deepEqual(fileBlocksOf(fence(`ts ${bad}`, 'x')), [], bad);
      assert.deepEqual(fileBlocksOf(`\`${bad}\`\n\n${fence('ts', 'x')}`), [], `lead ${bad}`);
      assert.ok(unsafePathReason(bad) !== undefined, bad);
    }
    assert.equal(normalizeBlockPath('./src//a.ts'), 'src/a.ts');
    assert.equal(normalizeBlockPath('src\\win\\a.ts'), 'src/win/a.ts');
  });

  it('ignores fences inside a larger fence and a URL as a name', () => {
    const answer = `${fence('md', '```ts src/inner.ts\nx\n```')}\n\n${fence('ts https://example.com/a.ts', 'x')}`;
    assert.deepEqual(fileBlocksOf(answer), []);
  });
});

describe('matchingRegion', () => {
  const file = ['import os', '', 'def total(items):', '    s = 0', '    for i in items:', '        s += i', '    return s', '', 'def other():', '    return 1', ''].join('\n');

  it('finds the lines a changed function replaces: same first line, nearest matching last line', () => {
    const code = 'def total(items):\n    return sum(items)\n    return s\n';
    assert.deepEqual(matchingRegion(file, code), { start: 2, end: 6 });
  });

  it('is undefined when the first line is missing or appears twice (ambiguous)', () => {
    assert.equal(matchingRegion(file, 'def missing():\n    pass\n'), undefined);
    assert.equal(matchingRegion(`${file}\ndef total(items):\n    return s\n`, 'def total(items):\n    return s\n'), undefined);
    assert.equal(matchingRegion(file, '\n\n'), undefined);
  });
});

describe('the answer view names the files (turnView)', () => {
  it('lists each named file once, for a finished answer only', () => {
    const conversation = createConversation([], 0);
    const user = appendUserTurn(conversation, 'q', 0);
    const turn = appendAssistantTurn(conversation, user.id, 'm', 0);
    turn.text = `${fence('ts src/a.ts', 'a')}\n\n${fence('ts src/a.ts', 'b')}\n\n${fence('md notes/new.md', 'c')}`;
    const price = (): { costUsd: number; savedUsd: number } => ({ costUsd: 0, savedUsd: 0 });
    assert.equal(assistantView(turn, price).files, undefined, 'still streaming');
    turn.status = 'done';
    assert.deepEqual(assistantView(turn, price).files, ['src/a.ts', 'notes/new.md']);
  });
});
