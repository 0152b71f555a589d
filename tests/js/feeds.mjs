// Reads the server's feeds with two real feed readers from npm and checks that what was
// published comes through: titles, links, dates and ids. Usage:
//   node tests/js/feeds.mjs BASE_URL EXPECTED_TITLE [IMAGE_URL]
// exits non-zero with a message on the first difference. With IMAGE_URL, the item titled
// EXPECTED_TITLE must carry it as its image (RSS media:content, JSON Feed image).
import Parser from 'rss-parser';
import { extract } from '@extractus/feed-extractor';

const [base, title, image] = process.argv.slice(2);
const fail = (msg) => { console.error('feeds.mjs: ' + msg); process.exit(1); };
const check = (cond, msg) => { if (!cond) fail(msg); };

function checkItems(items, where) {
  check(items.length > 0, `${where}: no items`);
  const seen = new Set();
  for (const it of items) {
    check(it.title, `${where}: an item without a title`);
    check(/^https?:\/\//.test(it.link), `${where}: link not absolute: ${it.link}`);
    check(!Number.isNaN(Date.parse(it.date)), `${where}: bad date ${it.date}`);
    check(it.id && !seen.has(it.id), `${where}: missing or repeated id ${it.id}`);
    seen.add(it.id);
  }
  check(items.some((it) => it.title === title), `${where}: no item titled ${JSON.stringify(title)}`);
}

const parser = new Parser({ customFields: { item: [['media:content', 'media']] } });
for (const path of ['rss/', 'atom/']) {
  const feed = await parser.parseURL(base + path);
  if (image && path === 'rss/') {
    const media = feed.items.find((i) => i.title === title)?.media?.$;
    check(media && media.url === image && media.medium === 'image' && media.width && media.height,
          `rss-parser: media:content of ${JSON.stringify(title)} is ${JSON.stringify(media)}`);
  }
  check(feed.title, `rss-parser ${path}: no feed title`);
  checkItems(feed.items.map((i) => ({ title: i.title, link: i.link, date: i.isoDate,
                                      id: i.guid || i.id })), `rss-parser ${path}`);
}
for (const path of ['rss/', 'atom/', 'feed.json']) {
  const feed = await extract(base + path, {
    getExtraEntryFields: (e) => ({ rawId: e.guid || e.id, image: e.image }),
  });
  if (image && path === 'feed.json') {
    const img = feed.entries.find((e) => e.title === title)?.image;
    check(img === image, `feed-extractor: the JSON Feed image of ${JSON.stringify(title)} is ${img}`);
  }
  check(feed.title, `feed-extractor ${path}: no feed title`);
  checkItems(feed.entries.map((e) => ({ title: e.title, link: e.link, date: e.published,
                                        id: e.id || e.rawId })), `feed-extractor ${path}`);
}
console.log('feeds.mjs: ok');
