// Pasted HTML, cleaned to what the rich mode holds before ProseMirror reads it.
//
// Word processors put their formatting in inline styles and their own elements: Google
// Docs wraps a copy in <b style="font-weight:normal" id="docs-internal-guid-..."> and marks
// bold and italic runs with spans' font-weight and font-style; Word adds <o:p>, mso- styles
// and classes, conditional comments and list paragraphs whose bullet is a span styled
// mso-list:Ignore. The HTML is parsed with DOMParser, whose document is inert: its scripts
// never run and its images never load. That document still inherits the page's
// Content-Security-Policy, which reports every style attribute, <style> and event handler
// it meets there (and blocks them): so before parsing, defang() renames those attributes to
// data-nd-* and those elements to nd-script and nd-style, which the walk then drops. A new
// tree is built from it holding only the elements of the schema, with no attribute but a
// safe href or src, an alt and a title, so no style, event handler, script or stylesheet
// reaches the editor or the Markdown. The walk is iterative: a deep paste cannot exhaust
// the stack.
import { safeUrl } from './markdown.js';

const KEEP = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE', 'CODE', 'UL',
                      'OL', 'LI', 'HR', 'BR', 'STRONG', 'EM', 'A', 'IMG']);
const RENAME = { B: 'STRONG', I: 'EM', TT: 'CODE', KBD: 'CODE', SAMP: 'CODE' };
// dropped with everything inside them
const DROP = new Set(['SCRIPT', 'STYLE', 'HEAD', 'TITLE', 'META', 'LINK', 'TEMPLATE', 'NOSCRIPT',
                      'IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'CANVAS', 'VIDEO', 'AUDIO',
                      'SELECT', 'TEXTAREA', 'BUTTON', 'INPUT', 'FORM', 'XML', 'O:P',
                      'ND-SCRIPT', 'ND-STYLE']);
// blocks that are not ours become paragraphs' containers: their text stays
const BLOCKISH = new Set(['DIV', 'SECTION', 'ARTICLE', 'HEADER', 'FOOTER', 'MAIN', 'ASIDE', 'TABLE',
                          'TBODY', 'THEAD', 'TFOOT', 'TR', 'TD', 'TH', 'DL', 'DT', 'DD', 'FIGURE',
                          'FIGCAPTION', 'CENTER', 'ADDRESS']);

const BLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'BLOCKQUOTE', 'PRE', 'UL', 'OL',
                        'HR', 'DIV', 'TABLE']);

function isBlock(el) {
  return !!el && BLOCKS.has(el.tagName.toUpperCase());
}

function styleOf(el) {
  return (el.getAttribute('data-nd-style') || '').toLowerCase().replace(/\s+/g, '');
}

// Attributes in a tag, a quoted value's ">" included.
const TAG = /<[a-zA-Z][^\s/>]*(?:\s*[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?|\s*\/)*\s*>/g;
const ATTR = /("[^"]*"|'[^']*')|(?<=[\s"'/])(style|on[a-z]+)(?=\s*=|[\s/>])/gi;

function defang(html) {
  return html.replace(/<(\/?)(script|style)\b/gi, '<$1nd-$2')
    .replace(TAG, (tag) => tag.replace(ATTR, (m, quoted, name) => quoted || 'data-nd-' + name));
}

// The element (or null: unwrap, keep the children) that el becomes in the clean tree.
function cleanElement(el, out) {
  const tag = el.tagName.toUpperCase();
  const style = styleOf(el);
  // Google Docs puts a <br> between blocks: an empty paragraph in the editor
  if (tag === 'BR' && (isBlock(el.previousElementSibling) || isBlock(el.nextElementSibling)))
    return 'drop';
  if (tag === 'B' && /font-weight:(normal|400)/.test(style)) return null;
  const name = RENAME[tag] || tag;
  if (KEEP.has(name)) {
    const c = out.createElement(name);
    if (name === 'A') {
      const href = safeUrl(el.getAttribute('href'));
      if (!href) return null;
      c.setAttribute('href', href);
    } else if (name === 'IMG') {
      const src = safeUrl(el.getAttribute('src'));
      if (!src) return 'drop';
      c.setAttribute('src', src);
      if (el.hasAttribute('alt')) c.setAttribute('alt', el.getAttribute('alt'));
    } else if (name === 'PRE') {
      // the code's language: ours (data-params), or a highlighter's class="language-x"
      const code = el.querySelector('code');
      const lang = el.getAttribute('data-params') ||
        (/(?:^|\s)lang(?:uage)?-([\w+#.-]+)/.exec((code && code.className) || '') || [])[1];
      // one word: a newline or a backtick there would end the fence early
      if (lang && /^[\w+#.-]{1,40}$/.test(lang)) c.setAttribute('data-params', lang);
    } else if (name === 'OL' && el.hasAttribute('start')) {
      c.setAttribute('start', String(parseInt(el.getAttribute('start'), 10) || 1));
    }
    if (el.hasAttribute('title') && (name === 'A' || name === 'IMG'))
      c.setAttribute('title', el.getAttribute('title'));
    if (el.hasAttribute('data-pm-slice')) c.setAttribute('data-pm-slice', el.getAttribute('data-pm-slice'));
    return c;
  }
  if (tag === 'SPAN' || tag === 'FONT') {
    // Google Docs and Word: bold and italic as styles; code as a monospace font
    let outer = null, inner = null;
    const wrap = (n) => {
      const e = out.createElement(n);
      if (inner) inner.appendChild(e); else outer = e;
      inner = e;
    };
    if (/font-weight:(bold|bolder|[6-9]00)/.test(style)) wrap('STRONG');
    if (/font-style:italic/.test(style)) wrap('EM');
    if (!outer) return null;
    return { outer, inner };
  }
  if (BLOCKISH.has(tag)) return out.createElement('DIV');
  return null;
}

const IGNORE = '[data-nd-style*="mso-list:Ignore" i], [data-nd-style*="mso-list: Ignore" i]';

// Word's list paragraphs (class MsoListParagraph..., style mso-list:l0 level1 ...) into
// <li>s of <ul> or <ol>, as the bullet text of their first item says.
function wordLists(doc) {
  const paras = doc.querySelectorAll('p');
  let list = null, last = null;
  for (const p of paras) {
    const style = styleOf(p);
    const isItem = /mso-list:l\d/.test(style) || /^MsoListParagraph/.test(p.className || '');
    if (!isItem) continue;
    const marker = p.querySelector(IGNORE);
    const ordered = marker && /^\s*[\da-zA-Z]{1,3}[.)]/.test(marker.textContent || '');
    if (!list || last !== p.previousElementSibling) {
      list = doc.createElement(ordered ? 'ol' : 'ul');
      p.parentNode.insertBefore(list, p);
    }
    const li = doc.createElement('li');
    while (p.firstChild) li.appendChild(p.firstChild);
    p.remove();
    list.appendChild(li);
    last = list;
  }
  for (const m of doc.querySelectorAll(IGNORE))
    m.remove();
}

export function cleanPastedHTML(html) {
  const src = new DOMParser().parseFromString(defang(html), 'text/html');
  wordLists(src);
  const out = document.implementation.createHTMLDocument('');
  const root = out.createElement('div');
  return buildInOrder(src.body, root, out);
}

// The clean tree, built in document order with an explicit stack.
function buildInOrder(body, root, out) {
  const stack = [[body.firstChild, root]];
  while (stack.length) {
    const top = stack[stack.length - 1];
    const node = top[0];
    if (!node) {
      stack.pop();
      continue;
    }
    top[0] = node.nextSibling;
    const into = top[1];
    if (node.nodeType === 3) {
      into.appendChild(out.createTextNode(node.data));
      continue;
    }
    if (node.nodeType !== 1) continue;
    const tag = node.tagName.toUpperCase();
    if (DROP.has(tag)) continue;
    const c = cleanElement(node, out);
    if (c === 'drop') continue;
    if (!c) {
      stack.push([node.firstChild, into]);
    } else if (c.outer) {
      into.appendChild(c.outer);
      stack.push([node.firstChild, c.inner]);
    } else {
      into.appendChild(c);
      stack.push([node.firstChild, c]);
    }
  }
  return root.innerHTML;
}
