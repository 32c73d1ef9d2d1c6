// Orientation (WCAG 1.3.4, ACT rule b33eff). "rules": the elements that a style rule inside an
// orientation media query rotates or transforms. "angles": each such element's rotation now.
var command = arguments[0], limits = arguments[1] || {};
var found = [];
var walk = function (rules, inOrientation) {
  for (var i = 0; i < rules.length; i++) {
    var rule = rules[i];
    if (rule.media && rule.cssRules) {
      walk(rule.cssRules, inOrientation || /orientation/.test(rule.media.mediaText));
    } else if (rule.cssRules && rule.type !== 1) {
      walk(rule.cssRules, inOrientation);
    } else if (inOrientation && rule.style &&
               (rule.style.transform || rule.style.rotate)) {
      found.push(rule.selectorText);
    }
  }
};
var targets = function () {
  for (var s = 0; s < document.styleSheets.length; s++) {
    try { walk(document.styleSheets[s].cssRules, false); } catch (e) { /* another origin */ }
  }
  var elements = [];
  found.forEach(function (sel) {
    try {
      document.querySelectorAll(sel).forEach(function (el) {
        if (elements.indexOf(el) < 0) elements.push(el);
      });
    } catch (e) { /* a selector this browser does not know */ }
  });
  return elements.filter(function (el) {
    var box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  }).slice(0, 20);
};
// The rotation about the z axis, in degrees, of transform and rotate together.
var angle = function (el) {
  var s = getComputedStyle(el), total = 0;
  if (s.transform && s.transform !== 'none') {
    var m = new DOMMatrix(s.transform);
    total += Math.atan2(m.b, m.a) * 180 / Math.PI;
  }
  if (s.rotate && s.rotate !== 'none') {
    var parts = s.rotate.trim().split(/\s+/), value = parts[parts.length - 1];
    var axisZ = parts.length === 1 || parts[0] === 'z' || (parts.length === 4 && parseFloat(parts[2]) !== 0);
    var deg = parseFloat(value);
    if (/rad$/.test(value)) deg = deg * 180 / Math.PI;
    else if (/turn$/.test(value)) deg = deg * 360;
    else if (/grad$/.test(value)) deg = deg * 0.9;
    if (axisZ) total += deg;
  }
  return total;
};
var label = function (el) {
  var html = el.outerHTML, end = html.indexOf('>');
  return end > 0 ? html.slice(0, Math.min(end + 1, limits.html || 300)) : html;
};
var list = window.__nachtwachtOrientation = window.__nachtwachtOrientation || targets();
if (command === 'rules') return list.length;
return list.map(function (el) {
  return {target: el === document.documentElement ? 'html' : el === document.body ? 'body' :
          (el.id ? '#' + CSS.escape(el.id) : el.localName), html: label(el), angle: angle(el)};
});
