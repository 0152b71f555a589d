// The reader's search in Debian's chromium:
//   node tests/browser/search.mjs CHECK BASE_URL ARTIFACT_DIR
// CHECK: type   typing in the header's box shows suggestions from /search.json (links to
//               the stories), Escape closes them, Enter opens the results page
//        axe    axe-core (WCAG 2.1 A and AA) on the results page, light and dark, phone and
//               desktop, and on a page with the suggestions open
//        no-js  with JavaScript off the header's form and the results page work: submit,
//               results, "More results"; nothing scrolls sideways on the phone
import path from 'node:path';
import { context, check, runCheck, artifactDir, noOverflow, axeCheck, PHONE,
         DESKTOP } from './lib.mjs';

const [what, base, artifacts] = process.argv.slice(2);
if (!what || !base || !artifacts) {
  console.error('usage: search.mjs CHECK BASE_URL ARTIFACT_DIR');
  process.exit(2);
}
const out = artifactDir(artifacts);
const url = (p) => new URL(p, base).href;
const BOX = '#site-search-q';

const checks = {
  async type(browser) {
    for (const [name, device] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const ctx = await context(browser, device);
      const page = await ctx.newPage();
      await page.goto(base);
      const asked = [];
      page.on('request', (r) => { if (r.url().includes('/search.json')) asked.push(r.url()); });
      // When each keystroke landed, in the page's clock: on a loaded machine two keys 30 ms
      // apart can arrive more than the 250 ms debounce apart, and then a second ask is right.
      await page.evaluate(() => {
        window.__keys = [];
        document.addEventListener('input', () => window.__keys.push(performance.now()), true);
      });
      await page.locator(BOX).pressSequentially('wombat', { delay: 30 });
      const list = page.locator('#site-search-suggest');
      await list.locator('a').first().waitFor({ state: 'visible', timeout: 5000 });
      const hrefs = await list.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      check(hrefs.length > 0 && hrefs.every((h) => /^\/wombat-\d+\/$/.test(h)),
            `${name}: suggestions link to the stories: ${hrefs}`);
      const keys = await page.evaluate(() => window.__keys);
      let pauses = 0; // gaps after the second letter long enough for the debounce to fire
      for (let i = 2; i < keys.length; i++) if (keys[i] - keys[i - 1] >= 240) pauses++;
      check(asked.length >= 1 && asked.length <= 2 + pauses,
            `${name}: typing six letters asked ${asked.length} times (debounced: 1 or 2, ` +
            `${pauses} pause(s) of 240 ms or more between keys)`);
      check(/suggestion/.test(await page.locator('.site-search [role=status]').textContent()),
            `${name}: the count is announced`);
      await page.screenshot({ path: path.join(out, `suggest-${name}.png`) });
      await page.keyboard.press('Escape');
      check(await list.isHidden(), `${name}: Escape closes the suggestions`);
      await page.locator(BOX).press('Enter');
      await page.waitForURL(/\/search\/\?q=wombat/);
      check(await page.locator('.search-results .teaser-title a').count() > 0,
            `${name}: Enter opens the results page with results`);
      check(await page.locator(BOX).inputValue() === 'wombat', `${name}: the box keeps the query`);
      const { scroll, width } = await noOverflow(page);
      check(scroll <= width, `${name}: the results page is ${scroll} px wide on ${width} px`);
      await page.screenshot({ path: path.join(out, `results-${name}.png`), fullPage: true });
      await ctx.close();
    }
  },

  async axe(browser) {
    for (const [name, device] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      for (const scheme of ['light', 'dark']) {
        const ctx = await context(browser, { ...device, colorScheme: scheme, bypassCSP: true });
        const page = await ctx.newPage();
        for (const p of ['/search/?q=wombat', '/search/?q=', '/search/?q=nothingmatchesthis']) {
          await page.goto(url(p));
          console.log(await axeCheck(page, `${p} ${name} ${scheme}`));
        }
        await page.goto(base);
        await page.locator(BOX).pressSequentially('wombat', { delay: 30 });
        await page.locator('#site-search-suggest a').first().waitFor({ state: 'visible' });
        console.log(await axeCheck(page, `suggestions open ${name} ${scheme}`));
        await ctx.close();
      }
    }
  },

  async 'no-js'(browser) {
    const ctx = await context(browser, { ...PHONE, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(base);
    await page.locator(BOX).fill('wombat');
    await page.locator('.site-search button[type=submit]').click();
    await page.waitForURL(/\/search\/\?q=wombat/);
    const first = await page.locator('.search-results .teaser-title a').count();
    check(first === 10, `the first page shows 10 results, not ${first}`);
    check(/\d+ results for/.test(await page.locator('#search-heading').textContent()),
          'the count is shown');
    await page.getByRole('link', { name: 'More results' }).click();
    await page.waitForURL(/c=/);
    const second = await page.locator('.search-results .teaser-title a').count();
    check(second >= 1, `"More results" shows the rest (${second})`);
    await page.locator('#search-q').fill('"wombat report"');
    await page.locator('.search-form button[type=submit]').click();
    await page.waitForURL(/q=%22wombat/);
    check(await page.locator('.search-results .teaser-title a').count() > 0,
          'the page\'s own form searches too');
    const { scroll, width } = await noOverflow(page);
    check(scroll <= width, `the page is ${scroll} px wide on ${width} px`);
    await ctx.close();
  },
};

await runCheck('search.mjs', checks, what);
