// The reader's experience in a real browser (Debian's chromium through playwright-core).
//   node tests/browser/reader.mjs CHECK BASE_URL ARTIFACT_DIR [README_SCREENSHOT_DIR]
// CHECK: show-more | no-js | article | not-found | viewports | budget | comfort
// Exits non-zero after printing every failed check; screenshots go to ARTIFACT_DIR.
import fs from 'node:fs';
import path from 'node:path';
import { launch, context, check, done, artifactDir, firstArticle, noOverflow,
         PHONE, DESKTOP } from './lib.mjs';

const [name, base, artifacts, readmeDir] = process.argv.slice(2);
if (!name || !base || !artifacts) {
  console.error('usage: reader.mjs CHECK BASE_URL ARTIFACT_DIR [README_SCREENSHOT_DIR]');
  process.exit(2);
}
const out = artifactDir(artifacts, 'screenshots');
const shot = (page, file, full = false) =>
  page.screenshot({ path: path.join(out, file), fullPage: full });

// Layout shifts the browser reports, minus those it excuses as following the reader's input.
const SHIFT_OBSERVER = () => {
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__shifts.push({ value: e.value, input: e.hadRecentInput });
  }).observe({ type: 'layout-shift', buffered: true });
};
const unexcusedShift = (page) =>
  page.evaluate(() => window.__shifts.filter((s) => !s.input).reduce((a, s) => a + s.value, 0));

const teaserCount = (page) => page.locator('#feed-list > li.teaser').count();

const checks = {
  // "Show More" appends in place, focuses the first new headline, announces the batch,
  // and moves nothing the reader was looking at.
  async 'show-more'(browser) {
    const ctx = await context(browser, PHONE);
    await ctx.addInitScript(SHIFT_OBSERVER);
    const page = await ctx.newPage();
    await page.goto(base);
    check(await teaserCount(page) === 15, 'the home page shows 15 teasers');
    const status = page.locator('.feed-status');
    check(await status.getAttribute('role') === 'status' &&
          await status.getAttribute('aria-live') === 'polite', 'a polite live region for the feed');
    const button = page.locator('a.show-more');
    await button.scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    const before = await page.locator('#feed-list > li').evaluateAll((lis) =>
      lis.map((li) => li.getBoundingClientRect().top + window.scrollY));
    const url = page.url();
    const shiftBefore = await unexcusedShift(page);
    await button.click();
    await page.waitForFunction(() => document.querySelectorAll('#feed-list > li').length === 30);
    check(page.url() === url, 'Show More stays on the page (no navigation)');
    const after = await page.locator('#feed-list > li').evaluateAll((lis) =>
      lis.slice(0, 15).map((li) => li.getBoundingClientRect().top + window.scrollY));
    check(JSON.stringify(before) === JSON.stringify(after), 'the first 15 items did not move');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const items = document.querySelectorAll('#feed-list > li');
      return a && items[15].querySelector('.teaser-title a') === a;
    });
    check(focused, 'focus moves to the first new headline');
    check(await status.textContent() === '15 more stories loaded',
          `the live region announces the batch (got "${await status.textContent()}")`);
    const ago = await page.locator('#feed-list > li:nth-child(16) .ago').textContent();
    check(/ago|yesterday|last /.test(ago), `new items get relative dates too (got "${ago}")`);
    await shot(page, 'home-show-more-phone.png');
    check(await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }), 'the focused headline is in view');
    check(await unexcusedShift(page) === shiftBefore, 'no layout shift after the first batch');
    // the last batch by keyboard, on a poor connection (the batch takes 1.5 s, past the
    // 500 ms after an input in which the browser excuses a shift): Enter on the focused
    // control; the control then goes away
    await page.route('**/more/**', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('#feed-list > li').length === 40);
    check(await page.locator('a.show-more[href]').count() === 0 &&
          await page.locator('.feed-end').textContent() === 'No more stories',
          'after the last batch Show More becomes "No more stories"');
    check(await status.textContent() === '10 more stories loaded', 'the last batch is announced');
    check(await page.evaluate(() => document.activeElement ===
          document.querySelectorAll('#feed-list > li')[30].querySelector('.teaser-title a')),
          'focus moves to the first headline of the last batch');
    const shift = (await unexcusedShift(page)) - shiftBefore;
    check(shift === 0, `no layout shift while Show More runs (CLS ${shift})`);
    const titles = await page.locator('.teaser-title a').allTextContents();
    check(new Set(titles).size === titles.length, 'no story repeated');
    await ctx.close();
  },

  // With JavaScript off, "Show More" and the pager are links through /page/N/.
  async 'no-js'(browser) {
    const ctx = await context(browser, { ...PHONE, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(base);
    check(await teaserCount(page) === 15, 'page 1: 15 teasers');
    check(await page.locator('.ago').first().isHidden(), 'no empty relative-date line');
    check(await page.locator('.pager a[rel="next"]').isVisible(), 'the pager is visible');
    await page.click('a.show-more');
    await page.waitForURL('**/page/2/');
    check(await teaserCount(page) === 15, 'page 2: 15 teasers');
    check(await page.locator('.pager a[rel="prev"]').getAttribute('href') === '/', 'page 2 links back');
    await shot(page, 'home-page2-nojs-phone.png');
    await page.click('.pager a[rel="next"]');
    await page.waitForURL('**/page/3/');
    check(await teaserCount(page) === 10, 'page 3: the last 10');
    check(await page.locator('a.show-more').count() === 0, 'no Show More on the last page');
    const { scroll, width } = await noOverflow(page);
    check(scroll <= width, `no horizontal overflow without JavaScript (${scroll} > ${width})`);
    await ctx.close();
  },

  // Every part of the reader's page (DESIGN.md), as a reader sees it.
  async article(browser) {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    const url = await firstArticle(page, base);
    const res = await page.goto(url);
    check(res.status() === 200, 'the article answers 200');
    const visible = async (sel, what) => check(await page.locator(sel).first().isVisible(), what);
    await visible('article .post-header .section', 'the section label');
    await visible('h1.post-title', 'the headline');
    check(/\d+ min read/.test(await page.locator('.reading-time').textContent()), 'N min read');
    const time = page.locator('.post-header time[datetime]').first();
    check(await time.isVisible(), 'the exact date in a <time>');
    const ago = await page.locator('.post-header .ago').textContent();
    check(ago === '2 hours ago', `"2 hours ago" beside the date (got "${ago}")`);
    check(await page.locator('.post-body p').count() >= 1, 'body paragraphs');
    await visible('.post-body blockquote', 'a quotation');
    check(await page.locator('.post-body a[href]').count() >= 1, 'links in the body');
    await visible('.author-card .avatar', 'the author card: avatar');
    await visible('.author-card .author-name a', 'the author card: name');
    await visible('.author-card .author-bio', 'the author card: bio');
    await visible('.author-card a[href^="mailto:"]', 'the author card: contact the desk');
    await visible('.author-card a.read-more[href^="/author/"]', 'the author card: Read more');
    check(await page.locator('.feed .teaser').count() >= 1, 'the news feed under the article');
    await visible('.feed a.show-more', 'Show More under the article');
    const own = new URL(url).pathname;
    check(await page.locator(`.feed .teaser-title a[href="${own}"]`).count() === 0,
          'the article is not in its own feed');
    // images: alt, width and height, lazy below the fold
    const imgs = await page.locator('img').evaluateAll((els) => els.map((i) => ({
      src: i.getAttribute('src'), alt: i.hasAttribute('alt'), w: i.getAttribute('width'),
      h: i.getAttribute('height'), lazy: i.getAttribute('loading') === 'lazy',
      below: i.getBoundingClientRect().top > window.innerHeight })));
    for (const i of imgs) {
      check(i.alt, `${i.src}: alt text`);
      check(i.w && i.h, `${i.src}: width and height`);
      if (i.below) check(i.lazy, `${i.src}: loading=lazy below the fold`);
    }
    await shot(page, 'article-full-phone.png', true);
    await ctx.close();
  },

  async 'not-found'(browser) {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    const res = await page.goto(new URL('/no-such-story/', base).href);
    check(res.status() === 404, `404 status (got ${res.status()})`);
    check(await page.locator('h1').textContent() === 'Page not found', 'a themed heading');
    check(/Page not found/.test(await page.title()), 'the title says so');
    check(await page.locator('main a[href="/"]').isVisible(), 'a way back to the news');
    check(await page.locator('.masthead .brand').isVisible(), 'the site masthead');
    await shot(page, '404-phone.png');
    await ctx.close();
  },

  // Phone and desktop screenshots of every kind of page; the README's come from here.
  async viewports(browser) {
    const probe = await context(browser, DESKTOP);
    const p0 = await probe.newPage();
    const article = await firstArticle(p0, base);
    await probe.close();
    const pages = { home: base, article, tag: new URL('/tag/news-feed/', base).href,
                    author: new URL('/author/news-desk/', base).href,
                    404: new URL('/no-such-story/', base).href };
    for (const [vp, opts] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const ctx = await context(browser, opts);
      const page = await ctx.newPage();
      for (const [kind, url] of Object.entries(pages)) {
        await page.goto(url);
        const { scroll, width } = await noOverflow(page);
        check(scroll <= width, `${kind} (${vp}): no horizontal overflow (${scroll} > ${width})`);
        const measure = await page.locator('main').evaluate((m) => m.getBoundingClientRect().width);
        if (vp === 'desktop') check(measure <= 720, `${kind}: a readable column (${measure}px)`);
        await shot(page, `${kind}-${vp}.png`);
      }
      await ctx.close();
    }
    if (readmeDir) {
      fs.mkdirSync(readmeDir, { recursive: true });
      fs.copyFileSync(path.join(out, 'home-phone.png'), path.join(readmeDir, 'home.png'));
      fs.copyFileSync(path.join(out, 'article-phone.png'), path.join(readmeDir, 'article.png'));
    }
  },

  // The bad-input data set: every page the home page links to (articles, tags, authors)
  // holds its layout at 360 px, with and without JavaScript.
  async overflow(browser) {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    await page.goto(base);
    const links = await page.locator('main a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const urls = [...new Set(['/', ...links])].map((p) => new URL(p, base).href);
    check(urls.length >= 8, `the home page links to the data set's pages (${urls.length})`);
    const nojs = await context(browser, { ...PHONE, javaScriptEnabled: false });
    const plain = await nojs.newPage();
    for (const url of urls) {
      for (const [p, mode] of [[page, 'js'], [plain, 'no-js']]) {
        const res = await p.goto(url);
        check(res.status() === 200, `${url}: ${res.status()}`);
        const { scroll, width } = await noOverflow(p);
        const wide = await p.evaluate((w) => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > w + 1 &&
                         !e.closest('pre, table') && e.className !== 'skip')
          .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`), width);
        check(scroll <= width && wide.length === 0,
              `${url} (${mode}): wider than ${width}px (scrollWidth ${scroll}; ${wide.join(', ')})`);
        if (mode === 'js') {
          const name = new URL(url).pathname.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home';
          await shot(p, `bad-${name}-phone.png`, true);
        }
      }
    }
    await ctx.close();
    await nojs.close();
  },

  // The article with its CSS and JS under 50 KB compressed; one small render-blocking CSS.
  async budget(browser) {
    const ctx = await context(browser, PHONE);
    const page = await ctx.newPage();
    const article = await firstArticle(page, base);
    await ctx.close();
    // a first visit: a new context, so nothing comes from the browser's cache
    const ctx2 = await context(browser, PHONE);
    const page2 = await ctx2.newPage();
    const responses = [];
    page2.on('response', (r) => responses.push(r));
    await page2.goto(article, { waitUntil: 'networkidle' });
    let total = 0;
    const rows = [];
    for (const r of responses) {
      const s = await r.request().sizes();
      const bytes = s.responseBodySize + s.responseHeadersSize;
      total += bytes;
      rows.push(`${bytes}\t${r.headers()['content-encoding'] || '-'}\t${r.url()}`);
    }
    console.log(rows.join('\n') + `\n${total}\ttotal`);
    fs.writeFileSync(path.join(artifacts, 'article-weight.txt'), rows.join('\n') + `\n${total}\ttotal\n`);
    check(total < 50 * 1024, `the article transfers ${total} bytes (budget 51200)`);
    for (const r of responses) {
      const type = r.request().resourceType();
      if (type === 'document' || type === 'stylesheet' || type === 'script') {
        check(r.headers()['content-encoding'], `${r.url()} is compressed`);
      }
    }
    const head = await page2.evaluate(() => ({
      css: [...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => l.href),
      blocking: [...document.querySelectorAll('script[src]')]
        .filter((s) => !s.defer && !s.async && s.type !== 'module').map((s) => s.src),
      fonts: [...document.querySelectorAll('link[rel="preload"][as="font"], link[href*="fonts."]')].length,
    }));
    check(head.css.length === 1, `one stylesheet (got ${head.css.length})`);
    check(head.blocking.length === 0, `no parser-blocking script (${head.blocking})`);
    check(head.fonts === 0, 'no web fonts to wait for');
    const css = responses.find((r) => r.request().resourceType() === 'stylesheet');
    const cssSize = css ? (await css.request().sizes()).responseBodySize : 0;
    check(css && cssSize < 14 * 1024, `the stylesheet is small (${cssSize} bytes compressed)`);
    check(!(await css.text()).includes('@import'), 'the stylesheet imports nothing');
    await ctx2.close();
  },

  // Reading comfort: type scale, line length, dark scheme, focus, skip link, print.
  async comfort(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    const article = await firstArticle(page, base);
    await page.goto(article);
    const type = await page.evaluate(() => {
      const px = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
      const p = document.querySelector('.post-body p');
      const cs = getComputedStyle(p);
      const ctx2d = document.createElement('canvas').getContext('2d');
      ctx2d.font = `${cs.fontSize} ${cs.fontFamily}`;
      const avg = ctx2d.measureText('the quick brown fox jumps over a lazy dog ').width / 42;
      return { body: px('.post-body p'), h1: px('h1.post-title'), meta: px('.post-header .meta'),
               chars: p.getBoundingClientRect().width / avg,
               lineHeight: parseFloat(cs.lineHeight) / parseFloat(cs.fontSize) };
    });
    check(type.body >= 16, `body text at least 16 px (${type.body})`);
    check(type.h1 > type.body * 1.4 && type.meta < type.body, 'a type scale: headline > body > meta');
    check(type.chars >= 45 && type.chars <= 90, `line length 45-90 characters (${type.chars.toFixed(0)})`);
    check(type.lineHeight >= 1.4, `line height at least 1.4 (${type.lineHeight})`);
    // skip link: the first Tab stop, visible when focused, leads to <main>
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      const cs = getComputedStyle(a);
      return { cls: a.className, href: a.getAttribute('href'), onScreen: r.left >= 0 && r.top >= 0 && r.width > 0,
               outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
    });
    check(skip.cls === 'skip' && skip.href === '#main', 'the skip link is the first Tab stop');
    check(skip.onScreen, 'the skip link shows when focused');
    check(skip.outline, 'focus is visible (an outline of at least 2px)');
    await shot(page, 'article-skip-link-desktop.png');
    await page.keyboard.press('Enter');
    check(await page.evaluate(() => location.hash === '#main'), 'the skip link goes to the content');
    // the dark scheme follows prefers-color-scheme
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await bg();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bg();
    const lum = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, v) => a + Number(v), 0) / 3;
    check(lum(light) > 200 && lum(dark) < 60, `dark scheme follows the system (${light} / ${dark})`);
    await shot(page, 'article-dark-desktop.png');
    // print: the story without navigation, feed or buttons
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    const hidden = await page.evaluate(() => ['.masthead nav', '.feed', '.show-more', '.skip', '.ago']
      .filter((s) => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== 'none'));
    check(hidden.length === 0, `print hides navigation and the feed (shown: ${hidden})`);
    check(await page.locator('.post-body').isVisible(), 'print keeps the story');
    await page.pdf({ path: path.join(artifacts, 'article-print.pdf'), format: 'A4' });
    await ctx.close();
  },
};

if (!checks[name]) {
  console.error(`reader.mjs: unknown check '${name}'`);
  process.exit(2);
}
const browser = await launch();
try {
  await checks[name](browser);
} catch (e) {
  check(false, e.stack || String(e));
} finally {
  await browser.close();
}
done(`reader.mjs ${name}`);
