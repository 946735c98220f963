// Runs async sections one at a time, in arrival order: the sections of one process that want a lock
// shared with other processes queue here, so only one of them at a time holds a connection waiting for it.
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Whether a section runs or waits now. */
  get busy(): boolean {
    return this.waiting > 0;
  }

  run<T>(section: () => Promise<T>): Promise<T> {
    this.waiting++;
    const done = () => {
      this.waiting--;
    };
    const result = this.tail.then(section, section);
    result.then(done, done);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
