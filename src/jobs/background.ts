// Background work of one process: a job runner and the scheduler that feeds it. `serve` starts it
// unless told `--no-worker`; `worker` starts only this.
import type { Desk } from './desk.ts';
import { createJobRunner, type JobRunner, type OpenRunnerOptions } from './runner.ts';
import { startScheduler } from './scheduler.ts';
import { clearWorkerHeartbeat, recordWorkerHeartbeat } from '../store/jobs.ts';
import { describeError } from '../errors.ts';

/** How often a process running jobs says so in the store; readiness wants one beat within three of these. */
export const WORKER_HEARTBEAT_MS = 10_000;

export interface BackgroundOptions extends OpenRunnerOptions {
  /** Between scheduler ticks. Default: the config's `jobs.tickSeconds`. */
  tickMs?: number;
  /** Run the scheduler here too (one tick at a time across all processes either way). Default true. */
  scheduler?: boolean;
  /** Between this process's heartbeats in the store (what `/api/health/ready` looks for). Default 10 s. */
  workerHeartbeatMs?: number;
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
  const beatMs = options.workerHeartbeatMs ?? WORKER_HEARTBEAT_MS;
  const beat = () => recordWorkerHeartbeat(desk.store, runner.workerId, beatMs * 3).catch((err) => desk.log.warn({ err: describeError(err) }, 'worker heartbeat not recorded'));
  await beat();
  const heartbeat = setInterval(() => void beat(), beatMs);
  const scheduler =
    options.scheduler === false ? null : startScheduler(desk, runner.enqueue, { intervalMs: options.tickMs ?? desk.config.jobs.tickSeconds * 1000, holder: runner.workerId });
  return {
    runner,
    async tick() {
      return (await scheduler?.tick())?.ran ?? false;
    },
    async stop() {
      clearInterval(heartbeat);
      await scheduler?.stop();
      await runner.stop();
      await clearWorkerHeartbeat(desk.store, runner.workerId).catch(() => {});
    },
  };
}
