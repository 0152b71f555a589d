// The post list's bulk actions in a real browser:
//   node tests/browser/bulk.mjs CHECK BASE_URL ARTIFACT_DIR EMAIL PASSWORD
// CHECK is one of:
//   publish  tick two drafts, choose Publish, confirm: the list comes back as it was and
//            both are on the home page; "select all on this page" ticks every row
//   phone    the list with its bulk bar holds at 360 px
//   axe      axe-core (WCAG 2.1 A and AA) on the list and a Delete confirmation page
import fs from 'node:fs';
import path from 'node:path';
import { launch, context, check, done, artifactDir, noOverflow, axeCheck, PHONE,
         DESKTOP, runCheck } from './lib.mjs';

const [what, base, artifacts, email, password] = process.argv.slice(2);
const out = artifactDir(artifacts, 'bulk');
const url = (p) => new URL(p, base).href;
const DRAFTS = ['Ferry timetable changes', 'Library opens late'];

async function login(page) {
  await page.goto(url('/admin/login/'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url('/admin/'));
}

const checks = {
  async publish(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    const list = url('/admin/?status=draft');
    await page.goto(list);
    // select all, then none: the script's box drives every row's
    const all = page.getByLabel('Select all on this page');
    check(await all.isVisible(), 'the select-all box shows once the script runs');
    await all.check();
    const boxes = page.locator('input[name="ids"]');
    const n = await boxes.count();
    check(n >= 2 && (await page.locator('input[name="ids"]:checked').count()) === n,
          `select all ticks all ${n} rows`);
    await all.uncheck();
    check((await page.locator('input[name="ids"]:checked').count()) === 0, 'and untick them');
    for (const t of DRAFTS) await page.getByLabel(`Select “${t}”`).check();
    await page.getByLabel('Action').selectOption('publish');
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.waitForURL(url('/admin/posts/bulk/'));
    check(await page.getByRole('heading', { name: 'Publish these 2 posts?' }).isVisible(),
          'the confirmation asks about both');
    for (const t of DRAFTS)
      check(await page.getByRole('link', { name: t }).isVisible(), `it names “${t}”`);
    await page.screenshot({ path: path.join(out, 'confirm.png'), fullPage: true });
    await page.getByRole('button', { name: 'Publish 2 posts' }).click();
    await page.waitForURL(list);
    check(page.url() === list, `back at the same list (${page.url()})`);
    for (const t of DRAFTS)
      check(await page.getByRole('link', { name: t }).count() === 0, `“${t}” left the drafts`);
    await page.goto(base);
    const teasers = await page.locator('.teaser-title a').allTextContents();
    for (const t of DRAFTS)
      check(teasers.some((x) => x.trim() === t), `“${t}” is on the home page (${teasers.slice(0, 4).join(' | ')})`);
    await ctx.close();
  },

  async axe(browser) {
    const ctx = await context(browser, { ...DESKTOP, bypassCSP: true });
    const page = await ctx.newPage();
    const run = async (label) => console.log(await axeCheck(page, label));
    await login(page);
    await page.goto(url('/admin/?status=draft'));
    await run('post list');
    await page.getByLabel(`Select “${DRAFTS[0]}”`).check();
    await page.getByLabel('Action').selectOption('delete');
    await page.getByRole('button', { name: 'Apply…' }).click();
    await page.waitForURL(url('/admin/posts/bulk/'));
    check(await page.getByLabel('Yes, delete these posts for good').isVisible(), 'Delete asks for a tick');
    await run('delete confirmation');
    await ctx.close();
  },

  async phone(browser) {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    await login(page);
    for (const p of ['/admin/', '/admin/?status=draft&q=e']) {
      await page.goto(url(p));
      const { scroll, width } = await noOverflow(page);
      check(scroll <= width, `${p} fits a 360 px phone (${scroll} px wide)`);
    }
    await page.screenshot({ path: path.join(out, 'list-phone.png'), fullPage: true });
    await ctx.close();
  },
};

await runCheck('bulk', checks, what);
