// One line per ingest run instead of one per source: the fetch jobs of a burst add to a tally, and
// once nothing is left arriving (no fetch or curation queued) the tally is logged and starts again.
import type { Desk } from './desk.ts';
import type { SourceRunResult } from './ingest.ts';

interface Tally {
  startedAt: number;
  sources: number;
  failed: number;
  seen: number;
  new: number;
}

const tallies = new WeakMap<Desk, Tally>();

export function countSourceRun(desk: Desk, result: SourceRunResult): void {
  const tally = tallies.get(desk) ?? { startedAt: Date.now(), sources: 0, failed: 0, seen: 0, new: 0 };
  tally.sources++;
  if (!result.ok) tally.failed++;
  tally.seen += result.itemsSeen;
  tally.new += result.itemsNew;
  tallies.set(desk, tally);
}

/** The run's line, logged once the burst is over; false while work is still arriving or nothing ran. */
export async function summarizeIngestRun(desk: Desk, arriving: () => Promise<boolean>): Promise<boolean> {
  const tally = tallies.get(desk);
  if (!tally || (await arriving())) return false;
  tallies.delete(desk);
  const seconds = Math.round((Date.now() - tally.startedAt) / 100) / 10;
  desk.log.info({ sources: tally.sources, new: tally.new, failed: tally.failed, seconds }, 'ingest run');
  return true;
}
