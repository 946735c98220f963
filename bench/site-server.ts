// The server half of bench/site.ts: serves an existing store, in its own process so the load
// generator does not share its event loop. Prints "listening <url>" when ready.
import { pino } from 'pino';
import { validateConfig } from '../src/config/load.ts';
import { openDesk } from '../src/jobs/desk.ts';
import { Store } from '../src/store/index.ts';
import { buildServer } from '../src/publish/server.ts';

const [storePath, dataDir] = process.argv.slice(2);
if (!storePath || !dataDir) throw new Error('usage: site-server.ts STORE DATADIR');
const store = await Store.open(storePath);
const desk = await openDesk(validateConfig({ demo: true, dataDir }), { store, log: pino({ level: 'warn' }) });
const app = await buildServer(desk);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
const stop = async () => {
  await app.close();
  await desk.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
