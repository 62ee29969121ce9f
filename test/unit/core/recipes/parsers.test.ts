import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { critiqueSaysDone, extractTag, majorityVote, normalizeAnswer, parseCotSections, parseSubtasks, sampleAnswer } from '../../../../src/core/recipes/parsers';

describe('recipe parsers', () => {
  it('extractTag reads the first tag, tolerates attributes and an unclosed tag', () => {
    assert.equal(extractTag('<a>one</a><a>two</a>', 'a'), 'one');
    assert.equal(extractTag('<answer kind="x"> 42 </answer>', 'answer'), '42');
    assert.equal(extractTag('<answer>cut off', 'answer'), 'cut off');
    assert.equal(extractTag('none', 'answer'), undefined);
  });

  it('parseCotSections keeps the documented order whatever order the model used', () => {
    const sections = parseCotSections('<answer>A</answer><analysis>B</analysis><confidence>low</confidence>');
    assert.deepEqual(sections, [{ label: 'Analysis', text: 'B' }, { label: 'Answer', text: 'A' }, { label: 'Confidence', text: 'low' }]);
  });

  it('critiqueSaysDone: verdict tags first, then short plain statements only', () => {
    assert.equal(critiqueSaysDone('<verdict>nothing to improve</verdict>'), true);
    assert.equal(critiqueSaysDone('<verdict>Nothing to improve.</verdict>'), true);
    assert.equal(critiqueSaysDone('There is nothing to improve, but <verdict>improve</verdict>'), false);
    assert.equal(critiqueSaysDone('Nothing left to improve.'), true);
    assert.equal(critiqueSaysDone('No further improvements are needed.'), true);
    assert.equal(critiqueSaysDone('1. Rename x. 2. Add a test.'), false);
    assert.equal(critiqueSaysDone(`${'Problem: the loop is quadratic. '.repeat(12)} Otherwise nothing to improve.`), false);
  });

  it('normalizeAnswer ignores case, markup, quotes and a trailing dot', () => {
    assert.equal(normalizeAnswer('**Off  by one.**'), 'off by one');
    assert.equal(normalizeAnswer('`null` check'), 'null check');
    assert.equal(normalizeAnswer('<b>Yes</b>!'), 'yes');
  });

  it('sampleAnswer: the answer tag, else the last line', () => {
    assert.equal(sampleAnswer('reasoning\n<answer>B</answer>'), 'B');
    assert.equal(sampleAnswer('reasoning\n\nFinal: C\n'), 'Final: C');
    assert.equal(sampleAnswer('<answer></answer>'), undefined);
  });

  it('majorityVote: ratio over counted answers, ties have no winner, order of first appearance', () => {
    const vote = majorityVote(['b', 'A', 'a.', undefined, 'B', 'c']);
    assert.equal(vote.winner, undefined);
    assert.deepEqual(vote.tied, ['b', 'A']);
    assert.equal(vote.counted, 5);
    assert.equal(vote.agreement, 0.4);
    const clear = majorityVote(['x', 'y', 'X']);
    assert.equal(clear.winner, 'x');
    assert.equal(clear.votes, 2);
    assert.equal(majorityVote([undefined]).counted, 0);
  });

  it('parseSubtasks reads tags, or a list, and caps the count', () => {
    assert.deepEqual(parseSubtasks('<subtask>a</subtask>\n<subtask> b </subtask>', 5), ['a', 'b']);
    assert.deepEqual(parseSubtasks('Plan:\n1. a\n2) b\n- c', 2), ['a', 'b']);
  });
});
