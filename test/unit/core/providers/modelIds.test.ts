import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_MODELS } from '../../../../src/core/anthropic/catalog';
import { bedrockBaseId, bedrockGeoOf, catalogIdOfBedrock, isLegacyBedrockId, PROVIDER_MODEL_IDS, providerModelId } from '../../../../src/core/providers/modelIds';
import { modelIdMiddleware } from '../../../../src/core/providers/modelMiddleware';

describe('provider model ids', () => {
  it('every mapped id belongs to a catalog model', () => {
    for (const id of Object.keys(PROVIDER_MODEL_IDS)) assert.ok(BUILTIN_MODELS.some((m) => m.id === id), id);
  });

  it('Bedrock: the geography profile of the region, else global, else the base id', () => {
    assert.equal(providerModelId('bedrock', 'claude-opus-4-6', { region: 'ap-northeast-1' }).id, 'jp.anthropic.claude-opus-4-6-v1');
    assert.equal(providerModelId('bedrock', 'claude-sonnet-4-6', { region: 'ap-southeast-2' }).id, 'global.anthropic.claude-sonnet-4-6', 'no apac profile: global');
    assert.equal(providerModelId('bedrock', 'claude-haiku-4-5', { region: 'ap-southeast-2' }).id, 'anthropic.claude-haiku-4-5-20251001-v1:0', 'no apac, no global: base id');
    assert.equal(providerModelId('bedrock', 'claude-opus-4-5-20251101', { region: 'eu-west-3' }).id, 'eu.anthropic.claude-opus-4-5-20251101-v1:0', 'a dated snapshot maps through its alias');
    assert.equal(providerModelId('bedrock', 'claude-opus-4-6', { region: 'us-east-1', routing: 'global' }).id, 'global.anthropic.claude-opus-4-6-v1');
    assert.equal(providerModelId('bedrock', 'claude-opus-4-6', { region: 'us-east-1', routing: 'none' }).id, 'anthropic.claude-opus-4-6-v1');
    assert.equal(providerModelId('bedrock', 'claude-opus-4-6', {}).id, 'global.anthropic.claude-opus-4-6-v1', 'no region: global');
  });

  it('an id the table does not know goes as typed; Bedrock ids keep their legacy version flag', () => {
    assert.deepEqual(providerModelId('bedrock', 'claude-sonnet-5-5', { region: 'us-east-1' }), { id: 'claude-sonnet-5-5', legacyVersion: false });
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123';
    assert.equal(providerModelId('bedrock', arn).id, arn);
    assert.equal(providerModelId('bedrock', 'us.anthropic.claude-sonnet-4-6').legacyVersion, true);
    assert.equal(providerModelId('vertex', 'claude-haiku-4-5').id, 'claude-haiku-4-5@20251001');
    assert.equal(providerModelId('vertex', 'claude-opus-5').id, 'claude-opus-5');
    assert.equal(providerModelId('foundry', 'my-claude-deployment').id, 'my-claude-deployment');
  });

  it('regions to geographies; profile ids back to base ids and catalog ids', () => {
    assert.equal(bedrockGeoOf('us-west-2'), 'us');
    assert.equal(bedrockGeoOf('us-gov-west-1'), undefined);
    assert.equal(bedrockGeoOf('eu-central-1'), 'eu');
    assert.equal(bedrockGeoOf('ap-south-1'), 'apac');
    assert.equal(bedrockBaseId('global.anthropic.claude-opus-4-6-v1'), 'anthropic.claude-opus-4-6-v1');
    assert.equal(bedrockBaseId('anthropic.claude-opus-4-6-v1'), 'anthropic.claude-opus-4-6-v1');
    assert.equal(catalogIdOfBedrock('eu.anthropic.claude-haiku-4-5-20251001-v1:0'), 'claude-haiku-4-5');
    assert.equal(isLegacyBedrockId('anthropic.claude-unknown'), false);
  });

  it('the middleware rewrites the body model and sets the Bedrock version for a legacy model', async () => {
    const seen: { body: unknown; version: string | null }[] = [];
    const middleware = modelIdMiddleware((model) => providerModelId('bedrock', model, { region: 'us-east-1' }));
    const call = (model: string): Promise<Response> =>
      middleware(
        { url: 'https://x/v1/messages', method: 'POST', headers: new Headers({ 'anthropic-version': '2026-10-21' }), body: JSON.stringify({ model, max_tokens: 1 }) },
        (request) => {
          seen.push({ body: JSON.parse(String(request.body)), version: request.headers.get('anthropic-version') });
          return Promise.resolve(new Response('{}'));
        },
        {} as never,
      );
    await call('claude-sonnet-4-6');
    await call('claude-sonnet-5-5');
    assert.deepEqual(seen[0], { body: { model: 'us.anthropic.claude-sonnet-4-6', max_tokens: 1 }, version: 'bedrock-2023-05-31' });
    assert.deepEqual(seen[1], { body: { model: 'claude-sonnet-5-5', max_tokens: 1 }, version: '2026-10-21' });
  });
});
