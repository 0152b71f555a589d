// Newsdesk default theme, a progressive enhancement: without JavaScript every page works.
// - "Show More" appends the next batch in place (without it: a plain link to the next page),
//   moves focus to the first new headline and announces the batch to screen readers;
// - each date gets "2 hours ago" beside the exact <time>, in the page's language.
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

  document.addEventListener('click', function (ev) {
    var link = ev.target.closest && ev.target.closest('a[data-more]');
    if (!link || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    showMore(link);
  });

  relativeDates(document);
  setInterval(function () { relativeDates(document); }, 60000);
})();
