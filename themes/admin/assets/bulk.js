/*
 * The post list's "select all on this page" box. Without it (no script) every row's box
 * still works on its own; the box is hidden until this file runs.
 */
(function () {
  'use strict';
  var all = document.getElementById('bulk-all');
  var label = document.getElementById('bulk-all-label');
  var form = document.getElementById('bulk');
  if (!all || !label || !form) return;
  var boxes = function () { return form.querySelectorAll('input[name="ids"]'); };
  var sync = function () {
    var list = boxes(), on = 0;
    for (var i = 0; i < list.length; i++) if (list[i].checked) on++;
    all.checked = list.length > 0 && on === list.length;
    all.indeterminate = on > 0 && on < list.length;
  };
  label.hidden = false;
  all.addEventListener('change', function () {
    var list = boxes();
    for (var i = 0; i < list.length; i++) list[i].checked = all.checked;
    sync();
  });
  form.addEventListener('change', function (e) {
    if (e.target && e.target.name === 'ids') sync();
  });
  sync();
}());
