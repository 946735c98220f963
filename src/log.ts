// One structured logger. Stable keys: source_id, article_id, story_id, url, job.
// On a terminal each event is one short human line; elsewhere (a pipe, a file, a log collector) it
// is one JSON object a line. `--log-format json|pretty` (or NEWSDESK_LOG_FORMAT) chooses otherwise.
import { pino, type Logger, type DestinationStream } from 'pino';
import { newsdeskError } from './errors.ts';

export type { Logger } from 'pino';

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

let chosenFormat: LogFormat | undefined;

/** The format loggers created from now on write (the CLI's `--log-format`). */
export function setLogFormat(format: string | undefined): void {
  if (format === undefined) {
    chosenFormat = undefined;
    return;
  }
  if (!LOG_FORMATS.includes(format as LogFormat)) throw newsdeskError('ND_BAD_REQUEST', { reason: `--log-format must be json or pretty, not ${format}` });
  chosenFormat = format as LogFormat;
}

/** Explicit choice first, then NEWSDESK_LOG_FORMAT, then pretty on a terminal and JSON otherwise. */
export function logFormatFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (chosenFormat) return chosenFormat;
  const fromEnv = env.NEWSDESK_LOG_FORMAT;
  if (fromEnv === 'json' || fromEnv === 'pretty') return fromEnv;
  return stream.isTTY ? 'pretty' : 'json';
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
/** Keys every event has, shown in the line's head rather than as key=value. */
const HEAD = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname']);

function shown(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]{1,200}$/.test(value) ? value : JSON.stringify(value.length > 300 ? `${value.slice(0, 300)}…` : value);
  if (value && typeof value === 'object' && 'message' in value && typeof (value as { message: unknown }).message === 'string') return JSON.stringify((value as { message: string }).message);
  return JSON.stringify(value) ?? String(value);
}

/**
 * One human line for one event: `20:52:25 INFO  serving url=http://localhost:8080 store=sqlite`.
 * The time is the event's, in UTC, to the second; colors only when asked (a terminal).
 */
export function formatLogLine(event: Record<string, unknown>, options: { color?: boolean } = {}): string {
  const level = typeof event.level === 'number' ? event.level : 30;
  const name = (LEVELS[level] ?? String(level)).padEnd(5);
  const time = typeof event.time === 'string' ? event.time.slice(11, 19) : typeof event.time === 'number' ? new Date(event.time).toISOString().slice(11, 19) : '';
  const fields = Object.entries(event)
    .filter(([key, value]) => !HEAD.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${shown(value)}`);
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return [paint('2', time), paint(COLORS[level] ?? '0', name), String(event.msg ?? ''), ...fields].filter(Boolean).join(' ') + '\n';
}

/** A pino destination that writes each JSON event as a human line. */
export function prettyDestination(out: { write(text: string): unknown; isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): DestinationStream {
  const color = Boolean(out.isTTY) && env.NO_COLOR === undefined;
  return {
    write(line: string) {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      out.write(formatLogLine(event, { color }));
    },
  };
}

export function createLogger(options: { level?: string; name?: string; format?: LogFormat; stream?: NodeJS.WritableStream & { isTTY?: boolean } } = {}): Logger {
  const out = options.stream ?? process.stdout;
  const format = options.format ?? logFormatFor(out);
  const settings = {
    name: options.name ?? 'newsdesk',
    level: options.level ?? process.env.NEWSDESK_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (format === 'pretty') return pino(settings, prettyDestination(out));
  return options.stream ? pino(settings, options.stream) : pino(settings);
}

export const silentLogger: Logger = pino({ level: 'silent' });
