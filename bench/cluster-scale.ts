// Cost of adding one article as the index grows: per-article assign() time (p50/p95) and candidates
// read, measured on 1,000 articles after the in-memory index holds 10k, 100k and 1M synthetic
// articles. Usage: npx tsx bench/cluster-scale.ts [--sizes 10000,100000,1000000] [--budget-seconds 600]
//
// The index is filled with the same feature and key computation assign() uses (prepareArticle +
// add, stories from the generator), without the candidate comparison, so that reaching 1M fits the
// time budget; the measured articles then go through the full assign().
import { assign, prepareArticle } from '../src/curate/cluster/clusterer.ts';
import { DEFAULT_CLUSTER_CONFIG } from '../src/curate/cluster/config.ts';
import { MemoryCandidateIndex } from '../src/curate/cluster/memory-index.ts';
import { seededUint32 as seededRandom } from '../src/random.ts';
import type { ClusterArticle } from '../src/curate/types.ts';
import { argument, percentile } from './options.ts';

const sizes = argument('--sizes', '10000,100000,1000000').split(',').map(Number);
const budgetMs = Number(argument('--budget-seconds', '600')) * 1000;
const SAMPLE = 1000;

/**
 * Seeded news-like articles: a Zipf-distributed vocabulary of 30k made-up words, stories with their own
 * names, places and figures, 1 to 4 articles per story that share those and rephrase the rest, about
 * 1,000 articles a day.
 */
function* syntheticNews(seed: number): Generator<ClusterArticle & { story: string }> {
  const next = seededRandom(seed);
  const unit = () => next() / 2 ** 32;
  const syllables = 'ba be bi bo bu da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi zo'.split(' ');
  const word = (n: number) => Array.from({ length: n }, () => syllables[next() % syllables.length]).join('');
  const vocabulary = Array.from({ length: 30_000 }, (_, i) => word(2 + (i % 3)));
  const cumulative = new Float64Array(vocabulary.length);
  let total = 0;
  for (let i = 0; i < vocabulary.length; i++) cumulative[i] = total += 1 / (i + 1);
  const zipf = () => {
    const x = unit() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  const sentence = (words: number, names: string[]) =>
    Array.from({ length: words }, () => (unit() < 0.12 ? names[next() % names.length]! : zipf())).join(' ');
  let count = 0;
  const start = Date.parse('2020-01-01T00:00:00Z');
  const pending: Array<ClusterArticle & { story: string }> = [];
  for (let story = 0; ; story++) {
    const names = [`${cap(word(2))} ${cap(word(3))}`, `${cap(word(3))} ${cap(zipf())}`, cap(word(3))];
    const topic = Array.from({ length: 12 }, zipf);
    const figure = `${1 + (next() % 900)}`;
    const reports = 1 + (next() % 4);
    for (let r = 0; r < reports; r++) {
      const when = start + (count + pending.length) * 86.4 + (next() % 2) * 86_400_000;
      const title = `${names[0]} ${topic[next() % 12]} ${topic[next() % 12]} ${zipf()} ${figure}`;
      const text = `${names[0]} ${sentence(14, names)} ${topic.slice(0, 6).join(' ')} ${figure} million. ${sentence(20, names)}. ${names[1]} ${sentence(18, names)} ${topic.slice(6).join(' ')}.`;
      pending.push({ id: `s${story}r${r}`, title, text, publishedDateTime: new Date(when).toISOString(), story: `s${story}` });
    }
    while (pending.length > 8) {
      count++;
      yield pending.splice(next() % pending.length, 1)[0]!;
    }
  }
}


const config = DEFAULT_CLUSTER_CONFIG;
const index = new MemoryCandidateIndex();
const stream = syntheticNews(20_240_601);
const storyIds = new Map<string, string>();
const began = performance.now();
console.log(`cluster-scale: per-article assign() on the in-memory index (sample ${SAMPLE} articles per size)`);
console.log('stored\twall p50 ms\twall p95 ms\tcpu p50 ms\tcpu p95 ms\tcandidates read (mean)\tfill s\theap+buffers MB');
for (const size of sizes) {
  const fillStart = performance.now();
  let outOfTime = false;
  while (index.size < size) {
    const article = stream.next().value!;
    const prepared = await prepareArticle(article, index, config);
    let storyId = storyIds.get(article.story);
    if (storyId === undefined) {
      storyId = await index.createStory(article.id);
      storyIds.set(article.story, storyId);
    }
    await index.add({ id: article.id, features: prepared.features, keys: prepared.keys, documentTerms: prepared.documentTerms, storyId });
    if (index.size % 50_000 === 0 && performance.now() - began > budgetMs) {
      outOfTime = true;
      break;
    }
  }
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const stored = index.size;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let candidates = 0;
  for (let i = 0; i < SAMPLE; i++) {
    const article = stream.next().value!;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await assign(article, index, config);
    times.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    candidates += result.candidatesChecked;
    if (!storyIds.has(article.story)) storyIds.set(article.story, result.storyId);
  }
  const memory = process.memoryUsage();
  const mb = Math.round((memory.heapUsed + memory.arrayBuffers) / 2 ** 20);
  console.log(
    [stored, percentile(times, 0.5).toFixed(2), percentile(times, 0.95).toFixed(2), percentile(cpuTimes, 0.5).toFixed(2), percentile(cpuTimes, 0.95).toFixed(2), (candidates / SAMPLE).toFixed(0), fillSeconds.toFixed(0), mb].join('\t'),
  );
  if (outOfTime) {
    console.log(`stopped: the ${budgetMs / 1000} s budget ran out at ${index.size} articles (asked for ${size})`);
    break;
  }
}
console.log(`config: candidatesPerKey=${config.candidatesPerKey} maxCompared=${config.maxCompared} bands=${config.bands}x${config.rows} entityKeys=${config.entityKeys} termKeys=${config.termKeys}`);
