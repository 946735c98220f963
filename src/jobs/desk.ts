// The desk: everything a job needs, built once from the config. Stages stay pure; jobs take what
// they need from here, call the stage, and save what it returns through the store.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadedConfig } from '../config/load.ts';
import { Store } from '../store/index.ts';
import { StoreCandidateIndex } from '../store/cluster-index.ts';
import type { Transport } from '../fetch/types.ts';
import { createHttpTransport, type HttpFetchOptions } from '../fetch/http.ts';
import { ReplayTransport } from '../fetch/replay.ts';
import { createLogger, type Logger } from '../log.ts';
import { loadTaxonomy } from '../curate/topics/taxonomy.ts';
import type { CandidateIndex, QualityScorer, Taxonomy, TopicClassifier } from '../curate/types.ts';
import type { KnownOrganization } from '../normalize/entry.ts';
import { storeLock, StoreHostLimiter, type SectionLock } from './leases.ts';
import { createQualityScorer } from '../curate/quality/score.ts';
import { loadOrganizations, type Organization } from '../extract/organizations.ts';
import { createSecurer, type SecuredPayload } from '../extract/secured.ts';
import { ImageCache } from '../extract/images.ts';
import { loadLanguageModel } from '../extract/language.ts';
import { ExtractionPool } from '../extract/pool.ts';
import { createTopicClassifier } from '../curate/topics/index.ts';
import { clusterConfig, DEFAULT_CLUSTER_CONFIG, type ClusterConfig } from '../curate/cluster/config.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const DEMO_ARCHIVE = join(here, '..', '..', 'demo', 'archive.jsonl.gz');
export const DEMO_SOURCES = join(here, '..', '..', 'demo', 'sources.json');

export interface Desk {
  config: LoadedConfig;
  store: Store;
  transport: Transport & { close?(): Promise<void> };
  log: Logger;
  taxonomy: Taxonomy;
  classifier: TopicClassifier;
  scoreQuality: QualityScorer;
  clusterIndex: CandidateIndex;
  /** Same-story clustering: the calibrated defaults, with the configured story window. */
  clusterConfig: ClusterConfig;
  lookupOrganization: (domain: string) => KnownOrganization | null;
  /** The configured known-organizations table, by domain. */
  organizations: Map<string, Organization>;
  /** One consolidation pass or editor's story decision at a time, across every process on the store. */
  storiesLock: SectionLock;
  /** Encrypts the private payload for `secured`; null without a configured key. */
  secure: (payload: SecuredPayload) => string | null;
  /** Lead-image thumbnails in the data dir; null where images are not cached (the offline demo). */
  imageCache: ImageCache | null;
  /** Whether article pages are fetched and extracted (off for the offline demo, which archives feeds only). */
  extractPages: boolean;
  /** Extracts pages in worker threads, each within a deadline and a heap limit. */
  extractor: ExtractionPool;
  now: () => Date;
  close(): Promise<void>;
}

export interface DeskOverrides {
  store?: Store;
  transport?: Transport;
  log?: Logger;
  classifier?: TopicClassifier;
  scoreQuality?: QualityScorer;
  now?: () => Date;
  extractPages?: boolean;
}

/** The HTTP client's settings from the config: what every fetch of the desk, and of `inspect`, obeys. */
export function httpTransportOptions(config: LoadedConfig): HttpFetchOptions {
  const timeoutMs = config.fetch.timeoutSeconds * 1000;
  return {
    userAgent: config.fetch.userAgent,
    maxBodyBytes: config.fetch.maxBodyBytes,
    allow: config.fetch.allow,
    // timeoutSeconds bounds every wait of a fetch (connecting, the headers, a pause in the body);
    // the whole body must arrive within three times it, however it trickles.
    connectTimeoutMs: timeoutMs,
    headersTimeoutMs: timeoutMs,
    bodyIdleTimeoutMs: timeoutMs,
    bodyDeadlineMs: 3 * timeoutMs,
  };
}

/** Demo feed URLs carry this path segment; any other source in the store means a real desk. */
export const DEMO_PATH_MARKER = '/newsdesk-demo/';

export async function openDesk(loaded: LoadedConfig, overrides: DeskOverrides = {}): Promise<Desk> {
  const log = overrides.log ?? createLogger();
  const store = overrides.store ?? (await Store.open(loaded.storeUrl));
  // With no sources in the config, the demo runs until sources are added to the store (CLI or desk).
  let useDemo = loaded.useDemo;
  if (loaded.demo === undefined && loaded.sources.length === 0) {
    useDemo = !(await store.listSources()).some((s) => !s.url.includes(DEMO_PATH_MARKER));
  }
  const config: LoadedConfig = { ...loaded, useDemo };
  const transport: Transport =
    overrides.transport ??
    (config.useDemo
      ? ReplayTransport.fromFile(DEMO_ARCHIVE)
      : createHttpTransport({
          ...httpTransportOptions(config),
          // Workers sharing PostgreSQL share the per-host limits through the store.
          ...(store.dialect === 'postgres'
            ? { hostLimiter: new StoreHostLimiter(store, { concurrency: config.jobs.hostConcurrency, minGapMs: config.jobs.hostGapMs, jitterMs: config.jobs.hostJitterMs }) }
            : { perHostConcurrency: config.jobs.hostConcurrency, perHostDelayMs: config.jobs.hostGapMs, perHostJitterMs: config.jobs.hostJitterMs }),
        }));
  const extractPages = overrides.extractPages ?? !config.useDemo;
  // Workers start on the first page; each loads the language-id model itself.
  const extractor = new ExtractionPool({ workers: config.extract.workers, deadlineMs: config.extract.timeoutSeconds * 1000, maxHeapMb: config.extract.maxHeapMb });
  if (extractPages && extractor.size === 0) {
    // Page language falls back to the language-id model; load it once, before the first page.
    await loadLanguageModel().catch((err: unknown) => log.warn({ err: String(err) }, 'language model not loaded: page language comes from markup only'));
  }
  const taxonomy = loadTaxonomy(config.taxonomyFile);
  const classifier = overrides.classifier ?? createTopicClassifier({ taxonomy, classifier: config.topics.classifier, log });
  const organizations = loadOrganizations(config.organizationsFile);
  const lookupOrganization = (domain: string) => organizations.get(domain) ?? null;
  return {
    config,
    store,
    transport,
    log,
    taxonomy,
    classifier,
    scoreQuality: overrides.scoreQuality ?? createQualityScorer(config.quality, config.language),
    clusterIndex: new StoreCandidateIndex(store, { snapshotMs: 30_000, featureCache: 2_000 }),
    clusterConfig: clusterConfig({ windowDays: config.thresholds.storyWindowDays, regroup: { ...DEFAULT_CLUSTER_CONFIG.regroup, windowDays: config.thresholds.storyWindowDays } }),
    lookupOrganization,
    organizations,
    storiesLock: storeLock(store, 'stories'),
    extractPages,
    extractor,
    secure: createSecurer(config.secured.key, log),
    imageCache: config.useDemo ? null : new ImageCache(config.dataDir),
    now: overrides.now ?? (() => new Date()),
    async close() {
      await extractor.close();
      await transport.close?.();
      if (!overrides.store) await store.close();
    },
  };
}
