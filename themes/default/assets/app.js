// Newsdesk default theme: "Show More" appends the next batch in place.
// Without JavaScript the same control is a plain link to the next page.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

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
      var items = Array.prototype.slice.call(batch.children);
      items.forEach(function (li) { list.appendChild(li); });
      if (status) status.textContent = items.length + ' more items loaded';
      var first = items[0] && items[0].querySelector('a[href]:not(.section)');
      if (first) first.focus({ preventScroll: true });
      if (batch.dataset.next) {
        link.dataset.more = batch.dataset.next;
      } else {
        link.remove();
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
})();
