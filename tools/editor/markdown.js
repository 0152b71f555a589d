// The rich-text mode's document model and its two-way bridge to the Markdown we store.
//
// The schema holds exactly what the rich mode can edit: paragraphs, headings, block quotes
// (our attributed quotes are a quote whose last paragraph starts with "— "), bullet and
// ordered lists, code blocks, horizontal rules, images, hard breaks, and the marks bold,
// italic, link and inline code. The serializer writes the canonical style (ATX headings,
// `*` italic, `**` bold, `-` bullets, `---` rules, fenced code, `\` hard breaks), so a post
// written in that style goes Markdown → rich → Markdown byte for byte.
//
// What the schema cannot hold (raw HTML, GFM tables, strikethrough, task lists, footnotes)
// is found before a post is opened in rich mode (richRefusal), and the post stays in
// Markdown: nothing is ever dropped or rewritten silently.
import { Schema } from 'prosemirror-model';
import { schema as base, MarkdownParser, MarkdownSerializer, defaultMarkdownParser,
         defaultMarkdownSerializer } from 'prosemirror-markdown';
import MarkdownIt from 'markdown-it';

// URLs a link or an image may carry: the web, mail, and addresses on this site. Anything
// else (javascript:, data:, vbscript:, file: from a word processor) is refused.
export function safeUrl(url) {
  const u = String(url || '').trim();
  if (!u || /[\u0000-\u001f\u007f]/.test(u)) return null;
  if (/^(https?:|mailto:)/i.test(u)) return u;
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) return null;
  if (/^\/\//.test(u)) return 'https:' + u;
  return u;
}

function withSafe(spec, attr, tag) {
  return {
    ...spec,
    parseDOM: [{
      tag,
      getAttrs(dom) {
        const url = safeUrl(dom.getAttribute(attr));
        if (!url) return false;
        const attrs = spec.parseDOM[0].getAttrs(dom);
        return { ...attrs, [attr]: url };
      },
    }],
  };
}

function isTight(list) {
  if (list.hasAttribute('data-tight')) return true;
  for (const li of list.children)
    if (li.querySelectorAll(':scope > p').length > 1) return false;
  return true;
}

const nodes = base.spec.nodes
  .update('image', withSafe(base.spec.nodes.get('image'), 'src', 'img[src]'))
  // a list made in the editor is tight ("- a\n- b"), as a newsroom writes them, and so is
  // a pasted one unless an item holds two paragraphs
  .update('bullet_list', { ...base.spec.nodes.get('bullet_list'),
                           attrs: { tight: { default: true } },
                           parseDOM: [{ tag: 'ul', getAttrs: (dom) => ({ tight: isTight(dom) }) }] })
  .update('ordered_list', { ...base.spec.nodes.get('ordered_list'),
                            attrs: { order: { default: 1 }, tight: { default: true } },
                            parseDOM: [{ tag: 'ol', getAttrs: (dom) => ({
                              order: +(dom.getAttribute('start') || 1) || 1, tight: isTight(dom) }) }] });
const marks = base.spec.marks.update('link', withSafe(base.spec.marks.get('link'), 'href', 'a[href]'));

export const schema = new Schema({ nodes, marks });

// The parser is prosemirror-markdown's (CommonMark, markdown-it without HTML) on our schema.
export const parser = new MarkdownParser(schema, MarkdownIt('commonmark', { html: false }),
                                         defaultMarkdownParser.tokens);

const inline = MarkdownIt('commonmark', { html: false });
const URL_RUN = /(?:https?:\/\/|www\.)[^\s<]*/gi;

// A bare address in the text stays as written. The site's autolinker (cmark-gfm's autolink
// extension) reads an address with its backslashes, so the escapes the serializer adds
// ("youtu.be/\_id") would change the link, and an embed card would be lost. The address
// goes unescaped only when that parses back to the same plain text.
function bareText(state, text) {
  const escaped = state.esc(text, state.atBlockStart);
  if (!/(?:https?:\/\/|www\.)/i.test(text)) return escaped;
  const raw = escaped.replace(URL_RUN, (url) => url.replace(/\\([`*_\[\]~\\])/g, '$1'));
  if (raw === escaped) return escaped;
  const tokens = inline.parseInline(raw, {})[0].children;
  const plain = tokens.every((t) => t.type === 'text') &&
    tokens.map((t) => t.content).join('') === text;
  return plain ? raw : escaped;
}

export const serializer = new MarkdownSerializer({
  ...defaultMarkdownSerializer.nodes,
  bullet_list(state, node) {
    state.renderList(node, '  ', () => '- ');
  },
  text(state, node) {
    if (state.inAutolink || node.text.includes('\n')) {
      defaultMarkdownSerializer.nodes.text(state, node);
      return;
    }
    state.text(bareText(state, node.text), false);
  },
}, defaultMarkdownSerializer.marks);

// The serializer appends to one string and looks at its last characters after each
// write, and V8 flattens a string built by appending each time it is read that way: a
// post serialized whole costs time quadratic in its length (16 s for 10 MB). So the doc is
// serialized in runs of 16 top-level blocks, joined as the serializer joins blocks: a blank
// line, or two between lists of one kind (which would merge otherwise).
const RUN = 16;

export function toMarkdown(doc) {
  if (doc.childCount <= RUN) return serializer.serialize(doc);
  let out = '';
  for (let i = 0; i < doc.childCount; i += RUN) {
    const end = Math.min(i + RUN, doc.childCount);
    const part = serializer.serialize(doc.type.create(null, children(doc, i, end)));
    if (i > 0) {
      const before = doc.child(i - 1), after = doc.child(i);
      const lists = before.type === after.type &&
        (before.type === schema.nodes.bullet_list || before.type === schema.nodes.ordered_list);
      out += lists ? '\n\n\n' : '\n\n';
    }
    out += part;
  }
  return out;
}

function children(doc, from, to) {
  const list = [];
  for (let i = from; i < to; i++) list.push(doc.child(i));
  return list;
}

export function fromMarkdown(text) {
  return parser.parse(text);
}

// How the site reads Markdown, as near as markdown-it comes to cmark-gfm with the table,
// strikethrough and autolink extensions: used to find what the schema cannot hold and to
// compare renderings. HTML is on so that raw HTML shows up as tokens.
const site = MarkdownIt('commonmark', { html: true, linkify: true })
  .enable(['table', 'strikethrough', 'linkify']);

const REFUSED = {
  html_block: 'raw HTML',
  html_inline: 'raw HTML',
  table_open: 'a table',
  s_open: 'strikethrough (~~text~~)',
};

function refusedToken(tokens) {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (REFUSED[t.type]) return REFUSED[t.type];
    if (t.children) {
      for (const c of t.children) if (REFUSED[c.type]) return REFUSED[c.type];
    }
    if (t.type === 'list_item_open' && tokens[i + 2] && tokens[i + 2].type === 'inline' &&
        /^\[[ xX]\]\s/.test(tokens[i + 2].content))
      return 'a task list ([ ] or [x])';
  }
  return null;
}

// HTML with the differences that mean nothing to a reader taken out: runs of white space
// outside <pre> (a soft line break is a space in the editor).
function normalHTML(html) {
  return html.split(/(<pre[\s\S]*?<\/pre>)/).map((part, i) =>
    i % 2 ? part : part.replace(/\s+/g, ' ').replace(/ ?(<\/?(p|li|ul|ol|blockquote|h[1-6]|hr)\b[^>]*>) ?/g, '$1'))
    .join('').trim();
}

export function sameHTML(a, b) {
  return normalHTML(a) === normalHTML(b);
}

function rendered(text) {
  return normalHTML(site.render(text));
}

// Opens Markdown for the rich mode: { doc, markdown } when the doc it parses to serializes
// back to Markdown (markdown) that renders the same, else { refused } with why (a phrase
// for the message).
export function openMarkdown(text) {
  const found = refusedToken(site.parse(text, {}));
  if (found) return { refused: found };
  if (/\[\^[^\]\s]+\]/.test(text)) return { refused: 'a footnote ([^1])' };
  let doc;
  try {
    doc = fromMarkdown(text);
  } catch (e) {
    return { refused: 'Markdown the rich-text mode cannot read' };
  }
  const markdown = toMarkdown(doc);
  if (markdown !== text && rendered(markdown) !== rendered(text))
    return { refused: 'Markdown the rich-text mode would change' };
  return { doc, markdown };
}
