// `export jekyll DIR`: one `_news/<YYYY-MM-DD-slug>.md` file per article, front matter only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store, StoredArticle } from '../../store/index.ts';
import { newsFrontMatter, relatedList, renderFrontMatter } from './frontmatter.ts';

export async function exportNews(store: Store, dir: string): Promise<number> {
  const newsDir = join(dir, '_news');
  mkdirSync(newsDir, { recursive: true });
  const storyCache = new Map<number, StoredArticle[]>();
  let count = 0;
  for await (const article of store.iterateArticles()) {
    let members: StoredArticle[] = [];
    if (article.storyId !== null) {
      members = storyCache.get(article.storyId) ?? (await store.storyMembers(article.storyId));
      storyCache.set(article.storyId, members);
    }
    const file = join(newsDir, `${article.pathKey}.md`);
    writeFileSync(file, renderFrontMatter(newsFrontMatter(article, relatedList(article, members))));
    count++;
  }
  return count;
}
