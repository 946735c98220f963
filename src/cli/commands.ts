// The list of command groups. Adding a group: write src/cli/<group>.ts exporting
// `register(program: Command)`, then add one import and one call here.
import type { Command } from 'commander';
import { register as registerServe } from './serve.ts';
import { register as registerIngest } from './ingest.ts';
import { register as registerSources } from './sources.ts';
import { register as registerExport } from './export.ts';
import { register as registerInspect } from './inspect.ts';
import { register as registerAdmin } from './admin.ts';
import { register as registerWorker } from './worker.ts';
import { register as registerTopics } from './topics.ts';
import { register as registerExplain } from './explain.ts';
import { register as registerSecured } from './secured.ts';
import { register as registerNewsletter } from './newsletter.ts';
import { register as registerImport } from './import.ts';
import { register as registerCollections } from './collections.ts';
import { register as registerUsers } from './users.ts';

export function registerAll(program: Command): void {
  registerServe(program);
  registerIngest(program);
  registerSources(program);
  registerExport(program);
  registerInspect(program);
  registerAdmin(program);
  registerWorker(program);
  registerTopics(program);
  registerExplain(program);
  registerSecured(program);
  registerNewsletter(program);
  registerImport(program);
  registerCollections(program);
  registerUsers(program);
}
