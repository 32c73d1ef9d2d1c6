// Shared by the page checks that name elements (prepended by read_script): a CSS selector
// for an element (its unique id, else tag and nth-of-type up to the root), and the start of
// its HTML, at most limits.html characters. The check's own script defines `root` and `limits`.
var selector = function (el) {
  var parts = [];
  while (el && el.nodeType === 1 && el !== root) {
    if (el.id && document.querySelectorAll('#' + CSS.escape(el.id)).length === 1) {
      parts.unshift('#' + CSS.escape(el.id));
      break;
    }
    var part = el.localName, parent = el.parentElement;
    if (parent) {
      var same = Array.prototype.filter.call(parent.children, function (c) {
        return c.localName === el.localName;
      });
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(el) + 1) + ')';
    }
    parts.unshift(part);
    el = parent;
  }
  return parts.join(' > ');
};
var start = function (el) {
  var html = el.outerHTML, end = html.indexOf('>');
  html = end > 0 ? html.slice(0, end + 1) : html;
  return html.length > (limits.html || 300) ? html.slice(0, (limits.html || 300) - 1) + '\u2026' : html;
};
