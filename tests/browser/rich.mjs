// The post editor's rich-text mode (themes/admin/assets/rich.js, built from tools/editor/)
// in a real browser, against the textarea#markdown it keeps as the source of truth:
//   node tests/browser/rich.mjs CHECK BASE_URL ARTIFACT_DIR EMAIL PASSWORD
// CHECK is one of:
//   round-trip  a post with every element, in canonical Markdown, goes to rich text and back
//               byte for byte; what the editor changes is written back into the textarea
//   typed       a post typed in rich text (Ctrl+B, a list, a quote) is saved as that Markdown;
//               Ctrl+K refuses javascript: and data: links, the Image button asks for alt text
//   paste       Google Docs and Word clipboard HTML (with a script, a style, handlers) is
//               cleaned to our Markdown, and nothing in it runs; a 10 MB paste is kept
//               quickly, with a warning that the server will refuse it
//   refuse      a post with a GFM table stays in Markdown, with a message, unchanged; so does
//               one the site would render differently after a round trip (~one tilde~)
//   axe         axe-core (WCAG 2.1 A and AA, light and dark) on the editor in rich mode
//   phone       rich mode at 360 px: no horizontal scroll, a wide image fits
import fs from 'node:fs';
import path from 'node:path';
import { launch, context, check, done, artifactDir, noOverflow, axeCheck, PHONE,
         DESKTOP, runCheck } from './lib.mjs';

const [what, base, artifacts, email, password] = process.argv.slice(2);
const out = artifactDir(artifacts, 'rich');
const url = (p) => new URL(p, base).href;

// Every element the rich mode edits, in the serializer's canonical style, and an embed's
// bare link whose underscores must stay unescaped (docs/embeds.md).
const CANONICAL = `# Metro extends night service

The city's metro will run until **2 a.m.** from *Friday*, with \`line 3\` first; see the [timetable](https://example.org/metro).\\
Night buses stay.

## What changes

> “We listened to the people who work late.”
>
> — Metro spokesperson

- Trains every 15 minutes
- Stations: *all* of them

1. Line 1 from Friday
2. Line 3 from March

\`\`\`text
00:00 last train
02:00 doors close
\`\`\`

![A night train at a platform](/assets/night-train.jpg)

---

https://www.youtube.com/watch?v=dQw4w9_WgX_

Corrections to the desk.`;

const TABLE = 'Fares from Friday:\n\n| zone | fare |\n|---|---|\n| A | 8 |\n| B | 12 |\n\nSame as before.';

async function login(page) {
  await page.goto(url('/admin/login/'));
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url('/admin/'));
}

const editor = (page) => page.getByRole('textbox', { name: 'Body', exact: true });
const modeButton = (page, name) => page.getByRole('group', { name: 'Editing mode' })
  .getByRole('button', { name, exact: true });

// The stored Markdown, as the server sends it in the edit form. Parsed in a blank page of
// its own: the editor's page may still be loading after a save, and a navigation there
// would end the evaluation.
async function storedMarkdown(page, id) {
  const res = await page.request.get(url(`/admin/posts/${id}/`));
  const html = await res.text();
  const scratch = await page.context().newPage();
  try {
    return await scratch.evaluate((h) => new DOMParser().parseFromString(h, 'text/html')
      .querySelector('textarea#markdown').value, html);
  } finally {
    await scratch.close();
  }
}

// A post saved as a draft through the form in Markdown mode; returns its id.
async function markdownPost(page, title, markdown) {
  await page.goto(url('/admin/posts/new/'));
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('Body (Markdown)').fill(markdown);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=/);
  return /\/admin\/posts\/(\d+)\//.exec(page.url())[1];
}

// Counts the textarea's input events, as the preview and autosave see them.
async function countInputs(page) {
  await page.evaluate(() => {
    window.inputs = 0;
    document.getElementById('markdown').addEventListener('input', () => window.inputs++);
  });
}

async function toRich(page) {
  await modeButton(page, 'Rich text').click();
  await editor(page).waitFor();
  check(await modeButton(page, 'Rich text').getAttribute('aria-pressed') === 'true',
        'the Rich text button is pressed');
  check(await page.locator('textarea#markdown').isHidden(), 'the textarea is hidden in rich mode');
  check(await page.locator('textarea#markdown').count() === 1, 'and still in the form');
}

async function paste(page, html) {
  await editor(page).click();
  await page.evaluate((h) => {
    const dt = new DataTransfer();
    dt.setData('text/html', h);
    dt.setData('text/plain', 'plain text the editor must not prefer');
    document.querySelector('[role=textbox][aria-label=Body]')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, html);
}

const GOOGLE_DOCS = '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5b1f2c3d-7fff-1a2b-3c4d-5e6f7a8b9c0d">' +
  '<h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;"><span style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:normal;">Storm warning</span></h2>' +
  '<p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;vertical-align:baseline;">Winds of </span>' +
  '<span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:700;font-style:normal;">90 km/h</span>' +
  '<span style="font-size:11pt;font-family:Arial,sans-serif;color:#000000;font-weight:400;font-style:italic;"> tonight</span>' +
  '<span style="font-size:11pt;font-family:Arial,sans-serif;">, says the </span><a href="https://example.org/met" style="text-decoration:none;" onclick="window.pwned=\'gdocs-link\'"><span style="font-size:11pt;color:#1155cc;text-decoration:underline;">met office</span></a>' +
  '<span style="font-size:11pt;">.</span></p><br>' +
  '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" role="presentation"><span style="font-size:11pt;">Stay indoors</span></p></li>' +
  '<li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;" role="presentation"><span style="font-size:11pt;">Charge phones</span></p></li></ul>' +
  '<p><a href="javascript:window.pwned=\'gdocs-js\'">a trap</a><img src="/nowhere.png" onerror="window.pwned=\'gdocs-img\'" alt=""></p></b>' +
  '<script>window.pwned = "gdocs-script"</script><style>p { color: red }</style>';
const GOOGLE_DOCS_MD = '## Storm warning\n\nWinds of **90 km/h** *tonight*, says the [met office](https://example.org/met).\n\n' +
  '- Stay indoors\n- Charge phones\n\na trap![](/nowhere.png)';

const WORD = '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">' +
  '<head><meta name=ProgId content=Word.Document><style><!-- p.MsoNormal {mso-style-parent:""; margin:0cm;} --></style>' +
  '<script>window.pwned = "word-head-script"</script></head><body lang=EN-GB style="tab-interval:36.0pt"><!--StartFragment-->' +
  '<p class=MsoNormal><b><span style="mso-bidi-font-weight:normal">Council</span></b><span style="mso-fareast-font-family:Calibri"> votes on the </span><i>budget</i><o:p></o:p></p>' +
  '<p class=MsoListParagraphCxSpFirst style="text-indent:-18.0pt;mso-list:l0 level1 lfo1"><![if !supportLists]><span style="font-family:Symbol;mso-list:Ignore">·<span style="font:7.0pt \'Times New Roman\'">&nbsp;&nbsp;&nbsp; </span></span><![endif]>Roads<o:p></o:p></p>' +
  '<p class=MsoListParagraphCxSpLast style="text-indent:-18.0pt;mso-list:l0 level1 lfo1"><![if !supportLists]><span style="font-family:Symbol;mso-list:Ignore">·<span style="font:7.0pt \'Times New Roman\'">&nbsp;&nbsp;&nbsp; </span></span><![endif]>Schools<o:p></o:p></p>' +
  '<p class=MsoNormal onmouseover="window.pwned=\'word-handler\'">Done.<o:p>&nbsp;</o:p></p><script>window.pwned = "word-script"</script><!--EndFragment--></body></html>';
const WORD_MD = '**Council** votes on the *budget*\n\n- Roads\n- Schools\n\nDone.';

const WEB_PAGE = '<h3 onclick="window.pwned=\'web-h3\'">How to</h3><pre class="highlight"><code class="language-js">let a = 1;\n' +
  'let b = `two`;</code></pre><p>Read <a href=" JaVaScRiPt:window.pwned=\'web-link\'">this</a> and ' +
  '<a href="https://example.org/that" target="_blank" rel="noopener">that</a>.<iframe src="/admin/"></iframe></p>' +
  '<pre data-params="js\n# injected"><code>x</code></pre>';
const WEB_PAGE_MD = '### How to\n\n```js\nlet a = 1;\nlet b = `two`;\n```\n\nRead this and [that](https://example.org/that).\n\n```\nx\n```';

const checks = {
  async 'round-trip'(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    const id = await markdownPost(page, 'Every element of a post', CANONICAL);
    check(await page.locator('textarea#markdown').inputValue() === CANONICAL, 'the server keeps the Markdown');
    await countInputs(page);
    await toRich(page);
    const body = editor(page);
    for (const sel of ['h1', 'h2', 'strong', 'em', 'code', 'a[href="https://example.org/metro"]', 'br',
                       'blockquote p', 'ul li', 'ol li', 'pre', 'img[alt="A night train at a platform"]', 'hr'])
      check(await body.locator(sel).count() > 0, `the rich editor shows ${sel}`);
    check(await page.evaluate(() => window.inputs) === 0, 'opening rich mode does not touch the textarea');
    await page.screenshot({ path: path.join(out, 'round-trip.png'), fullPage: true });

    // a change, then its undoing: the serializer writes the whole post back each time
    await body.locator('p').last().click();
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    const changed = await page.locator('textarea#markdown').inputValue();
    check(changed === CANONICAL + '!', `a keystroke is written back as Markdown (${JSON.stringify(changed.slice(-40))})`);
    check(await page.evaluate(() => window.inputs) >= 1, 'with an input event on the textarea');
    await page.keyboard.press('Backspace');
    const back = await page.locator('textarea#markdown').inputValue();
    check(back === CANONICAL, 'and its undoing gives the canonical Markdown byte for byte' +
          (back === CANONICAL ? '' : `:\n${back}`));

    // Ctrl+S is the page's (admin.js saves the form with it): the editor lets it bubble
    // the page is at ?saved= already: wait for the new page's load, not for the address
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Control+s')]);
    check(/\/admin\/posts\/\d+\/\?saved=/.test(page.url()), `Ctrl+S saved (${page.url()})`);
    check(await storedMarkdown(page, id) === CANONICAL, 'Ctrl+S in the rich editor saved the post, byte for byte');
    await editor(page).waitFor(); // the page comes back in the mode it was left in

    await modeButton(page, 'Markdown').click();
    check(await page.locator('textarea#markdown').isVisible(), 'Markdown mode shows the textarea');
    check(await editor(page).isHidden(), 'and hides the rich editor');
    check(await page.locator('textarea#markdown').inputValue() === CANONICAL, 'the textarea holds the same bytes');
    check(await storedMarkdown(page, id) === CANONICAL, 'the stored post is unchanged');
    await ctx.close();
  },

  async typed(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    const dialogs = [], answers = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      const a = answers.shift();
      if (a === undefined) d.dismiss(); else d.accept(a);
    });
    await login(page);
    await page.goto(url('/admin/posts/new/'));
    await page.getByLabel('Title', { exact: true }).fill('Typed in rich text');
    await toRich(page);
    // the keyboard alone: the switch, the toolbar (one tab stop, arrow keys), the editor
    const k = page.keyboard;
    const focused = () => page.evaluate(() => document.activeElement.getAttribute('aria-label') ||
                                               document.activeElement.textContent);
    await modeButton(page, 'Rich text').focus();
    await k.press('Tab');
    check(await focused() === 'Bold', `Tab goes from the switch to the toolbar (${await focused()})`);
    await k.press('ArrowRight');
    check(await focused() === 'Italic', `an arrow key moves along it (${await focused()})`);
    await k.press('Tab');
    check(await focused() === 'Body', `Tab goes on into the editor (${await focused()})`);
    await k.press('Shift+Tab');
    check(await focused() === 'Italic', `and back to the toolbar's button last used (${await focused()})`);
    await editor(page).click();
    await k.type('The desk is ');
    await k.press('Control+b');
    check(await page.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed') === 'true',
          'the Bold button is pressed after Ctrl+B');
    await k.type('open');
    await k.press('Control+b');
    await k.type('.');
    await k.press('Enter');
    await k.type('- first');
    await k.press('Enter');
    await k.type('second');
    await k.press('Enter');
    await k.press('Enter');
    await k.type('> We start today.');
    const expected = 'The desk is **open**.\n\n- first\n- second\n\n> We start today.';
    await page.waitForFunction(() => document.querySelector('#preview blockquote'));
    check(await page.locator('#preview strong').textContent() === 'open', 'the live preview follows the rich editor');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=/);
    const id = /\/admin\/posts\/(\d+)\//.exec(page.url())[1];
    const stored = await storedMarkdown(page, id);
    check(stored === expected, `the saved Markdown is what was typed (${JSON.stringify(stored)})`);
    await editor(page).waitFor();
    check(await modeButton(page, 'Rich text').getAttribute('aria-pressed') === 'true',
          'the editor reopens in the remembered rich mode');
    check(await page.evaluate(() => localStorage.getItem('newsdesk.editorMode')) === 'rich', 'kept in localStorage');
    check(dialogs.length === 0, `no dialog opened (${dialogs.join(', ')})`);

    // Ctrl+K asks for the address and refuses javascript: and data:; the Image button asks
    // for an address and alt text
    await page.goto(url('/admin/posts/new/'));
    await editor(page).click();
    await k.type('Read the report');
    for (let i = 0; i < 'report'.length; i++) await k.press('Shift+ArrowLeft');
    const textarea = page.locator('textarea#markdown');
    for (const bad of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      answers.push(bad);
      await k.press('Control+k');
      check(await page.getByRole('status').filter({ hasText: 'That link was not added' }).isVisible(),
            `a ${bad.slice(0, 5)} link is refused with a message`);
      check(await textarea.inputValue() === 'Read the report', `and not added (${await textarea.inputValue()})`);
    }
    answers.push('https://example.org/report');
    await k.press('Control+k');
    check(await textarea.inputValue() === 'Read the [report](https://example.org/report)',
          `Ctrl+K makes a link (${await textarea.inputValue()})`);
    check(await page.getByRole('button', { name: 'Link' }).getAttribute('aria-pressed') === 'true',
          'the Link button is pressed on a link');
    await k.press('End');
    await k.press('Enter');
    answers.push('https://example.org/desk.jpg', 'The desk at night');
    await page.getByRole('button', { name: 'Image', exact: true }).click();
    const withImage = 'Read the [report](https://example.org/report)\n\n![The desk at night](https://example.org/desk.jpg)';
    check(await textarea.inputValue() === withImage, `the Image button adds an image with alt text (${await textarea.inputValue()})`);
    await k.press('Control+z');
    check(await textarea.inputValue() !== withImage, 'Ctrl+Z undoes it');
    await k.press('Control+y');
    check(await textarea.inputValue() === withImage, 'Ctrl+Y redoes it');
    check(answers.length === 0, 'every prompt was asked');
    await ctx.close();
  },

  async paste(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    const dialogs = [];
    // leaving a post with unsaved text asks first (admin.js): this test leaves on purpose
    page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') return d.accept();
      dialogs.push(d.message());
      return d.dismiss();
    });
    await login(page);
    for (const [label, html, md] of [['Google Docs', GOOGLE_DOCS, GOOGLE_DOCS_MD], ['Word', WORD, WORD_MD],
                                      ['a web page', WEB_PAGE, WEB_PAGE_MD]]) {
      await page.goto(url('/admin/posts/new/'));
      await toRich(page);
      await paste(page, html);
      await page.waitForTimeout(200);
      const got = await page.locator('textarea#markdown').inputValue();
      check(got === md, `${label}'s HTML is cleaned to our Markdown:\n${got}\n  expected:\n${md}`);
      check(await editor(page).locator('[style], [onclick], [onerror], [onmouseover], script, style, span, b, i, iframe')
        .count() === 0, `${label}: no style, handler, script or foreign element reaches the editor`);
      check(await page.evaluate(() => window.pwned) === undefined,
            `${label}: nothing in the paste ran (${await page.evaluate(() => window.pwned)})`);
    }
    check(dialogs.length === 0, `no dialog opened (${dialogs.join(', ')})`);

    // 10 MB of paragraphs: kept, quickly, with a warning
    await page.goto(url('/admin/posts/new/'));
    await toRich(page);
    // built in the page: 10 MB through the driver's protocol would be timed too. The time
    // is measured against the browser's own: laying the same HTML out in a plain <div>
    // (the machine may be busy; a hang, like a quadratic serializer, is ten times that)
    await editor(page).click();
    await page.evaluate(() => {
      const big = '<p>' + 'The council met at nine and voted on the budget for the roads. '.repeat(40) + '</p>';
      const html = big.repeat(Math.ceil(10 * 1024 * 1024 / big.length));
      const plain = document.createElement('div');
      let t = performance.now();
      plain.innerHTML = html;
      document.body.append(plain);
      void plain.offsetHeight;
      window.baseline = performance.now() - t;
      plain.remove();
      const dt = new DataTransfer();
      dt.setData('text/html', html);
      window.pasteStart = performance.now();
      document.querySelector('[role=textbox][aria-label=Body]')
        .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      window.pasteShown = performance.now();
      document.getElementById('markdown').addEventListener('input', () => {
        window.pasteWritten = performance.now();
      }, { once: true });
    });
    await page.waitForFunction(() => window.pasteWritten, null, { timeout: 60000 });
    const [baseline, shown, written] = await page.evaluate(() => [
      window.baseline, window.pasteShown - window.pasteStart, window.pasteWritten - window.pasteStart]);
    const length = await page.evaluate(() => document.getElementById('markdown').value.length);
    console.log(`10 MB paste: shown in ${Math.round(shown)} ms, in the textarea in ${Math.round(written)} ms` +
                ` (the browser lays it out in ${Math.round(baseline)} ms)`);
    const limit = Math.max(4000, 5 * baseline);
    check(length > 10000000, `the 10 MB paste is all in the Markdown (${length} characters)`);
    check(written < limit, `a 10 MB paste is in the editor and the textarea within ${Math.round(limit)} ms` +
          ` (${Math.round(shown)} and ${Math.round(written)} ms)`);
    const warning = page.getByRole('status').filter({ hasText: 'at most 512 KB' });
    check(await warning.isVisible(), 'a visible warning says the server will refuse it');
    await page.screenshot({ path: path.join(out, 'paste-10mb.png') });
    await ctx.close();
  },

  async refuse(browser) {
    const ctx = await context(browser, DESKTOP);
    const page = await ctx.newPage();
    await login(page);
    const id = await markdownPost(page, 'Fares in a table', TABLE);
    await countInputs(page);
    await modeButton(page, 'Rich text').click();
    const message = page.getByRole('status').filter({ hasText: 'Rich text is not available' });
    check(await message.isVisible(), 'a visible message refuses rich mode');
    check(/a table/.test(await message.textContent()), `and says why (${await message.textContent()})`);
    check(await page.locator('textarea#markdown').isVisible(), 'the textarea stays');
    check(await editor(page).count() === 0 || await editor(page).isHidden(), 'no rich editor shows');
    check(await modeButton(page, 'Markdown').getAttribute('aria-pressed') === 'true', 'Markdown stays pressed');
    check(await page.locator('textarea#markdown').inputValue() === TABLE, 'the Markdown is unchanged');
    check(await page.evaluate(() => window.inputs) === 0, 'and no input event was sent');
    await page.screenshot({ path: path.join(out, 'refused.png') });
    // a remembered rich mode does not force it either
    await page.evaluate(() => localStorage.setItem('newsdesk.editorMode', 'rich'));
    await page.goto(url(`/admin/posts/${id}/`));
    await message.waitFor();
    check(await page.locator('textarea#markdown').isVisible(), 'on reload with rich mode remembered, too');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/admin\/posts\/\d+\/\?saved=/);
    check(await storedMarkdown(page, id) === TABLE, 'saved again, the post is unchanged');

    // markdown-it sees no strikethrough in ~one tilde~, the site (cmark-gfm) does: the
    // site's own renderer has the last word
    const TILDE = 'Prices ~fell~ rose.';
    await page.evaluate(() => localStorage.setItem('newsdesk.editorMode', 'markdown'));
    const tilde = await markdownPost(page, 'One tilde', TILDE);
    await page.goto(url(`/admin/posts/${tilde}/`));
    await modeButton(page, 'Rich text').click();
    await message.waitFor();
    check(/differently/.test(await message.textContent()), `refused as the site shows it (${await message.textContent()})`);
    check(await page.locator('textarea#markdown').isVisible(), 'the textarea stays');
    check(await page.locator('textarea#markdown').inputValue() === TILDE, 'the Markdown is unchanged');
    await ctx.close();
  },

  async axe(browser) {
    const report = [];
    let id = null;
    for (const scheme of ['light', 'dark']) {
      const ctx = await context(browser, { ...PHONE, colorScheme: scheme, bypassCSP: true });
      const page = await ctx.newPage();
      const run = async (label) => report.push(await axeCheck(page, `${label} (${scheme})`));
      await login(page);
      if (!id) id = await markdownPost(page, 'Every element, checked by axe', CANONICAL);
      await page.goto(url(`/admin/posts/${id}/`));
      await toRich(page);
      await editor(page).locator('strong').first().click();
      await run('rich editor with a post');
      await page.screenshot({ path: path.join(out, `axe-${scheme}.png`), fullPage: true });
      await page.goto(url('/admin/posts/new/'));
      await editor(page).waitFor();
      await run('rich editor, new post');
      await ctx.close();
    }
    fs.writeFileSync(path.join(out, 'axe.txt'), report.join('\n') + '\n');
    console.log(report.join('\n'));
  },

  async phone(browser) {
    const ctx = await context(browser, PHONE);
    // a wide image for the editor, served as if the site had it
    await ctx.route('**/assets/night-train.jpg', (r) => r.fulfill({
      contentType: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="300"><rect width="2400" height="300" fill="#345"/></svg>',
    }));
    const page = await ctx.newPage();
    await login(page);
    const id = await markdownPost(page, 'Every element on a phone', CANONICAL);
    await page.goto(url(`/admin/posts/${id}/`));
    await toRich(page);
    const img = editor(page).getByRole('img', { name: 'A night train at a platform' });
    await page.waitForFunction(() => document.querySelector('[aria-label=Body] img[src$="night-train.jpg"]')?.complete);
    const { scroll, width } = await noOverflow(page);
    check(scroll <= width, `the rich editor fits a 360 px phone (${scroll} px wide)`);
    const box = await img.boundingBox();
    const edBox = await editor(page).boundingBox();
    check(box && edBox && box.width <= edBox.width, `the wide image fits the editor (${box?.width} of ${edBox?.width} px)`);
    await page.screenshot({ path: path.join(out, 'rich-phone.png'), fullPage: true });
    await page.goto(url('/admin/posts/new/'));
    await editor(page).waitFor();
    const empty = await noOverflow(page);
    check(empty.scroll <= empty.width, `a new post in rich mode fits too (${empty.scroll} px wide)`);
    await ctx.close();
  },
};

await runCheck('rich', checks, what);
