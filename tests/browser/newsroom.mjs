// The newsroom in a real browser, as the README tells a new user to use it:
//   node tests/browser/newsroom.mjs CHECK BASE_URL ARTIFACT_DIR EMAIL PASSWORD
// CHECK is one of:
//   first-post  log in, write a post with the live preview, publish it, find it on the site
//   tips        a reader sends a tip (with markup and a script) from an author card; an
//               editor reads it in the inbox, escaped, and no script runs anywhere
//   axe         axe-core (WCAG 2.1 A and AA, light and dark) on every newsroom page, the
//               editor in both modes
//   phone       every newsroom page, the editor in both modes, holds at 360 px
//   vnu         the Nu HTML Checker finds no error in any newsroom page, as the server sent it
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { launch, context, check, done, artifactDir, noOverflow, expectCspViolations, axeCheck,
         PHONE, DESKTOP, runCheck } from './lib.mjs';

const require = createRequire(import.meta.url);
const [what, base, artifacts, email, password] = process.argv.slice(2);
const out = artifactDir(artifacts, 'newsroom');
const url = (p) => new URL(p, base).href;

async function login(page) {
  await page.goto(url('/admin/'));
  check(page.url().startsWith(url('/admin/login/')), `/admin/ sends a stranger to the login form (${page.url()})`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url('/admin/'));
  check(await page.getByRole('heading', { name: 'Posts' }).isVisible(), 'the post list after login');
}

// The editor in a mode: the rich-text bundle remembers the choice in localStorage.
async function editorIn(page, p, mode) {
  await page.evaluate((m) => localStorage.setItem('newsdesk.editorMode', m), mode);
  await page.goto(url(p));
  if (mode === 'rich') await page.locator('[role=textbox][aria-label=Body]').waitFor();
}

// Invites a newcomer from the staff page; returns the path of the one-time link it shows.
// Each call a new person: a login e-mail that has an account is refused.
let invited = 0;
async function invite(page) {
  invited++;
  await page.goto(url('/admin/staff/'));
  await page.locator('#invite-name').fill(`Nia Newcomer ${invited}`);
  await page.locator('#invite-email').fill(`nia${invited}@example.org`);
  await page.getByRole('button', { name: 'Invite' }).click();
  await page.locator('#link-url').waitFor();
  return new URL(await page.locator('#link-url').inputValue()).pathname;
}

// Visits every page of the newsroom as an administrator would meet it, calling at(label)
// on each: the reader's tips form, login, every list and form, the editor in both modes
// (new and existing post), revisions, a refused save and its side-by-side view, the bulk
// confirmation, a profile, settings, the newsroom's error page, and an invitation: the
// page showing its link, and the link's own page.
async function everyPage(page, at) {
  page.on('dialog', (d) => d.accept()); // leaving a post on purpose
  await page.goto(url('/tips/'));
  await at('tips form');
  // a tip, so that the inbox and a tip's page have one to show
  await page.getByLabel('Your message').fill('A tip for the pages to show');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.waitForURL(url('/tips/?sent=1'));
  await page.goto(url('/admin/login/'));
  await at('login');
  await login(page);
  await at('post list');
  for (const mode of ['markdown', 'rich']) {
    const name = mode === 'rich' ? 'Rich text' : 'Markdown';
    await editorIn(page, '/admin/posts/new/', mode);
    await at(`new post (${name})`);
    await editorIn(page, '/admin/posts/1/', mode);
    await at(`a published post (${name})`);
  }
  await page.evaluate(() => localStorage.setItem('newsdesk.editorMode', 'markdown'));
  await page.goto(url('/admin/posts/1/revisions/'));
  await at('revisions');
  // a save against an older version: refused, with the text kept and both shown side by side
  await page.goto(url('/admin/posts/2/'));
  await page.locator('input[name=version]').evaluate((e) => { e.value = '0'; });
  await page.getByLabel('Title', { exact: true }).fill('A correction that came too late');
  await page.getByRole('button', { name: 'Update' }).click();
  await page.locator('#conflict').waitFor();
  await at('a refused save (edit conflict)');
  await page.getByRole('link', { name: 'Compare theirs and yours side by side' }).click();
  await page.waitForURL(/\/admin\/revisions\/\d+\//);
  await at('theirs and yours side by side');
  await page.goto(url('/admin/?status=published'));
  await page.locator('input[name=ids]').first().check();
  await page.getByLabel('Action').selectOption('unpublish');
  await page.getByRole('button', { name: 'Apply…' }).click();
  await page.waitForURL(url('/admin/posts/bulk/'));
  await at('bulk confirmation');
  for (const [label, p] of [['tips inbox', '/admin/tips/'], ['a tip', '/admin/tips/1/'],
                            ['staff', '/admin/staff/'],
                            ['tags', '/admin/tags/'], ['audit log', '/admin/audit/'],
                            ['settings', '/admin/settings/'], ['error page', '/admin/posts/999999/']]) {
    await page.goto(url(p));
    await at(label);
  }
  await page.goto(url('/admin/staff/'));
  await page.locator('main a[href^="/admin/staff/"]').first().click();
  await page.waitForURL(/\/admin\/staff\/\d+\//);
  await at('a profile');
  const link = await invite(page);
  await at('an invitation, its link shown once');
  await page.goto(url(link));
  await at("a one-time link's page");
}

const checks = {
  async 'first-post'(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await login(page);
    await page.getByRole('link', { name: 'New post' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Our first post from the newsroom');
    await page.getByLabel('Body (Markdown)').fill('The desk is **open**.\n\n> “We start today.”\n>\n> — The editor');
    await page.waitForFunction(() => document.querySelector('#preview strong')?.textContent === 'open');
    check(await page.locator('#preview blockquote').count() === 1, 'the live preview renders the quotation');
    await page.getByLabel(/^Tags/).fill('News Feed');
    await page.screenshot({ path: path.join(out, 'editor.png'), fullPage: true });
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=published$/);
    check(await page.getByText('Published: readers see it now.').isVisible(), 'the editor says it is published');
    await page.getByRole('link', { name: 'View on the site' }).click();
    await page.waitForURL(url('/our-first-post-from-the-newsroom/'));
    check(await page.getByRole('heading', { level: 1, name: 'Our first post from the newsroom' }).isVisible(),
          'the article is on the site');
    check(await page.locator('.post-body blockquote').count() === 1, 'with its quotation');
    await page.goto(base);
    const first = await page.locator('.teaser-title a').first().textContent();
    check(first.trim() === 'Our first post from the newsroom', `the home page leads with it (got "${first}")`);
    check(dialogs.length === 0, `no dialog opened (${dialogs.join(', ')})`);
    await ctx.close();
  },

  async tips(browser) {
    const reader = await context(browser, PHONE);
    const page = await reader.newPage();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await page.goto(base);
    await page.locator('.teaser-title a').first().click();
    const article = (await page.locator('h1').first().textContent()).trim();
    await page.locator('.author-card .author-contact a').first().click();
    await page.waitForURL(/\/tips\/\?about=.*&post=/);
    check(await page.getByText(`About the article ${article}`).isVisible(), 'the form names the article');
    await page.getByLabel('Your message').fill('<script>alert("tip")</script><img src=x onerror=alert(2)> Smoke over the depot');
    await page.getByLabel('Your name (optional)').fill('A <b>reader</b>');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(url('/tips/?sent=1'));
    check(await page.getByText('your message has reached the newsroom').isVisible(), 'the reader is thanked');
    await page.screenshot({ path: path.join(out, 'tip-sent.png') });
    await reader.close();

    const desk = await context(browser, DESKTOP);
    const inbox = await desk.newPage();
    inbox.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await login(inbox);
    await inbox.getByRole('link', { name: 'Tips' }).click();
    const text = await inbox.locator('article.tip p').first().textContent();
    check(text.includes('<script>alert("tip")</script>') && text.includes('Smoke over the depot'),
          `the tip reads as the reader typed it (${text})`);
    check(await inbox.locator('article.tip script, article.tip img, article.tip b').count() === 0,
          'none of its markup became elements');
    check(await inbox.getByText(`Sent from: ${article}`).isVisible(), 'the inbox names the article');
    await inbox.screenshot({ path: path.join(out, 'tips-inbox.png'), fullPage: true });
    // opened, it is read; turned into a draft, both link to each other
    await inbox.getByRole('link', { name: /^Tip #1/ }).click();
    await inbox.waitForURL(/\/admin\/tips\/1\/$/);
    check(!(await inbox.locator('header nav').textContent()).includes('unread'), 'the unread count is gone');
    await inbox.getByRole('button', { name: 'Turn into a draft' }).click();
    await inbox.waitForURL(/\/admin\/posts\/\d+\/$/);
    check(await inbox.getByRole('link', { name: 'From reader tip #1' }).isVisible(), 'the draft links back');
    check((await inbox.getByLabel('Body (Markdown)').inputValue()).includes('Smoke over the depot'),
          'the draft quotes the tip');
    // and were there a hole in the escaping, the page's CSP would still refuse inline script
    expectCspViolations(desk);
    const blocked = await inbox.addScriptTag({ content: 'window.injected = 1' }).then(() => false, () => true);
    check(blocked && !(await inbox.evaluate(() => window.injected)), 'the inbox refuses inline script');
    check(dialogs.length === 0, `no script ran (${dialogs.join(', ')})`);
    await desk.close();
  },

  async axe(browser) {
    const report = [];
    for (const scheme of ['light', 'dark']) {
      const ctx = await context(browser, { ...PHONE, colorScheme: scheme, bypassCSP: true });
      const page = await ctx.newPage();
      await everyPage(page, async (label) => report.push(await axeCheck(page, `${label} (${scheme})`)));
      await ctx.close();
    }
    fs.writeFileSync(path.join(out, 'axe.txt'), report.join('\n') + '\n');
    console.log(report.join('\n'));
  },

  async phone(browser) {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    await everyPage(page, async (label) => {
      const { scroll, width } = await noOverflow(page);
      check(scroll <= width, `${label} fits a 360 px phone (${scroll} px wide)`);
      if (label === 'new post (Markdown)')
        await page.screenshot({ path: path.join(out, 'editor-phone.png'), fullPage: true });
    });
    await ctx.close();
  },

  async vnu(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    // a tip first, so that the inbox has one to show
    await page.goto(url('/tips/'));
    await page.getByLabel('Your message').fill('A <b>tip</b> & a link');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(url('/tips/?sent=1'));
    await login(page);
    await page.goto(url('/admin/staff/'));
    const profile = await page.locator('a[href^="/admin/staff/"]').first().getAttribute('href');
    const link = await invite(page);
    const invitee = (await page.locator('form[action$="/link/"]').getAttribute('action')).replace(/link\/$/, '');
    const paths = ['/admin/login/', '/admin/', '/admin/posts/new/', '/admin/posts/1/',
                   '/admin/posts/1/revisions/', '/admin/tips/', '/admin/tips/1/', '/admin/staff/', profile,
                   '/admin/tags/', '/admin/audit/', '/admin/settings/', '/tips/', invitee, link];
    const dir = artifactDir(out, 'html');
    const files = [];
    for (const p of paths) {
      const res = await page.request.get(url(p)); // the page's cookies: the server's bytes
      check(res.status() === 200, `${p} answers 200 (${res.status()})`);
      const file = path.join(dir, p.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') + '.html');
      fs.writeFileSync(file, await res.text());
      files.push(file);
    }
    await ctx.close();
    const jar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
    const r = spawnSync('java', ['-Xss1m', '-jar', jar, '--errors-only', '--format', 'gnu', ...files],
                        { encoding: 'utf8' });
    if (r.error) check(false, `cannot run java: ${r.error.message}`);
    const text = (r.stdout + r.stderr).trim();
    if (text) console.error(text);
    check(r.status === 0, `the Nu HTML Checker found errors in the newsroom (exit ${r.status})`);
    console.log(`vnu: ${files.length} newsroom pages checked`);
  },
};

await runCheck('newsroom', checks, what);
