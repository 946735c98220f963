import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { COMMAND_GROUPS, groupNamed } from './commands.ts';

const bin = fileURLToPath(new URL('../../bin/newsdesk.mjs', import.meta.url));

test('each group registers one command with the name and description the table lists for --help', async () => {
  for (const group of COMMAND_GROUPS) {
    const program = new Command();
    (await group.load()).register(program);
    const names = program.commands.map((c) => c.name());
    assert.deepEqual(names, [group.name], `${group.name} registers ${names.join(', ')}`);
    assert.equal(program.commands[0]!.description(), group.description, `description of ${group.name}`);
  }
});

test('the group is the first word after the program options; help names the next', () => {
  const line = (...words: string[]) => groupNamed(['node', 'newsdesk', ...words])?.name;
  assert.equal(line('ingest'), 'ingest');
  assert.equal(line('-c', 'serve', 'sources', 'list'), 'sources');
  assert.equal(line('--config', 'x.yaml', 'inspect', 'feed', 'f.xml'), 'inspect');
  assert.equal(line('--config=x.yaml', 'users', 'list'), 'users');
  assert.equal(line('--log-format', 'json', 'serve'), 'serve');
  assert.equal(line('help', 'export'), 'export');
  assert.equal(line('--help'), undefined);
  assert.equal(line('ingets'), undefined);
  assert.equal(line(), undefined);
});

test('the program lists every group in --help, and a mistyped group fails with the suggestion', () => {
  const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  for (const group of COMMAND_GROUPS) assert.match(help.stdout, new RegExp(`^  ${group.name} `, 'm'), group.name);
  const typo = spawnSync(process.execPath, [bin, 'ingets'], { encoding: 'utf8' });
  assert.notEqual(typo.status, 0);
  assert.match(typo.stderr, /unknown command 'ingets'.*\n?.*ingest/);
  const sub = spawnSync(process.execPath, [bin, 'help', 'sources'], { encoding: 'utf8' });
  assert.equal(sub.status, 0, sub.stderr);
  assert.match(sub.stdout, /list sources with their status/);
});
