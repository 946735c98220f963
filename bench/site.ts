// Site and API speed with 10k stories: the front page and an API page at a fixed 200 requests/s on
// loopback (p99 should stay under 20 ms), then the API page's top throughput against nginx serving
// the same JSON as a static file. The server runs in its own process. About a minute in all.
//   npx tsx bench/site.ts [--stories 10000] [--seconds 10] [--keep]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, existsSync, rmSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { Store } from '../src/store/index.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const STORIES = option('stories', 10_000);
const SECONDS = option('seconds', 10);
const RATE = 200;

const TOPICS = ['Machine Learning', 'Computer Vision', 'Natural Language Processing', 'AI Ethics', 'AI Hardware', 'AI in Autos', 'AI in Healthcare', 'AI in Finance', 'AI in Robotics', 'Google AI', 'Microsoft AI'];
const WORDS = 'model chip robot vision language startup funding research lab autonomous driving hospital bank regulation ethics training inference dataset benchmark cloud open source agent'.split(' ');

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

async function generate(store: Store, stories: number): Promise<number> {
  const random = seeded(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const start = Date.UTC(2025, 0, 1);
  const spanMs = 30 * 86_400_000;
  let articles = 0;
  const batch = 200;
  for (let first = 0; first < stories; first += batch) {
    const count = Math.min(stories, first + batch) - first;
    const plans = Array.from({ length: count }, (_, i) => {
      const s = first + i;
      const at = new Date(start + Math.floor(random() * spanMs)).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const quality = 39 + Math.floor(random() * 70);
      const size = 1 + Math.floor(random() * random() * 4);
      const heat = quality + 10 * (size - 1);
      return { s, at, quality, size, heat, published: heat >= 70 ? 1 : 0, topics: ['AI', pick(TOPICS)] };
    });
    await store.transaction(async (trx) => {
      const storyRows = await trx
        .insertInto('stories')
        .values(plans.map((p) => ({ lead_article_id: null, member_count: p.size, heat: p.heat, override: null, created_at: p.at, updated_at: p.at })))
        .returning('id')
        .execute();
      const articleRows = plans.flatMap((p, i) =>
        Array.from({ length: p.size }, (_, m) => {
          const title = `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} news ${p.s}-${m}`.replace(/^./, (c) => c.toUpperCase());
          const domain = `outlet${Math.floor(random() * 300)}.com`;
          const lead = m === 0;
          return {
            web_url: `https://${domain}/${p.s}/${m}`, original_url: `https://${domain}/${p.s}/${m}`, source_id: null, title,
            excerpt: `${title}: ${Array.from({ length: 30 }, () => pick(WORDS)).join(' ')}`.slice(0, 250),
            published_at: p.at, updated_at_source: null, amp_web_url: null, cdn_amp_web_url: null, type: 'article',
            provider_name: domain.replace('.com', '').replace(/^./, (c) => c.toUpperCase()), provider_domain: domain, provider_images: null,
            topics: JSON.stringify(p.topics), images: JSON.stringify([{ url: `https://${domain}/i.jpg`, width: 800, height: 450 }]), locale: 'en-us', authors: '[]',
            text: Array.from({ length: 120 }, () => pick(WORDS)).join(' '), html: null, extraction_status: 'feed', extraction_reason: null,
            quality: p.quality, quality_parts: JSON.stringify([{ name: 'base', points: p.quality, reason: 'generated' }]),
            heat: lead ? p.heat : -1, published: lead ? p.published : 0, listed: lead ? p.published : 0, story_id: Number(storyRows[i]!.id), secured: null,
            path_key: `${p.at.slice(0, 10)}-story-${p.s}-${m}`, cluster_features: null, created_at: p.at, updated_at: p.at,
          };
        }),
      );
      for (let i = 0; i < articleRows.length; i += 100) {
        const chunk = articleRows.slice(i, i + 100);
        const ids = await trx.insertInto('articles').values(chunk).returning('id').execute();
        await trx
          .insertInto('article_topics')
          .values(chunk.flatMap((row, j) => (JSON.parse(row.topics) as string[]).map((topic) => ({ article_id: Number(ids[j]!.id), topic, published_at: row.published_at, listed: row.listed }))))
          .execute();
      }
      articles += articleRows.length;
    });
  }
  // Each story's lead was inserted first, so it has the story's smallest article id.
  await sql`update stories set lead_article_id = (select min(id) from articles where articles.story_id = stories.id)`.execute(store.db);
  return articles;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startServer(storePath: string, dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/site-server.ts', storePath, dataDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

async function startNginx(root: string, dir: string): Promise<{ child: ChildProcess; url: string } | null> {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
  if (!nginx) return null;
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  types { application/json json; }
  server { listen 127.0.0.1:${port}; root ${root}; }
}
`,
  );
  const child = spawn(nginx, ['-c', conf, '-p', dir], { stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    try {
      await fetch(url + '/');
      return { child, url };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  return null;
}

/**
 * CPU seconds used so far by a process and its children (from /proc; Linux only). On a shared,
 * loaded machine latency says little, but CPU time per request still compares servers fairly.
 */
function cpuSeconds(rootPid: number): number | null {
  try {
    const ticksPerSecond = 100;
    let total = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      if (pid === rootPid || ppid === rootPid) total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    }
    return total;
  } catch {
    return null;
  }
}

interface Run {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  cpuMsPerRequest: number | null;
}

async function load(label: string, url: string, options: { rate?: number; seconds: number; connections: number; serverPid?: number }): Promise<Run> {
  const cpuBefore = options.serverPid ? cpuSeconds(options.serverPid) : null;
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds, ...(options.rate ? { overallRate: options.rate } : {}) });
  const cpuAfter = options.serverPid ? cpuSeconds(options.serverPid) : null;
  const cpuMsPerRequest = cpuBefore !== null && cpuAfter !== null && result.requests.total > 0 ? ((cpuAfter - cpuBefore) * 1000) / result.requests.total : null;
  return { label, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, errors: result.errors + result.timeouts, non2xx: result.non2xx, cpuMsPerRequest };
}

function print(run: Run): void {
  process.stdout.write(`${run.label.padEnd(44)} ${run.rps.toFixed(0).padStart(7)} req/s   p50 ${String(run.p50).padStart(4)} ms   p99 ${String(run.p99).padStart(4)} ms   max ${String(run.max).padStart(5)} ms   errors ${run.errors}   non-2xx ${run.non2xx}   server CPU ${run.cpuMsPerRequest === null ? '?' : run.cpuMsPerRequest.toFixed(3)} ms/req\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'newsdesk-bench-site-'));
chmodSync(dir, 0o755);
const children: ChildProcess[] = [];
try {
  const storePath = join(dir, 'store.sqlite');
  const store = await Store.open(storePath);
  let t = Date.now();
  const articles = await generate(store, STORIES);
  await store.close();
  process.stdout.write(`generated ${STORIES} stories (${articles} articles) in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);

  const runs: Run[] = [];
  const cached = await startServer(storePath, dir, {});
  children.push(cached.child);
  const apiPath = '/api/news/page/2/';
  // Warm up both routes once.
  await (await fetch(cached.url + '/')).text();
  const apiJson = await (await fetch(cached.url + apiPath)).text();
  runs.push(await load(`front page / at ${RATE}/s (2 s page cache)`, cached.url + '/', { rate: RATE, seconds: SECONDS, connections: 10, serverPid: cached.child.pid }));
  print(runs.at(-1)!);
  runs.push(await load(`API ${apiPath} at ${RATE}/s`, cached.url + apiPath, { rate: RATE, seconds: SECONDS, connections: 10, serverPid: cached.child.pid }));
  print(runs.at(-1)!);
  const apiMax = await load(`API ${apiPath} flat out`, cached.url + apiPath, { seconds: Math.max(5, SECONDS - 2), connections: 10, serverPid: cached.child.pid });
  print(apiMax);
  cached.child.kill('SIGTERM');

  const uncached = await startServer(storePath, dir, { NEWSDESK_PAGE_CACHE_MS: '0' });
  children.push(uncached.child);
  await (await fetch(uncached.url + '/')).text();
  runs.push(await load(`front page / at ${RATE}/s (no page cache)`, uncached.url + '/', { rate: RATE, seconds: SECONDS, connections: 10, serverPid: uncached.child.pid }));
  print(runs.at(-1)!);
  uncached.child.kill('SIGTERM');

  const www = join(dir, 'www');
  mkdirSync(join(www, 'api/news/page/2'), { recursive: true, mode: 0o755 });
  writeFileSync(join(www, 'api/news/page/2/index.json'), apiJson);
  spawnSync('chmod', ['-R', 'a+rX', www]);
  const nginx = await startNginx(www, dir);
  if (nginx) {
    children.push(nginx.child);
    const staticRun = await load('nginx static copy of the same JSON flat out', `${nginx.url}/api/news/page/2/index.json`, { seconds: Math.max(5, SECONDS - 2), connections: 10, serverPid: nginx.child.pid });
    print(staticRun);
    process.stdout.write(`API page throughput / nginx static file: ${(apiMax.rps / staticRun.rps).toFixed(3)} (${apiMax.rps.toFixed(0)} / ${staticRun.rps.toFixed(0)} req/s, ${apiJson.length} bytes)\n`);
    if (apiMax.cpuMsPerRequest && staticRun.cpuMsPerRequest) {
      process.stdout.write(`CPU per request, nginx static / API page: ${(staticRun.cpuMsPerRequest / apiMax.cpuMsPerRequest).toFixed(3)} (a load-independent view of the same ratio)\n`);
    }
    process.stdout.write(`load average during the run: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} on ${(await import('node:os')).cpus().length} cores\n`);
    nginx.child.kill('SIGTERM');
  } else {
    process.stdout.write('nginx not found (apt-get install -y nginx): no static-file comparison\n');
  }
  const failing = runs.filter((r) => r.p99 >= 20 || r.errors > 0 || r.non2xx > 0);
  process.stdout.write(failing.length ? `p99 bar (20 ms at ${RATE}/s) missed by: ${failing.map((r) => r.label).join('; ')}\n` : `all fixed-rate runs kept p99 under 20 ms at ${RATE}/s\n`);
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  if (args.includes('--keep')) process.stdout.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
