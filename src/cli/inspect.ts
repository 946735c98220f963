// The `inspect` command group: tools a user runs to see what newsdesk makes of one input.
// Each subcommand lives in its own file (inspect-feed.ts, ...) exporting `register(inspect)`;
// adding one is one import and one call below.
import type { Command } from 'commander';
import { register as registerInspectFeed } from './inspect-feed.ts';
import { registerInspectCluster } from './inspect-cluster.ts';
import { registerInspectArticle } from './inspect-article.ts';
import { registerInspectTopics } from './inspect-topics.ts';

/** The `inspect` command, created on first use so that subcommand files can attach to it in any order. */
export function inspectCommand(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === 'inspect');
  if (existing) return existing;
  return program.command('inspect').description('show what newsdesk makes of a feed, article, cluster or topic set');
}

export function register(program: Command): void {
  const inspect = inspectCommand(program);
  registerInspectFeed(inspect);
  registerInspectCluster(inspect);
  registerInspectArticle(inspect);
  registerInspectTopics(inspect);
}
