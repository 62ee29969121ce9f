/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1, made with openssl at
 * test time (never committed), for tests of HTTPS through proxies and of `NODE_EXTRA_CA_CERTS`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** The CA certificate (PEM) and where it is on disk (for NODE_EXTRA_CA_CERTS). */
  readonly ca: string;
  readonly caFile: string;
  /** The server's key and certificate (PEM), signed by the CA, for IP 127.0.0.1. */
  readonly key: string;
  readonly cert: string;
}

/** Writes a CA and a 127.0.0.1 certificate it signed into `dir/name`; throws when openssl is missing. */
export function makeTestCertificates(dir: string, name: string): TestCertificates {
  const where = join(dir, name);
  mkdirSync(where, { recursive: true });
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: where, stdio: 'ignore' });
  };
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', `/CN=Claude Studio Test CA ${name}`);
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(where, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf');
  const read = (file: string): string => readFileSync(join(where, file), 'utf8');
  return { ca: read('ca.pem'), caFile: join(where, 'ca.pem'), key: read('server.key'), cert: read('server.pem') };
}
