// Ghost's own Content API client (@tryghost/content-api) against the server: every
// resource browsed and read, Ghost's parameters, a dozen filters, pagination walked to
// the end, and the client's error path. Usage:
//   node tests/js/content-api.mjs BASE_URL KEY
//   node tests/js/content-api.mjs BASE_URL KEY SLUG   (only: the photos of post SLUG)
// (BASE_URL without a trailing slash). Exits non-zero with a message on the first
// difference.
import GhostContentAPI from '@tryghost/content-api';

const [url, key, photoSlug] = process.argv.slice(2);
const fail = (msg) => { console.error('content-api.mjs: ' + msg); process.exit(1); };
const check = (cond, msg) => { if (!cond) fail(msg); };
const api = new GhostContentAPI({ url, key, version: 'v6.0' });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+00:00$/;
const ID = /^[0-9a-f]{24}$/;

// The photos of a post as a Ghost theme or app gets them: feature_image, every image of
// the html and the authors' profile_image are absolute URLs that load as images.
async function loads(what, src) {
  check(/^https?:\/\//.test(src), `${what} is not an absolute URL: ${src}`);
  const res = await fetch(src);
  const type = res.headers.get('content-type') || '';
  check(res.status === 200 && type.startsWith('image/'), `${what} ${src}: ${res.status} ${type}`);
  check((await res.arrayBuffer()).byteLength > 100, `${what} ${src}: empty`);
}
async function photos(slug) {
  const p = await api.posts.read({ slug }, { include: 'authors', formats: 'html' });
  check(typeof p.feature_image === 'string', `${slug} has no feature_image`);
  check(typeof p.feature_image_alt === 'string' && p.feature_image_alt.length, 'feature_image_alt');
  check(p.feature_image_caption === null || typeof p.feature_image_caption === 'string',
        'feature_image_caption');
  await loads('feature_image', p.feature_image);
  const srcs = [...p.html.matchAll(/ src="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  check(srcs.length >= 3, `html has ${srcs.length} images`);
  for (const s of srcs) await loads('an image of the html', s);
  const sets = [...p.html.matchAll(/ srcset="([^"]+)"/g)].flatMap((m) => m[1].split(', '));
  check(sets.length >= 3, 'srcset in the html');
  for (const s of sets) await loads('a srcset candidate', s.split(' ')[0]);
  for (const a of p.authors.filter((a) => a.profile_image)) {
    if (new URL(a.profile_image).origin === new URL(url).origin)
      await loads(`${a.slug}'s profile_image`, a.profile_image);
  }
  // Ghost's size URLs: any /size/wN/ resolves to a rendition
  await loads('a /size/w600/ URL', p.feature_image.replace('/content/images/', '/content/images/size/w600/'));
  console.log(`content-api.mjs photos: ${1 + srcs.length + sets.length} image URLs load`);
}
// "Answers as Ghost gives them", on a site holding what an import from Ghost leaves
// (tests/http/test_content_api.c, suite http_content_api_ghost): Ghost ids, internal tags,
// posts_meta, Ghost's plain text, list order and error codes, as the client sees them.
async function answers() {
  const imported = await api.posts.read({ id: '5f1e2d3c4b5a69788796a5b4' }, { include: 'tags,authors' });
  check(imported.slug === 'imported-from-ghost', 'read by a Ghost id');
  check(imported.primary_author.id === '5f1e2d3c4b5a69788796a5d0' &&
        imported.primary_author.location === 'Kyiv', 'the author\'s Ghost id and location');
  check(imported.meta_title === 'Meta title' && imported.canonical_url === 'https://elsewhere.example/first/',
        'posts_meta fields');
  const tram = await api.posts.read({ slug: 'tram-line' }, { include: 'tags', formats: 'plaintext' });
  check(tram.primary_tag === null && tram.tags[0].visibility === 'internal', 'internal first tag');
  check(tram.plaintext === 'First paragraph.\n\nSecond paragraph.\n\n * one\n * two',
        `plaintext ${JSON.stringify(tram.plaintext)}`);
  const tags = await api.tags.browse({ limit: 'all' });
  check(tags.every((t) => t.visibility === 'public') && !tags.some((t) => t.slug === 'no-posts'),
        'tags: public ones with posts');
  const listed = await api.posts.browse({ filter: 'slug:[plain-news,tram-line,imported-from-ghost]' });
  check(listed.map((p) => p.slug).join() === 'plain-news,tram-line,imported-from-ghost', 'list order');
  const settings = await api.settings.browse();
  check(settings.version && settings.members_enabled === false && settings.accent_color === null,
        'settings as Ghost gives them');
  try {
    await api.posts.read({ id: 'not-an-id' });
    fail('a malformed id was read');
  } catch (e) {
    check(e.name === 'ValidationError' && e.response.status === 422, `malformed id: ${e.name}`);
  }
  const bad = new GhostContentAPI({ url, key: '0123456789abcdef0123456789', version: 'v6.0' });
  try {
    await bad.posts.browse();
    fail('an unknown key was let in');
  } catch (e) {
    check(e.code === 'UNKNOWN_CONTENT_API_KEY' || e.response.data.errors[0].code === 'UNKNOWN_CONTENT_API_KEY',
          `unknown key code: ${e.code}`);
  }
  console.log('content-api.mjs answers: ok');
}
if (photoSlug === '--answers') {
  await answers();
  process.exit(0);
}
if (photoSlug) {
  await photos(photoSlug);
  process.exit(0);
}

// ---- posts: browse, shapes, include, read by id and slug ----
const posts = await api.posts.browse({ include: 'tags,authors', limit: 5 });
check(Array.isArray(posts) && posts.length === 5, `browse limit 5 gave ${posts.length}`);
const meta = posts.meta.pagination;
check(meta.page === 1 && meta.limit === 5 && meta.prev === null && meta.next === 2,
      `pagination ${JSON.stringify(meta)}`);
check(meta.total === 25 && meta.pages === 5, `expected 25 posts in 5 pages: ${JSON.stringify(meta)}`);
for (const p of posts) {
  check(ID.test(p.id) && ISO.test(p.published_at) && ISO.test(p.updated_at), `shape of ${p.slug}`);
  check(typeof p.reading_time === 'number' && typeof p.excerpt === 'string', 'reading_time/excerpt');
  check(/^https?:\/\/[^/]+\//.test(p.url) && p.url.endsWith(`/${p.slug}/`), `url ${p.url}`);
  check(Array.isArray(p.tags) && Array.isArray(p.authors) && p.primary_author.slug === p.authors[0].slug,
        `relations of ${p.slug}`);
  check(p.tags.length ? p.primary_tag && p.primary_tag.slug === p.tags[0].slug : p.primary_tag === null,
        `primary_tag of ${p.slug}`);
}
for (let i = 1; i < posts.length; i++)
  check(posts[i - 1].published_at >= posts[i].published_at, 'newest first');
const first = posts[0];
const byId = await api.posts.read({ id: first.id }, { include: 'tags,authors' });
check(!Array.isArray(byId) && byId.id === first.id && byId.title === first.title, 'read by id');
const bySlug = await api.posts.read({ slug: first.slug }, { formats: 'html,plaintext' });
check(bySlug.id === first.id && typeof bySlug.plaintext === 'string' && bySlug.html, 'read by slug + formats');
const plainOnly = await api.posts.read({ slug: first.slug }, { formats: 'plaintext' });
check(plainOnly.html === undefined && plainOnly.plaintext, 'formats=plaintext leaves html out');
check(Array.isArray(byId.tags) && Array.isArray(byId.authors) && byId.authors.length > 0,
      'include=tags,authors gives both lists');

// the post published by the test with known content
const known = await api.posts.read({ slug: 'ghost-client-check' }, { include: 'tags,authors' });
check(known.title === 'Ghost client check' && known.custom_excerpt === 'A custom excerpt',
      `known post: ${JSON.stringify(known.title)}`);
check(known.excerpt === 'A custom excerpt' && known.featured === true, 'custom excerpt, featured');
check(known.primary_tag.slug === 'ghost-check' && known.tags.length === 2, 'known tags');
check(known.reading_time === 0, `a short post reads in 0 minutes, got ${known.reading_time}`);

// ---- fields, order ----
const slim = await api.posts.browse({ fields: 'title,slug', limit: 3 });
check(slim.every((p) => Object.keys(p).sort().join() === 'slug,title'), 'fields=title,slug');
const byTitle = await api.posts.browse({ order: 'title asc', limit: 'all', fields: 'title' });
check(byTitle.length === 25, `limit=all: ${byTitle.length}`);
for (let i = 1; i < byTitle.length; i++)
  check(byTitle[i - 1].title <= byTitle[i].title, 'order=title asc');

// ---- pagination walked to the end: every post once ----
const seen = new Set();
let page = 1;
for (;;) {
  const batch = await api.posts.browse({ limit: 4, page, fields: 'id' });
  for (const p of batch) {
    check(!seen.has(p.id), `post ${p.id} seen twice`);
    seen.add(p.id);
  }
  if (batch.meta.pagination.next === null) break;
  check(batch.meta.pagination.next === page + 1, 'next page number');
  page++;
}
check(seen.size === 25 && page === 7, `walked ${seen.size} posts over ${page} pages`);

// ---- filters ----
const all = await api.posts.browse({ limit: 'all', include: 'tags,authors' });
const count = async (filter) => (await api.posts.browse({ filter, limit: 'all', fields: 'id' })).length;
const hasTag = (p, s) => p.tags.some((t) => t.slug === s);
const hasAuthor = (p, s) => p.authors.some((a) => a.slug === s);
const someTag = all.find((p) => p.tags.length && p.tags[0].slug !== 'ghost-check').tags[0].slug;
const otherTag = all.find((p) => p.tags.length && p.tags[0].slug !== someTag).tags[0].slug;
const cases = [
  ['featured:true', (p) => p.featured],
  ['featured:false', (p) => !p.featured],
  [`tag:${someTag}`, (p) => hasTag(p, someTag)],
  [`tag:-${someTag}`, (p) => !hasTag(p, someTag)],
  [`tags:[${someTag},${otherTag}]`, (p) => hasTag(p, someTag) || hasTag(p, otherTag)],
  [`tag:-[${someTag},${otherTag}]`, (p) => !hasTag(p, someTag) && !hasTag(p, otherTag)],
  [`primary_tag:${someTag}`, (p) => p.tags.length && p.tags[0].slug === someTag],
  ['author:news-desk', (p) => hasAuthor(p, 'news-desk')],
  ['authors.slug:-news-desk+featured:true', (p) => !hasAuthor(p, 'news-desk') && p.featured],
  [`tag:${someTag},featured:true+author:news-desk`,
    (p) => hasTag(p, someTag) || (p.featured && hasAuthor(p, 'news-desk'))],
  [`(tag:${someTag},featured:true)+author:news-desk`,
    (p) => (hasTag(p, someTag) || p.featured) && hasAuthor(p, 'news-desk')],
  ["published_at:>'2026-11-01'", (p) => p.published_at > '2026-11-01'],
  ['published_at:<=now-30d', (p) => Date.parse(p.published_at) <= Date.now() - 30 * 86400e3],
  ['title:~\'ghost client\'', (p) => p.title.toLowerCase().includes('ghost client')],
  [`slug:${first.slug}`, (p) => p.slug === first.slug],
  [`id:${first.id}`, (p) => p.id === first.id],
];
for (const [filter, pred] of cases) {
  const want = all.filter(pred).length;
  const got = await count(filter);
  check(got === want, `filter ${filter}: ${got} posts, expected ${want}`);
}
check(all.filter((p) => hasTag(p, someTag)).length > 0, 'a tag filter that selects something');

// ---- pages, authors, tags, settings, tiers, newsletters ----
const pages = await api.pages.browse();
check(pages.length === 2 && pages.every((p) => ['about', 'contact'].includes(p.slug)), 'pages');
const about = await api.pages.read({ slug: 'about' });
check(about.title === 'About' && (await api.pages.read({ id: about.id })).slug === 'about', 'page read');
check(!all.some((p) => p.slug === 'about'), 'a page is not a post');
const authors = await api.authors.browse({ include: 'count.posts', limit: 'all' });
check(authors.length > 1 && authors.every((a) => typeof a.count.posts === 'number'), 'authors');
const desk = await api.authors.read({ slug: 'news-desk' }, { include: 'count.posts' });
check(desk.count.posts === all.filter((p) => hasAuthor(p, 'news-desk')).length, 'desk count.posts');
check((await api.authors.read({ id: desk.id })).slug === 'news-desk', 'author by id');
const tags = await api.tags.browse({ include: 'count.posts', limit: 'all' });
const tag = tags.find((t) => t.slug === someTag);
check(tag && tag.count.posts === all.filter((p) => hasTag(p, someTag)).length, 'tag count.posts');
check((await api.tags.read({ id: tag.id })).slug === someTag, 'tag by id');
check((await api.tags.read({ slug: someTag })).id === tag.id, 'tag by slug');
const settings = await api.settings.browse();
check(typeof settings.title === 'string' && settings.url, 'settings');
check(Array.isArray(await api.tiers.browse()) && Array.isArray(await api.newsletters.browse()),
      'tiers and newsletters');

// ---- the client's error path ----
const expectError = async (promise, type, what) => {
  try {
    await promise;
  } catch (e) {
    check(e.name === type && e.response, `${what}: got ${e.name} ${e.message}`);
    return e;
  }
  fail(`${what}: no error`);
};
const bad = new GhostContentAPI({ url, key: '0123456789abcdef0123456789', version: 'v6.0' });
const e401 = await expectError(bad.posts.browse(), 'UnauthorizedError', 'bad key');
check(e401.response.status === 401 && e401.message === 'Unknown Content API Key', 'bad key status');
const e400 = await expectError(api.posts.browse({ filter: 'tag:(' }), 'BadRequestError', 'bad filter');
check(e400.response.status === 400, 'bad filter status');
await expectError(api.posts.browse({ filter: 'nosuchfield:1' }), 'BadRequestError', 'unknown field');
const e404 = await expectError(api.posts.read({ slug: 'no-such-post' }), 'NotFoundError', 'unknown slug');
check(e404.response.status === 404, '404');
console.log('content-api.mjs: ok');
