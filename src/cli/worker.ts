// `newsdesk worker`: runs background jobs (fetch, extract, curate, retention, newsletters) and the
// scheduler, and serves nothing. On PostgreSQL start as many as you like, on as many machines.
import type { Command } from 'commander';
import { configFrom, seedSources, storeInEnvSchema } from './context.ts';
import { openDesk } from '../jobs/desk.ts';
import { startBackground } from '../jobs/background.ts';
import { startMetricsListener } from '../publish/ops/metrics.ts';

export function register(program: Command): void {
  program
    .command('worker')
    .description('run background jobs and the scheduler (PostgreSQL: any number of workers share the work)')
    .option('--concurrency <n>', 'jobs run at once by this process (default: jobs.concurrency)')
    .option('--no-scheduler', 'only run jobs; leave scheduling to other processes')
    .option('--tick <seconds>', 'seconds between scheduler ticks (default: jobs.tickSeconds)')
    .option('--heartbeat <seconds>', 'PostgreSQL: seconds between heartbeats; a worker silent for three is taken for dead', '10')
    .option('--until-idle', 'exit once no job is left to run')
    .action(async (options: { concurrency?: string; scheduler: boolean; tick?: string; heartbeat: string; untilIdle?: boolean }, command: Command) => {
      const config = configFrom(command);
      const ownStore = await storeInEnvSchema(config);
      const desk = await openDesk(config, ownStore ? { store: ownStore } : {});
      await seedSources(desk);
      const background = await startBackground(desk, {
        concurrency: options.concurrency ? Math.max(1, Number(options.concurrency)) : undefined,
        scheduler: options.scheduler,
        tickMs: options.tick ? Number(options.tick) * 1000 : undefined,
        heartbeatMs: Number(options.heartbeat) * 1000,
      });
      const metrics = await startMetricsListener(desk);
      desk.log.info({ store: desk.store.dialect, worker: background.runner.workerId }, 'worker started');
      process.stdout.write(`newsdesk worker ${background.runner.workerId}: running jobs on ${desk.store.dialect}${metrics ? `; metrics at ${metrics.url}/metrics` : ''}\n`);
      let stopping = false;
      const shutdown = async (code = 0) => {
        if (stopping) return;
        stopping = true;
        await metrics?.app.close();
        await background.stop();
        const counts = await desk.store.counts();
        process.stdout.write(`newsdesk worker: stopped; store holds ${counts.articles} articles, ${counts.published} published\n`);
        await desk.close();
        await ownStore?.close();
        process.exit(code);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
      if (options.untilIdle) {
        // Idle twice in a row, a poll apart: a job that finished between the two looks could still queue more.
        await background.tick();
        let idleChecks = 0;
        while (idleChecks < 2) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          idleChecks = (await background.runner.pending()) === 0 ? idleChecks + 1 : 0;
        }
        await shutdown();
      }
    });
}
