import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answeredModelOf, priceAnswer, sumPrices, unknownPrice } from '../../../../src/core/anthropic/price';
import { findModel, findModelFor } from '../../../../src/core/anthropic/catalog';
import { UsageLedger } from '../../../../src/core/chat/usageLedger';

describe('prices with no known price', () => {
  it('an unknown model is unpriced, naming its id, not $0', () => {
    assert.deepEqual(unknownPrice(' us.anthropic.claude-sonnet-4-6 '), {
      costUsd: 0,
      savedUsd: 0,
      unpriced: { models: ['us.anthropic.claude-sonnet-4-6'], partial: false },
    });
  });

  it('an answer is priced by its catalog entry, and unpriced without one', () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 0 };
    const sonnet = findModel('claude-sonnet-4-6');
    assert.ok(sonnet);
    const priced = priceAnswer(usage, 'claude-sonnet-4-6', () => sonnet);
    assert.equal(priced.unpriced, undefined);
    assert.equal(priced.costUsd, sonnet.pricing.input);
    assert.deepEqual(priceAnswer(usage, 'my-gateway-alias', () => undefined), unknownPrice('my-gateway-alias'));
  });

  it('a provider id for a catalog model is priced as that model, not left unknown', () => {
    const usage = { input_tokens: 1000, output_tokens: 500 };
    const expected = priceAnswer(usage, 'claude-haiku-4-5', findModel);
    for (const id of ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5@20251001', 'arn:aws:bedrock:eu-west-1:1:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0']) {
      assert.deepEqual(priceAnswer(usage, id, findModelFor), expected, id);
    }
    assert.ok(expected.costUsd > 0);
  });

  it('a requested id with no price is priced by the model the response named, when the catalog has that', () => {
    const usage = { input_tokens: 1000, output_tokens: 500 };
    const expected = priceAnswer(usage, 'claude-sonnet-4-6', findModelFor);
    // A Foundry deployment with its own name, answered by the model behind it.
    assert.deepEqual(priceAnswer(usage, 'team-sonnet', findModelFor, 'claude-sonnet-4-6'), expected);
    // The requested id wins when it has a price; an answer naming nothing known stays unpriced under the requested id.
    assert.deepEqual(priceAnswer(usage, 'claude-sonnet-4-6', findModelFor, 'claude-opus-4-6'), expected);
    assert.deepEqual(priceAnswer(usage, 'team-sonnet', findModelFor, 'team-sonnet-v2'), unknownPrice('team-sonnet'));
    assert.deepEqual(priceAnswer(usage, 'team-sonnet', findModelFor), unknownPrice('team-sonnet'));
  });

  it('keeps the response\'s model only when it is a plausible id that differs from the request\'s', () => {
    assert.equal(answeredModelOf('team-sonnet', 'claude-sonnet-4-6'), 'claude-sonnet-4-6');
    assert.equal(answeredModelOf('claude-sonnet-4-6', 'claude-sonnet-4-6'), undefined);
    for (const bad of [undefined, 42, '', '   ', 'a b', 'x'.repeat(300), 'new\nline']) assert.equal(answeredModelOf('m', bad), undefined, JSON.stringify(bad));
  });

  it('a sum of priced parts is a known figure', () => {
    assert.deepEqual(sumPrices([{ costUsd: 0.5, savedUsd: 0.1 }, { costUsd: 0.25, savedUsd: 0 }]), { costUsd: 0.75, savedUsd: 0.1 });
    assert.deepEqual(sumPrices([]), { costUsd: 0, savedUsd: 0 });
  });

  it('a sum with an unpriced part is partial and names each unpriced model once', () => {
    const sum = sumPrices([{ costUsd: 0.5, savedUsd: 0 }, unknownPrice('alias-a'), unknownPrice('alias-b'), unknownPrice('alias-a')]);
    assert.deepEqual(sum, { costUsd: 0.5, savedUsd: 0, unpriced: { models: ['alias-a', 'alias-b'], partial: true } });
  });

  it('a sum of only unpriced parts stays unknown, and partial survives a second sum', () => {
    assert.deepEqual(sumPrices([unknownPrice('a'), unknownPrice('b')]).unpriced, { models: ['a', 'b'], partial: false });
    const partial = sumPrices([{ costUsd: 1, savedUsd: 0 }, unknownPrice('a')]);
    assert.equal(sumPrices([partial, unknownPrice('b')]).unpriced?.partial, true);
  });

  it('the session ledger says its totals are partial once an unpriced answer is in them', () => {
    const ledger = new UsageLedger();
    ledger.add('t1', { costUsd: 0.02, savedUsd: 0.01 });
    assert.equal(ledger.totals.unpriced, undefined);
    ledger.add('t2', unknownPrice('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc'));
    assert.deepEqual(ledger.totals, {
      costUsd: 0.02,
      savedUsd: 0.01,
      turns: 2,
      unpriced: { models: ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc'], partial: true },
    });
  });
});
