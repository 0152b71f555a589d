// The editor's form tools in a real browser:
//   node tests/browser/form.mjs CHECK BASE_URL ARTIFACT_DIR EMAIL PASSWORD
// CHECK is one of:
//   tags   pick "Politics" from the tag combobox with the keyboard, save, the post has it;
//          a new name is refused until "Create tag" is chosen, then created
//   wide   a 3000 px image in the preview: the page holds at 1,280 and 360 px and the
//          Markdown box keeps a usable width; the phone-width toggle
//   count  the word count and reading time follow the typing
//   share  a draft's preview link, made in place, opens in a new page, noindex
//   axe    axe-core (WCAG 2.1 A and AA) on the editor with chips, an open listbox and a link
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, context, check, done, artifactDir, noOverflow, axeCheck, PHONE,
         DESKTOP, runCheck } from './lib.mjs';

const [what, base, artifacts, email, password] = process.argv.slice(2);
const out = artifactDir(artifacts, 'form');
const url = (p) => new URL(p, base).href;

async function login(page) {
  await page.goto(url('/admin/login/'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url('/admin/'));
}

async function newPost(page, title, body) {
  await page.goto(url('/admin/posts/new/'));
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Body (Markdown)').fill(body);
}

const tagsValue = (page) => page.locator('input[name=tags]').inputValue();

// A PNG of w x h pixels, all one grey (CRC-32 and zlib by hand: no image library needed).
function png(w, h) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4), sum = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 0; // 8-bit greyscale
  const raw = Buffer.alloc((w + 1) * h, 0x99);
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0; // filter byte
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const checks = {
  async tags(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    await newPost(page, 'Tags from the list', 'The vote is **counted**.');
    const combo = page.getByRole('combobox', { name: /^Tags/ });
    check(await combo.getAttribute('aria-expanded') === 'false', 'the combobox starts closed');
    const listId = await combo.getAttribute('aria-controls');
    check(await page.locator(`#${listId}[role=listbox]`).count() === 1, 'aria-controls names the listbox');
    await combo.focus();
    await combo.pressSequentially('Pol', { delay: 30 });
    const option = page.getByRole('option', { name: 'Politics', exact: true });
    await option.waitFor();
    check(await combo.getAttribute('aria-expanded') === 'true', 'the listbox is open');
    let guard = 0;
    while (await option.getAttribute('aria-selected') !== 'true' && guard++ < 20)
      await combo.press('ArrowDown');
    const activeId = await combo.getAttribute('aria-activedescendant');
    check(activeId && activeId === await option.getAttribute('id'), 'aria-activedescendant is the active option');
    await combo.press('Enter');
    check(await tagsValue(page) === 'Politics', `Enter picks it (${await tagsValue(page)})`);
    check(await combo.getAttribute('aria-expanded') === 'false', 'and closes the listbox');
    check(await page.locator('.chip', { hasText: 'Politics' }).locator('.first').textContent() === 'Section',
          'the first tag is shown as the section');

    // a new name, left typed: refused, nothing created, the text kept
    await combo.pressSequentially('Fresh angle', { delay: 10 });
    await page.getByRole('option', { name: 'Create tag “Fresh angle”' }).waitFor();
    await combo.press('Escape');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForLoadState();
    const alert = await page.getByRole('alert').textContent();
    check(alert.includes('“Fresh angle” is not a tag yet.'), `the save is refused (${alert})`);
    check(await page.getByLabel('Body (Markdown)').inputValue() === 'The vote is **counted**.', 'the body is kept');
    const none = await page.evaluate(() => fetch('/admin/api/tags/?q=fresh').then((r) => r.json()));
    check(none.items.length === 0, 'no tag was created');
    check(await tagsValue(page) === 'Politics, Fresh angle', `the tags are kept (${await tagsValue(page)})`);

    // remove it by keyboard, then choose "Create tag"
    const remove = page.getByRole('button', { name: 'Remove Fresh angle' });
    await remove.focus();
    await page.keyboard.press('Enter');
    check(await tagsValue(page) === 'Politics', 'the chip is removed by keyboard');
    const combo2 = page.getByRole('combobox', { name: /^Tags/ });
    await combo2.focus();
    await combo2.pressSequentially('Fresh angle', { delay: 10 });
    const create = page.getByRole('option', { name: 'Create tag “Fresh angle”' });
    await create.waitFor();
    guard = 0;
    while (await create.getAttribute('aria-selected') !== 'true' && guard++ < 25)
      await combo2.press('ArrowDown');
    await combo2.press('Enter');
    await page.getByRole('button', { name: 'Make section: Fresh angle' }).click();
    check(await tagsValue(page) === 'Fresh angle, Politics', `made the section (${await tagsValue(page)})`);
    await page.screenshot({ path: path.join(out, 'tags.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=draft$/);
    check(await tagsValue(page) === 'Fresh angle, Politics', `saved with both, in order (${await tagsValue(page)})`);
    const found = await page.evaluate(() => fetch('/admin/api/tags/?q=fresh').then((r) => r.json()));
    check(found.items.length === 1 && found.items[0].name === 'Fresh angle', 'the confirmed tag exists');
    await ctx.close();
  },

  async wide(browser) {
    const image = png(3000, 400);
    for (const [label, device] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const ctx = await context(browser, device);
      const page = await ctx.newPage();
      await page.route(url('/wide.png'), (route) =>
        route.fulfill({ status: 200, contentType: 'image/png', body: image }));
      await login(page);
      await newPost(page, 'A wide picture', `![wide](${url('/wide.png')})\n\nWords under it.`);
      await page.waitForFunction(() => document.querySelector('#preview img')?.naturalWidth === 3000);
      const { scroll, width } = await noOverflow(page);
      check(scroll <= width, `${label}: the page holds (${scroll} px wide at ${width})`);
      const box = await page.getByLabel('Body (Markdown)').boundingBox();
      const formBox = await page.locator('#post-form').boundingBox();
      if (label === 'desktop')
        check(box.width >= 0.4 * formBox.width,
              `desktop: the Markdown box keeps its width (${box.width} of ${formBox.width})`);
      else
        check(box.width >= 0.8 * formBox.width, `phone: the Markdown box is full width (${box.width})`);
      const phone = page.getByRole('button', { name: 'Phone width' });
      await phone.click();
      check(await phone.getAttribute('aria-pressed') === 'true', `${label}: the toggle says it is on`);
      const pw = (await page.locator('#preview').boundingBox()).width;
      check(pw <= 361, `${label}: the preview is phone-wide (${pw})`);
      const after = await noOverflow(page);
      check(after.scroll <= after.width, `${label}: still holds with the phone preview (${after.scroll})`);
      await page.screenshot({ path: path.join(out, `wide-${label}.png`), fullPage: true });
      await phone.click();
      check(await phone.getAttribute('aria-pressed') === 'false', `${label}: and off again`);
      await ctx.close();
    }
  },

  async count(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    await page.goto(url('/admin/posts/new/'));
    const count = page.locator('#word-count');
    check(await count.getAttribute('aria-live') === 'polite', 'the count is announced politely');
    check((await count.textContent()).trim() === '0 words · 1 min read', `an empty post (${await count.textContent()})`);
    const body = page.getByLabel('Body (Markdown)');
    await body.focus();
    await body.pressSequentially('One two three four five', { delay: 20 });
    await page.waitForFunction(() => document.getElementById('word-count').textContent === '5 words · 1 min read');
    await body.fill(Array.from({ length: 600 }, (_, i) => `w${i}`).join(' '));
    await body.press('End');
    await body.pressSequentially(' more', { delay: 20 });
    await page.waitForFunction(() => document.getElementById('word-count').textContent === '601 words · 2 min read');
    check(true, 'the count follows the typing');
    await ctx.close();
  },

  async share(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    await newPost(page, 'A draft to show', 'Not yet **public**.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=draft$/);
    const editorUrl = page.url();
    await page.getByLabel('Body (Markdown)').fill('Not yet **public**, and typed after saving.');
    await page.getByRole('button', { name: 'Share a preview' }).click();
    const link = page.locator('#share-link');
    await link.waitFor();
    check(page.url() === editorUrl, 'the link is made in place');
    check(await page.getByLabel('Body (Markdown)').inputValue() === 'Not yet **public**, and typed after saving.',
          'what was typed is still there');
    check(await page.locator('#share').textContent().then((t) => /until \d/.test(t)), 'its expiry is shown');
    check(await page.getByRole('button', { name: 'Copy link' }).isVisible(), 'with a copy button');
    const robots = [];
    ctx.on('response', (r) => { if (new URL(r.url()).pathname.startsWith('/preview/')) robots.push(r.headers()['x-robots-tag']); });
    const [preview] = await Promise.all([ctx.waitForEvent('page'), link.click()]);
    await preview.waitForLoadState();
    check(robots.length === 1 && robots[0] === 'noindex, nofollow', `X-Robots-Tag: noindex, nofollow (${robots})`);
    check(await preview.locator('meta[name=robots]').getAttribute('content') === 'noindex, nofollow',
          'the page says noindex');
    check(await preview.getByRole('heading', { level: 1, name: 'A draft to show' }).isVisible(),
          'the draft in the article template');
    check(await preview.getByText('Preview — not published.').isVisible(), 'marked as a preview');
    await preview.screenshot({ path: path.join(out, 'preview-link.png'), fullPage: true });
    await ctx.close();
  },

  async axe(browser) {
    const ctx = await context(browser, { ...DESKTOP, bypassCSP: true });
    const page = await ctx.newPage();
    await login(page);
    await newPost(page, 'Checked by axe', 'Some words.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=draft$/);
    await page.getByRole('button', { name: 'Share a preview' }).click();
    await page.locator('#share-link').waitFor();
    const combo = page.getByRole('combobox', { name: /^Tags/ });
    for (const name of ['Politics', 'Economy']) {
      await combo.fill('');
      await combo.pressSequentially(name.slice(0, 3), { delay: 20 });
      await page.getByRole('option', { name, exact: true }).click();
    }
    await combo.pressSequentially('e', { delay: 20 });
    await page.getByRole('option').first().waitFor();
    await combo.press('ArrowDown');
    console.log(await axeCheck(page, 'editor with pickers'));
    await ctx.close();
  },
};

await runCheck('form', checks, what);
