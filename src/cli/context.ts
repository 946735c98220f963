// Shared by command files: load the config named by --config and open the desk.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { Store } from '../store/index.ts';
import { openDesk, DEMO_SOURCES, DEMO_PATH_MARKER, type Desk, type DeskOverrides } from '../jobs/desk.ts';

export function configFrom(command: Command): LoadedConfig {
  const options = command.optsWithGlobals<{ config?: string }>();
  return loadConfig({ file: options.config });
}

export async function withDesk<T>(command: Command, fn: (desk: Desk) => Promise<T>, overrides: DeskOverrides = {}): Promise<T> {
  const desk = await openDesk(configFrom(command), overrides);
  try {
    return await fn(desk);
  } finally {
    await desk.close();
  }
}

/**
 * NEWSDESK_STORE_SCHEMA: a PostgreSQL schema of its own (several desks, or tests and benchmarks, on one
 * database), for the long-running commands. The caller closes the store after the desk.
 */
export async function storeInEnvSchema(config: LoadedConfig): Promise<Store | undefined> {
  const schema = process.env.NEWSDESK_STORE_SCHEMA;
  return schema && /^postgres(ql)?:\/\//.test(config.storeUrl) ? Store.open(config.storeUrl, { schema }) : undefined;
}

/** Adds the configured sources, or the demo archive's, to the store (existing ones are kept). */
export async function seedSources(desk: Desk): Promise<void> {
  if (!desk.config.useDemo) {
    // Leaving the demo: its replayed feeds do not exist on the web, so they stop being fetched.
    for (const source of await desk.store.listSources()) {
      if (source.url.includes(DEMO_PATH_MARKER) && source.status !== 'paused') await desk.store.setSourcePaused(source.id, true);
    }
  }
  const sources = desk.config.useDemo
    ? (JSON.parse(readFileSync(DEMO_SOURCES, 'utf8')) as Array<{ url: string; name: string }>)
    : desk.config.sources;
  for (const source of sources) await desk.store.addSource({ url: source.url, name: source.name ?? null });
}
