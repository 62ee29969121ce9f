import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendAssistantTurn, appendUserTurn, activePath, createConversation } from '../../../../src/core/chat/conversation';
import { fitsContext, recentTurnsThatFit, summaryBlock } from '../../../../src/core/chat/overflow';
import { typicalGapMs } from '../../../../src/core/chat/sessionPolicy';

describe('overflow', () => {
  it('checks the request plus the answer against the window', () => {
    assert.equal(fitsContext(190_000, 8_000, 200_000), true);
    assert.equal(fitsContext(195_000, 8_000, 200_000), false);
  });

  it('keeps the newest whole exchanges that fit, cutting only before a user turn', () => {
    const conversation = createConversation([], 0);
    for (const size of [4000, 400, 40]) {
      const user = appendUserTurn(conversation, 'q'.repeat(size), 0);
      const answer = appendAssistantTurn(conversation, user.id, 'm', 0);
      answer.text = 'a'.repeat(size);
      answer.status = 'done';
    }
    const path = activePath(conversation);
    const kept = recentTurnsThatFit(path, 300);
    assert.deepEqual(kept.map((turn) => turn.text.length), [400, 400, 40, 40]);
    assert.equal(kept[0]?.kind, 'user');
    assert.deepEqual(recentTurnsThatFit(path, 5), []);
  });

  it('frames a summary for the new system prompt', () => {
    assert.match(summaryBlock('  - decided X\n'), /earlier conversation.*\n\n- decided X$/s);
  });
});

describe('typicalGapMs', () => {
  it('is the median pause between user messages', () => {
    assert.equal(typicalGapMs([0]), undefined);
    assert.equal(typicalGapMs([0, 1000]), 1000);
    assert.equal(typicalGapMs([0, 1000, 11_000, 12_000]), 1000);
    assert.equal(typicalGapMs([0, 100, 300]), 150);
  });
});
