/** Lifecycle and the programmatic API of the test server. */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ServerClock } from './clock';
import type { ControlApi } from './control';
import { handleRequest } from './router';
import { resolveResponder } from './script';
import { createState, DEFAULT_API_KEY } from './state';
import type { FaultSpec, RequestRecord, Responder, ResponderName, ScriptedReply, TestServerOptions } from './types';

export interface TestServer extends ControlApi {
  /** `http://127.0.0.1:PORT` (`https://` with the `tls` option), usable as the SDK's baseURL. */
  readonly url: string;
  readonly port: number;
  /** A key the server accepts: the expected one, or 'test-key' when any key is accepted. */
  readonly apiKey: string;
  /** Queues replies; each is used once, by the first request its `when` accepts. */
  script(...replies: ScriptedReply[]): void;
  /** Fallback for requests no queued reply matches. */
  setResponder(responder: Responder | ResponderName): void;
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  readonly records: readonly RequestRecord[];
  clearRecords(): void;
  messageRequests(): RequestRecord[];
  /** Bedrock Runtime requests (`/model/{id}/invoke*`), refused ones included. */
  bedrockRequests(): RequestRecord[];
  countTokensRequests(): RequestRecord[];
  batchRequests(): RequestRecord[];
  lastRecord(): RequestRecord | undefined;
  readonly clock: ServerClock;
  /** Number of live-or-expired entries in the simulated prompt cache. */
  cacheEntries(): number;
  /** Clears script, faults, records, prompt cache, batches and restores the initial responder (the clock keeps its time). */
  reset(): void;
  /** Ends every connection (stalled streams included) and resolves once the port is closed. */
  close(): Promise<void>;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const shutdown = new AbortController();
  const state = createState(opts, shutdown.signal);
  const sockets = new Set<Socket>();
  let closing: Promise<void> | undefined;
  let port = 0;
  const api: TestServer = {
    get url() {
      return state.baseUrl;
    },
    get port() {
      return port;
    },
    apiKey: state.options.apiKey ?? DEFAULT_API_KEY,
    script: (...replies) => state.script.push(...replies),
    setResponder: (responder) => state.script.setResponder(resolveResponder(responder)),
    fault: (spec) => state.faults.add(spec),
    clearFaults: () => state.faults.clear(),
    get records() {
      return state.records.all;
    },
    clearRecords: () => state.records.clear(),
    messageRequests: () => state.records.byPath('POST', '/v1/messages'),
    bedrockRequests: () => state.records.all.filter((r) => r.path.startsWith('/model/')),
    countTokensRequests: () => state.records.byPath('POST', '/v1/messages/count_tokens'),
    batchRequests: () => state.records.all.filter((r) => r.path.startsWith('/v1/messages/batches')),
    lastRecord: () => state.records.all[state.records.all.length - 1],
    clock: state.clock,
    cacheEntries: () => state.cache.size,
    reset: () => {
      state.script.reset();
      state.faults.clear();
      state.records.clear();
      state.cache.clear();
      state.batches.clear();
      state.rateLimits.clear();
    },
    close: () => (closing ??= closeServer()),
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void handleRequest(state, api, req, res);
  };
  const server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that vanishes mid-request must not take the process down.
  server.on('clientError', (_error, socket) => socket.destroy());

  async function closeServer(): Promise<void> {
    shutdown.abort();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  state.baseUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  return api;
}
