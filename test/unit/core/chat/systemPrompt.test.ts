import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeSystemPrompt, isoDate } from '../../../../src/core/chat/systemPrompt';
import { mainLanguages } from '../../../../src/core/context/languages';

describe('composeSystemPrompt', () => {
  const profile = { expertise: 'expert', verbosity: 'detailed', examples: false } as const;

  it('puts profile, date and languages in the first block, then the user blocks and workspace instructions', () => {
    const blocks = composeSystemPrompt({
      profile,
      date: '2026-11-23',
      languages: ['TypeScript', 'Go'],
      userBlocks: ['Be brief.', '  ', 'Use British spelling.'],
      workspaceInstructions: 'Run npm test before proposing a commit.',
    });
    assert.equal(blocks.length, 4);
    assert.match(blocks[0] ?? '', /Today is 2026-11-23\./);
    assert.match(blocks[0] ?? '', /an expert developer and prefers detailed answers without examples unless asked/);
    assert.match(blocks[0] ?? '', /mostly TypeScript, Go/);
    assert.deepEqual(blocks.slice(1, 3), ['Be brief.', 'Use British spelling.']);
    assert.match(blocks[3] ?? '', /instructions\.md\):\n\nRun npm test/);
  });

  it('is the same, byte for byte, for the same inputs (it is frozen into the conversation)', () => {
    const inputs = { profile, date: '2026-11-23', languages: [], userBlocks: [] };
    assert.equal(JSON.stringify(composeSystemPrompt(inputs)), JSON.stringify(composeSystemPrompt(inputs)));
  });

  it('formats the local date', () => {
    assert.equal(isoDate(new Date(2026, 0, 5)), '2026-01-05');
  });
});

describe('mainLanguages', () => {
  it('ranks by file count and leaves out stragglers', () => {
    const paths = [...Array(30).fill('/w/src/a.ts'), ...Array(5).fill('/w/x.py'), '/w/build.sh', '/w/README', '/w/.hidden/x'];
    assert.deepEqual(mainLanguages(paths), ['TypeScript', 'Python']);
  });

  it('ignores dots in folder names', () => {
    assert.deepEqual(mainLanguages(['/w/v1.2/Makefile']), []);
  });
});
