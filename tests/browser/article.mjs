// The article as readers of a news site expect it (issue 15), in Debian's chromium:
//   node tests/browser/article.mjs CHECK ARTICLE_URL ARTIFACT_DIR
// CHECK: layout  at 360 px and 1,280 px the breaking banner's link, the headline, the
//                standfirst, the byline (avatar and name), the correction's time and the
//                share links are visible; nothing scrolls sideways on the phone
//        copy    "Copy link" copies the canonical address and says so to screen readers;
//                without JavaScript the button is not there and the plain links are
import path from 'node:path';
import { context, check, runCheck, artifactDir, noOverflow, PHONE, DESKTOP } from './lib.mjs';

const [what, articleUrl, artifacts] = process.argv.slice(2);
if (!what || !articleUrl || !artifacts) {
  console.error('usage: article.mjs CHECK ARTICLE_URL ARTIFACT_DIR');
  process.exit(2);
}
artifactDir(artifacts);

const PARTS = ['.breaking-banner a', 'h1.post-title', '.standfirst', '.byline .byline-author',
               '.byline .byline-avatar', '.post-header time', '.correction time',
               '.share-links a'];

const checks = {
  async layout(browser) {
    for (const [name, device] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const ctx = await context(browser, device);
      const page = await ctx.newPage();
      const res = await page.goto(articleUrl);
      check(res.status() === 200, `${name}: the article answers ${res.status()}`);
      for (const sel of PARTS)
        check(await page.locator(sel).first().isVisible(), `${name}: ${sel} is not visible`);
      // the byline and standfirst sit under the headline, before the story's text
      const y = async (sel) => (await page.locator(sel).first().boundingBox())?.y ?? -1;
      const [h1, sf, by, body] = [await y('h1.post-title'), await y('.standfirst'),
                                  await y('.byline'), await y('.post-body')];
      check(h1 < sf && sf < by && by < body,
            `${name}: headline ${h1}, standfirst ${sf}, byline ${by}, body ${body} out of order`);
      const { scroll, width } = await noOverflow(page);
      check(scroll <= width, `${name}: the page is ${scroll} px wide on a ${width} px screen`);
      await page.screenshot({ path: path.join(artifacts, `article-${name}.png`), fullPage: true });
      await ctx.close();
    }
  },

  async copy(browser) {
    const ctx = await context(browser, DESKTOP);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(articleUrl).origin });
    const page = await ctx.newPage();
    await page.goto(articleUrl);
    const button = page.getByRole('button', { name: 'Copy link' });
    check(await button.isVisible(), 'the Copy link button is shown with JavaScript');
    await button.click();
    await page.waitForFunction(() => document.querySelector('.share-status').textContent !== '');
    const status = page.getByRole('status').filter({ hasText: 'Link copied' });
    check(await status.count() === 1, 'a status region announces "Link copied"');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const canonical = await page.getAttribute('link[rel=canonical]', 'href');
    check(copied === canonical, `copied ${copied}, the canonical address is ${canonical}`);
    await ctx.close();
    const plain = await context(browser, { ...PHONE, javaScriptEnabled: false });
    const p2 = await plain.newPage();
    await p2.goto(articleUrl);
    check(!(await p2.locator('.share-copy').isVisible()), 'without JavaScript there is no Copy link');
    check(await p2.locator('.share-links a').count() === 6, 'without JavaScript the six share links are there');
    await plain.close();
  },
};

await runCheck('article.mjs', checks, what);
