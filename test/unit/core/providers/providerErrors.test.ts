import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { describeError } from '../../../../src/core/anthropic/errors';
import { EntraTokenError, createEntraTokenProvider } from '../../../../src/core/providers/entraToken';
import type { ProviderErrorContext } from '../../../../src/core/providers/providerErrors';

const bedrock: ProviderErrorContext = { provider: 'bedrock', model: 'claude-sonnet-4-6', where: 'eu-west-3', profile: 'team-sso' };
const vertex: ProviderErrorContext = { provider: 'vertex', model: 'claude-haiku-4-5', where: 'us-east5' };
const foundry: ProviderErrorContext = { provider: 'foundry', model: 'my-claude', where: 'contoso-ai' };

const aws = (status: number, type: string, message: string): APIError =>
  APIError.generate(status, { message }, message, new Headers({ 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }));
const connection = (message: string, cause: Error): APIConnectionError => new APIConnectionError({ message, cause });

describe('provider errors: each with its fix', () => {
  it('Bedrock: an expired SSO session, from the credential chain or from AWS, says to run aws sso login for the profile', () => {
    const chain = connection('Failed to resolve AWS credentials from the credential provider chain.', new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'));
    const fromChain = describeError(chain, { provider: bedrock });
    assert.equal(fromChain.kind, 'auth');
    assert.match(fromChain.message, /AWS SSO session has expired\. Run "aws sso login --profile team-sso"/);
    const fromAws = describeError(aws(403, 'ExpiredTokenException', 'The security token included in the request is expired'), { provider: bedrock });
    assert.match(fromAws.message, /aws sso login --profile team-sso/);
  });

  it('Bedrock: access denied to a model names the model and region and says where to enable it', () => {
    const friendly = describeError(aws(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID."), { provider: bedrock });
    assert.equal(friendly.kind, 'permission');
    assert.equal(friendly.action, 'pickModel');
    assert.match(friendly.message, /may not invoke claude-sonnet-4-6 on Amazon Bedrock in eu-west-3\. Enable the model under Model access/);
  });

  it('Bedrock: an unknown model id, and a model that needs an inference profile', () => {
    const unknown = describeError(aws(400, 'ValidationException', 'The provided model identifier is invalid.'), { provider: bedrock });
    assert.equal(unknown.kind, 'notFound');
    assert.match(unknown.message, /does not know the model id "claude-sonnet-4-6"/);
    const onDemand = describeError(aws(400, 'ValidationException', "Invocation of model ID anthropic.claude-sonnet-4-6 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model."), { provider: bedrock });
    assert.match(onDemand.message, /claudeStudio\.bedrock\.inferenceProfile/);
  });

  it('an unknown region: the endpoint does not resolve, and the message names the region setting', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND bedrock-runtime.us-north-9.amazonaws.com'), { code: 'ENOTFOUND' });
    const friendly = describeError(connection('Connection error.', new TypeError('fetch failed', { cause: dns })), { provider: { ...bedrock, where: 'us-north-9' } });
    assert.equal(friendly.kind, 'connection');
    assert.equal(friendly.retryable, false);
    assert.match(friendly.message, /Amazon Bedrock has no endpoint in the region "us-north-9"\. Set "claudeStudio\.bedrock\.region"/);
    const vertexDns = describeError(connection('Connection error.', dns), { provider: { ...vertex, where: 'mars-north1' } });
    assert.match(vertexDns.message, /Google Vertex AI has no endpoint in the region "mars-north1"\. Set "claudeStudio\.vertex\.region"/);
  });

  it('Vertex: missing application default credentials, and an expired Google sign-in', () => {
    const missing = connection('Failed to acquire Google OAuth credentials.', new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.'));
    const friendly = describeError(missing, { provider: vertex });
    assert.equal(friendly.kind, 'auth');
    assert.match(friendly.message, /No Google application default credentials were found.*gcloud auth application-default login/);
    const expired = describeError(connection('Failed to acquire Google OAuth credentials.', new Error('invalid_grant: reauth related error (invalid_rapt)')), { provider: vertex });
    assert.match(expired.message, /expired or was revoked/);
  });

  it('Vertex: 403 and 404 Publisher Model; Foundry: 401 key, 404 deployment', () => {
    const denied = describeError(APIError.generate(403, { error: { code: 403, message: "Permission 'aiplatform.endpoints.predict' denied", status: 'PERMISSION_DENIED' } }, undefined, new Headers()), { provider: vertex });
    assert.match(denied.message, /roles\/aiplatform\.user/);
    const missing = describeError(APIError.generate(404, { error: { code: 404, message: 'Publisher Model `projects/p/locations/us-east5/publishers/anthropic/models/x` not found.', status: 'NOT_FOUND' } }, undefined, new Headers()), { provider: vertex });
    assert.match(missing.message, /Vertex AI has no model "claude-haiku-4-5" in us-east5/);
    const key = describeError(APIError.generate(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }, undefined, new Headers()), { provider: foundry });
    assert.equal(key.action, 'setApiKey');
    assert.match(key.message, /Microsoft Foundry \(contoso-ai\) refused the key/);
  });

  it('Foundry with Entra ID: no Azure CLI or no sign-in says how to sign in; the token is cached', async () => {
    const noCli = createEntraTokenProvider(() => Promise.reject(new Error('ENOENT spawn az')));
    const error = await noCli().then(() => assert.fail('no az'), (caught: unknown) => caught);
    assert.ok(error instanceof EntraTokenError);
    const wrapped = new Error('Failed to get token from azureADTokenProvider', { cause: error });
    assert.match(describeError(wrapped, { provider: foundry }).message, /needs the Azure CLI: install it and run "az login"/);
    let calls = 0;
    const signedIn = createEntraTokenProvider(() => {
      calls++;
      return Promise.resolve(JSON.stringify({ accessToken: 'tok', expires_on: Math.floor(Date.now() / 1000) + 3600 }));
    });
    assert.equal(await signedIn(), 'tok');
    assert.equal(await signedIn(), 'tok');
    assert.equal(calls, 1);
  });

  it('the Anthropic provider and unrecognised errors keep the generic messages', () => {
    const generic = describeError(aws(400, 'ValidationException', 'messages: field required'), { provider: bedrock });
    assert.equal(generic.kind, 'invalidRequest');
    assert.equal(describeError(aws(403, 'AccessDeniedException', 'x')).kind, 'permission');
  });
});
