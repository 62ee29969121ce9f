/**
 * AWS Signature Version 4 checked the way AWS checks it: the server rebuilds the canonical request
 * from what arrived (method, path, query, the signed headers, the body's hash), derives the signing
 * key from the secret it holds for the access key id, and compares signatures. Written from the
 * SigV4 specification, not with the client's signer, so a signing mistake shows.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface AwsTestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When set, requests must carry it in x-amz-security-token. */
  readonly sessionToken?: string;
  /** Requests signed with it answer 403 ExpiredTokenException (an SSO session that ran out). */
  readonly expired?: boolean;
}

/** Why a signature was refused, as Bedrock names it. */
export type SigV4Failure =
  | { type: 'MissingAuthenticationTokenException'; message: string }
  | { type: 'IncompleteSignatureException'; message: string }
  | { type: 'UnrecognizedClientException'; message: string }
  | { type: 'InvalidSignatureException'; message: string }
  | { type: 'ExpiredTokenException'; message: string };

export interface SigV4Request {
  method: string;
  /** The raw path as it arrived (still percent-encoded), without the query. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SigV4Result {
  accessKeyId: string;
  region: string;
  service: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;._-]+), ?Signature=([0-9a-f]{64})$/;
/** AWS refuses a request signed more than 15 minutes away from its own time. */
const MAX_SKEW_MS = 15 * 60_000;

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Non-S3 services encode each path segment once more, on top of the client's own encoding. */
function canonicalPath(rawPath: string): string {
  return rawPath.split('/').map(uriEncode).join('/') || '/';
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs: [string, string][] = [];
  query.forEach((value, key) => pairs.push([uriEncode(key), uriEncode(value)]));
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20261205T120000Z` → epoch ms. */
function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/**
 * Checks `req`'s SigV4 signature for `service`, in `region` when one is given (any otherwise).
 * Returns the signer, or the failure AWS would answer with.
 */
export function verifySigV4(
  req: SigV4Request,
  options: { credentials: readonly AwsTestCredentials[]; service: string; region: string | null; now?: number },
): SigV4Result | SigV4Failure {
  const authorization = headerValue(req.headers, 'authorization');
  if (authorization === undefined) {
    return { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  }
  const parts = AUTH.exec(authorization);
  if (!parts) {
    return {
      type: 'IncompleteSignatureException',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, signed with AWS4-HMAC-SHA256. Authorization=${authorization.split(' ')[0] ?? ''}`,
    };
  }
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaderList = '', signature = ''] = parts;
  const amzDate = headerValue(req.headers, 'x-amz-date') ?? '';
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date') || !amzDate.startsWith(date)) {
    return { type: 'IncompleteSignatureException', message: 'The request signature must sign the host and x-amz-date headers, and the credential scope must carry the date of x-amz-date.' };
  }
  const credentials = options.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (credentials === undefined) {
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  if (service !== options.service || (options.region !== null && region !== options.region)) {
    return {
      type: 'InvalidSignatureException',
      message: `Credential should be scoped to correct service: '${options.service}'${options.region !== null ? ` and region '${options.region}'` : ''}.`,
    };
  }
  const skew = Math.abs((options.now ?? Date.now()) - parseAmzDate(amzDate));
  if (!(skew <= MAX_SKEW_MS)) {
    return { type: 'InvalidSignatureException', message: `Signature expired: ${amzDate} is now earlier or later than the server time by more than 15 minutes.` };
  }
  const token = headerValue(req.headers, 'x-amz-security-token');
  if (credentials.sessionToken !== undefined && token !== credentials.sessionToken) {
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const bodyHash = sha256Hex(Buffer.from(req.body, 'utf8'));
  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(headerValue(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [req.method, canonicalPath(req.rawPath), canonicalQuery(req.query), canonicalHeaders, signedHeaderList, declaredHash ?? bodyHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const wrongHash = declaredHash !== undefined && declaredHash !== bodyHash;
  if (wrongHash || !timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return {
      type: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  if (credentials.expired === true) {
    return { type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };
  }
  return { accessKeyId, region, service };
}

export function isSigV4Failure(result: SigV4Result | SigV4Failure): result is SigV4Failure {
  return 'type' in result;
}
