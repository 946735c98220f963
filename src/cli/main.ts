// The `newsdesk` command. Each command group lives in its own file under src/cli and registers
// itself through commands.ts; this file only builds the program and turns errors into one line.
import { Command } from 'commander';
import { registerFor } from './commands.ts';
import { describeError } from '../errors.ts';
import { setLogFormat } from '../log.ts';

const program = new Command();
program.name('newsdesk').description('A self-hosted news desk: ingest, curate and publish a field\'s news.');
program.option('-c, --config <file>', 'configuration file (default: ./newsdesk.yaml if present)');
program.option('--log-format <format>', 'json or pretty (default: pretty on a terminal, json otherwise)');
program.hook('preAction', (root) => setLogFormat(root.opts<{ logFormat?: string }>().logFormat));
try {
  await registerFor(program, process.argv);
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`newsdesk: ${describeError(err)}\n`);
  if (process.env.NEWSDESK_DEBUG) console.error(err);
  process.exitCode = 1;
}
