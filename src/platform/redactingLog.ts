import type * as vscode from 'vscode';
import { redactSecrets } from '../core/anthropic/redact';

type TextMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'append' | 'appendLine' | 'replace';
const TEXT_METHODS: ReadonlySet<string | symbol> = new Set<TextMethod>(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

function redactArg(arg: unknown): unknown {
  if (typeof arg === 'string') return redactSecrets(arg);
  // An Error's message and stack can echo request headers; the log gets the redacted text.
  if (arg instanceof Error) return redactSecrets(arg.stack ?? `${arg.name}: ${arg.message}`);
  return arg;
}

/**
 * The output channel with every line redacted before it is written: the log is the one place
 * every feature writes to, so no call site has to remember the key in use.
 */
export function redactingLog(log: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(log, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!TEXT_METHODS.has(property)) return (value as (...args: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => (value as (...args: unknown[]) => unknown).apply(target, args.map(redactArg));
    },
  });
}
