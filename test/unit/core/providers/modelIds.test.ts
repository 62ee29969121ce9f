import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_MODELS, findModel, findModelFor } from '../../../../src/core/anthropic/catalog';
import { bedrockBaseId, bedrockGeoOf, catalogIdOf, catalogIdOfBedrock, isLegacyBedrockId, PROVIDER_MODEL_IDS, providerModelId } from '../../../../src/core/providers/modelIds';
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

describe('pricing a provider id by the catalog model it names', () => {
  it('maps every Bedrock base id and each of its profiles back to its catalog model', () => {
    for (const [catalogId, ids] of Object.entries(PROVIDER_MODEL_IDS)) {
      if (ids.bedrock === undefined) continue;
      assert.equal(catalogIdOf(ids.bedrock.id), catalogId, ids.bedrock.id);
      for (const geo of ids.bedrock.profiles) assert.equal(catalogIdOf(`${geo}.${ids.bedrock.id}`), catalogId, `${geo}.${ids.bedrock.id}`);
    }
  });

  it('reads the model id at the end of a Bedrock ARN', () => {
    assert.equal(catalogIdOf('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-6'), 'claude-sonnet-4-6');
    assert.equal(catalogIdOf('arn:aws:bedrock:eu-west-3::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0'), 'claude-haiku-4-5');
    // An application inference profile's ARN is opaque: it names no model.
    assert.equal(catalogIdOf('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6'), undefined);
    assert.equal(catalogIdOf('arn:aws:bedrock:us-east-1:123456789012:inference-profile/'), undefined);
  });

  it('maps Vertex @date names (and their full resource names) and dated snapshots', () => {
    assert.equal(catalogIdOf('claude-haiku-4-5@20251001'), 'claude-haiku-4-5');
    assert.equal(catalogIdOf(' claude-opus-4-5@20251101 '), 'claude-opus-4-5');
    assert.equal(catalogIdOf('projects/p1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929'), 'claude-sonnet-4-5');
    assert.equal(catalogIdOf('claude-haiku-4-5-20251001'), 'claude-haiku-4-5');
  });

  it('leaves ids that name no catalog model alone: a wrong date, a lookalike, a deployment name, an alias', () => {
    for (const id of ['claude-haiku-4-5@20990101', 'xx.anthropic.claude-sonnet-4-6', 'us.anthropic.claude-sonnet-4-6-v9', 'my-sonnet-deployment', 'anthropic/claude-sonnet-4-6', '']) {
      assert.equal(catalogIdOf(id), undefined, id);
    }
  });

  it('findModelFor: the catalog model\'s prices under the id as typed; unknown stays unknown', () => {
    const sonnet = findModel('claude-sonnet-4-6');
    assert.ok(sonnet);
    const profile = findModelFor('global.anthropic.claude-sonnet-4-6');
    assert.equal(profile?.id, 'global.anthropic.claude-sonnet-4-6', 'the request still carries the typed id');
    assert.deepEqual(profile?.pricing, sonnet.pricing);
    assert.equal(profile?.contextWindow, sonnet.contextWindow);
    assert.equal(findModelFor('claude-sonnet-4-6'), sonnet);
    assert.equal(findModelFor('my-gateway-alias'), undefined);
    // The catalog asked is the one searched (the Models API's, when it is loaded).
    assert.equal(findModelFor('claude-haiku-4-5@20251001', BUILTIN_MODELS.filter((m) => m.id !== 'claude-haiku-4-5')), undefined);
  });
});
