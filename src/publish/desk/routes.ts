// The editor's desk at /desk: login, review queue, story decisions, merge and split, topic
// corrections, taxonomy and organizations, sources and their fetch history.
// Every POST needs the session's CSRF token; the login form a double-submit token of its own.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Desk } from '../../jobs/desk.ts';
import { html, type SafeHtml } from '../site/html.ts';
import { renderPage } from '../site/layout.ts';
import { siteContext, type SiteContext } from '../site/context.ts';
import { formatDateTime, timeTag } from '../site/components.ts';
import { EditorAuth, newToken, parseCookies, sameToken } from './auth.ts';
import { decideStory, mergeStories, splitStory, correctTopics, saveTaxonomy, saveOrganizations, addSourceByUrl, readTextFile, relearnStoredCorrections, type StoryDecision } from './actions.ts';
import { describeError, requestError } from '../../errors.ts';
import { ingestSource } from '../../jobs/ingest.ts';
import { resolveStory, storyEvents } from '../../store/stories.ts';
import { idOf, pageNumber } from '../params.ts';

const SESSION_COOKIE = 'nd_session';
const LOGIN_COOKIE = 'nd_login';

type Form = URLSearchParams;
interface Editor {
  username: string;
  csrf: string;
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    editor?: Editor;
  }
}

function cookie(name: string, value: string, options: { secure: boolean; maxAge?: number }): string {
  return [`${name}=${encodeURIComponent(value)}`, 'Path=/desk', 'HttpOnly', 'SameSite=Strict', ...(options.secure ? ['Secure'] : []), ...(options.maxAge !== undefined ? [`Max-Age=${options.maxAge}`] : [])].join('; ');
}

function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.status(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function flashOf(req: FastifyRequest): SafeHtml {
  const q = req.query as Record<string, string | undefined>;
  if (q.error) return html`<p class="flash error" role="alert">${q.error}</p>`;
  if (q.done) return html`<p class="flash" role="status">${q.done}</p>`;
  return html``;
}

function redirectWith(reply: FastifyReply, path: string, message: { done?: string; error?: string }): FastifyReply {
  const url = new URL(path, 'http://desk.invalid');
  if (message.done) url.searchParams.set('done', message.done);
  if (message.error) url.searchParams.set('error', message.error);
  return reply.status(303).header('location', url.pathname + url.search).send();
}

/** Where to go back to after an action: a desk path from the form, never another site. */
function backTo(form: Form, fallback: string): string {
  const back = form.get('back') ?? '';
  return /^\/desk(\/[\w\-/?=&%.]*)?$/.test(back) ? back : fallback;
}

function csrfField(editor: Editor, back: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${editor.csrf}"><input type="hidden" name="back" value="${back}">`;
}

function partsList(article: { qualityParts?: Array<{ name: string; points: number; reason: string }> }): SafeHtml {
  const parts = article.qualityParts ?? [];
  if (!parts.length) return html``;
  return html`<ul class="parts">${parts.map((p) => html`<li title="${p.reason}">${p.name} ${p.points >= 0 ? '+' : ''}${p.points}</li>`)}</ul>`;
}

function decisionButtons(editor: Editor, storyId: number, override: string | null, back: string): SafeHtml {
  const button = (decision: StoryDecision, label: string, cls = '') =>
    html`<form method="post" action="/desk/story/${storyId}/decide">${csrfField(editor, back)}<input type="hidden" name="decision" value="${decision}"><button type="submit" class="${cls}">${label}</button></form>`;
  return html`<div class="actions">${override !== 'pin' ? button('pin', 'Publish & pin') : ''}${override !== 'block' ? button('block', 'Unpublish', 'danger') : ''}${override !== null ? button('auto', 'Automatic', 'secondary') : ''}</div>`;
}

function stateLabel(article: { published: boolean | null }, override: string | null): SafeHtml {
  if (override === 'pin') return html`<span class="status-ok">pinned</span>`;
  if (override === 'block') return html`<span class="status-error">blocked</span>`;
  if (article.published === true) return html`<span class="status-ok">published</span>`;
  if (article.published === false) return html`<span class="status-paused">held</span>`;
  return html`<span class="status-new">unscored</span>`;
}

export async function registerDeskRoutes(app: FastifyInstance, desk: Desk): Promise<void> {
  const ctx: SiteContext = siteContext(desk);
  const auth = new EditorAuth(ctx.site, undefined, 12, () => desk.now());
  const secure = desk.config.baseUrl.startsWith('https:');
  const safeHost = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return null;
    }
  };
  const publicHost = safeHost(desk.config.baseUrl);
  const queued = await relearnStoredCorrections(desk);
  if (queued) desk.log.info({ corrections: queued }, 'topic corrections queued for the classifier');

  const page = (req: FastifyRequest, title: string, current: string, body: SafeHtml) =>
    renderPage({ siteName: desk.config.siteName, title, body: html`${flashOf(req)}${body}`, desk: { editor: req.editor?.username ?? null, csrf: req.editor?.csrf ?? null, current }, noindex: true });

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    // Who is logged in; every desk page but the login form needs someone.
    scope.addHook('preHandler', async (req, reply) => {
      const token = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const session = await auth.session(token);
      if (session && token) req.editor = { username: session.username, csrf: session.csrfToken, token };
      const path = req.url.split('?')[0]!;
      if (path === '/desk/login') return;
      if (!req.editor) {
        if (req.method === 'GET') return reply.status(303).header('location', `/desk/login?next=${encodeURIComponent(req.url)}`).send();
        return reply.status(401).type('text/plain').send('login required');
      }
      if (req.method === 'POST') {
        const origin = req.headers.origin;
        const form = req.body instanceof URLSearchParams ? req.body : null;
        // Browsers send Origin on form posts; it must be this server (as reached, or as configured behind a proxy).
        const originOk = origin === undefined || (origin !== 'null' && [req.headers.host, publicHost].includes(safeHost(origin)));
        if (!form || !originOk || !sameToken(form.get('csrf') ?? '', req.editor.csrf)) {
          return reply.status(403).type('text/plain').send('forbidden: the form is stale or came from another site; reload the page and try again');
        }
      }
    });

    scope.setErrorHandler((err, req, reply) => {
      // A body too large or of a type the desk does not read is refused as such, never redirected:
      // no form was read, and without a session there is nowhere to go back to.
      const coded = requestError(err, req.headers['content-type']);
      if (coded && (coded.status === 413 || coded.status === 415 || !req.editor)) return reply.status(coded.status).type('text/plain').send(coded.message);
      if (coded && req.method === 'POST') {
        const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
        return redirectWith(reply, backTo(form, '/desk'), { error: coded.message });
      }
      if (coded) return reply.status(coded.status).type('text/plain').send(coded.message);
      desk.log.error({ err }, 'desk request failed');
      return reply.status(500).type('text/plain').send('internal error');
    });

    // ---- login -----------------------------------------------------------------------------------------

    const loginPage = (req: FastifyRequest, reply: FastifyReply, status: number, message: string | null, next: string) => {
      const token = newToken();
      reply.header('set-cookie', cookie(LOGIN_COOKIE, token, { secure, maxAge: 3600 }));
      const body = html`<div class="login panel">
<h1>Editor's desk</h1>
${message ? html`<p class="flash error" role="alert">${message}</p>` : ''}
<form class="form-grid" method="post" action="/desk/login">
<input type="hidden" name="csrf" value="${token}">
<input type="hidden" name="next" value="${next}">
<label for="username">Username<input id="username" name="username" type="text" autocomplete="username" required autofocus></label>
<label for="password">Password<input id="password" name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Log in</button>
</form>
<p class="count">Editors are created with <code>npx newsdesk admin create NAME</code>.</p>
</div>`;
      return sendPage(reply, renderPage({ siteName: desk.config.siteName, title: 'Log in', body, desk: { editor: null, csrf: null, current: '' }, noindex: true }), status);
    };
    const safeNext = (next: string | null | undefined) => (next && /^\/desk(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/desk');

    scope.get('/desk/login', async (req, reply) => {
      if (req.editor) return reply.status(303).header('location', '/desk').send();
      return loginPage(req, reply, 200, null, safeNext((req.query as Record<string, string>).next));
    });

    scope.post('/desk/login', async (req, reply) => {
      const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
      const expected = parseCookies(req.headers.cookie)[LOGIN_COOKIE] ?? '';
      const next = safeNext(form.get('next'));
      if (!sameToken(form.get('csrf') ?? '', expected)) return loginPage(req, reply, 403, 'The login form expired; please try again.', next);
      const result = await auth.login((form.get('username') ?? '').trim(), form.get('password') ?? '', req.ip);
      if (!result.ok) {
        if (result.reason === 'rate-limited') {
          const seconds = result.retryAfterSeconds ?? 15 * 60;
          reply.header('retry-after', String(seconds));
          const minutes = Math.ceil(seconds / 60);
          return loginPage(req, reply, 429, `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, next);
        }
        return loginPage(req, reply, 401, 'Wrong username or password.', next);
      }
      desk.log.info({ editor: result.username }, 'editor logged in');
      reply.header('set-cookie', [cookie(SESSION_COOKIE, result.token, { secure, maxAge: 12 * 3600 }), cookie(LOGIN_COOKIE, '', { secure, maxAge: 0 })]);
      return reply.status(303).header('location', next).send();
    });

    scope.post('/desk/logout', async (req, reply) => {
      await auth.logout(req.editor?.token);
      reply.header('set-cookie', cookie(SESSION_COOKIE, '', { secure, maxAge: 0 }));
      return reply.status(303).header('location', '/desk/login').send();
    });

    // ---- review queue --------------------------------------------------------------------------------------

    const views = [
      ['borderline', 'Borderline'],
      ['unpublished', 'Held back'],
      ['published', 'Published'],
      ['overridden', 'Editor decisions'],
    ] as const;

    scope.get('/desk', async (req, reply) => {
      const editor = req.editor!;
      const q = req.query as Record<string, string | undefined>;
      const view = (views.find(([v]) => v === q.view)?.[0] ?? 'borderline') as (typeof views)[number][0];
      const pageNo = pageNumber(q.page);
      const threshold = desk.config.thresholds.publish;
      const { items, hasMore } = await ctx.site.reviewQueue(view, threshold, pageNo);
      const full = new Map((await desk.store.getArticles(items.map((i) => i.id))).map((a) => [a.id, a]));
      const histories = await ctx.site.histories(items.map((i) => i.id));
      const lastReason = new Map<number, string>();
      for (const h of histories) if (h.field === 'published' || h.field === 'heat') lastReason.set(h.articleId, h.reason);
      const back = `/desk?view=${view}${pageNo > 1 ? `&page=${pageNo}` : ''}`;
      const counts = await desk.store.counts();
      const body = html`<h1 class="page-title">Review</h1>
<p class="page-intro">${counts.published} published of ${counts.articles} articles in ${counts.stories} stories. Publish threshold: heat ${threshold}.</p>
<ul class="tabs">${views.map(([v, label]) => html`<li><a href="/desk?view=${v}"${v === view ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>
${
  items.length
    ? html`<div class="scroll"><table class="desk-table">
<thead><tr><th scope="col">Story</th><th scope="col">Quality</th><th scope="col">Heat</th><th scope="col" class="hide-narrow">Why</th><th scope="col">State</th><th scope="col">Decide</th></tr></thead>
<tbody>${items.map((item) => {
        const article = full.get(item.id);
        return html`<tr>
<td><a class="title" href="/desk/story/${item.storyId ?? 0}">${item.title}</a><br><span class="count">${item.providerName} · ${formatDateTime(item.publishedAt)} · ${item.memberCount} article${item.memberCount === 1 ? '' : 's'}</span></td>
<td>${item.quality ?? '–'}${article ? partsList(article) : ''}</td>
<td>${item.heat ?? '–'}</td>
<td class="hide-narrow">${lastReason.get(item.id) ?? ''}</td>
<td>${stateLabel(item, item.override)}</td>
<td>${item.storyId !== null ? decisionButtons(editor, item.storyId, item.override, back) : ''}</td>
</tr>`;
      })}</tbody></table></div>`
    : html`<p class="empty">Nothing to review here.</p>`
}
<nav class="pager" aria-label="Pages">${pageNo > 1 ? html`<a href="/desk?view=${view}&page=${pageNo - 1}">← Previous</a>` : html`<span></span>`}${hasMore ? html`<a href="/desk?view=${view}&page=${pageNo + 1}">Next →</a>` : ''}</nav>`;
      return sendPage(reply, page(req, 'Review', '/desk', body));
    });

    // ---- one story --------------------------------------------------------------------------------------------

    scope.get<{ Params: { id: string } }>('/desk/story/:id', async (req, reply) => {
      const editor = req.editor!;
      const storyId = idOf(req.params.id) ?? 0;
      const current = storyId ? await resolveStory(desk.store, storyId) : null;
      if (current !== null && current !== storyId) return reply.redirect(`/desk/story/${current}`, 301);
      const story = current !== null ? await desk.store.getStory(storyId) : null;
      if (!story) return sendPage(reply, page(req, 'Not found', '/desk', html`<h1 class="page-title">No story ${req.params.id}</h1>`), 404);
      const members = await desk.store.storyMembers(storyId);
      const [history, audit, corrections, regroupings] = await Promise.all([ctx.site.histories(members.map((m) => m.id)), ctx.site.storyAudit(storyId), ctx.site.topicCorrections(), storyEvents(desk.store, storyId)]);
      const corrected = new Set(corrections.map((c) => c.articleId));
      const back = `/desk/story/${storyId}`;
      const topics = ctx.topics();
      const lead = members.find((m) => m.id === story.leadArticleId) ?? members[0];
      const body = html`<p><a href="/desk">← Review</a></p>
<h1 class="page-title">${lead?.title ?? `Story ${storyId}`}</h1>
<p class="page-intro">Story ${storyId} · ${members.length} article${members.length === 1 ? '' : 's'} · heat ${story.heat ?? '–'} · ${stateLabel(lead ?? { published: null }, story.override)} · <a href="/story/${storyId}">reader's view</a></p>
${decisionButtons(editor, storyId, story.override, back)}
<section class="panel" aria-labelledby="members-title">
<h2 id="members-title">Articles</h2>
<form method="post" action="/desk/story/${storyId}/split" data-confirm="Move the selected articles into a new story?">${csrfField(editor, back)}
<div class="scroll"><table class="desk-table">
<thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Article</th><th scope="col">Quality</th><th scope="col">Heat</th><th scope="col">State</th></tr></thead>
<tbody>${members.map(
        (m) => html`<tr>
<td><input type="checkbox" name="article" value="${m.id}" id="pick-${m.id}" aria-label="Select ${m.title}"></td>
<td><label for="pick-${m.id}" class="title">${m.title}</label>${m.id === lead?.id ? html` <span class="pinned">lead</span>` : ''}<br><span class="count">${m.provider.name} · ${formatDateTime(m.publishedDateTime)} · <a href="${m.webUrl}" rel="noopener noreferrer">original</a></span><br><span class="count">Topics: ${m.topics.join(', ')}${corrected.has(m.id) ? ' (corrected)' : ''}</span></td>
<td>${m.quality ?? '–'}${partsList(m)}</td>
<td>${m.heat ?? '–'}</td>
<td>${stateLabel(m, story.override)}</td>
</tr>`,
      )}</tbody></table></div>
${members.length > 1 ? html`<p><button type="submit" class="secondary">Split selected into a new story</button></p>` : ''}
</form>
</section>
<section class="panel" aria-labelledby="merge-title">
<h2 id="merge-title">Merge another story into this one</h2>
<form class="form-grid" method="post" action="/desk/story/${storyId}/merge">${csrfField(editor, back)}
<label for="merge-from">Story number<input id="merge-from" name="from" type="number" min="1" required></label>
<button type="submit" class="secondary">Merge into story ${storyId}</button>
</form>
</section>
<section class="panel" aria-labelledby="topics-title">
<h2 id="topics-title">Correct topics</h2>
<p class="count">Corrections are kept and teach the learned topic classifier.</p>
${members.map(
        (m) => html`<form method="post" action="/desk/article/${m.id}/topics">${csrfField(editor, back)}
<fieldset><legend>${m.title}</legend>
<div class="checks">${topics.map(
          (t) => html`<label><input type="checkbox" name="topic" value="${t.name}"${m.topics.includes(t.name) ? ' checked' : ''}${t.id === desk.taxonomy.root.id ? ' disabled' : ''}> ${t.name}</label>`,
        )}</div>
<p><button type="submit" class="secondary">Save topics</button></p>
</fieldset></form>`,
      )}
</section>
<section class="panel" aria-labelledby="history-title">
<h2 id="history-title">Why: score history and regroupings</h2>
<ol class="timeline">${[
        ...history.map((h) => ({ at: h.at, text: html`${members.find((m) => m.id === h.articleId)?.provider.name ?? `#${h.articleId}`}: ${h.field} ${h.oldValue ?? '–'} → ${h.newValue ?? '–'} (${h.reason})` })),
        ...audit.map((a) => ({ at: a.at, text: html`<strong>${a.editor}</strong> ${a.action}${a.detail ? ` (${a.detail})` : ''}` })),
        ...regroupings.filter((e) => e.actor === null).map((e) => ({ at: e.at, text: html`Consolidation: ${e.kind}, ${e.detail}` })),
      ]
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
        .map((e) => html`<li>${timeTag(e.at)}${e.text}</li>`)}</ol>
</section>`;
      return sendPage(reply, page(req, lead?.title ?? `Story ${storyId}`, '/desk', body));
    });

    scope.post<{ Params: { id: string } }>('/desk/story/:id/decide', async (req, reply) => {
      const form = req.body as Form;
      const decision = form.get('decision') as StoryDecision;
      if (!['pin', 'block', 'auto'].includes(decision)) return redirectWith(reply, backTo(form, '/desk'), { error: 'unknown decision' });
      await decideStory(desk, req.editor!.username, idOf(req.params.id) ?? 0, decision);
      const label = { pin: 'published and pinned', block: 'unpublished', auto: 'back on the automatic gate' }[decision];
      return redirectWith(reply, backTo(form, '/desk'), { done: `Story ${req.params.id} ${label}.` });
    });

    scope.post<{ Params: { id: string } }>('/desk/story/:id/merge', async (req, reply) => {
      const form = req.body as Form;
      const into = idOf(req.params.id) ?? 0;
      const from = idOf(form.get('from')?.trim() ?? '');
      if (from === null) return redirectWith(reply, backTo(form, '/desk'), { error: 'give the number of the story to merge' });
      await mergeStories(desk, req.editor!.username, into, from);
      return redirectWith(reply, `/desk/story/${into}`, { done: `Story ${from} merged into story ${into}.` });
    });

    scope.post<{ Params: { id: string } }>('/desk/story/:id/split', async (req, reply) => {
      const form = req.body as Form;
      const ids = form.getAll('article').map(idOf).filter((id): id is number => id !== null);
      const created = await splitStory(desk, req.editor!.username, idOf(req.params.id) ?? 0, ids);
      return redirectWith(reply, `/desk/story/${created}`, { done: `Split ${ids.length} article${ids.length === 1 ? '' : 's'} into story ${created}.` });
    });

    scope.post<{ Params: { id: string } }>('/desk/article/:id/topics', async (req, reply) => {
      const form = req.body as Form;
      const { learned } = await correctTopics(desk, req.editor!.username, idOf(req.params.id) ?? 0, form.getAll('topic'));
      return redirectWith(reply, backTo(form, '/desk'), { done: `Topics saved${learned ? '; the classifier learns from it within a minute' : '; kept for the next training of the classifier'}.` });
    });

    // ---- taxonomy and organizations ----------------------------------------------------------------------

    const fileEditor = (req: FastifyRequest, reply: FastifyReply, kind: 'taxonomy' | 'organizations') => {
      const editor = req.editor!;
      const file = kind === 'taxonomy' ? desk.config.taxonomyFile : desk.config.organizationsFile;
      const q = req.query as Record<string, string | undefined>;
      const title = kind === 'taxonomy' ? 'Taxonomy' : 'Known organizations';
      const help =
        kind === 'taxonomy'
          ? html`Topics with their id, name, parent and the keywords that tag an article. Saved changes apply to new articles at once; the file is validated first and the line of any mistake is named.`
          : html`Publishers newsdesk recognizes (domain, name, logos). A known publisher earns quality points and shows its name.`;
      const body = html`<h1 class="page-title">${title}</h1>
<p class="page-intro">${help}</p>
<form method="post" action="/desk/${kind}">${csrfField(editor, `/desk/${kind}`)}
<label for="text" class="count">${file}</label>
<textarea id="text" name="text" class="code" spellcheck="false">${q.error ? '' : readTextFile(file)}</textarea>
<p><button type="submit">Validate and save</button></p>
</form>`;
      return sendPage(reply, page(req, title, `/desk/${kind}`, body));
    };
    scope.get('/desk/taxonomy', async (req, reply) => fileEditor(req, reply, 'taxonomy'));
    scope.get('/desk/organizations', async (req, reply) => fileEditor(req, reply, 'organizations'));
    scope.post('/desk/taxonomy', async (req, reply) => {
      const form = req.body as Form;
      try {
        const { classifierUpdated } = await saveTaxonomy(desk, req.editor!.username, form.get('text') ?? '');
        return redirectWith(reply, '/desk/taxonomy', { done: `Taxonomy saved${classifierUpdated ? ' and in use' : '; retrain the learned classifier (newsdesk topics train) for new topics to be learned'}.` });
      } catch (err) {
        return sendPage(reply, page(req, 'Taxonomy', '/desk/taxonomy', html`<p class="flash error" role="alert">${describeError(err)}</p><form method="post" action="/desk/taxonomy">${csrfField(req.editor!, '/desk/taxonomy')}<textarea name="text" class="code" aria-label="Taxonomy" spellcheck="false">${form.get('text') ?? ''}</textarea><p><button type="submit">Validate and save</button></p></form>`), 400);
      }
    });
    scope.post('/desk/organizations', async (req, reply) => {
      const form = req.body as Form;
      try {
        const n = await saveOrganizations(desk, req.editor!.username, form.get('text') ?? '');
        return redirectWith(reply, '/desk/organizations', { done: `${n} organizations saved.` });
      } catch (err) {
        return sendPage(reply, page(req, 'Known organizations', '/desk/organizations', html`<p class="flash error" role="alert">${describeError(err)}</p><form method="post" action="/desk/organizations">${csrfField(req.editor!, '/desk/organizations')}<textarea name="text" class="code" aria-label="Organizations" spellcheck="false">${form.get('text') ?? ''}</textarea><p><button type="submit">Validate and save</button></p></form>`), 400);
      }
    });

    // ---- sources ----------------------------------------------------------------------------------------------

    scope.get('/desk/sources', async (req, reply) => {
      const editor = req.editor!;
      const sources = await desk.store.listSources();
      const q = req.query as Record<string, string | undefined>;
      const choices = q.choices ? q.choices.split('\n').filter(Boolean) : [];
      const body = html`<h1 class="page-title">Sources</h1>
<p class="page-intro">${sources.length} sources, ${sources.filter((s) => s.status === 'error').length} with errors, ${sources.filter((s) => s.status === 'paused').length} paused.</p>
<section class="panel" aria-labelledby="add-title"><h2 id="add-title">Add a source</h2>
<form class="form-grid" method="post" action="/desk/sources">${csrfField(editor, '/desk/sources')}
<label for="url">A feed or a site's address<input id="url" name="url" type="url" required placeholder="https://example.com/"></label>
<label for="name">Name (optional)<input id="name" name="name" type="text"></label>
<button type="submit">Find the feed and add</button>
</form>
${
  choices.length
    ? html`<p>Several feeds were found; choose one:</p><ul>${choices.map(
        (url) => html`<li><form method="post" action="/desk/sources">${csrfField(editor, '/desk/sources')}<input type="hidden" name="url" value="${url}"><input type="hidden" name="exact" value="1"><button type="submit" class="secondary">Add</button> ${url}</form></li>`,
      )}</ul>`
    : ''
}
</section>
<div class="scroll"><table class="desk-table">
<thead><tr><th scope="col">Source</th><th scope="col">Status</th><th scope="col" class="hide-narrow">Last fetch</th><th scope="col" class="hide-narrow">Next fetch</th><th scope="col">Actions</th></tr></thead>
<tbody>${sources.map(
        (s) => html`<tr>
<td><a class="title" href="/desk/sources/${s.id}">${s.name ?? s.url}</a><br><span class="count">${s.url}</span>${s.lastError ? html`<br><span class="status-error">${s.lastErrorCode ?? 'error'}</span> <span class="count">${s.lastError}</span>` : ''}</td>
<td><span class="status-${s.status}">${s.status}</span><br><span class="count">${s.fetchCount} fetches, ${s.errorCount} errors in a row</span></td>
<td class="hide-narrow">${s.lastFetchedAt ? timeTag(s.lastFetchedAt) : 'never'}</td>
<td class="hide-narrow">${s.status === 'paused' ? 'paused' : s.nextFetchAt ? timeTag(s.nextFetchAt) : 'now'}</td>
<td><div class="actions">
<form method="post" action="/desk/sources/${s.id}/${s.status === 'paused' ? 'resume' : 'pause'}">${csrfField(editor, '/desk/sources')}<button type="submit" class="secondary">${s.status === 'paused' ? 'Resume' : 'Pause'}</button></form>
<form method="post" action="/desk/sources/${s.id}/fetch">${csrfField(editor, '/desk/sources')}<button type="submit" class="secondary">Fetch now</button></form>
<form method="post" action="/desk/sources/${s.id}/remove" data-confirm="Remove this source? Its stored articles stay.">${csrfField(editor, '/desk/sources')}<button type="submit" class="danger">Remove</button></form>
</div></td>
</tr>`,
      )}</tbody></table></div>`;
      return sendPage(reply, page(req, 'Sources', '/desk/sources', body));
    });

    scope.post('/desk/sources', async (req, reply) => {
      const form = req.body as Form;
      const result = await addSourceByUrl(desk, req.editor!.username, (form.get('url') ?? '').trim(), (form.get('name') ?? '').trim() || null, form.get('exact') === '1');
      if (!result.added) return reply.status(303).header('location', `/desk/sources?choices=${encodeURIComponent(result.choices.map((c) => c.url).join('\n'))}`).send();
      return redirectWith(reply, '/desk/sources', { done: `Added ${result.url}; it is fetched on the next round.` });
    });

    scope.post<{ Params: { id: string; action: string } }>('/desk/sources/:id/:action', async (req, reply) => {
      const id = idOf(req.params.id) ?? 0;
      const source = id ? await desk.store.getSource(id) : null;
      if (!source) return redirectWith(reply, '/desk/sources', { error: `no source ${req.params.id}` });
      const editor = req.editor!.username;
      switch (req.params.action) {
        case 'pause':
        case 'resume':
          await desk.store.setSourcePaused(id, req.params.action === 'pause');
          await ctx.site.audit({ editor, action: `${req.params.action}d a source`, detail: source.url });
          return redirectWith(reply, '/desk/sources', { done: `${source.name ?? source.url} ${req.params.action}d.` });
        case 'remove':
          await desk.store.removeSource(id);
          await ctx.site.audit({ editor, action: 'removed a source', detail: source.url });
          return redirectWith(reply, '/desk/sources', { done: `${source.name ?? source.url} removed.` });
        case 'fetch': {
          const result = await ingestSource(desk, source);
          ctx.cache.clear();
          return redirectWith(reply, `/desk/sources/${id}`, result.ok ? { done: `Fetched: ${result.itemsNew} new.` } : { error: `Fetch failed: ${result.error ?? 'unknown error'}` });
        }
        default:
          return redirectWith(reply, '/desk/sources', { error: `unknown action ${req.params.action}` });
      }
    });

    scope.get<{ Params: { id: string } }>('/desk/sources/:id', async (req, reply) => {
      const id = idOf(req.params.id) ?? 0;
      const source = id ? await desk.store.getSource(id) : null;
      if (!source) return sendPage(reply, page(req, 'Not found', '/desk/sources', html`<h1 class="page-title">No source ${req.params.id}</h1>`), 404);
      const log = await desk.store.fetchLog(id, 100);
      const body = html`<p><a href="/desk/sources">← Sources</a></p>
<h1 class="page-title">${source.name ?? source.url}</h1>
<p class="page-intro">${source.url} · <span class="status-${source.status}">${source.status}</span> · next fetch ${source.nextFetchAt ? timeTag(source.nextFetchAt) : 'now'}${source.pollMinutes ? ` · every ${source.pollMinutes} min` : ''}</p>
${source.lastError ? html`<p class="flash error">${source.lastErrorCode ?? ''} ${source.lastError}</p>` : ''}
<h2>Fetch history</h2>
${
  log.length
    ? html`<div class="scroll"><table class="desk-table"><thead><tr><th scope="col">When</th><th scope="col">Outcome</th><th scope="col">HTTP</th><th scope="col">New</th><th scope="col">Time</th><th scope="col" class="hide-narrow">Error</th></tr></thead>
<tbody>${log.map((l) => html`<tr><td>${timeTag(l.at)}</td><td class="${l.outcome === 'ok' ? 'status-ok' : 'status-error'}">${l.outcome}</td><td>${l.httpStatus ?? '–'}</td><td>${l.itemsNew}</td><td>${l.durationMs} ms</td><td class="hide-narrow">${l.error ?? ''}</td></tr>`)}</tbody></table></div>`
    : html`<p class="empty">Never fetched.</p>`
}`;
      return sendPage(reply, page(req, source.name ?? source.url, '/desk/sources', body));
    });

    // ---- activity -----------------------------------------------------------------------------------------------

    scope.get('/desk/activity', async (req, reply) => {
      const entries = await ctx.site.recentAudit(100);
      const body = html`<h1 class="page-title">Activity</h1><p class="page-intro">What editors decided, newest first.</p>
${entries.length ? html`<ol class="timeline">${entries.map((e) => html`<li>${timeTag(e.at)}<strong>${e.editor}</strong> ${e.action}${e.storyId !== null ? html` <a href="/desk/story/${e.storyId}">story ${e.storyId}</a>` : ''}${e.detail ? ` (${e.detail})` : ''}</li>`)}</ol>` : html`<p class="empty">No decisions yet.</p>`}`;
      return sendPage(reply, page(req, 'Activity', '/desk/activity', body));
    });
  });
}

