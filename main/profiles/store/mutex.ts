/**
 * A promise-chain mutex: the single writer inside one process. Every ProfileStore operation runs
 * through it, so concurrent calls (two IPC handlers, an import during an edit) are serialised in
 * call order. It owns nothing else; the cross-process side is file-lock.ts.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled; a failure does not block the queue. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
