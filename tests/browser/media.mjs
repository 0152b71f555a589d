// Photos in the newsroom (themes/admin/assets/media.js, admin/media.c) in a real browser:
//   node tests/browser/media.mjs CHECK BASE_URL ARTIFACT_DIR EMAIL PASSWORD PHOTO
// PHOTO is a JPEG the test made, carrying GPS coordinates and a camera serial number.
// CHECK is one of:
//   acceptance  issue 13's: an editor logs in, drops the photo on the editor, writes alt
//               text in the dialog (axe-core with the dialog open), publishes; the article
//               shows it in a <picture> with srcset, width and height; at 360 px and
//               1280 px the browser picks a WebP or AVIF rendition; layout shift is 0;
//               axe-core finds nothing on the article nor on the media library
//   editor      the file picker with two files (one dialog each, in order), a pasted
//               image, a drop in rich-text mode, the alt text required unless decorative,
//               a refused upload that says why and leaves the text alone
//   feature     the feature image uploaded with the same dialog, chosen from the library,
//               removed; the library page at 360 px
import fs from 'node:fs';
import path from 'node:path';
import { context, check, artifactDir, noOverflow, axeCheck, PHONE, DESKTOP,
         runCheck } from './lib.mjs';

const [what, base, artifacts, email, password, photoPath] = process.argv.slice(2);
const out = artifactDir(artifacts, 'media');
const url = (p) => new URL(p, base).href;
const PHOTO = fs.readFileSync(photoPath).toString('base64');

async function login(page) {
  page.on('pageerror', (e) => check(false, `a script error on ${page.url()}: ${e.message}`));
  if (process.env.MEDIA_DEBUG) page.on('response', (r) => { if (r.url().includes('/admin/media')) r.text().then((t) => console.log('resp', r.status(), t.slice(0, 200))); });
  await page.goto(url('/admin/login/'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url('/admin/'));
}

const body = (page) => page.locator('textarea#markdown');
const dialog = (page) => page.getByRole('dialog', { name: /photo/i });

// A drop of the photo (a File in a DataTransfer) on the element matching selector.
async function dropPhoto(page, selector, name) {
  await page.evaluate(({ b64, sel, name: n }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], n, { type: 'image/jpeg' }));
    const target = document.querySelector(sel);
    const r = target.getBoundingClientRect();
    const at = { clientX: r.left + 20, clientY: r.top + 20, bubbles: true, cancelable: true, dataTransfer: dt };
    target.dispatchEvent(new DragEvent('dragenter', at));
    target.dispatchEvent(new DragEvent('dragover', at));
    target.dispatchEvent(new DragEvent('drop', at));
  }, { b64: PHOTO, sel: selector, name });
}

async function pastePhoto(page, selector) {
  await page.evaluate(({ b64, sel }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'image.png', { type: 'image/jpeg' }));
    document.querySelector(sel).dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, { b64: PHOTO, sel: selector });
}

// Fills the open dialog and uploads; waits for it to close.
async function answer(page, alt, caption) {
  const d = dialog(page);
  await d.waitFor();
  if (alt === null) await d.getByLabel(/Decorative/).check();
  else await d.getByRole('textbox', { name: /^Alt text/ }).fill(alt);
  if (caption) await d.getByRole('textbox', { name: 'Caption' }).fill(caption);
  const file = await d.locator('p.muted').first().textContent();
  await d.getByRole('button', { name: /^Upload/ }).click();
  try {
    // closed, or open again for the next file
    await page.waitForFunction((f) => {
      const dl = document.querySelector('dialog.media-dialog');
      return !dl.open || dl.querySelector('p.muted').textContent !== f;
    }, file, { timeout: 30000 });
  } catch (e) {
    throw new Error(`the dialog stayed open, saying "${await d.getByRole('alert').textContent()}"`);
  }
}

// The article's photo, as the browser loaded it at a viewport, and the layout shift.
async function readArticle(browser, href, opts, label) {
  const ctx = await context(browser, { ...opts, bypassCSP: true });
  await ctx.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const page = await ctx.newPage();
  await page.goto(href, { waitUntil: 'load' });
  const img = page.locator('article picture img, main picture img').first();
  check(await img.count() === 1, `${label}: the article shows the photo in a <picture>`);
  if (!(await img.count())) {
    await ctx.close();
    return;
  }
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(),
                             { timeout: 15000 });
  const info = await img.evaluate((el) => ({
    src: el.currentSrc, width: el.getAttribute('width'), height: el.getAttribute('height'),
    alt: el.getAttribute('alt'),
    srcset: (el.parentElement.querySelector('source[srcset]') || el).getAttribute('srcset') || '',
  }));
  check(/\/format\/(webp|avif)\//.test(info.src), `${label}: the browser chose WebP or AVIF (${info.src})`);
  check(info.width && info.height, `${label}: the <img> has width and height (${info.width} × ${info.height})`);
  check(/\s\d+w/.test(info.srcset), `${label}: a srcset with widths (${info.srcset.slice(0, 80)}…)`);
  check(info.alt === 'Fishing boats in the harbour at dawn', `${label}: the alt text written in the dialog (${info.alt})`);
  await page.waitForTimeout(500);
  const cls = await page.evaluate(() => window.__cls);
  check(cls === 0, `${label}: cumulative layout shift is 0 (${cls})`);
  await page.screenshot({ path: path.join(out, `article-${label}.png`), fullPage: true });
  const report = await axeCheck(page, `article at ${label}`);
  console.log(report);
  await ctx.close();
}

const checks = {
  async acceptance(browser) {
    const ctx = await context(browser, { ...DESKTOP, bypassCSP: true });
    const page = await ctx.newPage();
    await login(page);
    await page.goto(url('/admin/posts/new/'));
    await page.getByLabel('Title', { exact: true }).fill('Boats return to the harbour');
    await body(page).fill('The fleet came back before the storm.\n');
    await body(page).evaluate((t) => t.setSelectionRange(t.value.length, t.value.length));
    await dropPhoto(page, 'textarea#markdown', 'IMG_2041.jpg');
    await dialog(page).waitFor();
    check(await dialog(page).locator('img.media-preview').evaluate((i) => i.complete && i.naturalWidth > 0),
          'the dialog shows the file\'s preview');
    check(await dialog(page).getByRole('textbox', { name: /^Alt text/ }).evaluate((e) => e === document.activeElement),
          'the alt text field has the focus');
    console.log(await axeCheck(page, 'editor with the photo dialog open'));
    await answer(page, 'Fishing boats in the harbour at dawn', 'Boats at first light');
    const md = await body(page).inputValue();
    check(/\n\n!\[Fishing boats in the harbour at dawn\]\(\/content\/images\/[0-9a-f]{16}\/[a-z0-9-]+\.jpg "Boats at first light"\)\n/.test(md),
          `the Markdown has the image as its own paragraph: ${JSON.stringify(md)}`);
    check(md.startsWith('The fleet came back before the storm.\n'), 'the text typed before is untouched');
    const said = await page.locator('#media-status').textContent();
    check(/location/i.test(said) && /removed/i.test(said), `the editor says what was removed: "${said}"`);
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=published$/);
    const href = await page.locator('a', { hasText: 'View on the site' }).getAttribute('href');
    check(href, 'a link to the published article');

    await page.goto(url('/admin/media/'));
    check(await page.getByText('Fishing boats in the harbour at dawn').first().isVisible(), 'the library lists it');
    check(await page.getByRole('link', { name: 'Boats return to the harbour' }).count() > 0,
          'the library says where it is used');
    console.log(await axeCheck(page, 'media library'));
    await ctx.close();

    if (!href) return;
    await readArticle(browser, url(href), PHONE, '360px');
    await readArticle(browser, url(href), DESKTOP, '1280px');
  },

  async editor(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    await page.goto(url('/admin/posts/new/'));
    await page.getByLabel('Title', { exact: true }).fill('Three photos');
    await body(page).fill('First paragraph.\n\nLast paragraph.\n');
    await body(page).evaluate((t) => t.setSelectionRange(17, 17));

    // the picker with two files: one dialog each, in order
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload image…' }).click();
    const bytes = Buffer.from(PHOTO, 'base64');
    await (await chooser).setFiles([
      { name: 'one.jpg', mimeType: 'image/jpeg', buffer: bytes },
      { name: 'two.jpg', mimeType: 'image/jpeg', buffer: bytes },
    ]);
    await dialog(page).waitFor();
    check((await dialog(page).textContent()).includes('one.jpg'), 'the first dialog is for the first file');
    // alt text is required unless decorative
    await dialog(page).getByRole('button', { name: /^Upload/ }).click();
    check(await dialog(page).getByRole('textbox', { name: /^Alt text/ }).getAttribute('aria-invalid') === 'true',
          'no alt text: the field is marked invalid');
    check(/alt text/i.test(await dialog(page).getByRole('alert').textContent()), 'and the dialog says why');
    await answer(page, 'The first photo', '');
    await page.waitForFunction(() => document.querySelector('dialog.media-dialog')?.open);
    check((await dialog(page).textContent()).includes('two.jpg'), 'then a dialog for the second');
    await answer(page, null, 'A decorative one');
    let md = await body(page).inputValue();
    const first = md.indexOf('![The first photo]'), second = md.indexOf('![](');
    check(first > 0 && second > first, `both inserted, in order: ${JSON.stringify(md)}`);
    check(md.startsWith('First paragraph.\n\n') && md.endsWith('Last paragraph.\n'), 'around the cursor, text kept');

    // a refused upload: the message says why, the text is not touched
    await page.route('**/admin/media/', (r) => r.fulfill({
      status: 413, contentType: 'application/json',
      body: JSON.stringify({ errors: [{ message: 'the photo is larger than 25 MB', type: 'RequestEntityTooLargeError' }] }),
    }));
    const before = await body(page).inputValue();
    await pastePhoto(page, 'textarea#markdown');
    await dialog(page).getByRole('textbox', { name: /^Alt text/ }).fill('Refused');
    await dialog(page).getByRole('button', { name: /^Upload/ }).click();
    await dialog(page).getByRole('alert').filter({ hasText: 'larger than 25 MB' }).waitFor();
    check(true, 'a refused upload says why');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    check(await body(page).inputValue() === before, 'a refused upload leaves the text as it was');
    await page.unroute('**/admin/media/');

    // rich mode: a drop goes into the rich editor, and into the Markdown
    await page.getByRole('group', { name: 'Editing mode' }).getByRole('button', { name: 'Rich text' }).click();
    await page.locator('#rich-editor').waitFor();
    await dropPhoto(page, '#rich-editor', 'three.jpg');
    await answer(page, 'The third photo', 'In rich mode');
    await page.locator('#rich-editor img[alt="The third photo"]').waitFor();
    md = await body(page).inputValue();
    check(/!\[The third photo\]\(\/content\/images\/[0-9a-f]{16}\/[^ )]+ "In rich mode"\)/.test(md),
          `rich mode wrote the image back as Markdown: ${JSON.stringify(md)}`);
    await page.getByRole('group', { name: 'Editing mode' }).getByRole('button', { name: 'Markdown' }).click();
    await ctx.close();
  },

  async feature(browser) {
    const ctx = await context(browser, { ...DESKTOP, bypassCSP: true });
    const page = await ctx.newPage();
    await login(page);
    await page.goto(url('/admin/posts/new/'));
    await page.getByLabel('Title', { exact: true }).fill('With a feature image');
    await body(page).fill('Body.');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Upload feature image…' }).click();
    await (await chooser).setFiles({ name: 'feature.jpg', mimeType: 'image/jpeg',
                                     buffer: Buffer.from(PHOTO, 'base64') });
    await answer(page, 'Boats in the feature', 'Feature caption');
    const src = await page.locator('#feature_image').inputValue();
    check(/^\/content\/images\/[0-9a-f]{16}\//.test(src) || src.includes('/content/images/'), `the feature image's address is set: ${src}`);
    check(await page.locator('#feature_image_alt').inputValue() === 'Boats in the feature', 'its alt text');
    check(await page.locator('#feature_image_caption').inputValue() === 'Feature caption', 'its caption');
    await page.locator('fieldset.media-field img[data-media-preview]').waitFor({ timeout: 15000 });
    check(await page.locator('fieldset.media-field img[data-media-preview]').evaluate((i) => i.naturalWidth > 0),
          'a preview of the feature image');
    await page.getByRole('button', { name: 'Remove feature image' }).click();
    check(await page.locator('#feature_image').inputValue() === '', 'removed');
    await page.getByRole('button', { name: 'Choose from the library…' }).click();
    const pick = page.getByRole('dialog', { name: 'Choose a photo' });
    await pick.waitFor();
    console.log(await axeCheck(page, 'editor with the library picker open'));
    await pick.getByRole('button', { name: 'Boats in the feature' }).first().click();
    check((await page.locator('#feature_image').inputValue()).includes('/content/images/'), 'chosen from the library');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=/);
    check(await page.locator('#feature_image_caption').inputValue() === 'Feature caption', 'the caption was saved');
    // the photo's own page: where it is used, its form
    await page.goto(url('/admin/media/'));
    await page.locator('.media-card a', { hasText: 'Edit or delete' }).first().click();
    await page.waitForURL(/\/admin\/media\/[0-9a-f]{16}\/$/);
    check(await page.getByRole('link', { name: 'With a feature image' }).count() === 1, 'the photo\'s page says where it is used');
    console.log(await axeCheck(page, 'a photo\'s page'));
    await ctx.close();

    const phone = await context(browser, PHONE);
    const p2 = await phone.newPage();
    await login(p2);
    await p2.goto(url('/admin/media/'));
    const { scroll, width } = await noOverflow(p2);
    check(scroll <= width, `the media library fits a 360 px phone (${scroll} px wide)`);
    await p2.screenshot({ path: path.join(out, 'library-phone.png'), fullPage: true });
    await phone.close();
  },
};

await runCheck('media', checks, what);
