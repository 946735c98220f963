// How the guarded fetcher holds up against hostile bodies: time to refuse and peak memory for
// compression bombs and an endless body at the default 15 MiB cap, served from loopback.
// Run: npx tsx bench/fetch-limits.ts
import http from 'node:http';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { createHttpTransport } from '../src/fetch/http.ts';
import { describeError } from '../src/errors.ts';

const MiB = 1024 * 1024;
const inflated = 1024 * MiB;

// Compressing a GiB of zeros in one buffer would itself need a GiB, so it streams through in slices.
async function compressZeros(compressor: zlib.Gzip | zlib.BrotliCompress, total: number): Promise<Buffer> {
  const slice = Buffer.alloc(16 * MiB);
  const parts: Buffer[] = [];
  compressor.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => compressor.on('end', resolve));
  for (let written = 0; written < total; written += slice.length) {
    if (!compressor.write(slice)) await new Promise((resolve) => compressor.once('drain', resolve));
  }
  compressor.end();
  await done;
  return Buffer.concat(parts);
}

const gzipBomb = await compressZeros(zlib.createGzip({ level: 9 }), inflated);
const brotliBomb = await compressZeros(zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }), inflated);

const server = http.createServer((req, res) => {
  if (req.url === '/gzip') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
    return void res.end(gzipBomb);
  }
  if (req.url === '/br') {
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br' });
    return void res.end(brotliBomb);
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
const { port } = server.address() as AddressInfo;
const transport = createHttpTransport({ allow: { cidrs: ['127.0.0.2/32'] }, perHostDelayMs: 0, perHostJitterMs: 0 });

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
const baseline = process.memoryUsage().rss;
console.log(`cap ${15} MiB; baseline rss ${(baseline / MiB).toFixed(0)} MiB`);
for (const [path, what] of [
  ['/gzip', `gzip bomb (${(gzipBomb.length / 1024).toFixed(0)} KiB inflating to 1024 MiB)`],
  ['/br', `brotli bomb (${(brotliBomb.length / 1024).toFixed(0)} KiB inflating to 1024 MiB)`],
  ['/endless', 'endless plain body'],
] as const) {
  peakRss = process.memoryUsage().rss;
  const started = performance.now();
  let outcome: string;
  try {
    await transport.fetch({ url: `http://127.0.0.2:${port}${path}`, purpose: 'feed' });
    outcome = 'ACCEPTED (should not happen)';
  } catch (err) {
    outcome = describeError(err).split(':')[0];
  }
  const ms = performance.now() - started;
  console.log(`${what}: ${outcome} after ${ms.toFixed(0)} ms, peak rss ${(peakRss / MiB).toFixed(0)} MiB (+${((peakRss - baseline) / MiB).toFixed(0)} over baseline)`);
}
clearInterval(sampler);
await transport.close?.();
server.close();
