import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { forgetSecrets, rememberSecrets } from '../../../src/core/anthropic/redact';
import { redactingLog } from '../../../src/platform/redactingLog';

describe('redactingLog', () => {
  it('redacts every line written through it, strings and Errors, and passes other members through', () => {
    const lines: unknown[][] = [];
    const channel = {
      name: 'Claude Studio',
      error: (...args: unknown[]) => lines.push(args),
      info: (...args: unknown[]) => lines.push(args),
      show(this: { name: string }) {
        return this.name;
      },
    };
    rememberSecrets(['corp-gateway-key-123']);
    try {
      const log = redactingLog(channel as unknown as vscode.LogOutputChannel);
      log.info('Request failed: corp-gateway-key-123');
      log.error(new Error('echo Authorization: Bearer corp-gateway-key-123'));
      assert.equal(log.name, 'Claude Studio');
      log.show();
      assert.equal(lines.length, 2);
      assert.equal(lines[0]?.[0], 'Request failed: [redacted]');
      assert.ok(!String(lines[1]?.[0]).includes('corp-gateway-key-123'));
    } finally {
      forgetSecrets();
    }
  });
});
