/** Watches fsync: which files and folders a piece of work synced, by inode. */
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { mock } from 'node:test';

/**
 * The inodes fsynced while `work` ran: every FileHandle.sync() is watched (`anyDir` is any
 * folder, to reach FileHandle's prototype). An inode tells a file or folder apart from a temp
 * (a rename or a link keeps it).
 */
export async function fsynced(anyDir: string, work: () => Promise<void>): Promise<Set<number>> {
  const probe = await open(anyDir, 'r');
  const proto = Object.getPrototypeOf(probe) as { sync(this: FileHandle): Promise<void> };
  await probe.close();
  const original = proto.sync;
  const inodes = new Set<number>();
  const spy = mock.method(proto, 'sync', async function (this: FileHandle): Promise<void> {
    inodes.add((await this.stat()).ino);
    return original.call(this);
  });
  try {
    await work();
  } finally {
    spy.mock.restore();
  }
  return inodes;
}

export const inode = (path: string): number => statSync(path).ino;
