/**
 * A tiny HTTP CONNECT proxy on 127.0.0.1 for tests of proxy support: it tunnels to loopback ports
 * only, logs every request line it sees (`CONNECT 127.0.0.1:PORT`) and can ask for a
 * `Proxy-Authorization` value, answering 407 without it, as a corporate proxy does.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';

export interface ConnectProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** One line per request: `CONNECT host:port`, or `GET http://...` for a plain request (refused). */
  readonly log: readonly string[];
  /**
   * The local port of each tunnel's connection to its target: the port the target sees the client
   * on, so a server's request record (`remotePort`) shows whether the request came through here.
   */
  readonly tunnelPorts: ReadonlySet<number>;
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** The exact `Proxy-Authorization` value required; without it every tunnel gets 407. */
  readonly authorization?: string;
}

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])$/i;

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const log: string[] = [];
  const tunnelPorts = new Set<number>();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    log.push(`${req.method ?? 'GET'} ${req.url ?? ''}`);
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('This test proxy only tunnels (CONNECT).');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    log.push(`CONNECT ${target}`);
    client.on('error', () => undefined);
    if (options.authorization !== undefined && req.headers['proxy-authorization'] !== options.authorization) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const colon = target.lastIndexOf(':');
    const host = target.slice(0, colon);
    const port = Number(target.slice(colon + 1));
    // Loopback only: this proxy must never reach past the machine.
    if (!LOOPBACK.test(host) || !Number.isInteger(port) || port <= 0) {
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      if (upstream.localPort !== undefined) tunnelPorts.add(upstream.localPort);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    tunnelPorts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
