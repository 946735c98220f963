// The scorers of the extraction benchmarks, ported from their READMEs in ../shared/bench.

function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

function shingles(text: string): Map<string, number> {
  const words = tokens(text);
  const counts = new Map<string, number>();
  if (words.length === 0) return counts;
  if (words.length < 4) {
    counts.set(words.join('\u0001'), 1);
    return counts;
  }
  for (let i = 0; i + 4 <= words.length; i++) {
    const key = words.slice(i, i + 4).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface ShingleScore { precision: number | null; recall: number | null; exact: boolean }

/** One document of the Scrapinghub article-body benchmark: normalized shingle tp/fp/fn. */
export function shingleScore(expected: string, predicted: string): ShingleScore {
  const truth = shingles(expected);
  const pred = shingles(predicted);
  let tp = 0, fp = 0, fn = 0;
  for (const key of new Set([...truth.keys(), ...pred.keys()])) {
    const t = truth.get(key) ?? 0;
    const p = pred.get(key) ?? 0;
    tp += Math.min(t, p);
    fp += Math.max(0, p - t);
    fn += Math.max(0, t - p);
  }
  const sum = tp + fp + fn;
  if (sum > 0) { tp /= sum; fp /= sum; fn /= sum; }
  let precision: number | null;
  let recall: number | null;
  if (fp === 0 && fn === 0) { precision = 1; recall = 1; }
  else {
    precision = tp + fp === 0 ? null : tp / (tp + fp);
    recall = tp + fn === 0 ? null : tp / (tp + fn);
    if (tp === 0 && fp === 0) precision = 0;
    if (tp === 0 && fn === 0) recall = 0;
  }
  const a = tokens(expected), b = tokens(predicted);
  const exact = a.length === b.length && a.every((w, i) => w === b[i]);
  return { precision, recall, exact };
}

export function corpusShingleF1(scores: ShingleScore[]): { f1: number; precision: number; recall: number; accuracy: number } {
  const ps = scores.map((s) => s.precision).filter((v): v is number => v !== null);
  const rs = scores.map((s) => s.recall).filter((v): v is number => v !== null);
  const precision = ps.reduce((a, b) => a + b, 0) / Math.max(1, ps.length);
  const recall = rs.reduce((a, b) => a + b, 0) / Math.max(1, rs.length);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { f1, precision, recall, accuracy: scores.filter((s) => s.exact).length / Math.max(1, scores.length) };
}

export interface SegmentCounts { tp: number; fn: number; fp: number; tn: number }

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** One document of trafilatura-eval: which must-have / must-not-have segments occur in the output. */
export function segmentCounts(output: string, withSegments: string[], withoutSegments: string[]): SegmentCounts {
  const text = squash(output);
  const counts = { tp: 0, fn: 0, fp: 0, tn: 0 };
  for (const s of withSegments) text.includes(squash(s)) ? counts.tp++ : counts.fn++;
  for (const s of withoutSegments) text.includes(squash(s)) ? counts.fp++ : counts.tn++;
  return counts;
}

export function segmentF(all: SegmentCounts[]): { f: number; precision: number; recall: number; accuracy: number } {
  const t = all.reduce((a, c) => ({ tp: a.tp + c.tp, fn: a.fn + c.fn, fp: a.fp + c.fp, tn: a.tn + c.tn }), { tp: 0, fn: 0, fp: 0, tn: 0 });
  return {
    f: (2 * t.tp) / (2 * t.tp + t.fp + t.fn),
    precision: t.tp / (t.tp + t.fp),
    recall: t.tp / (t.tp + t.fn),
    accuracy: (t.tp + t.tn) / (t.tp + t.tn + t.fp + t.fn),
  };
}

export interface DateCounts { tp: number; fp: number; fn: number }

/** htmldate-eval: day-level comparison; a wrong date is only a false positive. */
export function dateCounts(pairs: { expected: string | null; predicted: string | null }[]): DateCounts & { f: number; precision: number; recall: number } {
  let tp = 0, fp = 0, fn = 0;
  for (const { expected, predicted } of pairs) {
    const day = predicted ? predicted.slice(0, 10) : null;
    if (!day) fn++;
    else if (expected && day === expected) tp++;
    else fp++;
  }
  return { tp, fp, fn, f: (2 * tp) / (2 * tp + fp + fn), precision: tp / (tp + fp), recall: tp / (tp + fn) };
}
