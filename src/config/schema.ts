// The one typed configuration object. Every key has a default so that `npm start` works with no file.
import { z } from 'zod';
import { qualityWeightsSchema } from '../curate/quality/score.ts';

const sourceSchema = z.object({
  url: z.string().url(),
  name: z.string().min(1).optional(),
  /** Minutes between polls; adapted within [min, max] to how often the source publishes. */
  pollMinutes: z.number().int().positive().optional(),
});

export const configSchema = z
  .object({
    siteName: z.string().min(1).default('newsdesk'),
    /** Public base URL of the site, used in feeds and absolute links. */
    baseUrl: z.string().url().default('http://localhost:8080'),
    dataDir: z.string().min(1).default('./data'),
    /** An SQLite file path, or a `postgres://` URL. Default: `<dataDir>/newsdesk.sqlite`. */
    store: z.string().min(1).optional(),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .prefault({}),
    /** Use the offline demo archive instead of the network. Default: when no sources are configured. */
    demo: z.boolean().optional(),
    sources: z.array(sourceSchema).default([]),
    taxonomyFile: z.string().default('taxonomy/ai.yaml'),
    organizationsFile: z.string().default('config/organizations.yaml'),
    language: z.string().default('en'),
    thresholds: z
      .object({
        /** `published = heat >= publish`. The reference used 65 in older data, 70 in newer. */
        publish: z.number().default(70),
        /** Same-story window in days either side. */
        storyWindowDays: z.number().positive().default(7),
      })
      .prefault({}),
    topics: z
      .object({ classifier: z.enum(['keywords', 'learned']).default('learned') })
      .prefault({}),
    /** Points of each quality signal (see src/curate/quality/score.ts). */
    quality: qualityWeightsSchema,
    heat: z.object({ model: z.enum(['reference', 'velocity']).default('reference') }).prefault({}),
    fetch: z
      .object({
        userAgent: z.string().optional(),
        timeoutSeconds: z.number().positive().default(20),
        maxBodyBytes: z.number().int().positive().default(15 * 1024 * 1024),
        pollMinutes: z
          .object({ min: z.number().positive().default(15), max: z.number().positive().default(24 * 60) })
          .prefault({}),
        allow: z
          .object({ hosts: z.array(z.string()).default([]), cidrs: z.array(z.string()).default([]) })
          .prefault({}),
      })
      .prefault({}),
    /** What the JSON API shows beyond what the reference published (src/publish/api). */
    api: z
      .object({
        /** Answer /api/news/item/<key>/ and its /explain/ for articles that are not published (held back or blocked). */
        unpublishedItems: z.boolean().default(false),
        /** Show each source's last error (code and message: hosts, addresses, paths) in /api/sources/. */
        sourceErrors: z.boolean().default(false),
      })
      .prefault({}),
    /** Article extraction (src/extract): in worker threads, each page within a deadline and a heap limit. */
    extract: z
      .object({
        /** Worker threads; default one per core. 0 extracts on the main thread (no isolation from hostile pages). */
        workers: z.number().int().min(0).max(64).optional(),
        /** A page not extracted within this long fails with ND_EXTRACT_FAILED (its feed content stays). */
        timeoutSeconds: z.number().positive().default(20),
        /** Heap limit of each worker, in MiB. */
        maxHeapMb: z.number().int().min(64).default(512),
      })
      .prefault({}),
    /** The daily newsletter (src/publish/newsletter). */
    newsletter: z
      .object({
        /** Build and send the day's issue at this UTC time (HH:MM) while `serve` runs; unset: only on demand. */
        sendAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC)').optional(),
        /** The From header of every newsletter message. */
        from: z.string().min(3).default('newsdesk <newsletter@localhost>'),
        /** Outgoing mail server; without it issues are built and archived but not sent. */
        smtp: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
            secure: z.boolean().default(false),
            user: z.string().optional(),
            pass: z.string().optional(),
          })
          .optional(),
        /** Attempts per message before a send is marked failed. */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** An entity featured in any of the last this many issues is not picked again while others remain. */
        rotationIssues: z.number().int().min(0).default(14),
      })
      .prefault({}),
    /**
     * Prometheus metrics at /metrics. With neither key they are served on the main listener to
     * anyone who can reach it (the default host is 127.0.0.1); set `token`, or `port`, or both,
     * before the main listener faces the public.
     */
    metrics: z
      .object({
        /** Scrapers send `Authorization: Bearer <token>`; anything else gets 401. */
        token: z.string().min(16, 'must be at least 16 characters').optional(),
        /** Serve /metrics on its own listener (on server.host) and not on the main one, which answers 404. `newsdesk worker` serves it there too. 0 picks a free port. */
        port: z.number().int().min(0).max(65535).optional(),
      })
      .strict()
      .prefault({}),
    secured: z
      .object({
        /** 32-byte key, base64 or hex. Without it the `secured` field stays null. */
        key: z.string().optional(),
      })
      .prefault({}),
    /** How long what is not published is kept, so the store does not grow without bound. */
    retention: z
      .object({
        /** Scored, unpublished articles (not in a story with a published member), days after storing. */
        unpublishedDays: z.number().positive().default(30),
        fetchLogDays: z.number().positive().default(14),
        /** Jobs that spent their attempts, kept for inspection. */
        failedJobDays: z.number().positive().default(7),
      })
      .prefault({}),
    /** Background work: job runners, the scheduler, politeness shared by every worker. */
    jobs: z
      .object({
        /** Jobs run at once by one process. */
        concurrency: z.number().int().positive().default(4),
        /** Seconds between scheduler ticks (one tick at a time across all processes). */
        tickSeconds: z.number().positive().default(60),
        /** Per-host limits held in the store when workers share PostgreSQL. */
        hostConcurrency: z.number().int().min(1).max(2).default(1),
        hostGapMs: z.number().int().min(0).default(1000),
        hostJitterMs: z.number().int().min(0).default(1000),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
