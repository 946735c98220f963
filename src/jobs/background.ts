// Background work of one process: a job runner and the scheduler that feeds it. `serve` starts it
// unless told `--no-worker`; `worker` starts only this.
import type { Desk } from './desk.ts';
import { createJobRunner, type JobRunner, type OpenRunnerOptions } from './runner.ts';
import { startScheduler } from './scheduler.ts';

export interface BackgroundOptions extends OpenRunnerOptions {
  /** Between scheduler ticks. Default: the config's `jobs.tickSeconds`. */
  tickMs?: number;
  /** Run the scheduler here too (one tick at a time across all processes either way). Default true. */
  scheduler?: boolean;
}

export interface Background {
  runner: JobRunner;
  /** Runs a scheduler tick now (false when another process holds the tick). */
  tick(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startBackground(desk: Desk, options: BackgroundOptions = {}): Promise<Background> {
  const runner = createJobRunner(desk, options);
  await runner.start();
  const scheduler =
    options.scheduler === false ? null : startScheduler(desk, runner.enqueue, { intervalMs: options.tickMs ?? desk.config.jobs.tickSeconds * 1000, holder: runner.workerId });
  return {
    runner,
    async tick() {
      return (await scheduler?.tick())?.ran ?? false;
    },
    async stop() {
      await scheduler?.stop();
      await runner.stop();
    },
  };
}
