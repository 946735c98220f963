// Loads newsdesk.yaml, applies environment overrides, validates once at start-up.
import { readFileSync, existsSync } from 'node:fs';
import { resolve, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.ts';
import { newsdeskError } from '../errors.ts';

/** The checkout newsdesk runs from: default data files (taxonomy, organizations) live here. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface LoadedConfig extends Config {
  /** Resolved store location (file path or postgres URL). */
  storeUrl: string;
  /** Whether the offline demo archive stands in for the network. */
  useDemo: boolean;
  /** The file the config came from, if any. */
  configFile: string | null;
  /** Whether `baseUrl` was set; without it links use the address the server listens on (src/publish/base-url.ts). */
  baseUrlConfigured: boolean;
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function firstIssue(error: z.ZodError): { path: string; reason: string } {
  const issue = error.issues[0]!;
  const path = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  return { path, reason: issue.message };
}

export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.NEWSDESK_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : existsSync(join(cwd, 'newsdesk.yaml')) ? join(cwd, 'newsdesk.yaml') : null;

  let raw: unknown = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw newsdeskError('ND_CONFIG_UNREADABLE', { file, reason: (err as Error).message }, err);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (err) {
      throw newsdeskError('ND_CONFIG_INVALID', { path: '(yaml)', reason: (err as Error).message.split('\n')[0] }, err);
    }
  }
  return validateConfig(raw, env, cwd, file);
}

export function validateConfig(raw: unknown, env: NodeJS.ProcessEnv = {}, cwd = process.cwd(), file: string | null = null): LoadedConfig {
  const withEnv = applyEnv(raw, env);
  const parsed = configSchema.safeParse(withEnv);
  if (!parsed.success) throw newsdeskError('ND_CONFIG_INVALID', firstIssue(parsed.error));
  const config = parsed.data;
  const dataDir = resolve(cwd, config.dataDir);
  const store = config.store ?? join(dataDir, 'newsdesk.sqlite');
  const storeUrl = /^postgres(ql)?:\/\//.test(store) || store === ':memory:' ? store : resolve(cwd, store);
  return {
    ...config,
    dataDir,
    // Shipped data files are found in the checkout unless the config names its own.
    taxonomyFile: resolve(hasKey(raw, 'taxonomyFile') ? cwd : PACKAGE_ROOT, config.taxonomyFile),
    organizationsFile: resolve(hasKey(raw, 'organizationsFile') ? cwd : PACKAGE_ROOT, config.organizationsFile),
    storeUrl,
    useDemo: config.demo ?? config.sources.length === 0,
    configFile: file,
    baseUrlConfigured: hasKey(raw, 'baseUrl') && (raw as { baseUrl?: unknown }).baseUrl !== undefined,
  };
}

function hasKey(raw: unknown, key: string): boolean {
  return raw !== null && typeof raw === 'object' && key in (raw as object);
}

function applyEnv(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    if (raw !== undefined && raw !== null) throw newsdeskError('ND_CONFIG_INVALID', { path: '(root)', reason: 'expected a mapping' });
    raw = {};
  }
  const out = { ...(raw as Record<string, unknown>) };
  if (env.NEWSDESK_PORT !== undefined) {
    const port = Number(env.NEWSDESK_PORT);
    if (!Number.isInteger(port)) throw newsdeskError('ND_CONFIG_INVALID', { path: 'NEWSDESK_PORT', reason: `not a port number: ${env.NEWSDESK_PORT}` });
    out.server = { ...((out.server as object) ?? {}), port };
  }
  if (env.NEWSDESK_HOST) out.server = { ...((out.server as object) ?? {}), host: env.NEWSDESK_HOST };
  if (env.NEWSDESK_DATA) out.dataDir = env.NEWSDESK_DATA;
  if (env.NEWSDESK_STORE) out.store = env.NEWSDESK_STORE;
  if (env.NEWSDESK_METRICS_TOKEN) out.metrics = { ...((out.metrics as object) ?? {}), token: env.NEWSDESK_METRICS_TOKEN };
  if (env.NEWSDESK_SECURED_KEY) out.secured = { ...((out.secured as object) ?? {}), key: env.NEWSDESK_SECURED_KEY };
  return out;
}
