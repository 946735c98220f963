// A short-lived cache of rendered pages. Hot pages (the front page) are rebuilt at most once per
// TTL under load; the desk clears it after every decision so an editor sees the effect at once.
export class PageCache {
  private entries = new Map<string, { at: number; body: string }>();
  private pending = new Map<string, Promise<string>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 500,
  ) {}

  async get(key: string, render: () => Promise<string>): Promise<string> {
    if (this.ttlMs <= 0) return render();
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.body;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const promise = render()
      .then((body) => {
        if (generation === this.generation) {
          if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
          this.entries.set(key, { at: Date.now(), body });
        }
        return body;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
  }
}
