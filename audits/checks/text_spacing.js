// Text spacing (WCAG 1.4.12). "apply": add WCAG's spacing as an !important style sheet,
// then report (a) text whose own style attribute keeps the spacing below WCAG's values
// (ACT rules 24afc2, 9e45ec, 78fd32: a reader's style sheet cannot override it), (b) boxes
// that clip their text now and did not before, (c) fixed-height boxes whose text now runs
// out of them (may overlap: an indication). "remove" takes the style sheet away again.
var command = arguments[0], limits = arguments[1];
var ID = 'nachtwacht-text-spacing';
var root = document.documentElement;
if (command === 'remove') {
  var old = document.getElementById(ID);
  if (old) old.remove();
  return true;
}
var ownText = function (el) {
  for (var n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 3 && n.data.trim()) return true;
  }
  return false;
};
var visible = function (el) {
  var box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  if (box.bottom + window.scrollY < 0 || box.right + window.scrollX < 0) return false;
  return getComputedStyle(el).visibility !== 'hidden';
};
// Text on more than one line: the line boxes of its text nodes have different tops.
var wraps = function (el) {
  var tops = {};
  for (var n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 3 || !n.data.trim()) continue;
    var range = document.createRange();
    range.selectNodeContents(n);
    var rects = range.getClientRects();
    for (var i = 0; i < rects.length; i++) tops[Math.round(rects[i].top)] = true;
  }
  return Object.keys(tops).length > 1;
};
var clips = function (el, style) {
  var hidden = function (v) { return v === 'hidden' || v === 'clip'; };
  return (hidden(style.overflowY) && el.scrollHeight > el.clientHeight + 1) ||
         (hidden(style.overflowX) && el.scrollWidth > el.clientWidth + 1);
};
// A box whose text now runs out of it (a fixed height): it may cover what follows.
var runsOut = function (el, style) {
  return style.overflowY === 'visible' && el.clientHeight > 0 &&
         el.scrollHeight > el.clientHeight + 1;
};
var all = document.body ? Array.prototype.slice.call(document.body.getElementsByTagName('*')) : [];
all = all.slice(0, limits.elements);
var texts = all.filter(function (el) { return ownText(el) && visible(el); });
// Before: which boxes already clip or spill over (on purpose, or not our doing).
var before = new Set();
texts.forEach(function (el) {
  for (var p = el; p && p !== document.body; p = p.parentElement) {
    var s = getComputedStyle(p);
    if (clips(p, s) || runsOut(p, s)) before.add(p);
  }
});
var sheet = document.createElement('style');
sheet.id = ID;
sheet.textContent = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; ' +
  'word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
(document.head || root).appendChild(sheet);
var PROPS = {'letter-spacing': 0.12, 'word-spacing': 0.16, 'line-height': 1.5};
var px = function (value, size, prop) {
  if (value === 'normal') return prop === 'line-height' ? 1.2 * size : 0;
  return parseFloat(value) || 0;
};
var blocked = [], clipped = [], spilled = [];
var seen = new Set();
texts.forEach(function (el) {
  var style = getComputedStyle(el), size = parseFloat(style.fontSize) || 16;
  Object.keys(PROPS).forEach(function (prop) {
    if (el.style.getPropertyPriority(prop) !== 'important') return;
    if (prop === 'line-height' && !wraps(el)) return;
    var value = px(style.getPropertyValue(prop), size, prop);
    if (value + 0.01 < PROPS[prop] * size && blocked.length < limits.nodes) {
      blocked.push({target: selector(el), html: start(el), prop: prop,
                    value: Math.round(value * 100) / 100, needed: Math.round(PROPS[prop] * size * 100) / 100});
    }
  });
  for (var p = el; p && p !== document.body; p = p.parentElement) {
    if (seen.has(p) || before.has(p)) continue;
    var s = getComputedStyle(p);
    if (clips(p, s)) {
      seen.add(p);
      if (clipped.length < limits.nodes) clipped.push({target: selector(p), html: start(p)});
    } else if (runsOut(p, s)) {
      seen.add(p);
      if (spilled.length < limits.nodes) spilled.push({target: selector(p), html: start(p)});
    }
  }
});
return {texts: texts.length, blocked: blocked, clipped: clipped, spilled: spilled};
