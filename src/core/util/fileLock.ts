/**
 * Cross-process locks for state that several VS Code windows share in global storage (batch
 * jobs, conversations). A lock is a file created with O_EXCL holding its owner's pid, host and a
 * random token; the owner touches it every `beatMs`. A lock whose owner's process is gone (same
 * host) or whose heartbeat is older than `staleMs` is taken over: one taker at a time (a
 * `.takeover` file, itself created with O_EXCL) removes it, and whoever then creates the file
 * first holds the lock. Every heartbeat re-reads the file, so an owner
 * that lost its lock (a slow machine, a takeover race) learns it and stops acting as owner.
 */
import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import { isNotFound } from './clock';
import type { Disposable } from './emitter';
import { Emitter } from './emitter';

/** The file operations a lock needs, injected so the core stays plain Node and testable. */
export interface LockFs {
  /** Creates `path` holding `text` only if it does not exist; false when it does. */
  createExclusive(path: string, text: string): Promise<boolean>;
  /** Rejects with code ENOENT when missing. */
  readFile(path: string): Promise<string>;
  /** Last heartbeat of the file (its mtime), undefined when missing. */
  heartbeat(path: string): Promise<number | undefined>;
  /** Sets the heartbeat (mtime) to `timeMs`. */
  touch(path: string, timeMs: number): Promise<void>;
  /** Succeeds when missing. */
  remove(path: string): Promise<void>;
  mkdir(dir: string): Promise<void>;
  /** This process: its pid and host, written into the locks it takes. */
  readonly self: { readonly pid: number; readonly host: string };
  /** False only when sure that no process with this pid runs on this host. */
  isAlive(pid: number): boolean;
}

export interface FileLockOptions {
  /** How often held locks are touched; 2 s unless a test says otherwise. */
  readonly beatMs?: number;
  /** A heartbeat older than this means its owner is gone; 20 s unless a test says otherwise. */
  readonly staleMs?: number;
}

interface LockInfo {
  readonly pid?: number;
  readonly host?: string;
  readonly token?: string;
}

/** What a lock file says, or {} when it is empty or garbled (a create caught between open and write). */
function parseInfo(text: string): LockInfo {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return {};
    const { pid, host, token } = value as Record<string, unknown>;
    return { ...(typeof pid === 'number' ? { pid } : {}), ...(typeof host === 'string' ? { host } : {}), ...(typeof token === 'string' ? { token } : {}) };
  } catch {
    return {};
  }
}

const NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** The locks one process (window) holds in one folder. */
export class FileLocks implements Disposable {
  private readonly held = new Map<string, string>();
  /** Acquisitions under way: a second call for the same name shares the first one's answer. */
  private readonly acquiring = new Map<string, Promise<boolean>>();
  private timer: Disposable | undefined;
  private disposed = false;
  private readonly beatMs: number;
  private readonly staleMs: number;
  private readonly _onDidLose = new Emitter<string>();
  /** A held lock was found taken by someone else: stop acting as its owner. */
  readonly onDidLose = this._onDidLose.event;

  constructor(private readonly fs: LockFs, private readonly dir: string, private readonly clock: Clock, options: FileLockOptions = {}) {
    this.beatMs = options.beatMs ?? 2_000;
    this.staleMs = options.staleMs ?? 20_000;
  }

  private path(name: string): string {
    if (!NAME.test(name)) throw new Error(`Not a valid lock name: ${name.slice(0, 80)}`);
    return `${this.dir}/${name}.lock`;
  }

  /** True while this process holds the lock (as far as it knows; the heartbeat checks). */
  holds(name: string): boolean {
    return this.held.has(name);
  }

  /** Takes the lock if it is free or stale; true when this process holds it afterwards. Never waits. */
  async tryAcquire(name: string): Promise<boolean> {
    if (this.disposed) return false;
    if (this.held.has(name)) return true;
    // Two callers in this process racing for one name would otherwise see each other's new file
    // as someone else's lock, and one of them would give up on a lock its own window holds.
    const running = this.acquiring.get(name);
    if (running !== undefined) return running;
    const attempt = this.acquire(name).finally(() => this.acquiring.delete(name));
    this.acquiring.set(name, attempt);
    return attempt;
  }

  private async acquire(name: string): Promise<boolean> {
    const file = this.path(name);
    await this.fs.mkdir(this.dir);
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = randomUUID();
      const text = JSON.stringify({ pid: this.fs.self.pid, host: this.fs.self.host, token, at: this.clock.now() });
      if (await this.fs.createExclusive(file, text)) {
        // The heartbeat in the injected clock's time (a fresh file already has the real time).
        await this.fs.touch(file, this.clock.now()).catch(() => undefined);
        this.held.set(name, token);
        this.schedule();
        return true;
      }
      const seen = await this.read(file);
      if (seen === undefined) continue; // released meanwhile: try again
      if (!(await this.isStale(file, seen))) return false;
      if (!(await this.takeOver(file, seen, text))) return false;
    }
    return false;
  }

  /**
   * Waits (polling every `stepMs`) up to `waitMs` for the lock, runs `work`, and releases it
   * unless it was held before. Rejects with LockBusyError when it stays taken.
   */
  async withLock<T>(name: string, work: () => Promise<T>, waitMs = 5_000, stepMs = 20): Promise<T> {
    const before = this.held.has(name);
    // Real time, not the injected clock: a test's frozen clock must not make this wait forever.
    const deadline = Date.now() + waitMs;
    while (!(await this.tryAcquire(name))) {
      if (this.disposed || Date.now() >= deadline) throw new LockBusyError(name);
      await new Promise<void>((resolve) => setTimeout(resolve, stepMs));
    }
    try {
      return await work();
    } finally {
      if (!before) await this.release(name);
    }
  }

  /** Checks the file still holds our token; false (and forgotten) when it does not. */
  async verify(name: string): Promise<boolean> {
    const token = this.held.get(name);
    if (token === undefined) return false;
    const info = await this.read(this.path(name));
    if (info?.token === token) return true;
    this.held.delete(name);
    this._onDidLose.fire(name);
    return false;
  }

  /** Gives the lock up (only if the file is still ours). */
  async release(name: string): Promise<void> {
    const token = this.held.get(name);
    if (token === undefined) return;
    this.held.delete(name);
    const file = this.path(name);
    const info = await this.read(file);
    if (info?.token === token) await this.fs.remove(file);
  }

  /**
   * Removes a stale lock file, as the one window allowed to: the taker creates `.takeover`
   * exclusively, so of two windows taking over at once only one removes anything, and it removes
   * the lock only if it still holds the stale token (never a lock someone just took).
   * True when the caller should try to create the lock again.
   */
  private async takeOver(file: string, stale: LockInfo, text: string): Promise<boolean> {
    const guard = `${file}.takeover`;
    if (!(await this.fs.createExclusive(guard, text))) {
      // A taker that crashed mid-takeover leaves its guard: cleared once it is stale itself.
      const other = await this.read(guard);
      if (other !== undefined && (await this.isStale(guard, other))) await this.fs.remove(guard);
      return false;
    }
    try {
      await this.fs.touch(guard, this.clock.now());
      const again = await this.read(file);
      if (again !== undefined && again.token === stale.token) await this.fs.remove(file);
    } finally {
      await this.fs.remove(guard);
    }
    return true;
  }

  private async read(file: string): Promise<LockInfo | undefined> {
    try {
      return parseInfo(await this.fs.readFile(file));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async isStale(file: string, info: LockInfo): Promise<boolean> {
    if (info.pid !== undefined && info.host === this.fs.self.host && info.pid !== this.fs.self.pid && !this.fs.isAlive(info.pid)) return true;
    const beat = await this.fs.heartbeat(file);
    return beat !== undefined && this.clock.now() - beat > this.staleMs;
  }

  private schedule(): void {
    if (this.timer !== undefined || this.disposed || this.held.size === 0) return;
    this.timer = this.clock.setTimer(() => void this.beat(), this.beatMs);
  }

  /** Touches every held lock after checking it is still ours. */
  async beat(): Promise<void> {
    this.timer = undefined;
    for (const name of [...this.held.keys()]) {
      try {
        if (await this.verify(name)) await this.fs.touch(this.path(name), this.clock.now());
      } catch {
        // A failed touch is retried next beat; staleness takes many missed beats.
      }
    }
    this.schedule();
  }

  /** Releases every lock (best effort: a window closing may not finish; then the locks go stale). */
  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
    this.timer = undefined;
    for (const name of [...this.held.keys()]) void this.release(name).catch(() => undefined);
    this._onDidLose.dispose();
  }
}

/** A lock that stayed taken by another window for as long as the caller would wait. */
export class LockBusyError extends Error {
  constructor(readonly lockName: string) {
    super(l10n.t('"{0}" is in use by another window.', lockName));
    this.name = 'LockBusyError';
  }
}

/**
 * A LockFs in memory, for one process that needs no cross-window safety (unit tests of other
 * features, and hosts that keep no shared storage). Several FileLocks over one instance still
 * exclude each other.
 */
export function memoryLockFs(self = { pid: 1, host: 'memory' }): LockFs {
  const files = new Map<string, { text: string; beat: number }>();
  const notFound = (path: string): Error => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return {
    self,
    isAlive: () => true,
    createExclusive: async (path, text) => {
      if (files.has(path)) return false;
      files.set(path, { text, beat: Date.now() });
      return true;
    },
    readFile: async (path) => {
      const file = files.get(path);
      if (file === undefined) throw notFound(path);
      return file.text;
    },
    heartbeat: async (path) => files.get(path)?.beat,
    touch: async (path, timeMs) => {
      const file = files.get(path);
      if (file !== undefined) file.beat = timeMs;
    },
    remove: async (path) => {
      files.delete(path);
    },
    mkdir: async () => undefined,
  };
}
