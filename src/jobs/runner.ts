// Picks the job runner the store calls for: graphile-worker on PostgreSQL (many processes, many
// machines), the in-process runner on SQLite (one machine; jobs still survive a restart).
import type { Desk } from './desk.ts';
import { InProcessRunner, type JobRunner } from './runner-inprocess.ts';
import { GraphileRunner } from './runner-graphile.ts';
import './handlers.ts';

export type { JobRunner } from './runner-inprocess.ts';

export interface OpenRunnerOptions {
  concurrency?: number;
  /** PostgreSQL: only queue jobs, run none here. */
  enqueueOnly?: boolean;
  heartbeatMs?: number;
  pollMs?: number;
}

export function createJobRunner(desk: Desk, options: OpenRunnerOptions = {}): JobRunner {
  if (desk.store.dialect === 'postgres') {
    return new GraphileRunner(desk, { concurrency: options.concurrency, enqueueOnly: options.enqueueOnly, heartbeatMs: options.heartbeatMs, pollInterval: options.pollMs });
  }
  return new InProcessRunner(desk, { concurrency: options.concurrency, pollMs: options.pollMs });
}
