// The log's two forms: a human line per event on a terminal, JSON everywhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, formatLogLine, logFormatFor, setLogFormat } from './log.ts';

function sink(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, stream: { isTTY, write(text: string) { lines.push(text); return true; } } as unknown as NodeJS.WritableStream & { isTTY: boolean } };
}

test('formatLogLine: time, level, message, then key=value, quoting only what needs it', () => {
  assert.equal(
    formatLogLine({ level: 30, time: '2026-12-07T20:52:25.269Z', name: 'newsdesk', msg: 'serving', url: 'http://localhost:8080', store: 'sqlite', demo: true }),
    '20:52:25 INFO  serving url=http://localhost:8080 store=sqlite demo=true\n',
  );
  assert.equal(
    formatLogLine({ level: 40, time: '2026-12-07T08:00:01.000Z', msg: 'source failed', source_id: 7, err: 'HTTP 503 from feeds.example.org' }),
    '08:00:01 WARN  source failed source_id=7 err="HTTP 503 from feeds.example.org"\n',
  );
  assert.equal(formatLogLine({ level: 50, time: 0, msg: 'request failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n at x' } }), '00:00:00 ERROR request failed err="boom"\n');
  assert.match(formatLogLine({ level: 30, time: '2026-12-07T20:52:25Z', msg: 'x' }, { color: true }), /\x1b\[32mINFO /);
});

test('a logger on a terminal writes human lines; off a terminal, JSON', () => {
  const tty = sink(true);
  createLogger({ level: 'info', stream: tty.stream }).info({ sources: 185, new: 380 }, 'ingest run');
  assert.equal(tty.lines.length, 1);
  assert.match(tty.lines[0]!, /^\S*\d\d:\d\d:\d\d\S* \S*INFO \S* ingest run sources=185 new=380\n$/);

  const pipe = sink(false);
  createLogger({ level: 'info', stream: pipe.stream }).info({ sources: 185 }, 'ingest run');
  const event = JSON.parse(pipe.lines.join(''));
  assert.equal(event.msg, 'ingest run');
  assert.equal(event.sources, 185);
  assert.equal(event.level, 30);
});

test('--log-format and NEWSDESK_LOG_FORMAT override the terminal check; a bad value is refused', () => {
  assert.equal(logFormatFor({ isTTY: true }, {}), 'pretty');
  assert.equal(logFormatFor({ isTTY: false }, {}), 'json');
  assert.equal(logFormatFor({ isTTY: true }, { NEWSDESK_LOG_FORMAT: 'json' }), 'json');
  try {
    setLogFormat('pretty');
    assert.equal(logFormatFor({ isTTY: false }, { NEWSDESK_LOG_FORMAT: 'json' }), 'pretty');
    assert.throws(() => setLogFormat('xml'), /--log-format must be json or pretty/);
  } finally {
    setLogFormat(undefined);
  }
});
