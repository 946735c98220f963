// `NEWSDESK_QUERY_PROFILE=FILE`: the statements a process sends, counted by shape (parameters and
// lists folded) with their summed milliseconds, written to `FILE.<name>.<pid>` (count, ms, SQL;
// slowest first) when it exits. How the statements per article were found; off unless set.
import { writeFileSync } from 'node:fs';

export type StatementTally = (sql: string, ms: number) => void;

/** A tally written at exit under `name`, or null when profiling is off. */
export function statementTally(name: string): StatementTally | null {
  const file = process.env.NEWSDESK_QUERY_PROFILE;
  if (!file) return null;
  const totals = new Map<string, { count: number; ms: number }>();
  process.on('exit', () => {
    const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms || b[1].count - a[1].count).map(([shape, t]) => `${t.count}\t${t.ms.toFixed(0)}\t${shape}`);
    writeFileSync(`${file}.${name}.${process.pid}`, `${rows.join('\n')}\n`);
  });
  return (sql, ms) => {
    const shape = sql.replace(/\$\d+/g, '?').replace(/\(\?(, \?)*\)/g, '(?...)').replace(/\s+/g, ' ').trim().slice(0, 200);
    const total = totals.get(shape) ?? { count: 0, ms: 0 };
    total.count++;
    total.ms += ms;
    totals.set(shape, total);
  };
}
