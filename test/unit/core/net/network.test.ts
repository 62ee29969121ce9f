import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NETWORK, parseNetworkSettings, safeProxyText, trustedCertificates } from '../../../../src/core/net/network';

const parse = (values: Record<string, unknown>): ReturnType<typeof parseNetworkSettings> => parseNetworkSettings((key) => values[key]);

describe('network settings', () => {
  it('defaults: no proxy of its own, strict SSL, no bypass list', () => {
    assert.deepEqual(parse({}), { settings: DEFAULT_NETWORK, problems: [] });
  });

  it('reads http.proxy, noProxy, proxyStrictSSL, proxyAuthorization and proxySupport off', () => {
    const { settings, problems } = parse({
      proxy: ' http://proxy.corp:3128 ',
      noProxy: ['localhost', ' .corp ', ''],
      proxyStrictSSL: false,
      proxyAuthorization: 'Basic abc',
      proxySupport: 'off',
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, { proxy: 'http://proxy.corp:3128', noProxy: ['localhost', '.corp'], proxyStrictSSL: false, proxyAuthorization: 'Basic abc', proxyOff: true });
  });

  it('a proxy that is not an http(s) URL is ignored with a message that has no password in it', () => {
    const { settings, problems } = parse({ proxy: 'socks5://me:hunter2-secret@proxy.corp:1080' });
    assert.equal(settings.proxy, '');
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /"http\.proxy" \(socks5:\/\/proxy\.corp:1080\) is not an http:\/\/ or https:\/\/ proxy URL/);
    assert.ok(!(problems[0] ?? '').includes('hunter2'));
  });

  it('a noProxy that is not a list of strings keeps its strings and says so', () => {
    const { settings, problems } = parse({ noProxy: ['a.corp', 3] });
    assert.deepEqual(settings.noProxy, ['a.corp']);
    assert.equal(problems.length, 1);
  });

  it('safeProxyText drops credentials', () => {
    assert.equal(safeProxyText('http://user:pw@proxy.corp:8080/'), 'http://proxy.corp:8080');
  });

  it('trusts the system store on top of the default one where Node can read it, else keeps Node\'s default', () => {
    const source = { getCACertificates: (type: 'default' | 'system') => (type === 'default' ? ['A', 'B'] : ['B', 'SYS']) };
    assert.deepEqual(trustedCertificates(source), ['A', 'B', 'SYS']);
    assert.equal(trustedCertificates({}), undefined);
  });
});
