/*
 * The editor's live preview (the server renders with the site's own Markdown code, the
 * latest answer wins), and a confirmation for buttons that carry data-confirm.
 */
(function () {
  var t = document.getElementById('markdown'),
    p = document.getElementById('preview'),
    c = document.querySelector('input[name=csrf]');
  if (t && p && c) {
    var timer, seq = 0;
    var go = function () {
      var n = ++seq;
      fetch('/admin/preview/', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-CSRF-Token': c.value
        },
        body: 'markdown=' + encodeURIComponent(t.value)
      }).then(function (r) { return r.text(); })
        .then(function (h) { if (n === seq) p.innerHTML = h; });
    };
    t.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(go, 300);
    });
  }
  document.querySelectorAll('[data-confirm]').forEach(function (b) {
    b.addEventListener('click', function (e) {
      if (!confirm(b.dataset.confirm)) e.preventDefault();
    });
  });
})();
