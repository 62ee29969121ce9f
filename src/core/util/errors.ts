import { redactSecrets } from '../anthropic/redact';

/**
 * The message of a thrown value, whatever was thrown, with secrets redacted: these messages are
 * stored (batch journal, recipe steps) and shown (notifications, the log).
 */
export function errorMessage(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error));
}
