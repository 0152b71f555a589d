/*
 * The copy button of a one-time link (profile.html): the link stays a selectable field
 * for browsers without the clipboard API, and the button shows only where it works.
 */
(function () {
  'use strict';
  var copy = document.getElementById('link-copy'), field = document.getElementById('link-url');
  var said = document.getElementById('link-status');
  if (!copy || !field || !navigator.clipboard) return;
  copy.hidden = false;
  copy.addEventListener('click', function () {
    navigator.clipboard.writeText(field.value).then(function () {
      said.textContent = 'Copied.';
    }, function () { said.textContent = 'Select the link and copy it.'; });
  });
})();
