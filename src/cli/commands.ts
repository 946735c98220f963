// The list of command groups. Adding a group: write src/cli/<group>.ts exporting
// `register(program: Command)`, then add one line here with the same name and description.
// Only the group a command line names is loaded: `newsdesk ingest` never imports the server, and
// `newsdesk --help` imports none of them (commands.test.ts checks the descriptions here match).
import type { Command } from 'commander';

interface CommandGroup {
  name: string;
  description: string;
  load: () => Promise<{ register: (program: Command) => void }>;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { name: 'serve', description: 'serve the API and the site; fetch due sources in the background', load: () => import('./serve.ts') },
  { name: 'ingest', description: 'fetch every due source once, store and curate new articles, then exit', load: () => import('./ingest.ts') },
  { name: 'sources', description: 'manage sources', load: () => import('./sources.ts') },
  { name: 'export', description: 'write the publication as static files', load: () => import('./export.ts') },
  { name: 'inspect', description: 'show what newsdesk makes of a feed, article, cluster or topic set', load: () => import('./inspect.ts') },
  { name: 'admin', description: 'manage the editors who may log in to the desk (/desk)', load: () => import('./admin.ts') },
  {
    name: 'worker',
    description: 'run background jobs and the scheduler (PostgreSQL: any number of workers share the work)',
    load: () => import('./worker.ts'),
  },
  { name: 'topics', description: 'topic taxonomy and classifiers', load: () => import('./topics.ts') },
  {
    name: 'explain',
    description: 'show why an article scored what it did: quality parts, topics, heat, the story and the score history',
    load: () => import('./explain.ts'),
  },
  { name: 'secured', description: 'read and re-key the encrypted private payloads of articles', load: () => import('./secured.ts') },
  { name: 'newsletter', description: 'the daily newsletter: build, send, subscribers', load: () => import('./newsletter.ts') },
  { name: 'import', description: 'import records from other systems', load: () => import('./import.ts') },
  {
    name: 'collections',
    description: 'companies, people, events, learning, organizations, sponsorships; queries, mentions, heat, saved searches',
    load: () => import('./collections.ts'),
  },
  {
    name: 'users',
    description: 'manage readers (reader apps: Google Reader and Fever APIs) and editors (who also log in to /desk)',
    load: () => import('./users.ts'),
  },
];

/** The group a command line names: the first word after the program's own options (`-c FILE`, `--log-format F`). */
export function groupNamed(argv: readonly string[]): CommandGroup | undefined {
  const words = argv.slice(2);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-c' || word === '--config' || word === '--log-format') {
      i++;
      continue;
    }
    if (word.startsWith('-')) continue;
    const name = word === 'help' ? words[i + 1] : word;
    return COMMAND_GROUPS.find((group) => group.name === name);
  }
  return undefined;
}

/**
 * Registers the named group in full, or, when the line names none (`--help`, a mistyped group), every
 * group as a name and a description, which is all the program's help and its "unknown command" need.
 */
export async function registerFor(program: Command, argv: readonly string[]): Promise<void> {
  const group = groupNamed(argv);
  if (group) {
    (await group.load()).register(program);
    return;
  }
  for (const { name, description } of COMMAND_GROUPS) program.command(name).description(description);
}
