/** What a failed answer's message promises, in each state the session can be in when it fails. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIError } from '@anthropic-ai/sdk';
import { describeError, errorMessages } from '../../../../src/core/anthropic/errors';
import type { AssistantTurn, TurnError } from '../../../../src/core/chat/conversation';
import { appendAssistantTurn, appendUserTurn, createConversation } from '../../../../src/core/chat/conversation';
import { canContinueTurn, explainTurnError, turnErrorFrom, turnErrorMessages } from '../../../../src/core/chat/turnError';

const overloaded = (): TurnError => turnErrorFrom(describeError(APIError.generate(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'Overloaded', new Headers())));
const dropped = (): TurnError => turnErrorFrom(describeError(Object.assign(new TypeError('terminated'), { cause: { code: 'ECONNRESET' } }), { baseURL: 'https://api.anthropic.com' }));
const fact = errorMessages.overloadedFact();

function failed(text: string, error: TurnError): AssistantTurn {
  const conversation = createConversation([], 0);
  const turn = appendAssistantTurn(conversation, appendUserTurn(conversation, 'q', 0).id, 'm', 0);
  Object.assign(turn, { text, status: 'error', error });
  return turn;
}

describe('explainTurnError', () => {
  it('during the countdown: it will retry by itself, with which attempt (never "already retried")', () => {
    const { message } = explainTurnError(overloaded(), { attempts: 1, willRetryOf: 3, partial: false, continuable: false });
    assert.equal(message, turnErrorMessages.willRetry(fact, 2, 3));
    assert.match(message, /will try again by itself \(attempt 2 of 3\)/);
    assert.doesNotMatch(message, /already retried/);
  });

  it('after the last attempt: how many times it tried, and that Retry sends it again', () => {
    assert.equal(explainTurnError(overloaded(), { attempts: 3, partial: false, continuable: false }).message, `${fact} Claude Studio tried 3 times; Retry sends it again.`);
  });

  it('with retries off, or an error event after no text: no claim that it retried', () => {
    const { message } = explainTurnError(overloaded(), { attempts: 1, partial: false, continuable: false });
    assert.equal(message, `${fact} Retry sends it again.`);
  });

  it('after a mid-stream failure with text: the partial answer is kept; Continue resumes, Retry starts over', () => {
    const error = dropped();
    assert.equal(error.kind, 'connection');
    assert.equal(explainTurnError(error, { attempts: 1, partial: true, continuable: true }).message,
      'The connection to api.anthropic.com was lost before the answer finished. The partial answer is kept: Continue picks up where it stopped; Retry starts the answer over.');
    assert.doesNotMatch(explainTurnError(error, { attempts: 1, partial: true, continuable: false }).message, /Continue/);
  });

  it('an error that already says what to do is left as it is', () => {
    const auth = turnErrorFrom(describeError(APIError.generate(401, { type: 'error', error: { type: 'authentication_error', message: 'bad key' } }, 'bad key', new Headers())));
    assert.equal(explainTurnError(auth, { attempts: 1, partial: false, continuable: false }), auth);
  });

  it('outside the chat (recipes, batches), the advice stays the SDK-retry wording', () => {
    assert.equal(describeError(APIError.generate(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'Overloaded', new Headers())).message, errorMessages.overloaded());
  });
});

describe('canContinueTurn', () => {
  it('an error after some text can be continued; before any text, during a countdown, or in a recipe it cannot', () => {
    assert.equal(canContinueTurn(failed('The first half', dropped())), true);
    assert.equal(canContinueTurn(failed('  \n', dropped())), false);
    assert.equal(canContinueTurn(failed('text', { ...dropped(), retryAt: 5 })), false);
    const recipe = failed('text', dropped());
    recipe.recipe = { name: 'r', steps: [] };
    assert.equal(canContinueTurn(recipe), false);
  });
});
