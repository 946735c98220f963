import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachStore, postgresUnavailable } from '../../../test/helpers/stores.ts';
import { smallDeskOnFirstUse } from '../testing.ts';

await postgresUnavailable();

describeEachStore('collection pages', (fixture) => {
  const open = smallDeskOnFirstUse(() => fixture().store);

  test('lists, profiles with their news, collections, events and learning pages', async () => {
    const { app } = await open();
    const get = async (url: string, status = 200) => {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, status, `${url}: ${response.body.slice(0, 200)}`);
      return response.body;
    };
    const companies = await get('/companies/');
    assert.match(companies, /<a href="\/company\/nvidia\/">NVIDIA<\/a>/);
    assert.match(await get('/companies/?topic=ai-hardware'), /Companies: AI Hardware/);
    await get('/companies/?topic=nope', 404);
    const nvidia = await get('/company/nvidia/');
    assert.match(nvidia, /In the news/);
    assert.match(nvidia, /NVIDIA unveils a new GPU for training large models/);
    const santaClara = await get('/company/collections/ai-companies-in-santa-clara/');
    assert.match(santaClara, /2 members/);
    assert.match(await get('/people/elon-musk/'), /Elon Musk says Tesla is an AI company/);
    const events = await get('/events/');
    assert.ok(events.indexOf('Future AI Conference') < events.indexOf('Past'), 'the coming event is listed first');
    await get('/event/2030-05-01-future-ai-conference/');
    assert.match(await get('/learning/?type=video'), /Basic Computer Vision with ML/);
    await get('/learning/videos/tensorflow-basic-computer-vision-with-ml-ml-zero-to-hero-part-2/');
    await get('/learning/books/tensorflow-basic-computer-vision-with-ml-ml-zero-to-hero-part-2/', 404);
    await get('/company/no-such-company/', 404);
  });
});
