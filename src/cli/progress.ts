// A progress bar for long commands, on stderr and only on a terminal: a pipe or a log file gets
// nothing from here (the command's own summary line stays on stdout). Commands call it with a total
// (when known) and tick as they go; `done` leaves the final state on its own line.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** Counts `n` more done (default 1). */
  tick(n?: number): void;
  /** Sets or changes the total (a count learned late). */
  setTotal(total: number): void;
  /** Sets how many are done of how many: the form of the stages' `onProgress(done, total)` callbacks. */
  report(done: number, total: number): void;
  /** The final line; nothing more is drawn after it. */
  done(): void;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  now?: () => number;
  /** Least time between two redraws. Default 100 ms. */
  redrawMs?: number;
}

const silent: Progress = { tick() {}, setTotal() {}, report() {}, done() {} };

function rateText(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '';
  return perSecond >= 10 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
}

/** The bar's text for a state: `label [#####-----] 12/185 6.1/s` (no bar without a total). */
export function progressLine(label: string, done: number, total: number | undefined, elapsedMs: number, width = 20): string {
  const rate = rateText(done / Math.max(elapsedMs / 1000, 0.001));
  if (total === undefined || total <= 0) return [label, `${done}`, rate].filter(Boolean).join(' ');
  const share = Math.min(1, done / total);
  const filled = Math.round(share * width);
  return [label, `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`, `${done}/${total}`, rate].filter(Boolean).join(' ');
}

export function startProgress(label: string, total?: number, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!stream.isTTY) return silent;
  const now = options.now ?? Date.now;
  const redrawMs = options.redrawMs ?? 100;
  const started = now();
  let count = 0;
  let lastDraw = -Infinity;
  let finished = false;
  const draw = (force: boolean) => {
    const at = now();
    if (!force && at - lastDraw < redrawMs) return;
    lastDraw = at;
    const line = progressLine(label, count, total, at - started);
    // \r and erase-line: the bar is redrawn in place rather than scrolled.
    stream.write(`\r\x1b[2K${stream.columns ? line.slice(0, stream.columns - 1) : line}`);
  };
  draw(true);
  return {
    tick(n = 1) {
      if (finished) return;
      count += n;
      draw(total !== undefined && count >= total);
    },
    setTotal(value) {
      total = value;
      if (!finished) draw(true);
    },
    report(doneCount, value) {
      if (finished) return;
      const changed = value !== total;
      count = doneCount;
      total = value;
      draw(changed || count >= value);
    },
    done() {
      if (finished) return;
      finished = true;
      draw(true);
      stream.write('\n');
    },
  };
}
