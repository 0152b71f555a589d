// An article with a feature image and three body photos, in a real browser:
//   node tests/browser/photos.mjs CHECK BASE_URL ARTIFACT_DIR PATH
// CHECK is one of:
//   picks  at 360 px (2x) and at 1280 px, every <img> has width and height, every photo's
//          <img> shows a WebP or AVIF rendition (img.currentSrc) that is not wider than it
//          needs, the feature image is the largest paint, nothing is wider than the screen,
//          and nothing shifts while the page loads and the reader scrolls to its end
//          (cumulative layout shift 0)
//   axe    axe-core (WCAG 2.1 A and AA) on the article, light and dark, at both widths
import path from 'node:path';
import { context, check, artifactDir, axeCheck, noOverflow, PHONE, DESKTOP, runCheck } from './lib.mjs';

const [what, base, artifacts, articlePath] = process.argv.slice(2);
const out = artifactDir(artifacts, 'photos');
const url = new URL(articlePath || '/photo-story/', base).href;

// Layout shifts and the largest paint, recorded from the first byte on.
const OBSERVE = () => {
  window.__cls = 0;
  window.__shifts = [];
  window.__lcp = null;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      window.__cls += e.value;
      window.__shifts.push(e.sources?.map((s) => s.node?.outerHTML?.slice(0, 120)).join(' | '));
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    const e = list.getEntries().at(-1);
    window.__lcp = e.element ? e.element.outerHTML.slice(0, 200) : e.url;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
};

async function readToTheEnd(page) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 300) {
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(50);
  }
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null,
                             { timeout: 20000 });
}

async function picks(browser) {
  for (const [label, device] of [['360 px', PHONE], ['1280 px', DESKTOP]]) {
    const ctx = await context(browser, device);
    await ctx.addInitScript(OBSERVE);
    const page = await ctx.newPage();
    await page.goto(url, { waitUntil: 'load' });
    // a paint is reported a frame or so after it happens (an AVIF decodes off the thread)
    await page.waitForFunction(() => /feature-photo/.test(window.__lcp || ''), null, { timeout: 5000 })
      .catch(() => {});
    const lcp = await page.evaluate(() => window.__lcp);
    check(/feature-photo/.test(lcp || ''), `${label}: the feature image is the largest paint (${lcp})`);
    await readToTheEnd(page);
    const imgs = await page.$$eval('img', (list) => list.map((i) => ({
      html: i.outerHTML.slice(0, 160), w: i.getAttribute('width'), h: i.getAttribute('height'),
      src: i.currentSrc, photo: !!i.closest('picture'), shown: i.getBoundingClientRect().width,
      natural: i.naturalWidth, loaded: i.complete && i.naturalWidth > 0,
    })));
    const photos = imgs.filter((i) => i.photo);
    check(photos.length === 4, `${label}: 4 photos in <picture>, found ${photos.length}`);
    for (const i of imgs) {
      check(i.w && i.h, `${label}: an <img> without width and height: ${i.html}`);
      check(i.loaded, `${label}: an image did not load: ${i.html}`);
    }
    const dpr = device.deviceScaleFactor || 1;
    for (const i of photos) {
      check(/\/format\/(webp|avif)\//.test(i.src), `${label}: ${i.src} is not WebP or AVIF`);
      // a rendition that covers the box at this screen's density, and not twice over
      const need = i.shown * dpr, w = Number((i.src.match(/\/size\/w(\d+)\//) || [])[1]);
      check(w >= Math.min(need, 1600) && w <= Math.max(need * 2, 640),
            `${label}: ${i.src} is ${w} px wide for a ${i.shown} px box at ${dpr}x`);
    }
    const o = await noOverflow(page);
    check(o.scroll <= o.width, `${label}: the page is ${o.scroll} px wide on a ${o.width} px screen`);
    const cls = await page.evaluate(() => window.__cls);
    const shifts = await page.evaluate(() => window.__shifts);
    check(cls === 0, `${label}: layout shift ${cls}: ${shifts.join('; ')}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(out, `article-${label.replace(' ', '')}.png`), fullPage: true });
    console.log(`${label}: ${photos.map((i) => i.src.replace(/^.*\/size\//, '')).join(', ')}`);
    await ctx.close();
  }
}

async function axe(browser) {
  for (const [label, device] of [['360 px', PHONE], ['1280 px', DESKTOP]]) {
    for (const scheme of ['light', 'dark']) {
      const ctx = await context(browser, { ...device, colorScheme: scheme, bypassCSP: true });
      const page = await ctx.newPage();
      await page.goto(url, { waitUntil: 'load' });
      await readToTheEnd(page);
      console.log(await axeCheck(page, `the photo article at ${label} (${scheme})`));
      await ctx.close();
    }
  }
}

await runCheck('photos.mjs', { picks, axe }, what);
