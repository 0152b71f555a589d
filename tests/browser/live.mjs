// Live updates of the feed in Debian's chromium:
//   node tests/browser/live.mjs CHECK BASE_URL ARTIFACT_DIR
// with an editor, eda@example.org, password PASSWORD below, and a feed longer than a screen.
// CHECK is one of:
//   notice  the home page open in one tab, scrolled into the feed; a story published through
//           the editor in another tab makes "1 new story" appear within a second with nothing
//           on screen moving; clicking it puts the story at the top of the feed (no layout
//           shift) and focuses it; axe-core finds no violation with the notice shown, light
//           and dark; a reader at the top gets the next story at once; unpublishing takes
//           it off the open page
//   hidden  a tab that is hidden closes its stream; a story published meanwhile is there
//           when it is shown again (the stream takes up where it left off), on a phone,
//           where the notice fits the screen and is a full-size tap target
import path from 'node:path';
import { context, check, runCheck, artifactDir, axeCheck, noOverflow, DESKTOP, PHONE } from './lib.mjs';

const [what, base, artifacts] = process.argv.slice(2);
if (!what || !base || !artifacts) {
  console.error('usage: live.mjs CHECK BASE_URL ARTIFACT_DIR');
  process.exit(2);
}
const out = artifactDir(artifacts, 'live');
const url = (p) => new URL(p, base).href;
const PASSWORD = 'correct horse battery';

// Every layout shift the page makes, with whether input came just before it (CLS leaves
// those out: a shift the reader asked for is not a surprise).
const RECORD_SHIFTS = () => {
  window.__shifts = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) =>
    window.__shifts.push({ value: e.value, input: e.hadRecentInput }))).observe({ type: 'layout-shift', buffered: true });
};
const unexpectedShift = (page) => page.evaluate(() =>
  window.__shifts.filter((s) => !s.input).reduce((a, s) => a + s.value, 0));

async function reader(browser, scheme, device = DESKTOP) {
  const ctx = await context(browser, { ...device, colorScheme: scheme, bypassCSP: true });
  await ctx.addInitScript(RECORD_SHIFTS);
  const page = await ctx.newPage();
  const live = page.waitForRequest((r) => new URL(r.url()).pathname === '/live/');
  await page.goto(base);
  await live; // the stream is asked for a few seconds after the page has loaded
  await page.waitForTimeout(200);
  return { ctx, page };
}

async function editor(browser) {
  const ctx = await context(browser, DESKTOP);
  const page = await ctx.newPage();
  await page.goto(url('/admin/'));
  await page.getByLabel('E-mail').fill('eda@example.org');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/admin/login/'));
  return { ctx, page };
}

// Publishes a story through the editor; returns when the editor says it is out, and its id.
async function publish(page, title) {
  await page.goto(url('/admin/posts/new/'));
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Body (Markdown)').fill(`What happened: ${title}.`);
  await page.getByRole('button', { name: 'Publish now' }).click();
  await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=published$/);
  return Number(new URL(page.url()).pathname.split('/')[3]);
}

// The first teaser wholly on screen: its id and where it is in the viewport.
const onScreen = (page) => page.evaluate(() => {
  for (const li of document.querySelectorAll('.teasers > li')) {
    const r = li.getBoundingClientRect();
    if (r.top >= 0 && r.bottom <= innerHeight) return { id: li.dataset.id, top: r.top };
  }
  return null;
});
const firstTitle = (page) => page.evaluate(() =>
  document.querySelector('.teasers > li:not(.pinned) .teaser-title a')?.textContent);

// What the page would see if the reader switched tabs (Page Visibility API).
const setHidden = (page, hidden) => page.evaluate((h) => {
  Object.defineProperty(document, 'hidden', { value: h, configurable: true });
  Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}, hidden);

const checks = {
  async notice(browser) {
    const ed = await editor(browser);
    const light = await reader(browser, 'light');
    const dark = await reader(browser, 'dark');
    for (const r of [light, dark]) {
      // into the feed: its top is above the screen, the reader is reading further down
      await r.page.evaluate(() => {
        const list = document.querySelector('.teasers');
        window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY + 400);
      });
      check(await r.page.evaluate(() => document.querySelector('.teasers').getBoundingClientRect().top < 0),
            'the reader has scrolled into the feed');
    }
    const before = await onScreen(light.page);
    const title = 'Bridge reopens after the storm';
    await publish(ed.page, title);
    const published = Date.now();
    const notice = light.page.getByRole('button', { name: '1 new story' });
    await notice.waitFor({ state: 'visible', timeout: 1000 }).catch(() => {});
    const waited = Date.now() - published;
    check(await notice.isVisible(), `"1 new story" appears within a second (after ${waited} ms)`);
    await dark.page.getByRole('button', { name: '1 new story' }).waitFor({ state: 'visible', timeout: 2000 });
    const after = await onScreen(light.page);
    check(before && after && before.id === after.id && Math.abs(before.top - after.top) < 1,
          `what the reader was reading did not move (${JSON.stringify(before)} → ${JSON.stringify(after)})`);
    check(await firstTitle(light.page) !== title, 'the story waits for the reader');
    await light.page.screenshot({ path: path.join(out, 'notice-light.png') });
    await dark.page.screenshot({ path: path.join(out, 'notice-dark.png') });
    console.log(await axeCheck(light.page, 'home with the live notice (light)'));
    console.log(await axeCheck(dark.page, 'home with the live notice (dark)'));
    const status = await light.page.locator('.feed-status').textContent();
    check(/1 new story/.test(status), `the notice is announced politely (${status})`);

    await notice.click();
    await light.page.waitForFunction((t) =>
      document.querySelector('.teasers > li:not(.pinned) .teaser-title a')?.textContent === t, title, { timeout: 2000 });
    check(await notice.isHidden(), 'the notice goes once the story is shown');
    const focused = await light.page.evaluate(() => document.activeElement?.textContent);
    check(focused === title, `the new story's link has the focus (${focused})`);
    await light.page.waitForTimeout(600); // the smooth scroll up to it
    check(await light.page.evaluate(() => document.querySelector('.teasers').getBoundingClientRect().top >= -1),
          'the page scrolled up to the new story');
    const shift = await unexpectedShift(light.page);
    check(shift === 0, `no layout shift the reader did not ask for (${shift})`);
    console.log(await axeCheck(light.page, 'home after the new story went in'));
    await light.page.screenshot({ path: path.join(out, 'inserted.png') });

    // a reader at the top: the next story goes straight in
    await light.page.evaluate(() => window.scrollTo(0, 0));
    const next = 'Ferry service resumes';
    const id = await publish(ed.page, next);
    await light.page.waitForFunction((t) =>
      document.querySelector('.teasers > li:not(.pinned) .teaser-title a')?.textContent === t, next, { timeout: 2000 })
      .catch(() => {});
    check(await firstTitle(light.page) === next, 'at the top of the feed a new story goes in at once');
    check(await light.page.locator('.live-notice').isHidden(), 'with no notice');

    // unpublished: it leaves the open page
    await ed.page.goto(url(`/admin/posts/${id}/`));
    await ed.page.getByRole('button', { name: 'Unpublish' }).click();
    await ed.page.getByRole('link', { name: 'Cancel: keep it published' }).waitFor();
    await ed.page.getByRole('button', { name: 'Unpublish' }).click(); // the desk says yes
    await ed.page.waitForURL(/\?saved=/);
    await light.page.waitForFunction((i) => !document.querySelector(`.teasers > li[data-id="${i}"]`), id,
                                     { timeout: 3000 }).catch(() => {});
    check(await light.page.locator(`.teasers > li[data-id="${id}"]`).count() === 0,
          'an unpublished story leaves the open page');
    await light.ctx.close();
    await dark.ctx.close();
    await ed.ctx.close();
  },
};

checks.hidden = async (browser) => {
  const ed = await editor(browser);
  const r = await reader(browser, 'light', PHONE);
  await r.page.evaluate(() => window.scrollTo(0, document.querySelector('.teasers').getBoundingClientRect().top + scrollY + 600));
  const asked = [];
  r.page.on('request', (q) => { if (new URL(q.url()).pathname === '/live/') asked.push(q.url()); });
  await setHidden(r.page, true);
  const title = 'Power back on in the old town';
  await publish(ed.page, title);
  await r.page.waitForTimeout(700);
  check(await r.page.locator('.live-notice').isHidden(), 'a hidden page hears nothing');
  await setHidden(r.page, false);
  const notice = r.page.getByRole('button', { name: '1 new story' });
  await notice.waitFor({ state: 'visible', timeout: 3000 }).catch(() => {});
  check(await notice.isVisible(), 'shown again, the page gets what was published meanwhile');
  check(asked.length === 1 && /\?since=\d+$/.test(asked[0]), `it took up where it left off (${asked})`);
  const box = await notice.boundingBox();
  const { scroll, width } = await noOverflow(r.page);
  check(box && box.height >= 44 && box.x >= 0 && box.x + box.width <= width,
        `the notice fits the phone and is a full tap target (${JSON.stringify(box)})`);
  check(scroll <= width, `nothing scrolls sideways (${scroll} > ${width})`);
  await r.page.screenshot({ path: path.join(out, 'notice-phone.png') });
  console.log(await axeCheck(r.page, 'phone with the live notice'));
  await notice.click();
  await r.page.waitForFunction((t) =>
    document.querySelector('.teasers > li:not(.pinned) .teaser-title a')?.textContent === t, title, { timeout: 2000 });
  await r.ctx.close();
  await ed.ctx.close();
};

await runCheck('live.mjs', checks, what);
