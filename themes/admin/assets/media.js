/*
 * Photos in the newsroom, on top of forms that work without this script:
 *
 * - The body of a post: an "Upload image" button (a file picker), image files dropped on
 *   the Markdown textarea or the rich-text editor, and images pasted from the clipboard.
 *   Each file opens a dialog (a modal <dialog>) with its preview that asks for alt text,
 *   or an explicit "decorative" choice, a caption and a credit; it then uploads with a
 *   progress bar to POST /admin/media/ (JSON) and inserts `![alt](url "caption")` as its
 *   own paragraph at the cursor. In rich mode rich.js takes the image (the event
 *   'newsdesk:image' on the textarea); the textarea is never touched when an upload
 *   fails. Several files: one dialog each, in order. What the server removed from the
 *   file ("location, camera serial number") is said in a status line.
 * - Image fields (the feature image, an avatar, the site's logo and icon): any element
 *   with data-media-field holding an input[data-media-url] (and optionally alt and
 *   caption inputs) gets a preview, "Upload", "Choose from the library" (a dialog fed by
 *   GET /admin/api/media/?q=) and "Remove". The URL input stays, for any address.
 */
(function () {
  'use strict';
  var UPLOAD = '/admin/media/', LIBRARY = '/admin/api/media/';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function csrf() {
    var c = document.querySelector('input[name=csrf]');
    return c ? c.value : '';
  }
  var uid = 0;
  function id(prefix) { return prefix + '-' + (++uid); }

  /* ---- the upload ------------------------------------------------------------------ */

  function refusal(status, j) {
    if (j && j.errors && j.errors[0] && j.errors[0].message) return j.errors[0].message;
    if (status === 413) return 'the photo is too large';
    if (status === 415) return 'this file is not a photo Newsdesk can read';
    if (status === 401) return 'your session has ended: log in again in another tab, then retry';
    if (status === 403) return 'you may not upload photos, or the page is out of date: reload it';
    return 'the server answered ' + status;
  }

  /* POST the file and what was said about it; resolves with the media object. */
  function upload(file, meta, progress) {
    return new Promise(function (resolve, reject) {
      var fd = new FormData();
      fd.append('file', file, file.name || 'pasted-image');
      fd.append('alt', meta.decorative ? '' : meta.alt);
      if (meta.decorative) fd.append('decorative', '1');
      fd.append('caption', meta.caption);
      fd.append('credit', meta.credit);
      fd.append('csrf', csrf());
      var x = new XMLHttpRequest();
      x.open('POST', UPLOAD);
      x.setRequestHeader('Accept', 'application/json');
      x.setRequestHeader('X-CSRF-Token', csrf());
      x.upload.onprogress = function (e) { if (e.lengthComputable) progress(e.loaded / e.total); };
      x.onload = function () {
        var j = null;
        try { j = JSON.parse(x.responseText); } catch (e) { /* an HTML refusal */ }
        if ((x.status === 200 || x.status === 201) && j && j.media) resolve(j.media);
        else reject(new Error(refusal(x.status, j)));
      };
      x.onerror = function () { reject(new Error('the server cannot be reached; check the connection and retry')); };
      x.onabort = function () { reject(new Error('cancelled')); };
      x.send(fd);
      meta.xhr = x;
    });
  }

  /* ---- the dialog: alt text, decorative, caption, credit, preview, progress ------------ */

  var dlg = null;

  function field(box, label, name, help) {
    var i = el('input', { type: 'text', id: id('media-' + name), name: name });
    var l = el('label', { for: i.id }, label);
    if (help) l.appendChild(el('small', {}, ' ' + help));
    box.append(l, i);
    return i;
  }

  function buildDialog() {
    var d = el('dialog', { class: 'media-dialog', 'aria-labelledby': 'media-dialog-title' });
    var f = el('form', { method: 'dialog', novalidate: '' });
    var h = el('h2', { id: 'media-dialog-title' }, 'Add a photo');
    var img = el('img', { class: 'media-preview', alt: '' });
    var name = el('p', { class: 'muted' });
    f.append(h, img, name);
    var alt = field(f, 'Alt text', 'alt', '(what the photo shows, for readers who cannot see it)');
    alt.setAttribute('maxlength', '1000');
    var altHelp = el('p', { class: 'muted', id: id('media-alt-help') },
      'Required unless the photo is decorative.');
    alt.setAttribute('aria-describedby', altHelp.id);
    var decoLabel = el('label', { class: 'plain' });
    var deco = el('input', { type: 'checkbox', name: 'decorative', value: '1' });
    decoLabel.append(deco, document.createTextNode(' Decorative: it adds nothing a reader would miss (no alt text)'));
    f.append(altHelp, decoLabel);
    var caption = field(f, 'Caption', 'caption');
    caption.setAttribute('maxlength', '2000');
    var credit = field(f, 'Credit', 'credit', '(“Photo: Ana Reporter / Newsdesk”)');
    credit.setAttribute('maxlength', '300');
    var prog = el('progress', { class: 'media-progress', max: '1', value: '0', 'aria-label': 'Upload progress' });
    prog.hidden = true;
    var error = el('p', { class: 'media-error', role: 'alert' });
    var actions = el('div', { class: 'actions' });
    var ok = el('button', { type: 'submit', value: 'upload' }, 'Upload and insert');
    var cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    actions.append(ok, cancel);
    f.append(prog, error, actions);
    d.append(f);
    document.body.append(d);
    deco.addEventListener('change', function () {
      alt.disabled = deco.checked;
      if (deco.checked) alt.removeAttribute('aria-invalid');
    });
    return { d: d, f: f, h: h, img: img, name: name, alt: alt, deco: deco, caption: caption,
             credit: credit, prog: prog, error: error, ok: ok, cancel: cancel };
  }

  /*
   * Asks about file, uploads it; resolves with the media object, or null when the editor
   * cancels. opts: { title, okLabel, alt } (the alt field's first value).
   */
  function ask(file, opts) {
    if (!dlg) dlg = buildDialog();
    var g = dlg, url = URL.createObjectURL(file), busy = null;
    g.h.textContent = opts.title || 'Add a photo';
    g.ok.textContent = opts.okLabel || 'Upload and insert';
    g.img.src = url;
    g.name.textContent = (file.name || 'Pasted image') + ' · ' + Math.ceil(file.size / 1024) + ' KB';
    g.alt.value = opts.alt || '';
    g.alt.disabled = false;
    g.alt.removeAttribute('aria-invalid');
    g.deco.checked = false;
    g.caption.value = '';
    g.credit.value = '';
    g.error.textContent = '';
    g.prog.hidden = true;
    g.prog.value = 0;
    g.ok.disabled = false;
    return new Promise(function (resolve) {
      var done = function (v) {
        g.f.removeEventListener('submit', onSubmit);
        g.cancel.removeEventListener('click', onCancel);
        g.d.removeEventListener('cancel', onEsc);
        if (g.d.open) g.d.close();
        URL.revokeObjectURL(url);
        resolve(v);
      };
      var onCancel = function () {
        if (busy && busy.xhr) busy.xhr.abort();
        done(null);
      };
      var onEsc = function (e) { e.preventDefault(); onCancel(); };
      var onSubmit = function (e) {
        e.preventDefault();
        if (busy) return;
        var meta = { alt: g.alt.value.trim(), decorative: g.deco.checked,
                     caption: g.caption.value.trim(), credit: g.credit.value.trim() };
        if (!meta.decorative && !meta.alt) {
          g.alt.setAttribute('aria-invalid', 'true');
          g.error.textContent = 'Write alt text, or tick “Decorative” if the photo adds nothing a reader would miss.';
          g.alt.focus();
          return;
        }
        g.alt.removeAttribute('aria-invalid');
        g.error.textContent = '';
        g.prog.hidden = false;
        g.ok.disabled = true;
        busy = meta;
        upload(file, meta, function (p) { g.prog.value = p; }).then(function (m) {
          /* what this dialog said: a file stored before keeps its library text */
          m.said = { alt: meta.decorative ? '' : meta.alt, caption: meta.caption.replace(/\s+/g, ' ') };
          done(m);
        }, function (err) {
          busy = null;
          g.prog.hidden = true;
          g.ok.disabled = false;
          if (err.message !== 'cancelled')
            g.error.textContent = 'Not uploaded: ' + err.message + '. Nothing in your post was changed.';
        });
      };
      g.f.addEventListener('submit', onSubmit);
      g.cancel.addEventListener('click', onCancel);
      g.d.addEventListener('cancel', onEsc);
      g.d.showModal();
      g.alt.focus();
    });
  }

  /* "Image added. Location, camera serial number removed." */
  function removedText(m) {
    if (m.existed) return 'This photo was already in the library; it was added from there.';
    if (!m.removed) return 'It carried no hidden data to remove.';
    return m.removed.charAt(0).toUpperCase() + m.removed.slice(1) + ' removed.';
  }

  /* ---- the body: button, drop, paste ---------------------------------------------------- */

  var body = document.getElementById('markdown');

  function mdEscape(s, chars) {
    return s.replace(new RegExp('[\\\\' + chars + ']', 'g'), function (c) { return '\\' + c; });
  }

  function markdownOf(m) {
    var title = m.said.caption ? ' "' + mdEscape(m.said.caption, '"') + '"' : '';
    return '![' + mdEscape(m.said.alt.replace(/\s+/g, ' '), '\\[\\]') + '](' + m.url + title + ')';
  }

  /* text as a paragraph of its own at pos; returns where the text after it starts */
  function insertPlain(text, pos) {
    var v = body.value, before = v.slice(0, pos), after = v.slice(pos);
    var pre = !before || /\n\n$/.test(before) ? '' : /\n$/.test(before) ? '\n' : '\n\n';
    var post = !after ? '\n' : /^\n\n/.test(after) ? '' : /^\n/.test(after) ? '\n' : '\n\n';
    var add = pre + text + post;
    body.focus();
    body.setRangeText(add, pos, pos, 'end');
    body.dispatchEvent(new Event('input', { bubbles: true }));
    return pos + add.length;
  }

  var status = null, queue = [], running = false;

  function say(text) { if (status) status.textContent = text; }

  function richShown() { return body && body.hidden; }

  function insert(m, at) {
    var e = new CustomEvent('newsdesk:image', { detail: {
      src: m.url, alt: m.said.alt, title: m.said.caption,
      x: at.x, y: at.y, done: false } });
    if (richShown()) body.dispatchEvent(e);
    if (e.detail.done) return;
    at.pos = insertPlain(markdownOf(m), Math.min(at.pos, body.value.length));
  }

  function next() {
    if (running || !queue.length) return;
    running = true;
    var job = queue.shift();
    ask(job.file, { title: 'Add a photo to the post' }).then(function (m) {
      running = false;
      if (m) {
        insert(m, job.at);
        say('Image added. ' + removedText(m));
      } else {
        say('Image not added.');
      }
      next();
    });
  }

  function enqueue(files, at) {
    var list = Array.prototype.slice.call(files || []);
    if (!list.length) return false;
    var where = at || { pos: body.selectionEnd };
    list.forEach(function (f) { queue.push({ file: f, at: where }); });
    next();
    return true;
  }

  function hasFiles(dt) {
    return dt && Array.prototype.indexOf.call(dt.types || [], 'Files') >= 0;
  }

  function inBody(t) {
    return t && (t === body || (t.closest && t.closest('#rich-editor-box')));
  }

  function bodyTools() {
    var bar = el('div', { class: 'actions media-body-tools' });
    var pick = el('input', { type: 'file', accept: 'image/*', multiple: '', hidden: '',
                             id: 'media-body-file', 'aria-hidden': 'true', tabindex: '-1' });
    var b = el('button', { type: 'button', class: 'secondary', id: 'media-body-button' }, 'Upload image…');
    status = el('span', { class: 'muted', role: 'status', id: 'media-status' });
    bar.append(b, pick, status);
    var label = body.labels && body.labels[0];
    (label || body).before(bar);
    var at = null;
    b.addEventListener('click', function () {
      at = { pos: body.selectionEnd };
      pick.click();
    });
    pick.addEventListener('change', function () {
      enqueue(pick.files, at);
      pick.value = '';
    });
  }

  if (body && csrf()) {
    bodyTools();
    document.addEventListener('dragover', function (e) {
      if (!inBody(e.target) || !hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      e.stopPropagation();
      e.dataTransfer.dropEffect = 'copy';
    }, true);
    document.addEventListener('drop', function (e) {
      if (!inBody(e.target) || !e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      e.stopPropagation();
      enqueue(e.dataTransfer.files, { pos: body.selectionEnd, x: e.clientX, y: e.clientY });
    }, true);
    document.addEventListener('paste', function (e) {
      if (!inBody(e.target) || !e.clipboardData) return;
      var files = Array.prototype.filter.call(e.clipboardData.files || [], function (f) {
        return /^image\//.test(f.type);
      });
      if (!files.length) return;
      e.preventDefault();
      e.stopPropagation();
      enqueue(files, { pos: body.selectionEnd });
    }, true);
  }

  /* ---- image fields: feature image, avatar, logo, icon ---------------------------------- */

  var picker = null;

  function buildPicker() {
    var d = el('dialog', { class: 'media-dialog', 'aria-labelledby': 'media-pick-title' });
    var h = el('h2', { id: 'media-pick-title' }, 'Choose a photo');
    var search = el('input', { type: 'search', id: 'media-pick-q', 'aria-describedby': 'media-pick-help' });
    var label = el('label', { for: 'media-pick-q' }, 'Search photos');
    var help = el('small', { id: 'media-pick-help', class: 'muted' }, 'words in the alt text or the file name');
    var list = el('ul', { class: 'media-picks', 'aria-labelledby': 'media-pick-title' });
    var note = el('p', { class: 'muted', role: 'status' });
    var close = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
    var actions = el('div', { class: 'actions' });
    actions.append(close);
    d.append(h, label, search, help, note, list, actions);
    document.body.append(d);
    return { d: d, search: search, list: list, note: note, close: close };
  }

  function choose() {
    if (!picker) picker = buildPicker();
    var p = picker, timer = null, seq = 0;
    return new Promise(function (resolve) {
      var done = function (v) {
        p.search.removeEventListener('input', onInput);
        p.close.removeEventListener('click', onClose);
        p.d.removeEventListener('cancel', onEsc);
        if (p.d.open) p.d.close();
        resolve(v);
      };
      var show = function (items) {
        p.list.textContent = '';
        p.note.textContent = items.length ? '' : 'No photo found.';
        items.forEach(function (m) {
          var li = el('li'), b = el('button', { type: 'button' });
          var img = el('img', { src: m.thumb, width: String(m.width > 0 ? 160 : 0),
                                height: String(m.width > 0 ? Math.round(160 * m.height / m.width) : 0),
                                alt: '', loading: 'lazy' });
          b.append(img, el('span', { class: 'visually-hidden' }, m.decorative ? 'Decorative photo' : (m.alt || 'Photo')));
          b.addEventListener('click', function () { done(m); });
          li.append(b);
          p.list.append(li);
        });
      };
      var load = function () {
        var n = ++seq;
        fetch(LIBRARY + '?q=' + encodeURIComponent(p.search.value.trim()),
              { credentials: 'same-origin', headers: { Accept: 'application/json' } })
          .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error(String(r.status))); })
          .then(function (j) { if (n === seq) show(j.items || []); },
                function () { if (n === seq) p.note.textContent = 'The library cannot be read now; retry in a moment.'; });
      };
      var onInput = function () { clearTimeout(timer); timer = setTimeout(load, 250); };
      var onClose = function () { done(null); };
      var onEsc = function (e) { e.preventDefault(); done(null); };
      p.search.addEventListener('input', onInput);
      p.close.addEventListener('click', onClose);
      p.d.addEventListener('cancel', onEsc);
      p.search.value = '';
      p.d.showModal();
      p.search.focus();
      load();
    });
  }

  function setValue(input, v) {
    if (!input || input.value === v) return;
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function mediaField(box) {
    var url = box.querySelector('[data-media-url]');
    if (!url) return;
    var alt = box.querySelector('[data-media-alt]'), caption = box.querySelector('[data-media-caption]');
    var preview = box.querySelector('img[data-media-preview]');
    if (!preview) {
      preview = el('img', { 'data-media-preview': '', alt: '' });
      (box.querySelector('legend') || url).after(preview);
    }
    var what = box.dataset.mediaField || 'image';
    var tools = el('div', { class: 'actions' });
    var up = el('button', { type: 'button', class: 'secondary' }, 'Upload ' + what + '…');
    var lib = el('button', { type: 'button', class: 'secondary' }, 'Choose from the library…');
    var rm = el('button', { type: 'button', class: 'secondary' }, 'Remove ' + what);
    var file = el('input', { type: 'file', accept: 'image/*', hidden: '', 'aria-hidden': 'true', tabindex: '-1' });
    var note = el('span', { class: 'muted', role: 'status' });
    tools.append(up, lib, rm, file, note);
    box.append(tools);
    var sync = function () {
      var v = url.value.trim();
      preview.hidden = !v;
      if (v && preview.getAttribute('src') !== v) preview.src = v;
      rm.hidden = !v;
    };
    var use = function (m, how) {
      var said = m.said || { alt: m.decorative ? '' : m.alt, caption: m.caption };
      setValue(url, m.url);
      if (alt) setValue(alt, said.alt);
      if (caption) setValue(caption, said.caption);
      sync();
      note.textContent = how;
    };
    up.addEventListener('click', function () { file.click(); });
    file.addEventListener('change', function () {
      var f = file.files && file.files[0];
      file.value = '';
      if (!f) return;
      ask(f, { title: 'Add a photo: ' + what, okLabel: 'Upload and use', alt: alt ? alt.value : (box.dataset.mediaAlt || '') })
        .then(function (m) { if (m) use(m, 'Uploaded. ' + removedText(m)); up.focus(); });
    });
    lib.addEventListener('click', function () {
      choose().then(function (m) { if (m) use(m, 'Chosen from the library.'); lib.focus(); });
    });
    rm.addEventListener('click', function () {
      setValue(url, '');
      if (alt) setValue(alt, '');
      if (caption) setValue(caption, '');
      sync();
      note.textContent = 'Removed.';
      up.focus();
    });
    url.addEventListener('input', sync);
    sync();
  }

  if (csrf()) document.querySelectorAll('[data-media-field]').forEach(mediaField);
})();
