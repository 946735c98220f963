// `newsdesk serve` as a user starts it, on the offline demo: the listener answers health at once
// while the demo loads (ready only once it has), and with stdout not a terminal the log is JSON,
// one summary line per ingest run rather than one per source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

async function timed(url: string): Promise<{ status: number; ms: number; body: any }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = await response.json();
  return { status: response.status, ms: performance.now() - started, body };
}

test('serve answers /api/health/live at once while the demo loads, and is ready once it has', { timeout: 240_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nd-serve-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEWSDESK_DATA: dataDir, NEWSDESK_PORT: '0', NEWSDESK_LOG_LEVEL: 'info', NEWSDESK_LOG_FORMAT: '' };
  delete env.NEWSDESK_STORE;
  delete env.NEWSDESK_CONFIG;
  const child = spawn(process.execPath, ['bin/newsdesk.mjs', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "serving" line within 120 s; stderr: ${stderr}`)), 120_000);
      const look = () => {
        const match = /newsdesk: serving (http:\/\/\S+?)\/ /.exec(stdout);
        if (match) {
          clearTimeout(timer);
          child.stdout.off('data', look);
          resolve(match[1]!.replace('localhost', '127.0.0.1'));
        }
      };
      child.stdout.on('data', look);
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });

    const live = await timed(`${base}/api/health/live`);
    assert.equal(live.status, 200);
    assert.ok(live.ms < 1000, `live answered in ${live.ms.toFixed(0)} ms while loading`);
    const ready = await timed(`${base}/api/health/ready`);
    assert.equal(ready.status, 503, 'not ready while the demo loads');
    assert.ok(ready.body.reasons.some((r: string) => r.startsWith('loading')), ready.body.reasons.join('; '));
    assert.ok(ready.ms < 3000, `ready answered in ${ready.ms.toFixed(0)} ms`);

    // Polled while loading: every answer within a second.
    let slowest = live.ms;
    let health = await timed(`${base}/api/health`);
    const deadline = Date.now() + 180_000;
    while (health.status !== 200 && Date.now() < deadline) {
      const poll = await timed(`${base}/api/health/live`);
      slowest = Math.max(slowest, poll.ms);
      await new Promise((resolve) => setTimeout(resolve, 250));
      health = await timed(`${base}/api/health`);
    }
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(health.body.ready, true);
    assert.ok(health.body.articles >= 300, `${health.body.articles} articles once ready`);
    assert.ok(slowest < 1000, `slowest live answer while loading: ${slowest.toFixed(0)} ms`);
    console.log(`  live answered in ${live.ms.toFixed(0)} ms right after "serving"; slowest while loading ${slowest.toFixed(0)} ms`);

    // Not a terminal: JSON, every line, with one summary of the run.
    const logLines = stdout.split('\n').filter((line) => line.startsWith('{'));
    for (const line of logLines) assert.doesNotThrow(() => JSON.parse(line), line);
    const events = logLines.map((line) => JSON.parse(line) as { msg: string; sources?: number; new?: number });
    const summary = events.find((e) => e.msg === 'ingest run');
    assert.ok(summary, `an ingest run summary among ${events.map((e) => e.msg).join(' | ')}`);
    assert.equal(summary.sources, 185);
    assert.ok((summary.new ?? 0) >= 300);
    assert.ok(!events.some((e) => e.msg === 'source fetched'), 'no line per source at info');
    assert.ok(logLines.length < 20, `${logLines.length} log lines for the demo`);
    console.log(`  ${logLines.length} JSON log lines for the demo load`);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
