/*
 * The editor's form tools, on top of a form that works without them:
 *
 * - Tag and author pickers: the comma-separated inputs `tags` and `authors` stay in the
 *   form (hidden) and keep the value the server reads; in front of them, chips and a
 *   combobox (WAI-ARIA 1.2 pattern: role=combobox, aria-expanded, aria-controls a
 *   role=listbox, aria-activedescendant; arrows, Enter, Escape) fed by
 *   /admin/api/tags/?q= and /admin/api/staff/?q=. The first chip is the section (tags)
 *   or the byline (authors); "Make section" / "Make byline" moves a chip first. A tag
 *   that does not exist is only created through the "Create tag" option, which lists it
 *   in a hidden `new_tags` input: the server refuses other unknown names.
 * - Word count and reading time: a debounced POST of the body to /admin/preview/ of its
 *   own, reading only the X-Word-Count and X-Reading-Minutes headers. admin.js (the live
 *   preview) is left alone: the two requests are independent, so neither can break the
 *   other, and the count uses the server's own functions, the ones the site prints with.
 * - A phone-width toggle for the preview, and the preview link's form sent in place (the
 *   page is not left, so nothing typed is lost) with a copy button.
 */
(function () {
  'use strict';
  var form = document.getElementById('post-form');
  if (!form) return;
  var csrf = form.querySelector('input[name=csrf]');
  var uid = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function splitList(s) {
    return s.split(',').map(function (x) { return x.trim(); }).filter(Boolean);
  }

  /* ---- pickers ---------------------------------------------------------------------- */

  function hiddenNewTags() {
    var h = form.querySelector('input[type=hidden][name=new_tags]');
    if (!h) {
      h = el('input', { type: 'hidden', name: 'new_tags', value: '' });
      form.appendChild(h);
    }
    return h;
  }

  function picker(input) {
    var api = input.dataset.picker, firstLabel = input.dataset.first;
    var isTags = firstLabel === 'Section', mayCreate = input.dataset.create === '1';
    var noun = isTags ? 'tag' : 'author';
    var id = input.id, label = document.querySelector('label[for=' + id + ']');
    var items = splitList(input.value).map(function (v) { return { value: v, label: v }; });
    var created = isTags ? splitList(hiddenNewTags().value) : [];
    var options = [], active = -1, timer, seq = 0;

    var box = el('div', { class: 'picker' });
    var chips = el('ul', { class: 'chips', 'aria-label': 'Chosen ' + noun + 's' });
    var combo = el('input', {
      type: 'text', id: id + '-combo', role: 'combobox', autocomplete: 'off',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': id + '-list'
    });
    var list = el('ul', { id: id + '-list', role: 'listbox', 'aria-label': 'Suggested ' + noun + 's' });
    var status = el('span', { class: 'skip', role: 'status' });
    list.hidden = true;
    box.append(chips, combo, list, status);
    input.hidden = true;
    input.after(box);
    if (label) label.htmlFor = combo.id;

    function sync() {
      input.value = items.map(function (i) { return i.value; }).join(', ');
      if (isTags) hiddenNewTags().value = created.filter(function (c) {
        return items.some(function (i) { return i.value.toLowerCase() === c.toLowerCase(); });
      }).join(', ');
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }

    function chipButton(text, aria, fn) {
      var b = el('button', { type: 'button', class: 'secondary', 'aria-label': aria }, text);
      b.addEventListener('click', fn);
      return b;
    }

    function render(focusIndex, focusWhat) {
      chips.textContent = '';
      items.forEach(function (it, i) {
        var li = el('li', { class: 'chip' });
        if (i === 0) li.append(el('span', { class: 'first' }, firstLabel));
        li.append(el('span', {}, it.label));
        if (i > 0)
          li.append(chipButton('Make ' + firstLabel.toLowerCase(),
            'Make ' + firstLabel.toLowerCase() + ': ' + it.label, function () {
              items.unshift(items.splice(i, 1)[0]);
              sync(); render(0, 'remove');
              status.textContent = it.label + ' is now the ' + firstLabel.toLowerCase();
            }));
        li.append(chipButton('×', 'Remove ' + it.label, function () {
          items.splice(i, 1);
          sync(); render(Math.min(i, items.length - 1), 'remove');
          status.textContent = it.label + ' removed';
          if (!items.length) combo.focus();
        }));
        chips.append(li);
      });
      if (focusIndex >= 0 && chips.children[focusIndex]) {
        var bs = chips.children[focusIndex].querySelectorAll('button');
        (focusWhat === 'remove' ? bs[bs.length - 1] : bs[0]).focus();
      }
    }

    function close() {
      list.hidden = true;
      combo.setAttribute('aria-expanded', 'false');
      combo.removeAttribute('aria-activedescendant');
      active = -1;
    }

    function setActive(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (o, k) {
        o.setAttribute('aria-selected', k === i ? 'true' : 'false');
      });
      if (i >= 0) {
        combo.setAttribute('aria-activedescendant', list.children[i].id);
        list.children[i].scrollIntoView({ block: 'nearest' });
      } else {
        combo.removeAttribute('aria-activedescendant');
      }
    }

    function chosen(value) {
      return items.some(function (i) { return i.value.toLowerCase() === value.toLowerCase(); });
    }

    function show(found, q) {
      options = found.filter(function (f) { return !chosen(isTags ? f.name : f.slug); })
        .map(function (f) {
          return isTags ? { value: f.name, label: f.name }
                        : { value: f.slug, label: f.name + ' (' + f.slug + ')' };
        });
      var exact = found.some(function (f) { return f.name.toLowerCase() === q.toLowerCase(); });
      if (isTags && mayCreate && q && !exact && !chosen(q))
        options.push({ value: q, label: 'Create tag “' + q + '”', create: true });
      list.textContent = '';
      options.forEach(function (o, k) {
        var li = el('li', { id: id + '-opt-' + (++uid), role: 'option', 'aria-selected': 'false' }, o.label);
        if (o.create) li.className = 'create';
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { pick(k); });
        list.append(li);
      });
      if (!options.length) {
        close();
        status.textContent = !q ? '' : isTags && !mayCreate && !exact
          ? 'There is no tag “' + q + '”, and your role cannot create tags: ask an editor'
          : 'No ' + noun + ' matches “' + q + '”';
        return;
      }
      list.hidden = false;
      combo.setAttribute('aria-expanded', 'true');
      setActive(-1);
      status.textContent = options.length + ' suggestion' + (options.length === 1 ? '' : 's');
    }

    function lookup() {
      var q = combo.value.trim(), n = ++seq;
      fetch(api + '?q=' + encodeURIComponent(q), { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (j) { if (n === seq && document.activeElement === combo) show(j.items || [], q); })
        .catch(function () {});
    }

    function add(o) {
      if (!chosen(o.value)) items.push({ value: o.value, label: o.create ? o.value : o.label });
      if (o.create && created.indexOf(o.value) < 0) created.push(o.value);
      sync(); render(-1);
      status.textContent = (o.create ? 'New tag ' : '') + o.value + ' added';
    }

    function pick(k) {
      var o = options[k];
      if (!o) return;
      add(o);
      combo.value = '';
      close();
      combo.focus();
    }

    combo.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
    combo.addEventListener('focus', function () { if (!combo.value) lookup(); });
    combo.addEventListener('blur', function () { setTimeout(close, 100); });
    combo.addEventListener('keydown', function (e) {
      var open = !list.hidden && options.length;
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        if (!open) { lookup(); return; }
        setActive(active + 1 >= options.length ? 0 : active + 1);
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        if (open) setActive(active <= 0 ? options.length - 1 : active - 1);
      } else if (e.key === 'Enter') {
        if (open && active >= 0) { e.preventDefault(); pick(active); }
        else if (combo.value.trim()) e.preventDefault(); /* choose from the list, not submit */
      } else if (e.key === 'Escape') {
        if (open) { e.preventDefault(); close(); }
        else combo.value = '';
      } else if (e.key === 'Backspace' && !combo.value && items.length) {
        render(items.length - 1, 'remove');
      }
    });

    /* what is left typed in the box is kept: the server answers with the choice to make */
    form.addEventListener('submit', function () {
      var left = combo.value.trim();
      if (left && !chosen(left)) { items.push({ value: left, label: left }); sync(); }
    }, true);

    render(-1);
  }

  document.querySelectorAll('input[data-picker]').forEach(picker);

  /* ---- word count --------------------------------------------------------------------- */

  var md = document.getElementById('markdown'), count = document.getElementById('word-count');
  var image = document.getElementById('feature_image');
  if (md && count && csrf) {
    var ctimer, cseq = 0;
    var recount = function () {
      var n = ++cseq;
      var body = new URLSearchParams({ markdown: md.value, feature_image: image ? image.value : '' });
      fetch('/admin/preview/', {
        method: 'POST', credentials: 'same-origin', body: body,
        headers: { 'X-CSRF-Token': csrf.value }
      }).then(function (r) {
        var w = r.headers.get('X-Word-Count'), m = r.headers.get('X-Reading-Minutes');
        if (n !== cseq || w === null || m === null) return;
        w = parseInt(w, 10); m = Math.max(1, parseInt(m, 10));
        count.textContent = w + (w === 1 ? ' word' : ' words') + ' · ' + m + ' min read';
      }).catch(function () {});
    };
    var later = function () { clearTimeout(ctimer); ctimer = setTimeout(recount, 500); };
    md.addEventListener('input', later);
    if (image) image.addEventListener('input', later);
  }

  /* ---- phone-width preview ------------------------------------------------------------- */

  var phone = document.getElementById('phone-preview'), preview = document.getElementById('preview');
  if (phone && preview) {
    phone.hidden = false;
    phone.addEventListener('click', function () {
      var on = phone.getAttribute('aria-pressed') !== 'true';
      phone.setAttribute('aria-pressed', on ? 'true' : 'false');
      preview.classList.toggle('phone', on);
    });
  }

  /* ---- preview links --------------------------------------------------------------------- */

  function share(section) {
    var f = section.querySelector('#share-form'), copy = section.querySelector('#share-copy');
    var link = section.querySelector('#share-link'), said = section.querySelector('#share-status');
    if (copy && link && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener('click', function () {
        navigator.clipboard.writeText(link.href).then(function () {
          said.textContent = 'Copied.';
        }, function () { said.textContent = 'Select the link and copy it.'; });
      });
    }
    if (!f) return;
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      fetch(f.action, {
        method: 'POST', credentials: 'same-origin', body: new URLSearchParams(new FormData(f))
      }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('share');
        if (!fresh) throw new Error('no link');
        section.replaceWith(fresh);
        share(fresh);
        var a = fresh.querySelector('#share-link');
        if (a) a.focus();
      }).catch(function (err) {
        var note = f.querySelector('.share-error') || el('span', { class: 'share-error', role: 'alert' });
        note.textContent = 'No link was made (' + err.message + '): save your work, then try again.';
        f.append(note);
      });
    });
  }

  var section = document.getElementById('share');
  if (section) share(section);
})();
