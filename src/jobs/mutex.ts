// Runs async sections one at a time, in arrival order. Curation of one article reads and writes the
// stories it may join; running those sections one by one keeps two same-story articles from each
// opening a story of their own.
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section, section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
