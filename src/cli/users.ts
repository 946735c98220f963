// `newsdesk users`: the desk's readers and editors (editors are readers too, and log in to /desk).
// The password comes from standard input when it is not a terminal (scripts), else from a hidden
// prompt asked twice; never from the command line, where `ps` would show it.
import type { Command } from 'commander';
import { configFrom } from './context.ts';
import { askNewPassword } from './admin.ts';
import { Store } from '../store/index.ts';
import { AccountError, ReaderAccounts } from '../publish/readers/accounts.ts';

/** Scripts pipe the password in; at a terminal it is asked twice. A mismatch is the user's error, not a crash. */
const newPassword = (label: string) => askNewPassword(label, !process.stdin.isTTY).catch((err: Error) => Promise.reject(new AccountError(err.message)));

async function withAccounts(command: Command, fn: (accounts: ReaderAccounts) => Promise<void>): Promise<void> {
  const store = await Store.open(configFrom(command).storeUrl);
  try {
    await fn(new ReaderAccounts(store));
  } catch (err) {
    if (!(err instanceof AccountError)) throw err;
    process.stderr.write(`newsdesk users: ${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

export function register(program: Command): Command {
  const users = program.command('users').description('manage readers (reader apps: Google Reader and Fever APIs) and editors (who also log in to /desk)');
  users
    .command('add <name>')
    .description('add a user; the password is read from stdin when it is not a terminal, else asked for')
    .option('--role <role>', 'reader or editor', 'reader')
    .action(async (name: string, options: { role: string }, command: Command) => {
      if (options.role !== 'reader' && options.role !== 'editor') {
        process.stderr.write(`newsdesk users: --role must be reader or editor, not ${options.role}\n`);
        process.exitCode = 1;
        return;
      }
      await withAccounts(command, async (accounts) => {
        await accounts.add(name, options.role as 'reader' | 'editor', await newPassword('Password'));
        process.stdout.write(`added ${options.role} ${name}${options.role === 'editor' ? '; log in at /desk' : ''}; reader apps: BASE/api/greader (Google Reader) or BASE/api/fever (Fever)\n`);
      });
    });
  users
    .command('list')
    .description('list users: name, role, whether a separate API password is set, last seen')
    .action(async (_options: unknown, command: Command) => {
      await withAccounts(command, async (accounts) => {
        const list = await accounts.list();
        for (const u of list) {
          const api = u.apiPassword ? 'api password' : 'login password for apps';
          process.stdout.write(`${u.name}\t${u.role}\t${api}\tfever ${u.fever ? 'on' : 'off'}\tcreated ${u.createdAt}\tlast seen ${u.lastSeenAt ?? 'never'}${u.deskOnly ? '\t(desk editor)' : ''}\n`);
        }
        process.stdout.write(`${list.length} users\n`);
      });
    });
  users
    .command('remove <name>')
    .description('remove a user, their app tokens and reading state (an editor loses the desk too)')
    .action(async (name: string, _options: unknown, command: Command) => {
      await withAccounts(command, async (accounts) => {
        await accounts.remove(name);
        process.stdout.write(`removed ${name}\n`);
      });
    });
  users
    .command('password <name>')
    .description("set a user's login password (apps' tokens end); --api sets a separate password for reader apps, --clear-api removes it")
    .option('--api', 'set the password reader apps use (Google Reader ClientLogin, the Fever key)')
    .option('--clear-api', 'apps use the login password again (Fever stays off until the login password is set again)')
    .action(async (name: string, options: { api?: boolean; clearApi?: boolean }, command: Command) => {
      await withAccounts(command, async (accounts) => {
        if (options.clearApi) {
          await accounts.setApiPassword(name, null);
          process.stdout.write(`${name}: reader apps use the login password\n`);
        } else if (options.api) {
          await accounts.setApiPassword(name, await newPassword('API password'));
          process.stdout.write(`API password of ${name} set (Fever key: md5 of "${name}:<API password>")\n`);
        } else {
          await accounts.setPassword(name, await newPassword('Password'));
          process.stdout.write(`password of ${name} changed\n`);
        }
      });
    });
  users
    .command('resurface <name> <on|off>')
    .description('whether a read story that gains new coverage shows as unread again for this reader')
    .action(async (name: string, value: string, _options: unknown, command: Command) => {
      await withAccounts(command, async (accounts) => {
        if (value !== 'on' && value !== 'off') throw new AccountError('say on or off');
        await accounts.setResurface(name, value === 'on');
        process.stdout.write(`${name}: resurfacing ${value}\n`);
      });
    });
  return users;
}
