// Ghost's own Admin API client (@tryghost/admin-api) against the server, as a publishing
// script uses it: a post made from HTML, read back, edited, a stale edit refused, an image
// uploaded and set as the feature image, the post deleted; pages, tags and users read.
// Usage:
//   node tests/js/admin-api.mjs BASE_URL ID:SECRET JPEG_PATH
// (BASE_URL without a trailing slash). Exits non-zero with a message on the first
// difference.
import GhostAdminAPI from '@tryghost/admin-api';

const [url, key, jpeg] = process.argv.slice(2);
const fail = (msg) => { console.error('admin-api.mjs: ' + msg); process.exit(1); };
const check = (cond, msg) => { if (!cond) fail(msg); };
const api = new GhostAdminAPI({ url, key, version: 'v5.0' });
const ID = /^[0-9a-f]{24}$/;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const html = '<p>Kyiv\'s metro runs <strong>all night</strong>.</p><script>alert(1)</script>';
  const post = await api.posts.add({ title: 'Night metro', html, tags: ['Transport'] },
                                   { source: 'html' });
  check(ID.test(post.id), `id ${post.id}`);
  check(post.title === 'Night metro' && post.slug === 'night-metro', `added ${post.slug}`);
  check(post.status === 'draft', `status ${post.status}`);
  check(post.tags.length === 1 && post.tags[0].name === 'Transport', 'tags');

  const read = await api.posts.read({ id: post.id }, { formats: 'html' });
  check(read.html.includes('<strong>all night</strong>'), `html ${read.html}`);
  check(!read.html.includes('<script'), 'the script survived');
  const bySlug = await api.posts.read({ slug: 'night-metro' });
  check(bySlug.id === post.id, 'read by slug');

  await sleep(1100); // updated_at has a resolution of one second here
  const edited = await api.posts.edit({ id: post.id, title: 'Night metro, extended',
                                        updated_at: read.updated_at });
  check(edited.title === 'Night metro, extended', `edited ${edited.title}`);
  check(edited.updated_at !== read.updated_at, 'updated_at moved');

  let refused = null;
  try {
    await api.posts.edit({ id: post.id, title: 'Stale', updated_at: read.updated_at });
  } catch (e) {
    refused = e;
  }
  check(refused && refused.type === 'UpdateCollisionError',
        `a stale edit was not refused as Ghost does: ${refused && refused.type}`);

  const image = await api.images.upload({ file: jpeg, ref: 'night-metro' });
  check(/^https?:\/\/.+\/content\/images\//.test(image.url), `image url ${image.url}`);
  check(image.ref === 'night-metro', `ref ${image.ref}`);
  // the site's configured address may not be this test server's: fetch its path here
  const res = await fetch(url + new URL(image.url).pathname);
  check(res.status === 200 && (res.headers.get('content-type') || '').startsWith('image/'),
        `the image does not load: ${res.status}`);

  await sleep(1100);
  const featured = await api.posts.edit({ id: post.id, feature_image: image.url,
                                          feature_image_alt: 'A metro train at night',
                                          updated_at: edited.updated_at });
  check(featured.feature_image === image.url, `feature_image ${featured.feature_image}`);
  check(featured.feature_image_alt === 'A metro train at night', 'feature_image_alt');

  const all = await api.posts.browse({ filter: 'status:draft', limit: 'all' });
  check(all.some((p) => p.id === post.id), 'browse lists the draft');
  check(all.meta && all.meta.pagination, 'pagination');

  await api.posts.delete({ id: post.id });
  let gone = null;
  try {
    await api.posts.read({ id: post.id });
  } catch (e) {
    gone = e;
  }
  check(gone && gone.type === 'NotFoundError', 'the deleted post is still there');

  const page = await api.pages.add({ title: 'About the desk', html: '<p>Who we are.</p>' },
                                   { source: 'html' });
  check(page.title === 'About the desk', 'page added');
  const pages = await api.pages.browse();
  check(pages.some((p) => p.id === page.id), 'pages browse');

  const tag = await api.tags.add({ name: 'Client tag' });
  const tags = await api.tags.browse({ limit: 'all' });
  check(tags.some((t) => t.id === tag.id), 'tags browse');
  check((await api.tags.read({ id: tag.id })).name === 'Client tag', 'tag read');
  await api.tags.delete({ id: tag.id });

  const users = await api.users.browse();
  check(users.length >= 1 && users.every((u) => ID.test(u.id) && u.slug), 'users browse');
  check((await api.users.read({ slug: users[0].slug })).id === users[0].id, 'user read');

  const site = await api.site.read();
  check(typeof site.title === 'string' && typeof site.url === 'string', 'site');
}

main().catch((e) => fail(`${e.name}: ${e.message} ${e.config ? e.config.method + " " + e.config.url : ""} ${JSON.stringify(e.context || "")}`));
