// The progress bar: drawn in place on a terminal, silent anywhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine, startProgress } from './progress.ts';

function stream(isTTY: boolean) {
  let written = '';
  return { isTTY, write(text: string) { written += text; return true; }, get written() { return written; } };
}

test('not a terminal: nothing is written, whatever is reported', () => {
  const out = stream(false);
  const bar = startProgress('ingest: sources', 10, { stream: out });
  bar.tick();
  bar.report(5, 10);
  bar.setTotal(12);
  bar.done();
  assert.equal(out.written, '');
});

test('a terminal: the bar with counts and rate, redrawn in place, ending on its own line', () => {
  const out = stream(true);
  let now = 0;
  const bar = startProgress('export', 4, { stream: out, now: () => now, redrawMs: 100 });
  now = 1000;
  bar.tick();
  now = 1050;
  bar.tick(); // within the redraw interval: not drawn
  now = 2000;
  bar.tick(2); // the last: drawn at once
  bar.done();
  const frames = out.written.split('\r\x1b[2K').filter(Boolean);
  assert.deepEqual(frames, ['export [--------------------] 0/4', 'export [#####---------------] 1/4 1.0/s', 'export [####################] 4/4 2.0/s', 'export [####################] 4/4 2.0/s\n']);
});

test('progressLine: no bar without a total, rates rounded', () => {
  assert.equal(progressLine('import', 37, undefined, 2000), 'import 37 19/s');
  assert.equal(progressLine('send', 0, 3, 0), 'send [--------------------] 0/3');
  assert.equal(progressLine('send', 3, 3, 2000, 6), 'send [######] 3/3 1.5/s');
});
