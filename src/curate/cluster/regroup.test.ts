import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planRegroup, type RegionArticle, type RegionStory, type StoryRef } from './regroup.ts';
import { DEFAULT_CLUSTER_CONFIG } from './config.ts';
import type { ClusterFeatures } from '../types.ts';

const day = Date.parse('2026-03-02T00:00:00Z');

/** Articles about one event share its words; each adds one word of its own. */
function article(id: string, event: string, storyId: string | null, options: { locked?: boolean; dayOffset?: number } = {}): RegionArticle {
  const features: ClusterFeatures = {
    v: 2,
    time: day + (options.dayOffset ?? 0) * 86_400_000,
    terms: [[`${event}1`, 2], [`${event}2`, 1], [`${event}3`, 1], [`own${id}`, 1]],
    titleTerms: [`${event}1`, `${event}2`],
    entities: [`name:${event}`],
  };
  return { id, order: `${features.time}:${id}`, features, storyId, locked: options.locked ?? false };
}

function stories(...list: Array<[string, number, RegionStory['override']?]>): Map<string, RegionStory> {
  return new Map(list.map(([id, age, override]) => [id, { id, age, override: override ?? null }]));
}

const idfOf = () => 1;
const plan = (articles: RegionArticle[], known: Map<string, RegionStory>, apart: Array<[string, string]> = []) =>
  planRegroup({ articles, stories: known, apart, idfOf, config: DEFAULT_CLUSTER_CONFIG });
const ref = (r: StoryRef | undefined) => (r && 'existing' in r ? r.existing : r ? `new${r.created}` : undefined);

test('two stories of one event merge into the older; the younger goes and says where', () => {
  const p = plan([article('a1', 'quake', 's7'), article('a2', 'quake', 's7'), article('b1', 'quake', 's3')], stories(['s7', 7], ['s3', 3]));
  assert.deepEqual(['a1', 'a2', 'b1'].map((id) => ref(p.storyOf.get(id))), ['s3', 's3', 's3']);
  assert.deepEqual(p.mergedAway, [{ from: 's7', into: { existing: 's3' } }]);
  assert.equal(p.created, 0);
  assert.ok(p.events.some((e) => ref(e.story) === 's3' && e.kind === 'merged' && e.articleIds.length === 2));
});

test('a story holding two events splits: the larger part keeps the id, the other becomes a new story', () => {
  const p = plan([article('x1', 'quake', 's1'), article('x2', 'quake', 's1'), article('y1', 'vote', 's1')], stories(['s1', 1]));
  assert.equal(ref(p.storyOf.get('x1')), 's1');
  assert.equal(ref(p.storyOf.get('x2')), 's1');
  assert.equal(ref(p.storyOf.get('y1')), 'new0');
  assert.equal(p.created, 1);
  assert.deepEqual(p.mergedAway, []);
  assert.ok(p.events.some((e) => ref(e.story) === 's1' && e.kind === 'split' && e.articleIds.join() === 'y1'));
  assert.ok(p.events.some((e) => ref(e.story) === 'new0' && e.kind === 'opened'));
});

test('articles a story holds that belong elsewhere move, and a new article joins the story of its event', () => {
  const p = plan([article('x1', 'quake', 's1'), article('y1', 'vote', 's2'), article('y2', 'vote', 's1'), article('n1', 'quake', null)], stories(['s1', 1], ['s2', 2]));
  assert.deepEqual(['x1', 'y1', 'y2', 'n1'].map((id) => ref(p.storyOf.get(id))), ['s1', 's2', 's2', 's1']);
});

test("an editor's story stays whole and keeps its id; two editors' stories never merge", () => {
  // The editor put a quake report and a vote report together: they stay together, and a new quake report joins them.
  const locked = [article('e1', 'quake', 's9', { locked: true }), article('e2', 'vote', 's9', { locked: true })];
  const p = plan([...locked, article('n1', 'quake', 's2'), article('n2', 'quake', 's2')], stories(['s9', 9], ['s2', 2]));
  assert.equal(ref(p.storyOf.get('e1')), 's9');
  assert.equal(ref(p.storyOf.get('e2')), 's9');
  assert.equal(ref(p.storyOf.get('n1')), 's9', "the editor's story keeps its id though s2 is older");
  assert.deepEqual(p.mergedAway, [{ from: 's2', into: { existing: 's9' } }]);

  const two = plan([article('p1', 'quake', 's4', { locked: true }), article('q1', 'quake', 's5', { locked: true })], stories(['s4', 4, 'pin'], ['s5', 5]));
  assert.notEqual(ref(two.storyOf.get('p1')), ref(two.storyOf.get('q1')));
});

test('stories an editor split apart are not joined again, even by an article that resembles both', () => {
  const articles = [article('a1', 'quake', 's1', { locked: true }), article('b1', 'quake', 's2', { locked: true }), article('c1', 'quake', null)];
  const p = plan(articles, stories(['s1', 1], ['s2', 2]), [['s1', 's2']]);
  assert.notEqual(ref(p.storyOf.get('a1')), ref(p.storyOf.get('b1')));
  assert.ok(['s1', 's2'].includes(ref(p.storyOf.get('c1'))!));
});

test('time: the same words two weeks apart are two stories', () => {
  const p = plan([article('a1', 'quake', 's1'), article('a2', 'quake', 's2', { dayOffset: 14 })], stories(['s1', 1], ['s2', 2]));
  assert.notEqual(ref(p.storyOf.get('a1')), ref(p.storyOf.get('a2')));
  const near = plan([article('a1', 'quake', 's1'), article('a2', 'quake', 's2', { dayOffset: 1 })], stories(['s1', 1], ['s2', 2]));
  assert.equal(ref(near.storyOf.get('a1')), ref(near.storyOf.get('a2')));
});

test('the plan does not depend on the order the region comes in', () => {
  const articles = [article('x1', 'quake', 's1'), article('x2', 'quake', 's2'), article('y1', 'vote', 's1'), article('y2', 'vote', null), article('z1', 'storm', 's3')];
  const known = stories(['s1', 1], ['s2', 2], ['s3', 3]);
  const expected = plan(articles, known);
  const reversed = plan([...articles].reverse(), known);
  assert.deepEqual([...reversed.storyOf].sort(), [...expected.storyOf].sort());
  assert.deepEqual(reversed.mergedAway, expected.mergedAway);
});

test('an identical headline joins two reports whose bodies share nothing, only with the rule on and a long enough title', () => {
  const headline = ['orbit', 'probe', 'lands', 'crater', 'moon'];
  const report = (id: string, body: string[], title = headline): RegionArticle => ({
    id,
    order: `${day}:${id}`,
    storyId: null,
    locked: false,
    features: { v: 2, time: day, terms: [...title.map((t) => [t, 2] as [string, number]), ...body.map((t) => [t, 1] as [string, number])], titleTerms: title, entities: [] },
  });
  // One body is site boilerplate: alike in the headline only.
  const boilerplate = Array.from({ length: 80 }, (_, i) => `site${i}`);
  const prose = Array.from({ length: 80 }, (_, i) => `event${i}`);
  const withRule = (sameTitle: number | null, articles: RegionArticle[]) =>
    planRegroup({ articles, stories: new Map(), idfOf, config: { ...DEFAULT_CLUSTER_CONFIG, regroup: { ...DEFAULT_CLUSTER_CONFIG.regroup, sameTitle } } });
  const pair = [report('p1', prose), report('p2', boilerplate)];
  assert.equal(withRule(null, pair).groups, 2);
  assert.equal(withRule(0.8, pair).groups, 1);
  const short = [report('q1', prose, ['moon', 'probe']), report('q2', boilerplate, ['moon', 'probe'])];
  assert.equal(withRule(0.8, short).groups, 2, 'a two-word headline is too common a thing to decide alone');
});
