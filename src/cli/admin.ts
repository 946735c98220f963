// `newsdesk admin`: editors of the desk. The password comes from a hidden prompt or, for scripts,
// from standard input with --password-stdin; never from the command line, where `ps` would show it.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { configFrom } from './context.ts';
import { Store } from '../store/index.ts';
import { SiteStore } from '../store/site.ts';
import { EditorAuth, validatePassword, validateUsername } from '../publish/desk/auth.ts';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/** A new password: read from standard input, or asked twice at a hidden prompt (`label: `, `label again: `). */
export async function askNewPassword(label: string, fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY) throw new Error('no terminal to ask for the password: use --password-stdin');
  const first = await promptHidden(`${label}: `);
  const second = await promptHidden(`${label} again: `);
  if (first !== second) throw new Error('the passwords differ');
  return first;
}

async function withSite<T>(command: Command, fn: (site: SiteStore) => Promise<T>): Promise<T> {
  const config = configFrom(command);
  const store = await Store.open(config.storeUrl);
  try {
    return await fn(new SiteStore(store));
  } finally {
    await store.close();
  }
}

function fail(message: string): void {
  process.stderr.write(`newsdesk admin: ${message}\n`);
  process.exitCode = 1;
}

export function register(program: Command): Command {
  const admin = program.command('admin').description("manage the editors who may log in to the desk (/desk)");
  admin
    .command('create <username>')
    .description('create an editor; the password is asked for (or read from stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, options: { passwordStdin?: boolean }, command: Command) => {
      const nameProblem = validateUsername(username);
      if (nameProblem) return fail(nameProblem);
      const password = await askNewPassword('Password', Boolean(options.passwordStdin)).catch((err: Error) => (fail(err.message), null));
      if (password === null) return;
      const problem = validatePassword(password);
      if (problem) return fail(problem);
      await withSite(command, async (site) => {
        if (await site.editorByName(username)) return fail(`an editor named ${username} exists already (use admin passwd)`);
        await new EditorAuth(site).createEditor(username, password);
        process.stdout.write(`created editor ${username}; log in at /desk\n`);
      });
    });
  admin
    .command('passwd <username>')
    .description("set an editor's password (their sessions end)")
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, options: { passwordStdin?: boolean }, command: Command) => {
      const password = await askNewPassword('Password', Boolean(options.passwordStdin)).catch((err: Error) => (fail(err.message), null));
      if (password === null) return;
      const problem = validatePassword(password);
      if (problem) return fail(problem);
      await withSite(command, async (site) => {
        const changed = await new EditorAuth(site).setPassword(username, password);
        if (!changed) return fail(`no editor named ${username}`);
        process.stdout.write(`password of ${username} changed\n`);
      });
    });
  admin
    .command('list')
    .description('list editors')
    .action(async (_options: unknown, command: Command) => {
      await withSite(command, async (site) => {
        const editors = await site.listEditors();
        for (const e of editors) process.stdout.write(`${e.username}\tcreated ${e.createdAt}\tlast login ${e.lastLoginAt ?? 'never'}\n`);
        process.stdout.write(`${editors.length} editors\n`);
      });
    });
  admin
    .command('remove <username>')
    .description('remove an editor and their sessions')
    .action(async (username: string, _options: unknown, command: Command) => {
      await withSite(command, async (site) => {
        if (!(await site.removeEditor(username))) return fail(`no editor named ${username}`);
        process.stdout.write(`removed editor ${username}\n`);
      });
    });
  return admin;
}
