// Embed cards in a real browser (Debian's chromium through playwright-core): the network
// is watched from the first request, and nothing may leave 127.0.0.1 until the reader asks
// for a player; then exactly that player's address, inside the page's CSP.
//   node tests/browser/embed.mjs CHECK ARTICLE_URL ARTIFACT_DIR
// CHECK: click | no-js | phone. The article is tests/http/test_browser_embed.c's: one card
// per site, in the order of SITES. There is no network here, so a player's address is
// answered by a tiny local page (ctx.route) and every other address outside 127.0.0.1 is
// refused: the test never waits on a connection that cannot be made.
import path from 'node:path';
import { launch, context, check, done, artifactDir, noOverflow, PHONE, DESKTOP, runCheck } from './lib.mjs';

const [name, article, artifacts] = process.argv.slice(2);
if (!name || !article || !artifacts) {
  console.error('usage: embed.mjs CHECK ARTICLE_URL ARTIFACT_DIR');
  process.exit(2);
}
const out = artifactDir(artifacts, 'screenshots');
const origin = new URL(article).origin;

const SITES = [
  { name: 'YouTube', button: 'Load the YouTube player',
    href: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    player: 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', title: 'YouTube video' },
  { name: 'X', button: 'Load the X post', text: "The mayor's post",
    href: 'https://x.com/kyivcity/status/1234567890123456789',
    player: 'https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789',
    title: 'X post by @kyivcity' },
  { name: 'Telegram', button: 'Load the Telegram post', href: 'https://t.me/kyiv_metro/142',
    player: 'https://t.me/kyiv_metro/142?embed=1', title: 'Telegram post by @kyiv_metro' },
  { name: 'Instagram', button: 'Load the Instagram post',
    href: 'https://www.instagram.com/p/C1a2B3c4D5e/',
    player: 'https://www.instagram.com/p/C1a2B3c4D5e/embed/', title: 'Instagram post' },
  { name: 'Facebook', button: 'Load the Facebook post',
    href: 'https://www.facebook.com/kyivcity/posts/123456789012345',
    player: 'https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2F' +
            'kyivcity%2Fposts%2F123456789012345',
    title: 'Facebook post by kyivcity' },
  { name: 'Bluesky', button: 'Load the Bluesky post',
    href: 'https://bsky.app/profile/kyiv.bsky.social/post/3l6oveex3ii2l',
    player: 'https://embed.bsky.app/embed/kyiv.bsky.social/app.bsky.feed.post/3l6oveex3ii2l',
    title: 'Bluesky post by @kyiv.bsky.social' },
];
const PLAYERS = new Set(SITES.map((s) => s.player));
const SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';

// Every request the context makes, from before the first navigation; players answered
// locally, anything else outside the server refused.
async function watched(browser, opts) {
  const ctx = await context(browser, opts);
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  await ctx.route((url) => url.origin !== origin, (route) => {
    if (PLAYERS.has(route.request().url())) {
      return route.fulfill({ status: 200, contentType: 'text/html',
                             body: '<!doctype html><title>player</title><p>player</p>' });
    }
    return route.abort('blockedbyclient');
  });
  const page = await ctx.newPage();
  const outside = () => requests.filter((u) => new URL(u).origin !== origin);
  return { ctx, page, outside };
}

async function open(page) {
  await page.goto(article, { waitUntil: 'networkidle' });
  await page.waitForTimeout(300);
}

// What every card shows before any click: the link and the site's name.
async function cardsShowLinks(page) {
  const cards = page.locator('.post-body figure.embed');
  check(await cards.count() === SITES.length, `${SITES.length} cards (got ${await cards.count()})`);
  for (let i = 0; i < SITES.length; i++) {
    const s = SITES[i], card = cards.nth(i);
    const link = card.locator('.embed-link a');
    check(await link.isVisible(), `${s.name}: the link shows`);
    check(await link.getAttribute('href') === s.href, `${s.name}: the link is the original`);
    check((await link.textContent()) === (s.text || s.href), `${s.name}: the link's text`);
    check((await card.locator('.embed-provider').textContent()) === s.name,
          `${s.name}: the card names the site`);
    check(await card.getAttribute('data-embed') === s.player, `${s.name}: the player's address`);
  }
  check(await page.locator('iframe').count() === 0, 'no frame before a click');
}

const checks = {
  async click(browser) {
    const { ctx, page, outside } = await watched(browser, DESKTOP);
    await open(page);
    check(outside().length === 0, `no request outside ${origin} before a click: ${outside()}`);
    await cardsShowLinks(page);
    for (const s of SITES) {
      check(await page.getByRole('button', { name: s.button }).isVisible(),
            `the script shows "${s.button}"`);
    }
    check(await page.locator('.embed-note').first().isVisible(), 'the note on what loading means');
    await page.screenshot({ path: path.join(out, 'embed-cards-desktop.png'), fullPage: true });
    const asked = ctx.waitForEvent('request', {
      predicate: (r) => new URL(r.url()).origin !== origin, timeout: 10000 });
    await page.getByRole('button', { name: 'Load the YouTube player' }).click();
    await asked;
    const frame = page.locator('.post-body figure.embed-youtube iframe');
    await frame.waitFor();
    await page.waitForTimeout(500);
    const third = outside();
    check(third.length === 1 && third[0] === SITES[0].player,
          `exactly one request, to ${SITES[0].player} (got ${JSON.stringify(third)})`);
    const attrs = await frame.evaluate((f) => ({
      title: f.title, sandbox: f.getAttribute('sandbox'), allow: f.getAttribute('allow'),
      loading: f.getAttribute('loading'), referrer: f.getAttribute('referrerpolicy'),
      focused: document.activeElement === f }));
    check(attrs.title === SITES[0].title, `the frame's name (${attrs.title})`);
    check(attrs.sandbox === SANDBOX, `the frame's sandbox (${attrs.sandbox})`);
    check(/fullscreen/.test(attrs.allow) && /encrypted-media/.test(attrs.allow),
          `the player may go full screen (${attrs.allow})`);
    check(attrs.loading === 'lazy' && attrs.referrer === 'strict-origin-when-cross-origin',
          'lazy, with a strict referrer policy');
    check(attrs.focused, 'focus moves to the player');
    check(await page.locator('figure.embed-youtube figcaption a').getAttribute('href') ===
          SITES[0].href, 'the original link stays beside the player');
    check(await page.locator('.embed-load').count() === SITES.length - 1,
          'the other cards are untouched');
    await page.screenshot({ path: path.join(out, 'embed-youtube-loaded-desktop.png') });
    await ctx.close();
  },

  async 'no-js'(browser) {
    const { ctx, page, outside } = await watched(browser, { ...PHONE, javaScriptEnabled: false });
    await open(page);
    check(outside().length === 0, `no request outside ${origin}: ${outside()}`);
    await cardsShowLinks(page);
    check(!(await page.locator('.embed-load').first().isVisible()), 'no button that would do nothing');
    check(!(await page.locator('.embed-note').first().isVisible()), 'no note about a button');
    await page.screenshot({ path: path.join(out, 'embed-cards-no-js-phone.png'), fullPage: true });
    await ctx.close();
  },

  async phone(browser) {
    for (const scheme of ['light', 'dark']) {
      const { ctx, page, outside } = await watched(browser, { ...PHONE, colorScheme: scheme });
      await open(page);
      let o = await noOverflow(page);
      check(o.scroll <= o.width, `${scheme}: no horizontal scroll at ${o.width} px (${o.scroll})`);
      const h = await page.locator('.embed-load').first().evaluate((b) => b.getBoundingClientRect().height);
      check(h >= 44, `${scheme}: the button is a 44 px target (${h})`);
      await page.screenshot({ path: path.join(out, `embed-cards-${scheme}-phone.png`), fullPage: true });
      for (const s of [SITES[0], SITES[1]]) {
        await page.getByRole('button', { name: s.button }).click();
      }
      await page.locator('figure.embed iframe').nth(1).waitFor();
      await page.waitForTimeout(300);
      o = await noOverflow(page);
      check(o.scroll <= o.width, `${scheme}: players fit too (${o.scroll} at ${o.width} px)`);
      const widths = await page.locator('figure.embed iframe').evaluateAll((fs) =>
        fs.map((f) => f.getBoundingClientRect().width));
      check(widths.every((w) => w > 0 && w <= o.width), `${scheme}: frames within the screen (${widths})`);
      check(outside().length === 2, `${scheme}: two clicks, two players (${outside()})`);
      await page.screenshot({ path: path.join(out, `embed-loaded-${scheme}-phone.png`), fullPage: true });
      await ctx.close();
    }
  },
};

await runCheck('embed', checks, name);
