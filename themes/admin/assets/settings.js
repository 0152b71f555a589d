// The settings page, a progressive enhancement: without JavaScript the brand colour is
// typed as #RRGGBB and its contrast is shown after saving. With it, a colour picker sits
// beside the text, each follows the other, and the contrast with white (WCAG 2.1, the
// same sum as src/site/settings.c) is said at once.
(function () {
  'use strict';
  var MIN = 4.5;

  function channel(v) {
    var c = v / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function contrast(hex) {
    var m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!m) return 0;
    var l = 0.2126 * channel(parseInt(m[1], 16)) + 0.7152 * channel(parseInt(m[2], 16)) +
            0.0722 * channel(parseInt(m[3], 16));
    return 1.05 / (l + 0.05);
  }

  document.querySelectorAll('input[type=color][data-color-for]').forEach(function (picker) {
    var text = document.getElementById(picker.dataset.colorFor);
    var note = document.getElementById(picker.dataset.colorFor + '-contrast');
    function say() {
      var v = text.value.trim();
      if (!v) { note.textContent = "The theme's own colour is in use."; return; }
      var r = contrast(v);
      note.textContent = r ? 'Contrast with white: ' + (Math.floor(r * 100) / 100).toFixed(2) +
        ':1, ' + (Math.floor(r * 100) / 100 >= MIN ? 'enough' : 'too low') + ' (' + MIN.toFixed(1) +
        ':1 needed).' : 'Write the colour as #RRGGBB, e.g. #b3261e.';
    }
    picker.hidden = false;
    picker.addEventListener('input', function () { text.value = picker.value; say(); });
    text.addEventListener('input', function () {
      if (contrast(text.value.trim())) picker.value = text.value.trim().toLowerCase();
      say();
    });
  });
})();
