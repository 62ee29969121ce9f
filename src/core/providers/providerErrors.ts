/**
 * The cloud providers' own failures, each with the fix: an expired AWS SSO session, missing Google
 * application default credentials, a model the identity may not use, a model id or region the
 * provider does not know, a refused key. describeError asks here first when the provider is not
 * the Anthropic API; anything not recognised falls through to the generic messages.
 */
import * as l10n from '@vscode/l10n';
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import type { FriendlyError } from '../anthropic/errors';
import type { Provider } from './providers';

/** What the caller knows of the provider setup (no secret). */
export interface ProviderErrorContext {
  readonly provider: Exclude<Provider, 'anthropic'>;
  readonly model?: string;
  /** Bedrock or Vertex region, Foundry resource. */
  readonly where?: string;
  /** The AWS profile, for the SSO login command. */
  readonly profile?: string;
}

/** Every user-visible string of this module, for vscode.l10n. */
export const providerErrorMessages = {
  ssoExpired: (profile: string | undefined): string =>
    profile ? l10n.t('Your AWS SSO session has expired. Run "aws sso login --profile {0}" in a terminal, then try again.', profile) : l10n.t('Your AWS SSO session has expired. Run "aws sso login" in a terminal, then try again.'),
  awsRefused: (type: string): string =>
    l10n.t('AWS refused the credentials ({0}). Check the keys or the profile in "claudeStudio.bedrock.profile"; with SSO, run "aws sso login" again.', type),
  bedrockDenied: (model: string, region: string): string =>
    l10n.t('Your AWS identity may not invoke {0} on Amazon Bedrock in {1}. Enable the model under Model access in the Bedrock console (or ask your administrator for bedrock:InvokeModel on it), or pick another model.', model, region),
  bedrockUnknownModel: (model: string, region: string): string =>
    l10n.t('Amazon Bedrock in {0} does not know the model id "{1}". Pick a model from the list, or type a Bedrock model id or inference profile id (for example us.anthropic.claude-sonnet-4-6) in "claudeStudio.model".', region, model),
  bedrockNeedsProfile: (model: string): string =>
    l10n.t('Amazon Bedrock serves {0} only through an inference profile: set "claudeStudio.bedrock.inferenceProfile" to "geo" or "global".', model),
  unknownRegion: (provider: string, region: string, setting: string, example = setting.startsWith('claudeStudio.bedrock') ? 'us-east-1' : l10n.t('us-east5 or global')): string =>
    l10n.t('{0} has no endpoint in the region "{1}". Set "{2}" to a region where it runs (for example {3}).', provider, region, setting, example),
  noAdc: (): string =>
    l10n.t('No Google application default credentials were found for Vertex AI. Run "gcloud auth application-default login" in a terminal (or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file and restart VS Code), then try again.'),
  adcExpired: (): string =>
    l10n.t('Your Google sign-in for Vertex AI has expired or was revoked. Run "gcloud auth application-default login" again, then try again.'),
  noProject: (): string =>
    l10n.t('Vertex AI needs a Google Cloud project: set "claudeStudio.vertex.projectId" in your user settings (or ANTHROPIC_VERTEX_PROJECT_ID).'),
  vertexDenied: (model: string): string =>
    l10n.t('Your Google identity may not use {0} on Vertex AI. Enable the model in Model Garden for the project and make sure you have the Vertex AI User role (roles/aiplatform.user).', model),
  vertexUnknownModel: (model: string, region: string): string =>
    l10n.t('Vertex AI has no model "{0}" in {1}. Pick another model, type its Vertex name (such as claude-haiku-4-5@20251001), or try the "global" region.', model, region),
  foundryKey: (resource: string): string =>
    l10n.t('Microsoft Foundry ({0}) refused the key. Set the key of that Foundry resource with "Claude Studio: Set API Key", or sign in with Entra ID ("claudeStudio.foundry.auth").', resource),
  foundryDenied: (resource: string): string =>
    l10n.t('Your Entra ID identity may not use the Foundry resource {0}. Ask for the "Cognitive Services User" role on it, or use the resource\'s key.', resource),
  foundryNoDeployment: (model: string, resource: string): string =>
    l10n.t('The Foundry resource {0} has no deployment named "{1}". Type the deployment\'s name in "claudeStudio.model".', resource, model),
} as const;

const DISPLAY: Readonly<Record<ProviderErrorContext['provider'], string>> = { bedrock: 'Amazon Bedrock', vertex: 'Google Vertex AI', foundry: 'Microsoft Foundry' };

/** Every message and code along the cause chain, joined. */
function chainText(err: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = err, depth = 0; typeof current === 'object' && current !== null && depth < 6; current = (current as { cause?: unknown }).cause, depth++) {
    const { message, code, name } = current as { message?: unknown; code?: unknown; name?: unknown };
    for (const part of [name, code, message]) if (typeof part === 'string') parts.push(part);
  }
  return parts.join(' | ');
}

function findInChain(err: unknown, name: string): string | undefined {
  for (let current: unknown = err, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth++) {
    if (current.name === name) return current.message;
  }
  return undefined;
}

/** Bedrock's error type from `x-amzn-ErrorType: ValidationException:http://...`. */
function awsErrorType(err: APIError): string | undefined {
  return err.headers?.get('x-amzn-errortype')?.split(':')[0] ?? undefined;
}

function apiMessage(err: APIError): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown; status?: unknown } } | undefined;
  const text = body?.message ?? body?.error?.message;
  return typeof text === 'string' ? text : err.message;
}

const auth = (message: string, detail: string): FriendlyError => ({ kind: 'auth', message, detail: detail.slice(0, 300), retryable: false, action: 'openSettings' });

export function describeProviderError(err: unknown, ctx: ProviderErrorContext): FriendlyError | undefined {
  const model = ctx.model ?? 'this model';
  const where = ctx.where ?? '';
  const text = chainText(err);
  if (err instanceof APIConnectionError) {
    if (/ENOTFOUND|EAI_AGAIN/.test(text) && ctx.provider !== 'foundry' && where !== '') {
      const setting = ctx.provider === 'bedrock' ? 'claudeStudio.bedrock.region' : 'claudeStudio.vertex.region';
      return { kind: 'connection', message: providerErrorMessages.unknownRegion(DISPLAY[ctx.provider], where, setting), detail: text.slice(0, 300), retryable: false, action: 'openSettings' };
    }
    if (ctx.provider === 'bedrock' && /SSO|sso/.test(text) && /expired|refresh|Token is expired|session/i.test(text)) return auth(providerErrorMessages.ssoExpired(ctx.profile), text);
    if (ctx.provider === 'vertex' && /Google OAuth|default credentials|invalid_grant|reauth/i.test(text)) {
      return auth(/invalid_grant|reauth|expired|revoked/i.test(text) ? providerErrorMessages.adcExpired() : providerErrorMessages.noAdc(), text);
    }
    return undefined;
  }
  // The Foundry client wraps a failed token provider in its own error, cause kept.
  const entra = findInChain(err, 'EntraTokenError');
  if (entra !== undefined) return auth(entra, entra);
  if (err instanceof Error && /No projectId was given/.test(err.message)) return { kind: 'invalidRequest', message: providerErrorMessages.noProject(), retryable: false, action: 'openSettings' };
  if (!(err instanceof APIError)) return undefined;
  const message = apiMessage(err);
  const detail = `${err.status ?? ''} ${message}`.trim();
  switch (ctx.provider) {
    case 'bedrock': {
      const type = awsErrorType(err);
      if (type === 'ExpiredTokenException') return auth(providerErrorMessages.ssoExpired(ctx.profile), detail);
      if (type === 'UnrecognizedClientException' || type === 'InvalidSignatureException' || type === 'IncompleteSignatureException') return auth(providerErrorMessages.awsRefused(type), detail);
      if (type === 'AccessDeniedException') return { kind: 'permission', message: providerErrorMessages.bedrockDenied(model, where || 'this region'), detail, retryable: false, action: 'pickModel', status: 403 };
      if (type === 'ValidationException' && /model identifier is invalid/i.test(message)) {
        return { kind: 'notFound', message: providerErrorMessages.bedrockUnknownModel(model, where || 'this region'), detail, retryable: false, action: 'pickModel', status: 400 };
      }
      if (type === 'ValidationException' && /on-demand throughput isn.t supported/i.test(message)) {
        return { kind: 'invalidRequest', message: providerErrorMessages.bedrockNeedsProfile(model), detail, retryable: false, action: 'openSettings', status: 400 };
      }
      return undefined;
    }
    case 'vertex':
      if (err.status === 401) return auth(providerErrorMessages.adcExpired(), detail);
      if (err.status === 403) return { kind: 'permission', message: providerErrorMessages.vertexDenied(model), detail, retryable: false, action: 'pickModel', status: 403 };
      if (err.status === 404 && /Publisher Model|not found/i.test(message)) {
        return { kind: 'notFound', message: providerErrorMessages.vertexUnknownModel(model, where || 'this region'), detail, retryable: false, action: 'pickModel', status: 404 };
      }
      return undefined;
    case 'foundry':
      if (err.status === 401) return { ...auth(providerErrorMessages.foundryKey(where || 'resource'), detail), action: 'setApiKey' };
      if (err.status === 403) return { kind: 'permission', message: providerErrorMessages.foundryDenied(where || 'resource'), detail, retryable: false, status: 403 };
      if (err.status === 404 && /deployment/i.test(message)) {
        return { kind: 'notFound', message: providerErrorMessages.foundryNoDeployment(model, where || 'resource'), detail, retryable: false, action: 'pickModel', status: 404 };
      }
      return undefined;
  }
}
