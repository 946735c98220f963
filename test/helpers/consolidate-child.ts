// Run in a child process by the kill test: consolidates the store named by the environment
// (NEWSDESK_STORE, NEWSDESK_STORE_SCHEMA), printing "started" first and "done" at the end.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/index.ts';
import { validateConfig } from '../../src/config/load.ts';
import { openDesk } from '../../src/jobs/desk.ts';
import { consolidateStories } from '../../src/jobs/curate.ts';
import { silentLogger } from '../../src/log.ts';

const store = await Store.open(process.env.NEWSDESK_STORE!, process.env.NEWSDESK_STORE_SCHEMA ? { schema: process.env.NEWSDESK_STORE_SCHEMA } : {});
const desk = await openDesk(validateConfig({ demo: false, dataDir: mkdtempSync(join(tmpdir(), 'newsdesk-consolidate-')) }), { store, log: silentLogger });
process.stdout.write('started\n');
await consolidateStories(desk, { wait: true });
process.stdout.write('done\n');
await desk.close();
await store.close();
