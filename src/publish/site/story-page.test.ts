// The story page as readers see it: a timeline of what happened (outlets reporting in time order,
// the front page, editors' picks) without the gate's arithmetic, and only taxonomy topics as topics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore } from '../../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from '../testing.ts';
import { SiteStore } from '../../store/site.ts';
import { decideStory } from '../desk/actions.ts';
import { rescoreStory } from '../../jobs/curate.ts';

describeEachStore('story page', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store);
  const gpuStory = async () => {
    const { desk } = await open();
    const { hits } = await new SiteStore(desk.store).search({ query: 'NVIDIA unveils a new GPU', publishedOnly: true });
    const lead = hits[0]!.article;
    return { lead, storyId: lead.storyId! };
  };
  const timelineOf = (body: string) => [.../<ol class="timeline">([\s\S]*?)<\/ol>/.exec(body)![1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim());

  test('the timeline tells what happened, in time order, and keeps the gate arithmetic for the desk', async () => {
    const { app, desk } = await open();
    const { storyId } = await gpuStory();
    // Scored by the real gate, so the history holds its reasons ("heat 214 >= threshold 70").
    await rescoreStory(desk, storyId);
    const history = await new SiteStore(desk.store).histories((await new SiteStore(desk.store).storyMembers([storyId])).get(storyId)!.map((m) => m.id));
    assert.ok(history.some((h) => /threshold/.test(h.reason)), 'the store keeps the reasons (the desk shows them)');
    const page = await app.inject({ method: 'GET', url: `/story/${storyId}` });
    assert.equal(page.statusCode, 200);
    const timeline = timelineOf(page.body);
    const reports = timeline.filter((t) => / reported: /.test(t));
    assert.deepEqual(reports.map((t) => t.replace(/^.*UTC/, '')), ['theverge reported: NVIDIA unveils a new GPU for training large models', 'cnbc reported: Nvidia shows its next AI chip']);
    assert.ok(timeline.some((t) => /On the front page, led by theverge's report/.test(t)), timeline.join('\n'));
    assert.doesNotMatch(page.body, /threshold|heat -?\d|&lt;|&gt;=|Held back/, 'no gate arithmetic for readers');
    const times = [...page.body.matchAll(/<ol class="timeline">[\s\S]*?<\/ol>/g)][0]![0].match(/datetime="([^"]+)"/g)!.map((d) => d.slice(10, -1));
    assert.deepEqual(times, [...times].sort(), 'in time order');
  });

  test("an editor's pick shows as such, without the editor's name", async () => {
    const { app, desk } = await open();
    const { storyId } = await gpuStory();
    await decideStory(desk, 'night-editor', storyId, 'pin');
    const body = (await app.inject({ method: 'GET', url: `/story/${storyId}` })).body;
    assert.ok(timelineOf(body).some((t) => t.includes("Editor's pick")), timelineOf(body).join('\n'));
    assert.doesNotMatch(body, /night-editor/);
    await decideStory(desk, 'night-editor', storyId, 'auto');
    assert.ok(timelineOf((await app.inject({ method: 'GET', url: `/story/${storyId}` })).body).some((t) => t.includes("No longer an editor's pick")));
  });

  test('a tag that is no topic (an author name from imported records) is never shown as one', async () => {
    const { app, desk } = await open();
    const { lead, storyId } = await gpuStory();
    await desk.store.setTopics(lead.id, ['Jane Doe', 'AI', 'AI Hardware']);
    for (const url of [`/story/${storyId}`, '/latest', '/topic/ai-hardware', '/search?q=nvidia']) {
      const body = (await app.inject({ method: 'GET', url })).body;
      assert.doesNotMatch(body, /Jane Doe/, url);
    }
    const story = (await app.inject({ method: 'GET', url: `/story/${storyId}` })).body;
    assert.match(story, /<p class="kicker"><a href="\/topic\/ai-hardware">AI Hardware<\/a><\/p>/);
  });
});
