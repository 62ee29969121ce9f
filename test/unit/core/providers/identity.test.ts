import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../../src/core/config/config';
import { providerIdentity } from '../../../../src/core/providers/identity';

const config = (raw: Record<string, unknown>) => parseConfig((key) => raw[key]).config;

describe('provider identity', () => {
  it('Anthropic API: no tag, the key source, and the gateway host when there is one', () => {
    assert.deepEqual(providerIdentity(config({}), {}, 'secretStorage'), { provider: 'Anthropic API', short: '', identity: 'API key from the keychain' });
    assert.equal(providerIdentity(config({ baseURL: 'https://llm.corp.example/anthropic' }), {}, 'environment').identity, 'API key from ANTHROPIC_API_KEY, through llm.corp.example');
    assert.equal(providerIdentity(config({}), {}).identity, 'no API key set');
  });

  it('Bedrock: the profile (setting, else AWS_PROFILE, else the default chain), the region and how models are named', () => {
    const withProfile = providerIdentity(config({ provider: 'bedrock', 'bedrock.region': 'eu-west-3', 'bedrock.profile': 'team-dev' }), {});
    assert.deepEqual(withProfile, { provider: 'Amazon Bedrock', short: 'Bedrock', identity: 'AWS profile team-dev, region eu-west-3, geo inference profiles' });
    assert.equal(providerIdentity(config({ provider: 'bedrock' }), { AWS_PROFILE: 'sso-dev', AWS_REGION: 'us-west-2' }).identity, 'AWS profile sso-dev (AWS_PROFILE), region us-west-2, geo inference profiles');
    assert.equal(providerIdentity(config({ provider: 'bedrock', 'bedrock.inferenceProfile': 'none' }), {}).identity, 'AWS default credentials, no region set, base model ids');
  });

  it('Vertex and Foundry: project and region; resource and how it signs in; never a key', () => {
    assert.equal(providerIdentity(config({ provider: 'vertex', 'vertex.projectId': 'my-team-project', 'vertex.region': 'global' }), {}).identity, 'Google application default credentials, project my-team-project, region global');
    assert.equal(providerIdentity(config({ provider: 'foundry', 'foundry.resource': 'contoso-ai' }), {}, 'secretStorage').identity, 'resource contoso-ai, API key from the keychain');
    assert.equal(providerIdentity(config({ provider: 'foundry', 'foundry.auth': 'entraId' }), {}).identity, 'no resource set, Entra ID (Azure CLI sign-in)');
  });
});
