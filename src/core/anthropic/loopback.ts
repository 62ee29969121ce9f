/**
 * True for a host name that stays on this machine: `localhost` (and `*.localhost`), 127.0.0.0/8
 * and `::1`, as `URL.hostname` spells them.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]' || host === '::1') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}
