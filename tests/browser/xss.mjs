// The stored-XSS corpus (tests/browser/fixtures/xss.mjs) through every input that reaches a
// page, then every page that shows them opened in Chromium:
//   node tests/browser/xss.mjs BASE_URL ARTIFACT_DIR EMAIL PASSWORD DB NEWSDESK_BIN
// The server must run with --trust-proxy (each tip comes from its own X-Forwarded-For, past
// the per-address limit). Inputs: post files (`newsdesk post add`), the editor's form (title,
// Markdown body, excerpt, tags, byline, feature image and its alt text), tag names and
// descriptions, desks' names, slugs, bios, avatars and websites, site settings (`newsdesk
// settings set` and the Settings form), readers' tips, query strings and paths, a preview
// link and the editor's live preview. A page fails when a dialog opens, a marker global is
// set, the CSP reports a violation, an element carries an event handler, a script that is
// not the site's own or a scriptable URL, or the server answers 5xx. Refused inputs (4xx)
// are listed, not failed.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launch, context, check, done, artifactDir, DESKTOP } from './lib.mjs';
import { PAYLOADS, URLS, MARKER, ALL } from './fixtures/xss.mjs';

const [base, artifacts, email, password, db, bin] = process.argv.slice(2);
const out = artifactDir(artifacts, 'xss');
const url = (p) => new URL(p, base).href;
const origin = new URL(base).origin;
const refused = [];
let pagesChecked = 0;
let started = Date.now();

// ---- the corpus in pieces that fit a field --------------------------------------------

// The payloads packed, in order, into values of at most max bytes (flat: one line, no
// control characters, for fields that refuse them); every payload is in one of them.
function packs(max, flat = true) {
  const outp = [];
  let cur = '';
  for (let p of PAYLOADS) {
    if (flat) p = p.replace(/[\x00-\x1f\u2028\u2029]+/g, ' ');
    if (Buffer.byteLength(p) > max) p = p.slice(0, max);
    if (cur && Buffer.byteLength(cur + ' ' + p) > max) {
      outp.push(cur);
      cur = '';
    }
    cur = cur ? cur + ' ' + p : p;
  }
  if (cur) outp.push(cur);
  return outp;
}
const at = (list, i) => list[i % list.length];

// Embed links (docs/embeds.md) carrying breakouts: only well-formed ids become cards.
const EMBEDS = [
  'https://youtu.be/dQw4w9WgXcQ',
  `https://www.youtube.com/watch?v=dQw4w9WgXcQ"onload="alert('xss-e1')`,
  `https://t.me/javascript:alert('xss-e2')/1`,
  `https://x.com/jack/status/20?"><script>alert('xss-e3')</script>`,
].join('\n\n');
const BODY = `${EMBEDS}\n\n${ALL}\n`;
// A body the rich-text mode opens (it refuses raw HTML and links it cannot keep): the
// corpus as code, which it shows as text.
const RICH_BODY = `The corpus as code:\n\n\`\`\`\n${ALL}\n\`\`\`\n`;

// ---- what every page is checked for ---------------------------------------------------

// Run in the page: every element of the document (or of html parsed inert, with the page's
// address as its base) that could run script, or load a scriptable URL.
function scanDom(html) {
  const doc = html === undefined ? document : new DOMParser().parseFromString(html, 'text/html');
  const bad = [];
  const own = (u) => { try { return new URL(u, location.href).origin === location.origin; } catch { return false; } };
  const scriptable = (v) => /^(javascript|vbscript|data):/i.test(v.replace(/[\x00-\x20]+/g, '')) &&
                            !/^data:image\/(png|gif|jpeg|webp);/i.test(v.trim());
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background', 'data-embed'];
  const describe = (el) => el.outerHTML.slice(0, 160);
  for (const el of doc.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(`event handler ${a.name}: ${describe(el)}`);
      if (urlAttrs.includes(a.name.toLowerCase()) && scriptable(a.value)) bad.push(`scriptable ${a.name}: ${describe(el)}`);
      if (a.name === 'srcdoc') bad.push(`srcdoc: ${describe(el)}`);
      if (a.name === 'style' && /javascript:|expression\s*\(/i.test(a.value)) bad.push(`style: ${describe(el)}`);
    }
    const tag = el.localName;
    if (tag === 'script' && !(el.getAttribute('src') && own(el.getAttribute('src'))) && el.type !== 'application/ld+json')
      bad.push(`script: ${describe(el)}`);
    if (['iframe', 'object', 'embed', 'base', 'frame', 'applet'].includes(tag)) bad.push(`${tag}: ${describe(el)}`);
    if (tag === 'meta' && /refresh/i.test(el.httpEquiv)) bad.push(`meta refresh: ${describe(el)}`);
    if (tag === 'form' && !own(el.getAttribute('action') || '')) bad.push(`form to ${el.getAttribute('action')}`);
  }
  const globals = Object.keys(window).filter((k) => /^xss_/.test(k));
  return { bad, globals };
}

const dialogs = [];
// The checks of one page as it is now, under label.
async function inspect(page, label) {
  await page.waitForLoadState('load');
  await page.waitForTimeout(30); // autofocus, ontoggle and timers fire
  const { bad, globals } = await page.evaluate(scanDom);
  for (const b of bad) check(false, `${label}: ${b}`);
  check(globals.length === 0, `${label}: script ran and set ${globals.join(', ')}`);
  pagesChecked++;
}

// Opens path in page and checks it; statuses in ok (default 200) pass, a 4xx is noted, 5xx fails.
async function visit(page, p, label = p, ok = [200]) {
  const res = await page.goto(url(p));
  const status = res ? res.status() : 0;
  if (!ok.includes(status)) check(status >= 400 && status < 500, `${label}: answered ${status}`);
  await inspect(page, label);
  return res;
}

// Visits every path, three pages at a time (the pages of ctx share its session).
async function visitAll(ctx, paths, ok) {
  const queue = [...paths];
  const worker = async () => {
    const page = await newPage(ctx);
    for (let p; (p = queue.shift()) !== undefined;) await visit(page, p, p, ok);
    await page.close();
  };
  await Promise.all([worker(), worker(), worker()]);
}

function newPage(ctx) {
  return ctx.newPage().then((page) => {
    page.on('dialog', (d) => {
      // leaving a page with unsaved text asks first: that one is the editor's own
      if (d.type() === 'beforeunload') return d.accept();
      dialogs.push(`${d.type()} "${d.message()}" on ${page.url()}`);
      check(false, `a ${d.type()} opened: "${d.message()}" on ${page.url()}`);
      d.dismiss();
    });
    return page;
  });
}

// ---- entering the payloads --------------------------------------------------------------

let api;
let csrf = '';
// POSTs form (an object, or [name, value] pairs for repeated names) as a browser would.
async function post(p, form, { headers = {}, note = p } = {}) {
  const body = new URLSearchParams([['csrf', csrf], ...(Array.isArray(form) ? form : Object.entries(form))]);
  const res = await api.post(url(p), { data: body.toString(), maxRedirects: 0,
                                       headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });
  const s = res.status();
  check(s < 500, `POST ${note}: answered ${s}`);
  if (s >= 400) {
    const why = (await res.text()).match(/role="alert">([^<]*)</)?.[1] || '';
    refused.push(`${note.slice(0, 70)}: ${s} ${why}`);
  }
  return res;
}
const idIn = (res, re) => Number((res.headers().location || '').match(re)?.[1] || 0);

function cli(...args) {
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  check(!r.error, `cannot run ${bin}: ${r.error?.message}`);
  if (r.status !== 0) refused.push(`newsdesk ${args[0]} ${args[1]}: exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
  check(r.status === 0 || r.status === 1, `newsdesk ${args.join(' ').slice(0, 80)}: exit ${r.status} ${r.stderr}`);
  return r.status;
}

const quoted = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

// Post files through `newsdesk post add`: titles, excerpts, tags and bodies. A file the
// CLI refuses (a URL field it will not take) is noted and added again without it.
function cliPosts() {
  const titles = packs(300), excerpts = packs(300), tags = packs(191);
  const dir = artifactDir(out, 'posts');
  const n = Math.max(titles.length, excerpts.length);
  for (let i = 0; i < n; i++) {
    const fm = (image) => ['---', `title: ${quoted(at(titles, i))}`, `excerpt: ${quoted(at(excerpts, i + 1))}`,
                           `tags: [${quoted(at(tags, i))}, "XSS desk"]`, image ? `feature_image: ${quoted(image)}` : '',
                           `published_at: 2026-11-19T1${i % 10}:00:00Z`, i === 0 ? 'type: page' : '', '---', BODY, '']
      .filter((l) => l !== '').join('\n');
    const file = path.join(dir, `cli-${i}.md`);
    fs.writeFileSync(file, fm(at(URLS, i)));
    if (cli('post', 'add', '--db', db, file) !== 0) {
      fs.writeFileSync(file, fm(''));
      check(cli('post', 'add', '--db', db, file) === 0, `newsdesk post add ${file} without the image`);
    }
  }
}

// Desks through the Staff form, then their profiles: names, bios, avatars and websites.
async function desks() {
  const names = packs(191), bios = packs(2000, false);
  const slugs = [];
  for (let i = 0; i < names.length; i++) {
    const res = await post('/admin/staff/', { name: names[i], role: 'desk' }, { note: `add desk ${i}` });
    const id = idIn(res, /\/admin\/staff\/(\d+)\//);
    if (!check(id > 0, `desk ${i} added (${res.status()})`)) continue;
    const page = await api.get(url(`/admin/staff/${id}/`));
    const slug = (await page.text()).match(/name="slug"[^>]*value="([^"]*)"/)?.[1] ||
                 (await page.text()).match(/value="([^"]*)"[^>]*name="slug"/)?.[1];
    const profile = { name: names[i], slug, bio: at(bios, i), contact_email: '' };
    let r = await post(`/admin/staff/${id}/`, { ...profile, avatar: at(URLS, i), website: at(URLS, i + 3) },
                       { note: `desk ${i} avatar ${at(URLS, i).slice(0, 24)} website ${at(URLS, i + 3).slice(0, 24)}` });
    if (r.status() >= 400)
      r = await post(`/admin/staff/${id}/`, { ...profile, avatar: '/x.png" onerror="alert(\'xss-u9\')', website: 'https://example.org/"><script>alert(\'xss-u10\')</script>' });
    check(r.status() === 200, `desk ${i}'s profile saved (${r.status()})`);
    slugs.push(slug);
  }
  return slugs;
}

// The form with each of its tags confirmed as new, as the editor's checkboxes do.
function withNewTags(form) {
  const names = form.tags.split(',').map((t) => t.trim()).filter(Boolean);
  return [...Object.entries(form), ...names.map((n) => ['new_tags', n])];
}

// Posts through the editor's form, each with a desk on its byline.
async function formPosts(bylines) {
  const titles = packs(300), excerpts = packs(300), alts = packs(300), tags = packs(191);
  const n = Math.max(titles.length, bylines.length);
  const ids = [];
  for (let i = 0; i < n; i++) {
    const form = { title: at(titles, i + 2), markdown: BODY, tags: `${at(tags, i + 1)}, XSS desk`,
                   authors: at(bylines, i), excerpt: at(excerpts, i + 3), feature_image_alt: at(alts, i + 4),
                   feature_image: at(URLS, i), action: 'publish' };
    let res = await post('/admin/posts/new/', withNewTags(form), { note: `editor: post ${i} image ${form.feature_image.slice(0, 24)}` });
    if (res.status() >= 400) res = await post('/admin/posts/new/', withNewTags({ ...form, feature_image: '/x.png' }));
    const id = idIn(res, /\/admin\/posts\/(\d+)\//);
    if (check(id > 0, `post ${i} published through the editor (${res.status()})`)) ids.push(id);
  }
  // one more save of the first posts: revisions to list and compare
  for (const id of ids.slice(0, 2)) {
    const html = await (await api.get(url(`/admin/posts/${id}/`))).text();
    const version = html.match(/name="version" value="(\d+)"/)?.[1];
    const res = await post(`/admin/posts/${id}/`, withNewTags({ title: at(titles, id), markdown: RICH_BODY,
                                                   tags: at(tags, id), authors: at(bylines, 0), excerpt: '',
                                                   feature_image: '', feature_image_alt: '', version, action: 'update' }));
    check(res.status() === 303, `post ${id} updated (${res.status()})`);
  }
  return ids;
}

// Tag descriptions (and names again) through the Tags form.
async function tagForms() {
  const html = await (await api.get(url('/admin/tags/'))).text();
  const ids = [...html.matchAll(/action="\/admin\/tags\/(\d+)\/"/g)].map((m) => m[1]);
  const descs = packs(500), names = packs(191);
  let i = 0;
  for (const id of ids) {
    const form = html.slice(html.indexOf(`action="/admin/tags/${id}/"`));
    const slug = form.match(/name="slug"[^>]*value="([^"]*)"/)?.[1];
    const name = i < names.length ? names[i] : form.match(/name="name"[^>]*value="([^"]*)"/)?.[1];
    await post(`/admin/tags/${id}/`, { name: name.replace(/&#39;|&quot;|&lt;|&gt;|&amp;/g, (e) => ({ '&#39;': "'", '&quot;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' })[e]),
                                       slug, description: at(descs, i) }, { note: `tag ${id}` });
    i++;
  }
  check(ids.length > 0, 'the Tags page lists tags');
}

// Readers' tips, each from its own address.
async function tips() {
  const names = packs(200), messages = [BODY.slice(0, 10000)];
  const n = Math.max(names.length, URLS.length);
  for (let i = 0; i < n; i++) {
    const fields = { message: `${at(messages, i)}`, name: at(names, i), link: at(URLS, i),
                     email: i % 2 ? `"<script>alert('xss-t1')</script>"@example.org` : `x@example.org"><img src=x onerror=alert('xss-t2')>`,
                     about: i % 3 ? '' : `"><script>alert('xss-t3')</script>` };
    const headers = { 'X-Forwarded-For': `192.0.2.${i + 1}` };
    let res = await post('/tips/', fields, { headers, note: `tip ${i} link ${fields.link.slice(0, 24)}` });
    // what was refused is taken out, one field at a time: the e-mail, then the link
    for (const less of [{ email: '' }, { email: '', link: 'https://example.org/"><script>alert(\'xss-t4\')</script>' }])
      if (res.status() >= 400 && res.status() !== 429)
        res = await post('/tips/', { ...fields, ...less }, { headers, note: `tip ${i} link ${(less.link ?? fields.link).slice(0, 24)}` });
    check(res.status() === 303, `tip ${i} sent (${res.status()})`);
  }
}

// ---- the settings, in rounds --------------------------------------------------------------

async function settingsForm(page) {
  await page.goto(url('/admin/settings/'));
  const values = {};
  for (const el of await page.locator('main form [name]').all()) {
    const name = await el.getAttribute('name');
    if (name !== 'csrf') values[name] = await el.inputValue();
  }
  return values;
}

// Until the home page's <title> changes from before (a CLI change reaches the server within a second).
async function waitForTitle(page, before) {
  for (let i = 0; i < 40; i++) {
    const t = await (await page.request.get(url('/'))).text();
    const title = t.match(/<title>([^<]*)<\/title>/)?.[1];
    if (title !== before) return title;
    await page.waitForTimeout(100);
  }
  check(false, 'the home page never showed the new title');
  return before;
}

async function settingsRounds(page, articleUrl) {
  const titles = packs(200), descs = packs(500);
  const n = Math.max(titles.length, descs.length);
  let before = (await (await page.request.get(url('/'))).text()).match(/<title>([^<]*)<\/title>/)?.[1];
  for (let i = 0; i < n; i++) {
    const title = at(titles, i), description = at(descs, i);
    if (i < 2) { // the CLI's way in twice; a running server notices within a second
      cli('settings', 'set', '--db', db, 'title', title);
      cli('settings', 'set', '--db', db, 'description', description);
    } else {
      const values = await settingsForm(page);
      const r = await post('/admin/settings/', { ...values, title, description, posts_per_page: '5' },
                           { note: `settings round ${i}` });
      check(r.status() === 303, `settings saved in round ${i} (${r.status()})`);
    }
    before = await waitForTitle(page, before);
    const more = i < 2 ? ['/tips/', '/this-is-not-here/', '/tag/xss-desk/'] : [];
    for (const p of ['/', articleUrl, '/admin/settings/', ...more])
      await visit(page, p, `settings round ${i}: ${p}`, [200, 404]);
  }
  // the tab and newline payloads the settings refuse, noted
  cli('settings', 'set', '--db', db, 'description', PAYLOADS.find((p) => p.includes('\n')));
  await feeds(page, 'feeds with the settings');
}

// ---- reading it all back ---------------------------------------------------------------

// The HTML that feeds carry for readers' apps (RSS description and content:encoded, Atom
// content of type html, JSON Feed content_html), parsed inert and scanned like a page;
// the plain-text fields (Atom type="text", JSON Feed summary) are text to any reader.
const FEEDS = ['/rss/', '/atom/', '/feed.json', '/tag/xss-desk/rss/', '/tag/xss-desk/atom/', '/tag/xss-desk/feed.json'];
async function feeds(page, label) {
  await page.goto(url('/tips/')); // any page of the site: the scan runs there
  for (const p of FEEDS) {
    const res = await page.request.get(url(p));
    check(res.status() === 200, `${label}: ${p} answered ${res.status()}`);
    const text = await res.text();
    const chunks = p.endsWith('.json')
      ? JSON.parse(text).items.map((i) => i.content_html || '')
      : await page.evaluate((xml) => [...new DOMParser().parseFromString(xml, 'application/xml')
          .querySelectorAll('description, encoded, content[type=html], summary[type=html], subtitle[type=html]')]
          .map((e) => e.textContent), text);
    check(chunks.length > 0, `${label}: ${p} has items`);
    for (const html of chunks) {
      const { bad } = await page.evaluate(scanDom, html);
      for (const b of bad) check(false, `${label}: ${p}: ${b}`);
    }
  }
  pagesChecked += FEEDS.length;
}

async function showMore(page) {
  await visit(page, '/', 'home page');
  for (let i = 0; i < 20; i++) {
    const more = page.locator('a.show-more[data-more]');
    if (!(await more.count())) break;
    const n = await page.locator('.teaser').count();
    await more.click();
    await page.waitForFunction((k) => document.querySelectorAll('.teaser').length > k, n, { timeout: 5000 })
      .catch(() => check(false, `Show more ${i + 1} added no story`));
    await inspect(page, `home page after Show more ${i + 1}`);
  }
}

// Paths and queries that echo what a reader typed.
async function queries(page) {
  const halves = [PAYLOADS.slice(0, 17).join(''), PAYLOADS.slice(17).join('')];
  const paths = [];
  for (const h of halves) {
    const q = encodeURIComponent(h);
    paths.push(`/admin/?q=${q}`, `/admin/?status=${q}&tag=${q}&author=${q}&page=${q}`,
               `/?page=${q}`, `/tag/${q}/`, `/author/${q}/`, `/${q}/`, `/page/${q}/`,
               `/more/?before=${q}&tag=${q}&author=${q}&exclude=${q}`, `/tips/?about=${q}&post=${q}&sent=${q}`,
               `/admin/tips/?page=${q}`, `/admin/audit/?page=${q}`, `/preview/${q}/`,
               `/admin/login/?next=${q}`);
  }
  await visitAll(page.context(), paths, [200, 301, 302, 404, 400]);
}

// After login through /admin/login/?next=javascript:..., the browser lands on our own page.
async function loginNext(ctx) {
  const page = await newPage(ctx);
  await page.goto(url(`/admin/login/?next=${encodeURIComponent("javascript:alert('xss-n1')")}`));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForLoadState('load');
  check(page.url().startsWith(origin + '/admin/'), `login with next=javascript: lands on ${page.url()}`);
  await inspect(page, 'after login with a scriptable next');
  return page;
}

async function editors(page, ids) {
  let rich = 0;
  for (const mode of ['markdown', 'rich']) {
    await page.evaluate((m) => localStorage.setItem('newsdesk.editorMode', m), mode);
    for (const id of ids) {
      await page.goto(url(`/admin/posts/${id}/`));
      if (mode === 'rich')
        await page.locator('[role=textbox][aria-label=Body]').or(page.getByRole('status').filter({ hasText: 'Rich text is not available' })).first().waitFor();
      if (mode === 'rich' && await page.locator('[role=textbox][aria-label=Body]').isVisible()) rich++;
      await inspect(page, `editor (${mode}) of post ${id}`);
    }
  }
  check(rich >= 2, `the rich editor opened the posts it can show (${rich})`);
  await page.evaluate(() => localStorage.setItem('newsdesk.editorMode', 'markdown'));
  // the live preview: the editor's text rendered by the server and set as the preview's HTML
  await page.goto(url('/admin/posts/new/'));
  const rendered = page.waitForResponse((r) => r.url().endsWith('/admin/preview/'));
  await page.getByLabel('Body (Markdown)').fill(BODY);
  const res = await rendered;
  await page.waitForTimeout(100);
  const shown = await page.locator('#preview').textContent();
  fs.writeFileSync(path.join(out, 'preview.html'), await page.locator('#preview').innerHTML());
  check(res.status() === 200 && shown.includes('xss-33'), `the live preview shows the corpus (${res.status()}: ${shown.slice(0, 200)})`);
  await inspect(page, 'live preview of the corpus');
  await page.getByLabel('Title', { exact: true }).fill(PAYLOADS[13]);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=draft$/);
  await page.getByRole('button', { name: 'Share a preview' }).click();
  const link = await page.locator('#share-link').getAttribute('href');
  await inspect(page, 'editor with a preview link');
  await visit(page, link, 'the preview link page');
}

async function newsroom(page, ids) {
  for (const p of ['/admin/', '/admin/?status=published', '/admin/?status=draft', '/admin/tips/', '/admin/staff/',
                   '/admin/tags/', '/admin/audit/', '/admin/settings/', '/admin/api/tags/', '/admin/api/staff/'])
    await visit(page, p);
  const staff = await page.locator('main a[href^="/admin/staff/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  await visitAll(page.context(), [...new Set(staff)]);
  for (const id of ids.slice(0, 2)) {
    await visit(page, `/admin/posts/${id}/revisions/`);
    const revs = await page.locator('main a[href^="/admin/revisions/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const p of revs.slice(0, 3)) await visit(page, p, `revision ${p}`);
  }
}

async function site(page) {
  await showMore(page);
  const html = await (await page.request.get(url('/sitemap-posts.xml'))).text();
  const posts = [...html.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  const tags = [...(await (await page.request.get(url('/sitemap-tags.xml'))).text()).matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  const authors = [...(await (await page.request.get(url('/sitemap-authors.xml'))).text()).matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  check(posts.length && tags.length && authors.length, `the sitemaps list posts (${posts.length}), tags (${tags.length}), authors (${authors.length})`);
  await visitAll(page.context(), [...posts, ...tags, ...authors]);
  for (const p of authors.slice(0, 3)) await visit(page, `/tips/?about=${p.split('/')[2]}`, `tips about ${p}`);
  await feeds(page, 'feeds');
  return posts.find((p) => p !== '/') || '/';
}

const browser = await launch();
try {
  const ctx = await context(browser, DESKTOP);
  ctx.on('response', (r) => check(r.status() < 500, `${r.request().method()} ${r.url()}: ${r.status()}`));
  api = ctx.request;
  const page = await loginNext(ctx);
  csrf = await page.locator('input[name=csrf]').first().inputValue();
  cliPosts();
  const bylines = await desks();
  const ids = await formPosts(bylines);
  await tagForms();
  await tips();
  console.log(`entered in ${Date.now() - started} ms`);
  started = Date.now();
  const lap = (what) => { console.log(`${what}: ${Date.now() - started} ms`); started = Date.now(); };
  const article = await site(page);
  lap('site');
  await newsroom(page, ids);
  lap('newsroom');
  await editors(page, ids);
  lap('editors');
  await queries(page);
  lap('queries');
  await settingsRounds(page, article);
  lap('settings');
  await ctx.close();
} catch (e) {
  check(false, `xss: ${e.stack || e}`);
} finally {
  await browser.close();
}
fs.writeFileSync(path.join(out, 'refused.txt'), refused.join('\n') + '\n');
for (const r of refused) console.log(`refused: ${r.slice(0, 120)}`);
console.log(`xss: ${PAYLOADS.length + URLS.length} payloads, ${pagesChecked} pages checked, ` +
            `${dialogs.length} dialogs, ${refused.length} inputs refused (build/artifacts/browser/xss/refused.txt)`);
done('xss');
