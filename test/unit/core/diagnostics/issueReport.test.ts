import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forgetSecrets, rememberSecrets } from '../../../../src/core/anthropic/redact';
import type { ReportInput, ReportSettings } from '../../../../src/core/diagnostics/issueReport';
import { buildIssueReport, cleanLogTail, urlHost } from '../../../../src/core/diagnostics/issueReport';

const KEY = 'sk-ant-api03-reportTestKey0123456789abcdef';
const GATEWAY_KEY = 'corp-gateway-credential-42';

const settings: ReportSettings = {
  model: 'claude-sonnet-5-5',
  baseUrlHost: urlHost('https://user:pw@gateway.example.com:8443/v1?token=abc'),
  customHeaderCount: 2,
  allowInsecureHttp: false,
  maxTokens: 8192,
  cacheTtl: 'auto',
  thinking: { mode: 'enabled', budgetTokens: 4096, effort: null },
  request: { timeoutSeconds: 600, maxRetries: 2, stallTimeoutSeconds: 60 },
  batch: { concurrency: 4, maxTokens: 4096, pollMinSeconds: 5, pollMaxSeconds: 60, savedPromptCount: 1 },
};

function entry(i: number, text: string): string {
  return `2026-12-04 18:40:${String(i % 60).padStart(2, '0')}.123 [info] ${text}`;
}

function input(log: ReportInput['log']): ReportInput {
  return {
    extensionId: 'claude-studio.claude-studio',
    extensionVersion: '0.1.0',
    vscodeVersion: '1.139.0',
    uiKind: 'web',
    sdkVersion: '1.12.0',
    os: 'linux x64 6.1.0',
    settings,
    keySource: 'keychain',
    workspaceTrusted: true,
    log,
  };
}

describe('issue report', () => {
  it('keeps only the host of baseURL: no credentials, path or query', () => {
    assert.equal(urlHost('https://user:pw@gateway.example.com:8443/v1?token=abc'), 'gateway.example.com:8443');
    assert.equal(urlHost(''), undefined);
    assert.equal(urlHost('not a url'), '(not a valid URL)');
  });

  it('has the versions, OS, settings and whether a key is set, never the key', async () => {
    rememberSecrets([KEY]);
    try {
      const report = await buildIssueReport(input({ text: `${entry(1, 'Request failed: 401 invalid x-api-key')}\n` }));
      for (const expected of ['claude-studio.claude-studio 0.1.0', '1.139.0 (web)', '@anthropic-ai/sdk | 1.12.0', 'linux x64 6.1.0', 'set (keychain)', 'claude-sonnet-5-5', 'baseURL host gateway.example.com:8443', '2 set (names and values left out)', 'enabled, budget 4096', 'concurrency 4, maxTokens 4096, poll 5-60s, 1 saved prompt']) {
        assert.ok(report.markdown.includes(expected), `missing ${expected}`);
      }
      assert.ok(!report.markdown.includes(KEY));
      assert.ok(!report.markdown.includes('user:pw') && !report.markdown.includes('token=abc'));
      assert.ok(report.data.includes('1.139.0') && !report.data.includes('[info]'), 'the reporter data is the system part alone');
      assert.ok(report.body.includes('[info] Request failed') && !report.body.includes('1.139.0'), 'the reporter body is what happened and the log');
      assert.ok(!report.body.includes(KEY) && !report.data.includes(KEY));
    } finally {
      forgetSecrets();
    }
  });

  it('names Bedrock with its region, the auth header and whether a proxy is used, never the proxy address', async () => {
    const report = await buildIssueReport({ ...input({ text: '' }), settings: { ...settings, provider: { id: 'bedrock', region: 'eu-west-1' }, authHeader: 'x-api-key', proxy: true } });
    const vertex = await buildIssueReport({ ...input({ text: '' }), settings: { ...settings, provider: { id: 'vertex', region: 'us-east5' } } });
    assert.ok(vertex.markdown.includes('Google Vertex AI (us-east5)'), 'Vertex with its region');
    for (const expected of ['Amazon Bedrock (eu-west-1)', '| `authHeader` | x-api-key |', '| `proxy` | through a proxy |']) {
      assert.ok(report.markdown.includes(expected), `missing ${expected}`);
    }
  });

  it('carries the newest 200 log lines, with keys, tokens and other secrets removed', async () => {
    rememberSecrets([GATEWAY_KEY]);
    try {
      const lines = Array.from({ length: 250 }, (_, i) => entry(i, `line ${i}`));
      lines.push(entry(250, `echo Authorization: Bearer ${GATEWAY_KEY}`));
      lines.push(entry(251, `key ${KEY} in an error`));
      // Split, so the repository holds no token-shaped string.
      const githubToken = ['ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('');
      lines.push(entry(252, `token = "${githubToken}"`));
      const report = await buildIssueReport(input({ text: lines.join('\n') }));
      assert.ok(!report.markdown.includes('line 52\n'), 'older lines are left out');
      assert.ok(report.markdown.includes('line 53') && report.markdown.includes('line 249'));
      assert.ok(!report.markdown.includes(GATEWAY_KEY));
      assert.ok(!report.markdown.includes(KEY));
      assert.ok(!report.markdown.includes(githubToken), 'the egress content scan runs on the log too');
      assert.match(report.markdown, /\[line removed by Claude Studio: it looked like a secret\]/);
    } finally {
      forgetSecrets();
    }
  });

  it('leaves out the continuation lines of multi-line entries, where file contents would be, and cuts long lines', () => {
    const text = [entry(1, 'Added context'), 'const password = readFile();', '  more file text', entry(2, `long ${'x'.repeat(1000)}`)].join('\n');
    const { lines, dropped } = cleanLogTail(text);
    assert.equal(dropped, 2);
    assert.equal(lines.length, 2);
    assert.ok(!lines.join('\n').includes('readFile'));
    assert.ok((lines[1] ?? '').length < 420 && (lines[1] ?? '').endsWith('…(cut)'));
  });

  it('says why when the log cannot be read, and when it is empty', async () => {
    assert.match((await buildIssueReport(input({ unavailable: 'ENOENT' }))).markdown, /The log could not be read: ENOENT/);
    assert.match((await buildIssueReport(input({ text: '' }))).markdown, /The log is empty\./);
  });
});
