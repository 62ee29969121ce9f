/**
 * A stand-in for the Compute Engine metadata server on 127.0.0.1, so Google application default
 * credentials (google-auth-library's Compute client, as on a GCE VM, Cloud Run or Cloud Workstations)
 * work without any network: point `GCE_METADATA_HOST` at {@link GceMetadataServer.host}.
 *
 * It answers as the real one does (https://cloud.google.com/compute/docs/metadata/querying-metadata):
 * only requests with `Metadata-Flavor: Google` (403 otherwise), every response with that header,
 * `instance/service-accounts/default/token` as `{access_token, expires_in, token_type}`, the project
 * id and the account's email as text, 404 for anything else. The token it hands out can be changed
 * (a revoked or stale token for tests of the 401 path).
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface GceMetadataOptions {
  /** The access token handed out. Default 'test-vertex-token' (what the Vertex front accepts). */
  readonly token?: string;
  /** Default 'test-project'. */
  readonly projectId?: string;
  /** Default 'claude-studio-test@test-project.iam.gserviceaccount.com'. */
  readonly email?: string;
}

export interface GceMetadataServer {
  /** `127.0.0.1:PORT`, the form `GCE_METADATA_HOST` takes. */
  readonly host: string;
  /** The access token the next token request gets. */
  token: string;
  /** One line per request: `GET /computeMetadata/v1/...` with the status. */
  readonly log: readonly string[];
  /** How many access tokens were handed out. */
  tokensIssued(): number;
  close(): Promise<void>;
}

const BASE = '/computeMetadata/v1/';

export async function startGceMetadata(options: GceMetadataOptions = {}): Promise<GceMetadataServer> {
  const projectId = options.projectId ?? 'test-project';
  const email = options.email ?? 'claude-studio-test@test-project.iam.gserviceaccount.com';
  const log: string[] = [];
  const sockets = new Set<Socket>();
  let issued = 0;
  const api: GceMetadataServer = {
    host: '',
    token: options.token ?? 'test-vertex-token',
    log,
    tokensIssued: () => issued,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metadata.google.internal');
    const reply = (status: number, type: string, body: string): void => {
      log.push(`${req.method ?? 'GET'} ${url.pathname} ${status}`);
      res.writeHead(status, { 'content-type': type, 'metadata-flavor': 'Google', server: 'Metadata Server for VM' });
      res.end(body);
    };
    if (req.headers['metadata-flavor'] !== 'Google') return reply(403, 'text/html', 'Missing Metadata-Flavor:Google header.');
    if (req.method !== 'GET') return reply(405, 'text/html', 'Method not allowed');
    // Directory listings with or without the trailing slash, as the real server answers `instance`.
    const key = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length).replace(/\/$/, '') : undefined;
    switch (key) {
      case 'instance':
        return reply(200, 'application/text', 'attributes/\nhostname\nid\nservice-accounts/\nzone\n');
      case 'instance/service-accounts/default/token':
        issued++;
        return reply(200, 'application/json', JSON.stringify({ access_token: api.token, expires_in: 3599, token_type: 'Bearer' }));
      case 'instance/service-accounts/default/email':
        return reply(200, 'application/text', email);
      case 'project/project-id':
        return reply(200, 'application/text', projectId);
      case 'universe/universe-domain':
        return reply(200, 'application/text', 'googleapis.com');
      default:
        return reply(404, 'text/html', 'Not Found');
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  (api as { host: string }).host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
