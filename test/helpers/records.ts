// A valid NewsRecord for store tests, numbered so that URLs and titles differ.
import type { NewsRecord } from '../../src/record.ts';

export function sampleRecord(n: number, over: Partial<NewsRecord> = {}): NewsRecord {
  return {
    title: `Story number ${n}`,
    excerpt: `Excerpt ${n}`,
    publishedDateTime: `2021-08-${String(10 + (n % 18)).padStart(2, '0')}T10:00:00Z`,
    updatedDateTime: null,
    originalUrl: `https://news.example.com/${n}?utm_source=feed`,
    webUrl: `https://news.example.com/${n}`,
    ampWebUrl: null,
    cdnAmpWebUrl: null,
    type: 'article',
    provider: { name: 'Example News', domain: 'example.com' },
    topics: [],
    images: [{ url: `https://img.example.com/${n}.jpg`, width: 800, height: 600, title: null }],
    locale: 'en-us',
    authors: ['A. Writer'],
    text: `Body of story ${n}`,
    html: null,
    extraction: { status: 'feed' },
    ...over,
  };
}

/** The corpus's facial-recognition article (the record SPEC.md shows), as a feed gives it: no image, no AMP. */
export function facialRecognitionRecord(over: Partial<NewsRecord> = {}): NewsRecord {
  return sampleRecord(0, {
    title: 'Tech companies reconsider facial recognition software',
    excerpt: 'IBM says it will no longer sell or research facial recognition software.',
    publishedDateTime: '2020-06-11T14:51:00Z',
    originalUrl: 'https://www.marketplace.org/2020/06/11/facial-recognition/',
    webUrl: 'https://www.marketplace.org/2020/06/11/facial-recognition/',
    provider: { name: 'Marketplace', domain: 'marketplace.org' },
    images: [],
    authors: [],
    text: '',
    ...over,
  });
}
