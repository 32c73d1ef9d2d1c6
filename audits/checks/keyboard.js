// The keyboard walk (WCAG 2.4.7 focus visible, 2.1.2 no keyboard trap, 2.4.1 skip link,
// 2.4.11 focus not obscured). Python presses the real Tab key; this script only watches.
// "init": listen to focus events; answer the page's template key (its focusable elements
//   outside <main>), the number of elements in the tab order and the first one's skip-link facts.
// "collect": the stops seen since the last call: [{id, target, html, changed, obscured, frame}],
//   null for focus leaving the page's elements (the end of the tab order).
// "skip": after Enter on the skip link and one more Tab: did focus land at or after its target?
var command = arguments[0], limits = arguments[1] || {};
var root = document.documentElement;
var state = window.__nachtwachtKeys;
var FOCUSABLE = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, ' +
  'summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true], ' +
  'audio[controls], video[controls]';
var PROPS = ['outline-style', 'outline-width', 'outline-color', 'outline-offset',
  'border-top-style', 'border-top-width', 'border-top-color', 'border-bottom-style',
  'border-bottom-width', 'border-bottom-color', 'border-left-color', 'border-right-color',
  'box-shadow', 'background-color', 'background-image', 'color', 'text-decoration-line',
  'text-decoration-color', 'text-decoration-thickness', 'text-underline-offset', 'font-weight',
  'transform', 'opacity', 'filter', 'content', 'visibility', 'display'];
var styleOf = function (el, pseudo) {
  if (!el || el.nodeType !== 1) return '';
  var s = getComputedStyle(el, pseudo || null);
  // An outline with style none shows nothing, whatever its width, colour or offset.
  var noOutline = s.getPropertyValue('outline-style') === 'none';
  return PROPS.map(function (p) {
    return noOutline && p.indexOf('outline') === 0 ? 'none' : s.getPropertyValue(p);
  }).join('|');
};
// What the focus indicator may change: the element, its pseudo-elements, its parent,
// its neighbours and its first child.
var look = function (el) {
  if (document.getAnimations) {
    document.getAnimations().forEach(function (a) { try { a.finish(); } catch (e) { /* endless */ } });
  }
  return [styleOf(el), styleOf(el, '::before'), styleOf(el, '::after'), styleOf(el.parentElement),
          styleOf(el.previousElementSibling), styleOf(el.nextElementSibling),
          styleOf(el.firstElementChild)].join('#');
};
var obscured = function (el) {
  var box = el.getBoundingClientRect();
  if (!box.width || !box.height) return false;
  var vw = root.clientWidth, vh = root.clientHeight;
  if (box.bottom <= 0 || box.top >= vh || box.right <= 0 || box.left >= vw) return false;
  var points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]];
  var seen = 0;
  for (var i = 0; i < points.length; i++) {
    var x = box.left + box.width * points[i][0], y = box.top + box.height * points[i][1];
    if (x < 0 || y < 0 || x >= vw || y >= vh) continue;
    seen++;
    var hit = document.elementFromPoint(x, y);
    if (!hit || hit === el || el.contains(hit) || hit.contains(el)) return false;
  }
  return seen > 0;
};
var tabbable = function (el) {
  if (el.tabIndex < 0 || el.disabled) return false;
  var box = el.getBoundingClientRect(), s = getComputedStyle(el);
  return box.width > 0 && box.height > 0 && s.visibility !== 'hidden';
};
if (command === 'init') {
  state = window.__nachtwachtKeys = {ids: new WeakMap(), next: 1, stops: [], before: new WeakMap(),
                                     after: new WeakMap(), mutated: false};
  var all = Array.prototype.slice.call(document.querySelectorAll(FOCUSABLE)).filter(tabbable);
  all.slice(0, limits.snapshots || 150).forEach(function (el) { state.before.set(el, look(el)); });
  state.observer = new MutationObserver(function () { state.mutated = true; });
  state.observer.observe(root, {attributes: true, subtree: true, childList: true});
  document.addEventListener('focusin', function (event) {
    var el = event.target;
    if (!el || el.nodeType !== 1) return;
    state.observer.takeRecords().forEach(function (r) {
      if (r.target !== el) state.mutated = true;
    });
    if (!state.ids.has(el)) state.ids.set(el, state.next++);
    state.stops.push({el: el, id: state.ids.get(el), focused: look(el), mutated: state.mutated,
                      obscured: obscured(el), frame: el.localName === 'iframe' ||
                      el.localName === 'frame'});
    state.mutated = false;
  }, true);
  document.addEventListener('focusout', function (event) {
    var el = event.target;
    if (el && el.nodeType === 1) state.after.set(el, look(el));
    if (!event.relatedTarget) state.stops.push(null);
    state.mutated = false;
    state.observer.takeRecords();
  }, true);
  var main = document.querySelector('main, [role=main]');
  // The template: what is focusable outside <main>, breadcrumbs (which differ per page) aside.
  var CRUMBS = '[class*=breadcrumb], [class*=kruimel], [aria-label*=readcrumb], [aria-label*=ruimel]';
  // The parts every page repeats: header, footer and the main navigation. Section menus
  // beside <main> differ per section and are left out, as without <main> nothing is shared.
  var nav = Array.prototype.filter.call(document.querySelectorAll('nav, [role=navigation]'),
    function (n) { return !(main && main.contains(n)) && !n.matches(CRUMBS); })[0];
  var repeated = 'header, [role=banner], footer, [role=contentinfo]';
  var outside = all.filter(function (el) {
    return (!main || !main.contains(el)) && !el.closest(CRUMBS) &&
      (!!el.closest(repeated) || (nav && nav.contains(el)));
  });
  // Without <main>, or with nothing to focus outside it, the page has no template to share.
  var shared = main && outside.length > 0;
  var key = (shared ? 'template:' : 'page:' + location.href + ':') + outside.map(function (el) {
    return el.localName + (el.getAttribute('href') || '') + (el.textContent || '').trim().slice(0, 40);
  }).join('\n');
  var hash = 5381;
  for (var i = 0; i < key.length; i++) hash = ((hash * 33) ^ key.charCodeAt(i)) >>> 0;
  var first = all[0], skip = null;
  if (first && first.localName === 'a') {
    var href = first.getAttribute('href') || '';
    // Only a link within this document: Enter on it must not load another page.
    if (href.charAt(0) === '#' && href.length > 1 &&
        first.href.split('#')[0] === location.href.split('#')[0]) {
      var name = decodeURIComponent(href.slice(1));
      var target = document.getElementById(name) || document.getElementsByName(name)[0];
      skip = {href: href, target: !!target, text: (first.textContent || '').trim().slice(0, 80),
              html: start(first), selector: selector(first)};
    }
  }
  return {template: (shared ? 't' : 'p') + hash.toString(16) + '-' + outside.length,
          tabbable: all.length, main: !!main, skip: skip};
}
if (command === 'collect') {
  var out = state.stops.map(function (stop) {
    if (stop === null) return null;
    var unfocused = state.before.get(stop.el) || state.after.get(stop.el);
    return {id: stop.id, target: selector(stop.el), html: start(stop.el), frame: stop.frame,
            changed: stop.mutated ? true : (unfocused === undefined ? null : unfocused !== stop.focused),
            mutated: stop.mutated, obscured: stop.obscured};
  });
  // A stop whose element was not yet left has no unfocused look: settle it next time.
  var pending = state.stops.length && state.stops[state.stops.length - 1];
  state.stops = [];
  if (pending && !limits.final && !state.before.get(pending.el) && !state.after.get(pending.el)) {
    state.stops.push(pending);
    out.pop();
  }
  return out;
}
if (command === 'skip') {
  var active = document.activeElement, link = limits.selector && document.querySelector(limits.selector);
  var href = link ? link.getAttribute('href') : '';
  var name = href ? decodeURIComponent(href.slice(1)) : '';
  var target = name && (document.getElementById(name) || document.getElementsByName(name)[0]);
  if (!target || !active || active === document.body) return {landed: false};
  var after = target === active || target.contains(active) ||
    !!(target.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING);
  return {landed: after && active !== link};
}
if (command === 'focus') {
  var el = document.querySelector(limits.selector);
  if (el) el.focus();
  return !!el;
}
return null;
