/**
 * Standalone server: `node --import tsx test/server/cli.ts [--port N] [--demo] [--latency ms] [--api-key KEY] [--auth-header any|x-api-key|bearer]`.
 * Prints one JSON line `{"url": ..., "pid": ...}` once listening, serves until SIGTERM/SIGINT.
 * Control endpoints are on, and any non-empty key is accepted unless --api-key is given.
 */
import { startTestServer } from './server';
import type { GatewayAuthHeader, TestServerOptions } from './types';

function gatewayAuthHeader(value: string): GatewayAuthHeader {
  if (value === 'any' || value === 'x-api-key' || value === 'bearer') return value;
  throw new Error(`--auth-header must be any, x-api-key or bearer, got ${value}`);
}

function parseArgs(argv: readonly string[]): TestServerOptions {
  const options: TestServerOptions = { control: true, apiKey: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    const number = (): number => {
      const parsed = Number(value());
      if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${arg} needs a non-negative integer`);
      return parsed;
    };
    if (arg === '--port') options.port = number();
    else if (arg === '--latency') options.latencyMs = number();
    else if (arg === '--demo') options.responder = 'demo';
    else if (arg === '--api-key') options.apiKey = value();
    else if (arg === '--auth-header') options.authHeader = gatewayAuthHeader(value());
    else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  options.log = (line) => process.stderr.write(`${line}\n`);
  const server = await startTestServer(options);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`test server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
