// One structured logger. Stable keys: source_id, article_id, story_id, url, job.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'newsdesk',
    level: options.level ?? process.env.NEWSDESK_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
