// markdown-it's two uses of the `entities` package, answered by the browser's own HTML
// parser: entities' tables are 75 KB of the bundle, and the browser already knows every
// named character reference. markdown-it only ever asks about a whole "&name;".
//
// The text goes into a <textarea> of an inert document, whose content is text (RCDATA):
// no element can come of it. The HTML parser also decodes a legacy reference without its
// semicolon ("&notit;" gives "¬it;"); CommonMark does not, so a result longer than the
// longest reference's expansion (two UTF-16 units) means "not a reference".
let box = null;

function decode(str) {
  if (!/^&[a-zA-Z][a-zA-Z0-9]{1,31};$/.test(str)) return str;
  if (!box) box = document.implementation.createHTMLDocument('').createElement('textarea');
  box.innerHTML = str;
  const out = box.value;
  return out !== str && out.length <= 2 ? out : str;
}

export const decodeHTML = decode;
export const decodeHTMLStrict = decode;
