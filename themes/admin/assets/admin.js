/*
 * The newsroom's script: progressive enhancement, every page works without it.
 *
 * - The editor's live preview (the server renders with the site's own Markdown code, the
 *   latest answer wins), and a confirmation for buttons that carry data-confirm.
 * - Nothing typed is lost: the form is kept in localStorage on every change (offered back
 *   when the page opens with older text), autosaved to the server every few seconds of
 *   change, guarded by a warning when leaving with unsaved changes, saved with Ctrl/Cmd+S,
 *   and carried over a session that ended (log in in another tab; autosave resumes).
 * - Presence: the page renews "I am editing this post" every 20 seconds and shows who
 *   else is.
 */
(function () {
  'use strict';
  var AUTOSAVE_MS = 3000, RETRY_MS = 10000, PRESENCE_MS = 20000;
  var FIELDS = ['title', 'markdown', 'tags', 'authors', 'excerpt', 'feature_image',
    'feature_image_alt', 'feature_image_caption', 'slug', 'publish_at'];

  var csrf = function () {
    var c = document.querySelector('input[name=csrf]');
    return c ? c.value : '';
  };

  /* ---- the live preview ---- */
  var t = document.getElementById('markdown'),
    p = document.getElementById('preview');
  if (t && p && csrf()) {
    var ptimer, seq = 0;
    var go = function () {
      var n = ++seq;
      fetch('/admin/preview/', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-CSRF-Token': csrf()
        },
        body: 'markdown=' + encodeURIComponent(t.value)
      }).then(function (r) { return r.ok || r.status === 400 || r.status === 413 ? r.text() : null; })
        .then(function (h) { if (h !== null && n === seq) p.innerHTML = h; }, function () {});
    };
    t.addEventListener('input', function () {
      clearTimeout(ptimer);
      ptimer = setTimeout(go, 300);
    });
  }
  document.querySelectorAll('[data-confirm]').forEach(function (b) {
    b.addEventListener('click', function (e) {
      if (!confirm(b.dataset.confirm)) e.preventDefault();
    });
  });

  var form = document.getElementById('post-form');
  if (!form || !form.dataset.autosave) return;

  /* ---- state ---- */
  var stateEl = document.getElementById('save-state');
  var postId = form.dataset.post && form.dataset.post !== '0' ? form.dataset.post : 'new';
  var dirty = false, submitting = false, stopped = !!form.dataset.conflict;
  var changes = 0, timer = null, inflight = null, wantSubmit = null, sessionGone = false;

  var say = function (text, link) {
    if (!stateEl) return;
    stateEl.textContent = text;
    if (link) {
      var a = document.createElement('a');
      a.href = link.href;
      a.textContent = link.text;
      a.target = '_blank';
      a.rel = 'noopener';
      stateEl.appendChild(document.createTextNode(' '));
      stateEl.appendChild(a);
      if (link.after) stateEl.appendChild(document.createTextNode(link.after));
    }
  };
  var field = function (name) { return form.elements.namedItem(name); };
  var key = function () { return 'nd-post:' + postId; };

  /* ---- the browser's copy (localStorage) ---- */
  var snapshot = function () {
    var o = {};
    FIELDS.forEach(function (n) { var el = field(n); if (el) o[n] = el.value; });
    var f = field('featured');
    o.featured = !!(f && f.checked);
    return o;
  };
  var keep = function () {
    try {
      localStorage.setItem(key(), JSON.stringify({
        at: Date.now(), version: Number(field('version') ? field('version').value : 0),
        fields: snapshot()
      }));
    } catch (e) { /* storage full or off: the server's copy still follows */ }
  };
  var forget = function (k) {
    try { localStorage.removeItem(k || key()); } catch (e) { /* nothing kept */ }
  };
  var kept = function () {
    try { return JSON.parse(localStorage.getItem(key()) || 'null'); } catch (e) { return null; }
  };
  var fill = function (o) {
    FIELDS.forEach(function (n) {
      var el = field(n);
      if (el && typeof o[n] === 'string') el.value = o[n];
    });
    var f = field('featured');
    if (f) f.checked = !!o.featured;
    if (t) t.dispatchEvent(new Event('input', { bubbles: true }));
  };
  var differs = function (o) {
    var now = snapshot();
    return Object.keys(now).some(function (k) { return k in o && o[k] !== now[k]; });
  };
  var clock = function (ms) {
    var d = new Date(ms);
    return ('0' + d.getHours()).slice(-2) + ':' + ('0' + d.getMinutes()).slice(-2);
  };

  /* ---- the session ended: wait for a new one (logged in in another tab) ---- */
  var awaitSession = function () {
    if (sessionGone) return;
    sessionGone = true;
    var next = '/admin/login/?next=' + encodeURIComponent(location.pathname);
    say('Your session has ended.', { href: next, text: 'Log in again (opens in a new tab)',
      after: '; your text is kept here.' });
    var poll = function () {
      fetch('/admin/session/', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j || !j.csrf) return setTimeout(poll, RETRY_MS);
          document.querySelectorAll('input[name=csrf]').forEach(function (c) { c.value = j.csrf; });
          sessionGone = false;
          say('Logged in again as ' + j.user + '.');
          if (dirty) autosave();
        }, function () { setTimeout(poll, RETRY_MS); });
    };
    setTimeout(poll, RETRY_MS);
  };

  /* a 403 may be a token from before a new login in another tab: fetch it, retry once */
  var refreshed = false;
  var refreshToken = function () {
    refreshed = true;
    fetch('/admin/session/', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (j && j.csrf && j.csrf !== csrf())
          document.querySelectorAll('input[name=csrf]').forEach(function (c) { c.value = j.csrf; });
        else if (!j) return awaitSession();
        autosave();
      }, function () { timer = setTimeout(autosave, RETRY_MS); });
  };

  /* ---- autosave ---- */
  var retarget = function (j) {
    var old = key();
    postId = String(j.id);
    form.dataset.post = postId;
    form.action = j.url;
    form.dataset.autosave = j.url + 'autosave/';
    history.replaceState(null, '', j.url);
    forget(old);
    if (dirty) keep();
    presence();
  };

  var answered = function (sent, r) {
    var j = r.json || {};
    if (r.status === 200 && j.saved === false) { say(''); return; }
    if (r.status === 200) {
      if (field('version')) field('version').value = j.version;
      if (field('updated_at')) field('updated_at').value = j.updated_at;
      if (postId === 'new' && j.id) retarget(j);
      refreshed = false;
      if (changes === sent) { dirty = false; forget(); }
      say(j.pending ? 'Saved ' + j.saved_at + ' as changes readers do not see yet: they reach ' +
                      'the post when you save or update it.'
                    : 'Saved ' + j.saved_at);
      if (dirty) schedule();
      return;
    }
    if (r.status === 401) return awaitSession();
    if (r.status === 403 && !refreshed) return refreshToken();
    if (r.status === 403) {
      say('Not saved: ' + (j.error || 'refused') + '. Your text stays in this browser.');
      return;
    }
    if (r.status === 409) {
      stopped = true;
      say('Not saved: ' + (j.error || 'this post changed after you opened it.') +
          ' Autosave has stopped; your text stays here and in this browser: press Save to compare.');
      return;
    }
    if (r.status === 413) {
      say('Not saved: the text is too large (over 512 KB). It stays in this page and in this browser.');
      return;
    }
    say('Not saved: ' + (j.error || 'the server answered ' + r.status) +
        '. Your text stays in this browser; retrying.');
    timer = setTimeout(autosave, RETRY_MS);
  };

  var autosave = function () {
    timer = null;
    if (stopped || submitting || sessionGone || !dirty) return;
    if (inflight) return schedule();
    var sent = changes;
    say('Saving…');
    inflight = fetch(form.dataset.autosave, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf() },
      body: new URLSearchParams(new FormData(form))
    }).then(function (r) {
      return r.text().then(function (b) {
        var j = null;
        try { j = JSON.parse(b); } catch (e) { /* an HTML refusal */ }
        return { status: r.status, json: j };
      });
    }).then(function (r) { answered(sent, r); }, function () {
      say('Not saved: the server cannot be reached. Your text stays in this browser; retrying.');
      timer = setTimeout(autosave, RETRY_MS);
    }).then(function () {
      inflight = null;
      if (wantSubmit) {
        var b = wantSubmit;
        wantSubmit = null;
        form.requestSubmit(b === true ? undefined : b);
      }
    });
  };

  var schedule = function () {
    if (!timer && !stopped) timer = setTimeout(autosave, AUTOSAVE_MS);
  };

  var changed = function () {
    changes++;
    dirty = true;
    keep();
    schedule();
  };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  /* the rich-text mode writes the textarea and tells it, maybe without bubbling */
  if (t) t.addEventListener('input', function (e) { if (!e.bubbles) changed(); });

  /* a save waits for an autosave on its way (a new post must not be created twice) */
  form.addEventListener('submit', function (e) {
    if (inflight) {
      e.preventDefault();
      wantSubmit = e.submitter || true;
      say('Saving…');
      return;
    }
    clearTimeout(timer);
    timer = null;
    submitting = true;
    try { sessionStorage.setItem('nd-submitted', key()); } catch (x) { /* nothing to clear later */ }
  });

  window.addEventListener('beforeunload', function (e) {
    if (!dirty || submitting) return;
    e.preventDefault();
    e.returnValue = '';
  });

  document.addEventListener('keydown', function (e) {
    if (!(e.ctrlKey || e.metaKey) || (e.key || '').toLowerCase() !== 's') return;
    e.preventDefault();
    var b = form.querySelector('button[value=save]') || form.querySelector('button[value=update]');
    if (b) form.requestSubmit(b);
  });

  /* ---- presence ---- */
  var presenceEl = document.getElementById('presence');
  var presence = function () {
    if (postId === 'new' || !presenceEl || sessionGone) return;
    fetch('/admin/posts/' + postId + '/editing/', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf() },
      body: 'csrf=' + encodeURIComponent(csrf())
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (j && presenceEl.textContent !== j.others) presenceEl.textContent = j.others;
      }, function () {});
  };
  setInterval(presence, PRESENCE_MS);

  /* ---- on opening: a save went through, or this browser holds newer text ---- */
  var alerted = document.querySelector('.notice.error[role=alert]');
  var done = /[?&]saved=/.test(location.search) && !alerted;
  var submittedKey = null;
  try { submittedKey = sessionStorage.getItem('nd-submitted'); } catch (e) { /* none */ }
  if (done) {
    forget();
    if (submittedKey) forget(submittedKey);
  }
  try { sessionStorage.removeItem('nd-submitted'); } catch (e) { /* none */ }
  if (/[?&]restore=/.test(location.search)) dirty = true;

  var local = kept();
  var offer = document.getElementById('local-restore');
  var serverAt = Number(field('updated_at') ? field('updated_at').value : 0) * 1000;
  var serverV = Number(field('version') ? field('version').value : 0);
  var newer = local && (local.at > serverAt || (local.version || 0) >= serverV);
  if (!done && newer && local.fields && differs(local.fields) && offer) {
    document.getElementById('local-when').textContent = clock(local.at);
    offer.hidden = false;
    document.getElementById('local-yes').addEventListener('click', function () {
      fill(local.fields);
      offer.hidden = true;
      changed();
    });
    document.getElementById('local-no').addEventListener('click', function () {
      forget();
      offer.hidden = true;
    });
  } else if (local && !differs(local.fields || {})) {
    forget();
  }
  if (stopped) say('Autosave is off until you choose: save yours over theirs, or copy from theirs.');
})();
