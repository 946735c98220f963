// What reader apps subscribe to and read, shared by the Google Reader and Fever APIs: the desk's
// streams (top stories, every topic, every provider of a published lead) and items (a published
// story shown by its lead, its other outlets listed; the content is the sanitized extracted article
// where stored, else the excerpt).
import type { Desk } from '../../jobs/desk.ts';
import type { StoredArticle } from '../../store/index.ts';
import { ReaderStore, type ItemRef, type ItemScope, type Reader } from '../../store/readers.ts';
import { allTopics } from '../../curate/topics/taxonomy.ts';
import { escapeHtml } from '../site/html.ts';
import { publicBaseUrl } from '../base-url.ts';

export interface DeskStream {
  /** `top`, `topic:<id>`, `provider:<domain>` */
  key: string;
  kind: 'top' | 'topic' | 'provider';
  title: string;
  scope: ItemScope;
  /** The outgoing feed that follows the same stream, and the page on the site. */
  feedUrl: string;
  htmlUrl: string;
  /** Provider domain or topic id. */
  ref: string;
}

export interface RenderedItem {
  ref: ItemRef;
  lead: StoredArticle;
  topics: string[];
  title: string;
  url: string;
  author: string;
  /** Seconds since the epoch. */
  published: number;
  html: string;
  others: Array<{ title: string; url: string; provider: string }>;
}


/** Every stream of the desk: top stories, each topic (by the taxonomy), each provider with a published lead. */
export async function deskStreams(desk: Desk, reader: Reader): Promise<DeskStream[]> {
  const base = publicBaseUrl(desk);
  const site = desk.config.siteName;
  const streams: DeskStream[] = [{ key: 'top', kind: 'top', ref: '', title: `${site}: top stories`, scope: { kind: 'all' }, feedUrl: `${base}/feeds/news.atom`, htmlUrl: `${base}/` }];
  for (const topic of allTopics(desk.taxonomy)) {
    streams.push({ key: `topic:${topic.id}`, kind: 'topic', ref: topic.id, title: `${site}: ${topic.name}`, scope: { kind: 'topic', topic: topic.name }, feedUrl: `${base}/feeds/topics/${topic.id}.atom`, htmlUrl: `${base}/topic/${topic.id}` });
  }
  for (const p of await providers(desk, reader)) {
    streams.push({ key: `provider:${p.domain}`, kind: 'provider', ref: p.domain, title: p.name, scope: { kind: 'provider', domain: p.domain }, feedUrl: `${base}/feeds/providers/${p.domain}.atom`, htmlUrl: `${base}/provider/${encodeURIComponent(p.domain)}` });
  }
  return streams;
}

/** Providers of published leads, by name. */
export async function providers(desk: Desk, reader: Reader): Promise<Array<{ domain: string; name: string }>> {
  const items = await new ReaderStore(desk.store).items(reader, { scope: { kind: 'all' }, order: 'id-asc' });
  const domains = [...new Set(items.map((i) => i.provider))];
  const names = new Map<string, string>();
  if (domains.length) {
    const leads = await desk.store.getArticles(items.map((i) => i.leadId), { body: false });
    for (const a of leads) names.set(a.provider.domain, a.provider.name);
  }
  return domains.map((domain) => ({ domain, name: names.get(domain) ?? domain })).sort((a, b) => a.name.localeCompare(b.name) || a.domain.localeCompare(b.domain));
}

export function streamByKey(streams: DeskStream[], key: string): DeskStream | undefined {
  return streams.find((s) => s.key === key);
}

/** Items with their leads' content and the story's other outlets, in the order given. */
export async function renderItems(desk: Desk, refs: ItemRef[]): Promise<RenderedItem[]> {
  if (refs.length === 0) return [];
  const readers = new ReaderStore(desk.store);
  const [leads, others, topics] = await Promise.all([desk.store.getArticles(refs.map((r) => r.leadId)), readers.otherOutlets(refs), readers.leadTopics(refs.map((r) => r.leadId))]);
  const byId = new Map(leads.map((a) => [a.id, a]));
  const out: RenderedItem[] = [];
  for (const ref of refs) {
    const lead = byId.get(ref.leadId);
    if (!lead) continue;
    const list = others.get(ref.storyId) ?? [];
    const body = lead.html && lead.html.trim() ? lead.html : `<p>${escapeHtml(lead.excerpt)}</p>`;
    const outlets = list.length
      ? `<hr><p>Also covered by:</p><ul>${list.map((o) => `<li><a href="${escapeHtml(o.url)}">${escapeHtml(o.provider)}</a>: ${escapeHtml(o.title)}</li>`).join('')}</ul>`
      : '';
    const time = Date.parse(ref.time);
    out.push({
      ref,
      lead,
      topics: topics.get(lead.id) ?? lead.topics,
      title: lead.title,
      url: lead.webUrl,
      author: lead.provider.name,
      published: Number.isNaN(time) ? 0 : Math.floor(time / 1000),
      html: body + outlets,
      others: list,
    });
  }
  return out;
}
