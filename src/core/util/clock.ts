import type { Disposable } from './emitter';

/** Time and timers, injected so tests can drive timing (batching, polling) with a fake clock. */
export interface Clock {
  now(): number;
  /** Calls `callback` once after `ms`; disposing the result cancels it. */
  setTimer(callback: () => void, ms: number): Disposable;
}

/** The real clock. Timers are unref'd: a pending timer must not keep Node alive on exit. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return { dispose: () => clearTimeout(handle) };
  },
};

/** True when a file-system error means "no such file or folder" (node:fs or vscode.FileSystemError). */
export function isNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === 'ENOENT' || error.code === 'FileNotFound';
}
