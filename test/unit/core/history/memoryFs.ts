import type { HistoryFs } from '../../../../src/core/history/historyPorts';
import type { Disposable } from '../../../../src/core/util/emitter';

/** One call the fake file system saw, for tests that check what was (not) done. */
export interface FsOp {
  readonly op: 'appendFile' | 'readFile' | 'readdir' | 'unlink' | 'mkdir' | 'stat';
  readonly path: string;
  readonly bytes?: number;
}

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: 'ENOENT' });
}

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/'));

/**
 * An in-memory HistoryFs that behaves like node:fs where history relies on it (ENOENT codes,
 * appending into a missing folder fails) and records every call. `guard` can veto a call.
 */
export class MemoryFs implements HistoryFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  readonly ops: FsOp[] = [];
  guard?: (op: FsOp, exists: boolean) => void;

  private check(op: FsOp): void {
    this.ops.push(op);
    this.guard?.(op, this.files.has(op.path));
  }

  async appendFile(path: string, text: string): Promise<void> {
    this.check({ op: 'appendFile', path, bytes: text.length });
    if (!this.dirs.has(parentOf(path))) throw notFound(path);
    this.files.set(path, (this.files.get(path) ?? '') + text);
  }

  async readFile(path: string): Promise<string> {
    this.check({ op: 'readFile', path });
    const text = this.files.get(path);
    if (text === undefined) throw notFound(path);
    return text;
  }

  async readdir(dir: string): Promise<string[]> {
    this.check({ op: 'readdir', path: dir });
    if (!this.dirs.has(dir)) throw notFound(dir);
    const names = [...this.files.keys()].filter((path) => parentOf(path) === dir).map((path) => path.slice(dir.length + 1));
    const subdirs = [...this.dirs].filter((path) => parentOf(path) === dir).map((path) => path.slice(dir.length + 1));
    return [...names, ...subdirs];
  }

  async unlink(path: string): Promise<void> {
    this.check({ op: 'unlink', path });
    if (!this.files.delete(path)) throw notFound(path);
  }

  async mkdir(dir: string): Promise<void> {
    this.check({ op: 'mkdir', path: dir });
    for (let path = dir; path !== ''; path = parentOf(path)) this.dirs.add(path);
  }

  async stat(path: string): Promise<{ size: number; mtimeMs: number }> {
    this.check({ op: 'stat', path });
    const text = this.files.get(path);
    if (text === undefined) throw notFound(path);
    return { size: text.length, mtimeMs: 0 };
  }

  opsOn(predicate: (path: string) => boolean): FsOp[] {
    return this.ops.filter((op) => predicate(op.path));
  }
}

/** node:fs behind the same interface, for timing real disk reads. */
export { nodeHistoryFs as nodeFs } from '../../../../src/platform/nodeHistoryFs';

/** A clock whose timers run only when the test advances time. */
export class FakeClock {
  time = 0;
  private timers: { at: number; callback: () => void; live: boolean }[] = [];

  now = (): number => this.time;

  setTimer = (callback: () => void, ms: number): Disposable => {
    const timer = { at: this.time + ms, callback, live: true };
    this.timers.push(timer);
    return { dispose: () => (timer.live = false) };
  };

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.time = due.at;
      due.live = false;
      due.callback();
    }
    this.time = end;
    this.timers = this.timers.filter((t) => t.live);
  }

  get pending(): number {
    return this.timers.filter((t) => t.live).length;
  }
}
