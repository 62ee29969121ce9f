import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { formatCompact, formatUsd, setFormatLanguage } from '../../../src/webview/format';

describe('webview number formats', () => {
  afterEach(() => setFormatLanguage('en'));

  it('prices a dollar or more to the cent, less to a hundredth of a cent', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.0123), '$0.0123');
    assert.equal(formatUsd(12.5), '$12.50');
    // The same format again (each is made once per language and number of decimals).
    assert.equal(formatUsd(0.0456), '$0.0456');
    assert.equal(formatUsd(1234.5), '$1,234.50');
  });

  it('follows the display language once set, dollars included, and falls back to English', () => {
    assert.equal(formatUsd(1234.5), '$1,234.50');
    setFormatLanguage('de');
    assert.equal(formatUsd(1234.5).replace(/\s/g, ' '), '1.234,50 $');
    assert.equal(formatUsd(0.0123).replace(/\s/g, ' '), '0,0123 $');
    assert.equal(formatCompact(12_345), '12,3k');
    setFormatLanguage('not a language!');
    assert.equal(formatUsd(1234.5), '$1,234.50');
  });
});
