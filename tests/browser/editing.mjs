// Nothing typed is lost, in a real browser: one check per way a story used to disappear.
//   node tests/browser/editing.mjs CHECK BASE_URL ARTIFACT_DIR DB
// with two editors, ana@example.org (Ana Reporter) and ben@example.org (Ben Editor), both
// with the password PASSWORD below. CHECK is one of:
//   conflict  two editors on one post: the second save is refused naming the first, and the
//             side-by-side view shows both texts
//   leave     leaving with unsaved text asks first (beforeunload)
//   crash     type, wait for "Saved", close the tab without saving, reopen: the text is there
//             (a draft, and a new post that became one)
//   expiry    the session ends while writing: autosave says so and resumes once logged in
//             in another tab; Save without a session shows the login form with the text
//             kept, and after logging in the text comes back
//   presence  two editors on one post see each other; two tabs of one are not "someone else"
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { launch, context, check, done, artifactDir, DESKTOP, runCheck } from './lib.mjs';

const [what, base, artifacts, db] = process.argv.slice(2);
const out = artifactDir(artifacts, 'editing');
const url = (p) => new URL(p, base).href;
const PASSWORD = 'correct horse battery';
const ANA = 'ana@example.org', BEN = 'ben@example.org';

function sql(text) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, text], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

async function login(page, email, next) {
  await page.goto(url(next || '/admin/'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/login/'));
}

// A page of a new context logged in as email, with its dialogs recorded.
async function editor(browser, email) {
  const ctx = await context(browser, DESKTOP);
  const page = await ctx.newPage();
  page.dialogs = [];
  page.on('dialog', (d) => { page.dialogs.push(d.type()); d.accept(); });
  await login(page, email);
  return { ctx, page };
}

// A draft made through the editor; returns its id.
async function newDraft(page, title, body) {
  await page.goto(url('/admin/posts/new/'));
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Body (Markdown)').fill(body);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=draft$/);
  return Number(new URL(page.url()).pathname.split('/')[3]);
}

const body = (page) => page.getByLabel('Body (Markdown)');
const saved = (page) => page.waitForFunction(
  () => /^Saved \d\d:\d\d/.test(document.getElementById('save-state')?.textContent || ''),
  null, { timeout: 15000 });

const checks = {
  async conflict(browser) {
    const a = await editor(browser, ANA), b = await editor(browser, BEN);
    const id = await newDraft(a.page, 'Council vote', 'First draft.');
    await b.page.goto(url(`/admin/posts/${id}/`)); // Ben opens it
    await a.page.goto(url(`/admin/posts/${id}/`));
    await body(a.page).fill("Ana's words.");
    await a.page.getByRole('button', { name: 'Save draft' }).click();
    await a.page.waitForURL(/\?saved=draft$/);
    await body(b.page).fill("Ben's words.");
    await b.page.getByRole('button', { name: 'Save draft' }).click();
    await b.page.waitForLoadState();
    const alert = await b.page.getByRole('alert').textContent();
    check(/Ana Reporter saved this post at \d\d:\d\d, after you opened it/.test(alert),
          `the refusal names the first editor (${alert})`);
    check(await body(b.page).inputValue() === "Ben's words.", 'the refused text stays in the form');
    check(sql(`SELECT markdown FROM post_bodies WHERE post_id = ${id}`) === "Ana's words.",
          'the post keeps the first save');
    await b.page.screenshot({ path: path.join(out, 'conflict.png'), fullPage: true });
    await b.page.getByRole('link', { name: 'Compare theirs and yours side by side' }).click();
    const theirs = await b.page.locator('#theirs').textContent();
    const yours = await b.page.locator('#yours').textContent();
    check(theirs.includes("Ana's words.") && yours.includes("Ben's words."),
          `both texts side by side (theirs "${theirs}", yours "${yours}")`);
    await b.page.screenshot({ path: path.join(out, 'side-by-side.png'), fullPage: true });
    await b.page.getByRole('button', { name: 'Save mine over theirs' }).click();
    await b.page.getByRole('button', { name: 'Yes, restore it' }).click(); // asked first
    await b.page.waitForURL(/\?saved=restored$/);
    check(sql(`SELECT markdown FROM post_bodies WHERE post_id = ${id}`) === "Ben's words.",
          'only a deliberate choice replaces theirs');
    await a.ctx.close();
    await b.ctx.close();
  },

  async leave(browser) {
    const a = await editor(browser, ANA);
    const id = await newDraft(a.page, 'Ferry strike', 'Boats stay in port.');
    await a.page.goto(url(`/admin/posts/${id}/`));
    await body(a.page).click();
    await a.page.keyboard.type(' Talks resume on Monday.');
    const asked = a.page.waitForEvent('dialog', { timeout: 5000 }).then((d) => d.type(), () => null);
    await a.page.close({ runBeforeUnload: true });
    check(await asked === 'beforeunload', 'leaving with unsaved text asks first');
    // and not after a save
    const page = await a.ctx.newPage();
    page.dialogs = [];
    page.on('dialog', (d) => { page.dialogs.push(d.type()); d.accept(); });
    await page.goto(url(`/admin/posts/${id}/`));
    await body(page).click();
    await page.keyboard.type(' Saved.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\?saved=draft$/);
    await page.goto(url('/admin/'));
    check(page.dialogs.length === 0, `no question after a save (${page.dialogs.join(', ')})`);
    await a.ctx.close();
  },

  async crash(browser) {
    const a = await editor(browser, ANA);
    const id = await newDraft(a.page, 'Water cut', 'Mains repaired.');
    await a.page.goto(url(`/admin/posts/${id}/`));
    await body(a.page).click();
    await a.page.keyboard.press('End');
    await a.page.keyboard.type(' Supply back by noon.');
    await saved(a.page);
    await a.page.close(); // a crash: no save, no beforeunload
    let page = await a.ctx.newPage();
    await page.goto(url(`/admin/posts/${id}/`));
    const v = await body(page).inputValue();
    check(v === 'Mains repaired. Supply back by noon.', `the draft has the text (${v})`);

    // a new post: its first autosave makes it a draft, and the address follows
    await page.goto(url('/admin/posts/new/'));
    await page.getByLabel('Title', { exact: true }).fill('Never saved by hand');
    await body(page).fill('Typed, then the tab died.');
    await saved(page);
    const where = new URL(page.url()).pathname;
    check(/^\/admin\/posts\/\d+\/$/.test(where), `the address is the draft's (${where})`);
    await page.close();
    page = await a.ctx.newPage();
    await page.goto(url(where));
    check(await body(page).inputValue() === 'Typed, then the tab died.', 'the new post is there');
    check(await page.getByLabel('Title', { exact: true }).inputValue() === 'Never saved by hand',
          'with its title');
    // Ctrl+S saves it; the browser's own "save page" never opens
    await body(page).click();
    await page.keyboard.type(' More.');
    await page.keyboard.press('Control+s');
    await page.waitForURL(/\?saved=draft$/);
    check(sql(`SELECT markdown FROM post_bodies WHERE post_id = ${where.split('/')[3]}`) ===
          'Typed, then the tab died. More.', 'Ctrl+S saved the draft');
    await a.ctx.close();
  },

  async expiry(browser) {
    const a = await editor(browser, BEN);
    const id = await newDraft(a.page, 'Night bus', 'Before.');
    await a.page.goto(url(`/admin/posts/${id}/`));
    sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'ben@example.org')");
    await body(a.page).fill('Written while the session ended.');
    await a.page.waitForFunction(
      () => /Your session has ended/.test(document.getElementById('save-state')?.textContent || ''),
      null, { timeout: 15000 });
    const link = await a.page.getByRole('link', { name: /Log in again/ }).getAttribute('href');
    check(link === `/admin/login/?next=%2Fadmin%2Fposts%2F${id}%2F`, `the link returns to the post (${link})`);
    await a.page.screenshot({ path: path.join(out, 'session-ended.png'), fullPage: true });
    // logging in in another tab: this one takes the new session's token and autosaves again
    const other = await a.ctx.newPage();
    await login(other, BEN, link);
    check(new URL(other.url()).pathname === `/admin/posts/${id}/`, `the login returns to the post (${other.url()})`);
    await other.close();
    await saved(a.page);
    check(sql(`SELECT markdown FROM post_bodies WHERE post_id = ${id}`) === 'Written while the session ended.',
          'autosave resumed with the new session');
    // and without a script's help: the session ends again, and Save is pressed
    sql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = 'ben@example.org')");
    await body(a.page).fill('Written while the session ended, twice.');
    await a.page.getByRole('button', { name: 'Save draft' }).click();
    await a.page.waitForLoadState();
    check(await a.page.getByRole('heading', { name: 'Log in to the newsroom' }).isVisible(),
          'Save without a session shows the login form');
    await a.page.getByLabel('E-mail').fill(BEN);
    await a.page.getByLabel('Password').fill(PASSWORD);
    await a.page.getByRole('button', { name: 'Log in' }).click();
    await a.page.waitForURL(new RegExp(`/admin/posts/${id}/\\?kept=\\d+`));
    check(await a.page.getByText(/Your text from \d\d:\d\d was kept/).isVisible(), 'the editor says it was kept');
    await a.page.getByRole('link', { name: 'restore', exact: true }).click();
    await a.page.waitForURL(/restore=/);
    const v = await body(a.page).inputValue();
    check(v === 'Written while the session ended, twice.', `the text is back (${v})`);
    await a.ctx.close();
  },

  async presence(browser) {
    const a = await editor(browser, ANA), b = await editor(browser, BEN);
    const id = await newDraft(a.page, 'Election night', 'Results.');
    await a.page.goto(url(`/admin/posts/${id}/`));
    const tab2 = await a.ctx.newPage(); // Ana's second tab
    await tab2.goto(url(`/admin/posts/${id}/`));
    check((await tab2.locator('#presence').textContent()).trim() === '',
          'two tabs of one editor are not someone else');
    await b.page.goto(url(`/admin/posts/${id}/`));
    const seen = await b.page.locator('#presence').textContent();
    check(seen.includes('Ana Reporter is also editing this post'), `Ben sees Ana (${seen})`);
    // Ana's page learns of Ben within a renewal (every 20 s), without a reload
    const learnt = await a.page.waitForFunction(
      () => /Ben Editor is also editing this post/.test(document.getElementById('presence').textContent),
      null, { timeout: 30000 }).then(() => true, () => false);
    check(learnt, 'Ana sees Ben without reloading');
    await a.page.screenshot({ path: path.join(out, 'presence.png'), fullPage: true });
    await a.ctx.close();
    await b.ctx.close();
  },
};

await runCheck('editing', checks, what);
