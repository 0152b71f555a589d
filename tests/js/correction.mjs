// Reads the server's RSS and Atom feeds with a real feed reader (rss-parser) and checks
// that the item titled TITLE shows its correction note as readers see items: in the
// content the reader displays (content:encoded, Atom content) and its plain-text snippet.
// Usage: node tests/js/correction.mjs BASE_URL TITLE NOTE
import Parser from 'rss-parser';

const [base, title, note] = process.argv.slice(2);
const fail = (msg) => { console.error('correction.mjs: ' + msg); process.exit(1); };

const parser = new Parser();
for (const path of ['rss/', 'atom/']) {
  const feed = await parser.parseURL(base + path);
  const item = feed.items.find((i) => i.title === title);
  if (!item) fail(`${path}: no item titled ${JSON.stringify(title)}`);
  const content = item['content:encoded'] || item.content || '';
  if (!/<strong>Correction \(/.test(content)) fail(`${path}: no marked correction in ${JSON.stringify(content)}`);
  if (!(item.contentSnippet || '').includes(note)) {
    fail(`${path}: the snippet readers show lacks the note: ${JSON.stringify(item.contentSnippet)}`);
  }
}
console.log('correction.mjs: ok');
