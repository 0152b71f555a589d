// What the browser tests share: Debian's chromium driven by playwright-core (never a
// downloaded browser), a fixed clock, the two viewports, artifacts and failure reporting.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// the demo data's newest post is dated 2026-11-20T12:00:00Z (tests/http/harness.c); with the
// reader's clock two hours later its date reads "2 hours ago" in every run and screenshot
export const NOW = new Date('2026-11-20T14:00:00Z');
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2,
                       isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
// chromium as root (a container, CI) needs --no-sandbox; it changes nothing we measure
export const CHROME_FLAGS = ['--no-sandbox', '--disable-dev-shm-usage'];

let failures = 0;
export function check(cond, msg) {
  if (!cond) {
    failures++;
    console.error('FAIL: ' + msg);
  }
  return !!cond;
}
export function done(name) {
  if (failures) {
    console.error(`${name}: ${failures} check(s) failed`);
    process.exit(1);
  }
  console.log(`${name}: ok`);
}

export function artifactDir(dir, sub) {
  const d = sub ? path.join(dir, sub) : dir;
  fs.mkdirSync(d, { recursive: true });
  return d;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS });
}

// A page that breaks its own Content-Security-Policy fails the check that loaded it: the
// page reports each violation as a securitypolicyviolation event (relayed to the console
// here) and Chromium logs it on the console even with JavaScript off.
const CSP_LISTENER = () => document.addEventListener('securitypolicyviolation', (e) =>
  console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
const cspExpected = new WeakSet();
async function failOnCspViolation(ctx) {
  await ctx.addInitScript(CSP_LISTENER);
  ctx.on('console', (msg) => {
    if (!cspExpected.has(ctx) && /Content Security Policy/i.test(msg.text()))
      check(false, `${msg.location().url || msg.page()?.url()}: ${msg.text()}`);
  });
}

// From now on ctx's violations are the test's own doing (it checks that the CSP refuses
// an injected script) and fail nothing.
export function expectCspViolations(ctx) {
  cspExpected.add(ctx);
}

// A context with the fixed clock; options: PHONE or DESKTOP, plus javaScriptEnabled etc.
export async function context(browser, opts = {}) {
  const ctx = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', ...opts });
  await failOnCspViolation(ctx);
  if (opts.javaScriptEnabled !== false) await ctx.clock.setFixedTime(NOW);
  return ctx;
}

// The home page's first teaser: the newest story, the article the tests read.
export async function firstArticle(page, base) {
  await page.goto(base);
  const href = await page.getAttribute('.teaser-title a', 'href');
  if (!href) throw new Error('no teaser on the home page');
  return new URL(href, base).href;
}

// The document's width against the device's: on a phone (isMobile) the browser widens
// its layout viewport to fit overflowing content, so window.innerWidth would grow with it.
export async function noOverflow(page) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  return { scroll, width: page.viewportSize().width };
}

// axe-core (WCAG 2.1 A and AA) on the page as it is now: each violation fails a check,
// naming label and the element; returns a line for the report. The pages' CSP forbids
// inline scripts, axe's injection included: run it in a context made with bypassCSP.
let axeSource = null;
export async function axeCheck(page, label) {
  axeSource ??= fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const r = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  for (const v of r.violations)
    for (const n of v.nodes)
      check(false, `${label}: ${v.id} (${v.impact}): ${v.help}\n    at ${n.target.join(' ')}\n    ${n.failureSummary}`);
  return `${label}: ${r.violations.length} violations, ${r.passes.length} rules passed`;
}

// The end of every browser script: runs checks[what] in one Debian chromium, turns an
// exception into a failed check, and exits with done()'s verdict.
export async function runCheck(name, checks, what) {
  if (!checks[what]) {
    console.error(`unknown check '${what}': ${Object.keys(checks).join(', ')}`);
    process.exit(2);
  }
  const browser = await launch();
  try {
    await checks[what](browser);
  } catch (e) {
    check(false, `${what}: ${e.stack || e}`);
  } finally {
    await browser.close();
  }
  done(`${name} ${what}`);
}
