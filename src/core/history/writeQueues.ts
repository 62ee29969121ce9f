/**
 * Per-key FIFO queues of async tasks. Each log (and the index) gets its own key, so appends to one
 * file never interleave or reorder, while different files are written in parallel.
 */
export class WriteQueues {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it under `key`; a failed task does not block later ones. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget settled queues so a long session does not keep one entry per conversation ever touched.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when everything queued under `key` so far has settled. */
  idle(key: string): Promise<void> {
    return this.tails.get(key) ?? Promise.resolve();
  }

  /** Resolves when every queue is empty, including tasks queued while waiting. */
  async idleAll(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }
}
