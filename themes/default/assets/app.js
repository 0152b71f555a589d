// Newsdesk default theme, a progressive enhancement: without JavaScript every page works.
// - "Show More" appends the next batch in place (without it: a plain link to the next page),
//   moves focus to the first new headline and announces the batch to screen readers;
// - each date gets "2 hours ago" beside the exact <time>, in the page's language;
// - an embed card (a link to a post or video elsewhere) offers to load that site's player,
//   and only the reader's click makes the browser contact the other site;
// - an article's "Copy link" button (hidden without JavaScript, or without a clipboard)
//   copies its address and says so, to screen readers too;
// - the header's search box suggests stories as the reader types (/search.json, asked
//   250 ms after the last key): a list of links under the box, counted aloud to screen
//   readers; Down moves into it, Escape closes it, Enter submits the form to /search/;
// - a first page's feed is live while the page is visible (see liveFeed below).
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  var rtf = window.Intl && Intl.RelativeTimeFormat
    ? new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, { numeric: 'auto' })
    : null;
  var UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400],
               ['hour', 3600], ['minute', 60]];

  function ago(when, now) {
    var s = Math.min(0, (when - now) / 1000);
    for (var i = 0; i < UNITS.length; i++) {
      if (-s >= UNITS[i][1]) return rtf.format(-Math.floor(-s / UNITS[i][1]), UNITS[i][0]);
    }
    return rtf.format(0, 'second');
  }

  // The .ago slot sits beside each dated item's <time>; its line is reserved by the CSS.
  function relativeDates(root) {
    if (!rtf) return;
    var now = Date.now();
    root.querySelectorAll('.ago').forEach(function (slot) {
      var time = slot.parentNode.querySelector('time[datetime]');
      var when = time && Date.parse(time.getAttribute('datetime'));
      if (!when) return;
      slot.textContent = ago(when, now);
      if (!time.title) time.title = new Date(when).toLocaleString();
    });
  }

  async function showMore(link) {
    if (link.getAttribute('aria-busy') === 'true') return;
    var list = document.getElementById(link.getAttribute('aria-controls'));
    var status = document.querySelector('.feed-status');
    link.setAttribute('aria-busy', 'true');
    try {
      var res = await fetch(link.dataset.more, { headers: { Accept: 'text/html' } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      var tpl = document.createElement('template');
      tpl.innerHTML = await res.text();
      var batch = tpl.content.querySelector('ol');
      if (!batch) throw new Error('unexpected response');
      relativeDates(batch);
      var items = Array.prototype.slice.call(batch.children);
      items.forEach(function (li) { list.appendChild(li); });
      if (status) {
        status.textContent = items.length === 1 ? '1 more story loaded'
                                                : items.length + ' more stories loaded';
      }
      var first = items[0] && items[0].querySelector('.teaser-title a');
      if (first) first.focus();
      if (batch.dataset.next) {
        link.dataset.more = batch.dataset.next;
      } else {
        // the control becomes a note of the same size rather than going away: it is what
        // the browser's scroll anchoring holds in place, so nothing below it moves
        ['href', 'data-more', 'aria-controls'].forEach(function (a) { link.removeAttribute(a); });
        link.className = 'show-more feed-end';
        link.textContent = 'No more stories';
      }
    } catch (e) {
      window.location.href = link.href; // fall back to the next page
    } finally {
      link.removeAttribute('aria-busy');
    }
  }

  // Embed cards (src/content/embed.c, docs/embeds.md). The server writes each as a link
  // and the site's name, with the player's address in data-embed; the button that loads
  // the player and the note on what that tells the other site are added here. A card whose
  // player is not on its site's origin (the page CSP's frame-src) stays a link.
  var VIDEO = 'autoplay; encrypted-media; fullscreen; picture-in-picture';
  var PLAYERS = {
    youtube: { origin: 'https://www.youtube-nocookie.com', allow: VIDEO },
    x: { origin: 'https://platform.twitter.com', allow: 'fullscreen' },
    telegram: { origin: 'https://t.me', allow: 'fullscreen' },
    instagram: { origin: 'https://www.instagram.com', allow: 'fullscreen' },
    facebook: { origin: 'https://www.facebook.com', allow: VIDEO },
    bluesky: { origin: 'https://embed.bsky.app', allow: 'fullscreen' }
  };
  // What every player needs and no more: its own scripts and storage ("same-origin" is the
  // player's origin, never ours) and links that open the post on its site in a new tab.
  // No forms, no top navigation, no downloads, no modals.
  var SANDBOX = 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox';

  function player(card) {
    var m = /(?:^| )embed-(youtube|x|telegram|instagram|facebook|bluesky)(?: |$)/.exec(card.className);
    var p = m && PLAYERS[m[1]];
    var src = card.getAttribute('data-embed') || '';
    return p && src.indexOf(p.origin + '/') === 0 ? p : null;
  }

  function embedCards(root) {
    root.querySelectorAll('figure.embed[data-embed]').forEach(function (card) {
      var caption = card.querySelector('figcaption');
      var site = card.querySelector('.embed-provider');
      if (!player(card) || !caption || !site || card.querySelector('.embed-load')) return;
      var name = site.textContent;
      var load = document.createElement('button');
      load.type = 'button';
      load.className = 'embed-load';
      load.textContent = 'Load the ' + name + (card.classList.contains('embed-video') ? ' player' : ' post');
      var note = document.createElement('span');
      note.className = 'embed-note';
      note.textContent = 'Loading it lets ' + name + ' see your visit.';
      caption.append(' ', load, ' ', note);
    });
  }

  // The card's content becomes the player, captioned with the original link; focus moves
  // to the player, since the button that had it is gone.
  function loadEmbed(card) {
    var p = player(card);
    if (!p) return;
    var frame = document.createElement('iframe');
    frame.title = card.getAttribute('data-embed-title') || 'Embedded post';
    frame.setAttribute('sandbox', SANDBOX);
    frame.setAttribute('allow', p.allow);
    frame.setAttribute('loading', 'lazy');
    frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
    frame.src = card.getAttribute('data-embed');
    var caption = document.createElement('figcaption');
    var link = card.querySelector('.embed-link a');
    if (link) caption.appendChild(link);
    card.replaceChildren(frame, caption);
    card.classList.add('embed-loaded');
    frame.focus();
  }

  function shareButtons(root) {
    if (!navigator.clipboard || !window.isSecureContext) return;
    root.querySelectorAll('.share-copy-item[hidden]').forEach(function (li) { li.hidden = false; });
  }

  async function copyLink(button) {
    var status = button.closest('.share').querySelector('.share-status');
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = 'Link copied';
      status.textContent = 'Link copied';
    } catch (e) {
      status.textContent = 'Could not copy the link; copy it from the address bar.';
    }
    setTimeout(function () { button.textContent = 'Copy link'; }, 4000);
  }

  document.addEventListener('click', function (ev) {
    var copy = ev.target.closest && ev.target.closest('.share-copy');
    if (copy) {
      copyLink(copy);
      return;
    }
    var load = ev.target.closest && ev.target.closest('figure.embed .embed-load');
    if (load) {
      loadEmbed(load.closest('figure.embed'));
      return;
    }
    var link = ev.target.closest && ev.target.closest('a[data-more]');
    if (!link || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    showMore(link);
  });

  // As-you-type suggestions under the header's search box (partials/head.html).
  function suggestions(form) {
    var input = form && form.querySelector('input[name="q"]');
    if (!input || !window.fetch) return;
    var list = document.createElement('ul');
    list.className = 'suggest';
    list.id = 'site-search-suggest';
    list.hidden = true;
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    form.append(list, status);
    // a plain box with a list of links after it, not a combobox: the count is announced
    // through the live region, and Down moves into the list
    input.setAttribute('aria-controls', list.id);
    var timer = 0, asked = '', seq = 0;
    function close() {
      list.hidden = true;
    }
    function show(data, mine) {
      if (mine !== seq) return; // an older answer arriving late
      list.replaceChildren();
      (data.results || []).forEach(function (r) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = r.url;
        a.textContent = r.title;
        var small = document.createElement('small');
        small.textContent = (r.section ? r.section + ' · ' : '') + new Date(r.date).toLocaleDateString();
        a.appendChild(small);
        li.appendChild(a);
        list.appendChild(li);
      });
      var n = list.children.length;
      status.textContent = n ? n + (n === 1 ? ' suggestion' : ' suggestions') : 'No suggestions';
      list.hidden = n === 0;
    }
    async function ask(text) {
      var mine = ++seq;
      try {
        var res = await fetch('/search.json?q=' + encodeURIComponent(text));
        if (res.ok) show(await res.json(), mine);
      } catch (e) { close(); }
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) { asked = ''; seq++; close(); return; }
      timer = setTimeout(function () {
        if (text !== asked) { asked = text; ask(text); }
      }, 250);
    });
    form.addEventListener('keydown', function (ev) {
      var links = list.querySelectorAll('a');
      var at = Array.prototype.indexOf.call(links, document.activeElement);
      if (ev.key === 'Escape' && !list.hidden) {
        close();
        input.focus();
        ev.preventDefault();
      } else if ((ev.key === 'ArrowDown' || ev.key === 'ArrowUp') && !list.hidden && links.length) {
        var next = ev.key === 'ArrowDown' ? at + 1 : at - 1;
        if (next < 0) input.focus(); else links[Math.min(next, links.length - 1)].focus();
        ev.preventDefault();
      }
    });
    document.addEventListener('click', function (ev) {
      if (!form.contains(ev.target)) close();
    });
  }

  // Live updates of a feed (server-sent events from the section's data-live URL; the
  // server's side is src/site/live.c). While the page is visible it listens:
  // - a story newer than the top of the list waits behind a button that floats over the
  //   page ("2 new stories"), so nothing the reader is reading moves; the button puts them
  //   at the top (keeping what was on screen where it was, then scrolling up to them), and
  //   when the reader is already at the top they go in at once;
  // - an updated story is replaced where it stands, a removed one taken out;
  // - counts are announced politely; a "reload" event (the page missed more than the
  //   server keeps) offers to reload.
  // A hidden page closes its stream and takes it up where it left off (?since=) when it is
  // shown again; the browser's own reconnects send Last-Event-ID. Without EventSource the
  // page is as it was.
  var LIVE_DELAY_MS = 5000;
  function liveFeed(section) {
    var list = section && section.querySelector('.teasers');
    if (!list || !section.dataset.live || !window.EventSource) return;
    var last = section.dataset.liveSince || '';
    var source = null;
    var pending = []; // new stories not yet shown, newest first
    var reload = false;
    var status = section.querySelector('.feed-status');
    var notice = document.createElement('button');
    notice.type = 'button';
    notice.className = 'live-notice';
    notice.hidden = true;
    list.parentNode.insertBefore(notice, list);
    var announced = 0;
    var announce = null;

    function teaserOf(html) {
      var tpl = document.createElement('template');
      tpl.innerHTML = html || '';
      var li = tpl.content.querySelector('li.teaser[data-id]');
      if (li) relativeDates(li);
      return li;
    }
    function when(li) {
      var t = li && li.querySelector('time[datetime]');
      return t ? Date.parse(t.getAttribute('datetime')) || 0 : 0;
    }
    function newer(a, b) { // a above b in the feed: later, or as late with a higher id
      return when(a) > when(b) || (when(a) === when(b) && +a.dataset.id > +b.dataset.id);
    }
    // the first story of the list that is not pinned above the others
    function top() {
      var items = list.children;
      for (var i = 0; i < items.length; i++) if (!items[i].classList.contains('pinned')) return items[i];
      return null;
    }
    function atTop() {
      return list.getBoundingClientRect().top >= 0;
    }
    function say(text) {
      if (!status) return;
      clearTimeout(announce); // one announcement for a burst, not one per story
      announce = setTimeout(function () { status.textContent = text; }, 1000);
    }
    function update() {
      if (reload) {
        notice.textContent = 'The feed has changed: reload';
      } else {
        var n = pending.length;
        notice.textContent = n === 1 ? '1 new story' : n + ' new stories';
        if (n && n !== announced) say(notice.textContent + ' above');
        announced = n;
      }
      notice.hidden = !reload && pending.length === 0;
    }
    // Puts the waiting stories at the top of the list without moving what is on screen:
    // the first teaser in view keeps its place (the browser's scroll anchoring does this
    // too; then the correction is nothing).
    function showPending(scroll) {
      if (!pending.length) return;
      var anchor = null;
      for (var i = 0; i < list.children.length && !anchor; i++)
        if (list.children[i].getBoundingClientRect().bottom > 0) anchor = list.children[i];
      var before = anchor ? anchor.getBoundingClientRect().top : 0;
      var at = top();
      var shown = pending;
      pending = [];
      shown.forEach(function (li) { list.insertBefore(li, at); });
      if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
      update();
      say(shown.length === 1 ? '1 new story shown' : shown.length + ' new stories shown');
      if (scroll) {
        var link = shown[0].querySelector('.teaser-title a');
        var still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
        section.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
        if (link) link.focus({ preventScroll: true });
      }
    }
    function onStory(ev) {
      var d;
      try { d = JSON.parse(ev.data); } catch (e) { return; }
      if (ev.lastEventId) last = ev.lastEventId;
      var id = String(d.id);
      if (id === section.dataset.liveExclude) return; // the article this list is under
      var there = list.querySelector('li[data-id="' + id + '"]');
      var waiting = pending.findIndex(function (li) { return li.dataset.id === id; });
      if (ev.type === 'remove') {
        if (there) there.remove();
        if (waiting >= 0) pending.splice(waiting, 1);
        update();
        return;
      }
      var li = teaserOf(d.html);
      if (!li) return;
      if (there) {
        there.replaceWith(li);
      } else if (waiting >= 0) {
        pending[waiting] = li;
      } else {
        var first = top();
        if (first && !newer(li, first)) return; // an older story: not this list's news
        pending.push(li);
        pending.sort(function (a, b) { return newer(a, b) ? -1 : 1; });
        if (atTop()) showPending(false);
      }
      update();
    }
    function open() {
      if (source) return;
      source = new EventSource(section.dataset.live + (last ? '?since=' + encodeURIComponent(last) : ''));
      ['publish', 'update', 'remove'].forEach(function (type) { source.addEventListener(type, onStory); });
      source.addEventListener('reload', function () {
        reload = true;
        update();
        say('The feed has changed: reload the page to see it');
        close();
      });
      // the browser reconnects by itself; a refusal (429, 404) closes it for good
      source.addEventListener('error', function () {
        if (source && source.readyState === EventSource.CLOSED) source = null;
      });
    }
    function close() {
      if (source) source.close();
      source = null;
    }
    notice.addEventListener('click', function () {
      if (reload) window.location.reload();
      else showPending(true);
    });
    // The stream opens a few seconds after the page has loaded: those seconds are the
    // page's own, and anything that waits for the network to fall quiet (a crawler, an
    // audit, a test's "networkidle") would otherwise wait forever. Nothing is missed: the
    // stream starts from the change the page was rendered at.
    var started = false;
    function start() {
      started = true;
      if (!document.hidden && !reload) open();
    }
    if (document.readyState === 'complete') setTimeout(start, LIVE_DELAY_MS);
    else window.addEventListener('load', function () { setTimeout(start, LIVE_DELAY_MS); });
    document.addEventListener('visibilitychange', function () {
      if (document.hidden) close();
      else if (started && !reload) open();
    });
    // a page kept in the back/forward cache has no stream; brought back, it listens again
    window.addEventListener('pagehide', close);
    window.addEventListener('pageshow', function (ev) {
      if (ev.persisted && started && !document.hidden && !reload) open();
    });
  }

  suggestions(document.querySelector('.site-search'));
  liveFeed(document.querySelector('.feed[data-live]'));
  relativeDates(document);
  embedCards(document);
  shareButtons(document);
  setInterval(function () { relativeDates(document); }, 60000);
})();
