// The post editor's rich-text mode (served as /admin/assets/rich.js, built by `make editor`).
//
// It attaches to a page with textarea#markdown and keeps that textarea the single source of
// truth: the form posts it, and the preview, autosave and dirty tracking listen to its
// input events. A "Markdown" / "Rich text" switch sits above it. In rich mode the textarea
// is hidden (never removed) and a ProseMirror editor shows the post; each change is written
// back into the textarea as Markdown, followed by a bubbling input event. A post holding
// something the rich mode cannot represent stays in Markdown, with a message saying why.
// The chosen mode is remembered in localStorage ('newsdesk.editorMode').
import { EditorState, TextSelection } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { schema, openMarkdown, toMarkdown, sameHTML, safeUrl } from './markdown.js';
import { cleanPastedHTML } from './paste.js';
import { plugins, markActive, blockActive, linkCommand, imageCommand, hrCommand,
         headingCommand, toggleWrap, codeBlockCommand, undo, redo, toggleMark, wrapIn,
         wrapInList } from './commands.js';

const STORE = 'newsdesk.editorMode';
// the server's limit on a post's Markdown: CONTENT_MARKDOWN_MAX in src/content/content.h
const MARKDOWN_MAX = 512 * 1024;
// past this many characters the Markdown is written back after a pause, not per keystroke
const LARGE = 200000;

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text) e.textContent = text;
  return e;
}

function remembered() {
  try {
    return localStorage.getItem(STORE);
  } catch (e) {
    return null;
  }
}

function remember(mode) {
  try {
    localStorage.setItem(STORE, mode);
  } catch (e) {
    /* storage off: the mode lasts for this page */
  }
}

function utf8Length(s) {
  if (s.length * 3 <= MARKDOWN_MAX) return s.length;
  return new TextEncoder().encode(s).length;
}

function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? (bytes / 1024 / 1024).toFixed(1) + ' MB'
    : Math.ceil(bytes / 1024) + ' KB';
}

const { nodes, marks } = schema;

// Whether the site's own renderer (the live preview's endpoint) shows two versions of a
// post alike: markdown-it only approximates cmark-gfm and its extensions (single-tilde
// strikethrough, autolinks read with their backslashes, embed cards). null when it cannot
// say (no form token, a post over the limit, the server out of reach).
function siteRendersAlike(a, b) {
  const csrf = document.querySelector('input[name=csrf]');
  if (!csrf) return Promise.resolve(null);
  const render = (md) => fetch('/admin/preview/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf.value },
    body: 'markdown=' + encodeURIComponent(md),
  }).then((r) => {
    if (!r.ok) throw new Error('preview ' + r.status);
    return r.text();
  });
  return Promise.all([render(a), render(b)]).then(([x, y]) => sameHTML(x, y), () => null);
}

// [label, accessible name, keyboard shortcut, command, active(state) or null]
function toolbarItems(ask, say) {
  return [
    ['Bold', 'Bold', 'Control+B', toggleMark(marks.strong), (s) => markActive(s, marks.strong)],
    ['Italic', 'Italic', 'Control+I', toggleMark(marks.em), (s) => markActive(s, marks.em)],
    ['Link', 'Link', 'Control+K', linkCommand(ask, say), (s) => markActive(s, marks.link)],
    ['Code', 'Code', null, toggleMark(marks.code), (s) => markActive(s, marks.code)],
    ['H2', 'H2 heading', null, headingCommand(2),
     (s) => blockActive(s, nodes.heading, { level: 2 })],
    ['H3', 'H3 subheading', null, headingCommand(3),
     (s) => blockActive(s, nodes.heading, { level: 3 })],
    ['Quote', 'Quote', null, toggleWrap(nodes.blockquote, wrapIn(nodes.blockquote)),
     (s) => blockActive(s, nodes.blockquote)],
    ['Bullets', 'Bullets', null, toggleWrap(nodes.bullet_list, wrapInList(nodes.bullet_list)),
     (s) => blockActive(s, nodes.bullet_list)],
    ['Numbers', 'Numbers', null,
     toggleWrap(nodes.ordered_list, wrapInList(nodes.ordered_list)),
     (s) => blockActive(s, nodes.ordered_list)],
    ['Code block', 'Code block', null, codeBlockCommand, (s) => blockActive(s, nodes.code_block)],
    ['Image', 'Image', null, imageCommand(ask, say), null],
    ['Rule', 'Rule (horizontal line)', null, hrCommand, null],
    ['Undo', 'Undo', 'Control+Z', undo, null],
    ['Redo', 'Redo', 'Control+Y', redo, null],
  ];
}

// A toolbar with one tab stop: the arrow keys, Home and End move between its buttons
// (the WAI-ARIA toolbar pattern).
function rovingFocus(bar) {
  bar.addEventListener('keydown', (e) => {
    const buttons = Array.from(bar.querySelectorAll('button'));
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = buttons[(to + buttons.length) % buttons.length];
    buttons.forEach((b) => b.setAttribute('tabindex', b === next ? '0' : '-1'));
    next.focus();
  });
}

function attach(textarea) {
  const form = textarea.form;
  const ask = (q, d) => window.prompt(q, d);

  const modes = el('div', { class: 'rich-modes', role: 'group', 'aria-label': 'Editing mode' });
  const mdButton = el('button', { type: 'button', 'aria-pressed': 'true' }, 'Markdown');
  const richButton = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Rich text');
  modes.append(mdButton, richButton);
  const status = el('p', { class: 'rich-status', role: 'status' });
  const warning = el('p', { class: 'rich-warning', role: 'status' });

  const box = el('div', { class: 'rich', id: 'rich-editor-box' });
  box.hidden = true;
  const bar = el('div', { class: 'rich-toolbar', role: 'toolbar', 'aria-label': 'Formatting',
                          'aria-controls': 'rich-editor' });
  const mount = el('div', { class: 'rich-mount' });
  box.append(bar, mount);

  textarea.before(modes, status);
  textarea.after(box, warning);

  const say = (msg) => {
    status.textContent = msg;
  };

  let view = null, written = null, timer = null, writing = false;

  const checkSize = () => {
    const bytes = utf8Length(textarea.value);
    warning.textContent = bytes > MARKDOWN_MAX
      ? `The body is ${sizeText(bytes)} of Markdown; the site accepts at most ${sizeText(MARKDOWN_MAX)}` +
        ` (${MARKDOWN_MAX} bytes), so saving will be refused: shorten it first.`
      : '';
    warning.classList.toggle('notice', bytes > MARKDOWN_MAX);
    warning.classList.toggle('error', bytes > MARKDOWN_MAX);
  };

  // the doc into the textarea, and the input event everything else listens to
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (!view || written === view.state.doc) return;
    written = view.state.doc;
    const md = toMarkdown(view.state.doc);
    if (md === textarea.value) return;
    textarea.value = md;
    writing = true;
    try {
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    } finally {
      writing = false;
    }
  };

  const buttons = [];
  for (const [label, name, keys, command, active] of toolbarItems(ask, say)) {
    const b = el('button', { type: 'button', class: 'rich-tool', tabindex: buttons.length ? '-1' : '0' },
                 label);
    if (name !== label) b.setAttribute('aria-label', name);
    if (keys) b.setAttribute('aria-keyshortcuts', keys);
    if (active) b.setAttribute('aria-pressed', 'false');
    // mousedown would take the focus, and the selection, from the editor
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => {
      if (!view) return;
      command(view.state, view.dispatch, view);
      view.focus();
    });
    buttons.push([b, command, active]);
    bar.append(b);
  }
  rovingFocus(bar);

  const updateToolbar = (state) => {
    for (const [b, command, active] of buttons) {
      // aria-disabled, not disabled: the toolbar's one tab stop must stay focusable
      b.setAttribute('aria-disabled', String(!command(state)));
      if (active) b.setAttribute('aria-pressed', String(active(state)));
    }
  };

  const makeState = (doc) => EditorState.create({ schema, doc, plugins: plugins(ask, say) });

  const open = (doc) => {
    written = doc;
    if (view) {
      view.updateState(makeState(doc));
      updateToolbar(view.state);
      return;
    }
    view = new EditorView(mount, {
      state: makeState(doc),
      attributes: { id: 'rich-editor', class: 'rich-body', role: 'textbox',
                    'aria-multiline': 'true', 'aria-label': 'Body' },
      transformPastedHTML: cleanPastedHTML,
      dispatchTransaction(tr) {
        const state = view.state.apply(tr);
        view.updateState(state);
        updateToolbar(state);
        if (!tr.docChanged) return;
        if (state.doc.content.size > LARGE) {
          clearTimeout(timer);
          timer = setTimeout(flush, 300);
        } else {
          flush();
        }
      },
    });
    updateToolbar(view.state);
  };

  const show = (mode) => {
    const rich = mode === 'rich';
    mdButton.setAttribute('aria-pressed', String(!rich));
    richButton.setAttribute('aria-pressed', String(rich));
    textarea.hidden = rich;
    box.hidden = !rich;
  };

  // A post whose Markdown the rich mode would rewrite opens only when the site renders the
  // rewrite as it renders the original; a switch or a change meanwhile cancels the check.
  let opening = 0;
  const toRich = async () => {
    const n = ++opening;
    const text = textarea.value;
    const r = openMarkdown(text);
    if (!r.refused && r.markdown !== text && (await siteRendersAlike(text, r.markdown)) === false)
      r.refused = 'Markdown the site would show differently once the rich-text mode rewrote it';
    if (n !== opening) return false;
    if (textarea.value !== text) return toRich();
    if (r.refused) {
      say(`Rich text is not available for this post: it contains ${r.refused}, which only` +
          ' the Markdown mode can keep. It stays in Markdown, unchanged.');
      show('markdown');
      return false;
    }
    say('');
    open(r.doc);
    show('rich');
    return true;
  };

  const toMarkdownMode = () => {
    opening++;
    flush();
    say('');
    show('markdown');
  };

  mdButton.addEventListener('click', () => {
    remember('markdown');
    toMarkdownMode();
  });
  richButton.addEventListener('click', async () => {
    if (await toRich()) remember('rich');
  });

  // someone else (a picker, a restored autosave) changed the textarea while rich mode
  // shows it: the editor follows, or gives way to Markdown if it cannot hold the text
  textarea.addEventListener('input', () => {
    checkSize();
    if (writing || textarea.hidden === false || !view) return;
    if (textarea.value === toMarkdown(view.state.doc)) return;
    toRich();
  });
  // an uploaded photo (media.js): its own paragraph at the cursor, or where it was
  // dropped (detail.x, detail.y); detail.done tells media.js the rich mode took it
  textarea.addEventListener('newsdesk:image', (e) => {
    const d = e.detail;
    const src = safeUrl(d.src);
    if (!view || textarea.hidden === false || !src) return;
    let tr = view.state.tr;
    const at = d.x !== undefined ? view.posAtCoords({ left: d.x, top: d.y }) : null;
    if (at) tr = tr.setSelection(TextSelection.near(tr.doc.resolve(at.pos)));
    const image = nodes.image.create({ src, alt: d.alt || null, title: d.title || null });
    view.dispatch(tr.replaceSelectionWith(nodes.paragraph.create(null, image)).scrollIntoView());
    view.focus();
    d.done = true;
  });
  if (form) form.addEventListener('submit', flush, true);
  window.addEventListener('pagehide', flush);

  checkSize();
  if (remembered() === 'rich') toRich();
}

let started = false;

function start() {
  const t = document.querySelector('textarea#markdown');
  if (t && !started) {
    started = true;
    attach(t);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
