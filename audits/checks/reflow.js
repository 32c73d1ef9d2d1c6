// Reflow (WCAG 1.4.10): with the viewport at 320 CSS px, does the page scroll sideways,
// and which elements stick out? Returns {scrolls, width, viewport, causes: [{target, html,
// right, exempt}]}. Content that needs two dimensions (tables, pre, maps…) is exempt.
var limits = arguments[0];
var root = document.documentElement;
var viewport = root.clientWidth;
var width = Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0);
var EXEMPT = 'table:not([role=presentation]):not([role=none]), pre, code, map, canvas, ' +
  '[role=grid], [role=treegrid], [role=application], ' +
  '.leaflet-container, .ol-viewport, .mapboxgl-map, .gm-style, [class~="map"], [id="map"], ' +
  '[class~="kaart"], [id="kaart"]';
// Inside a box that scrolls or clips sideways, an element cannot make the page scroll.
var contained = function (el) {
  for (var p = el.parentElement; p && p !== document.body && p !== root; p = p.parentElement) {
    var x = getComputedStyle(p).overflowX;
    if (x !== 'visible') return true;
  }
  return false;
};
var sticksOut = function (el) {
  var box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.right + window.scrollX > viewport + 1;
};
var causes = [];
if (width > viewport + 1) {
  var all = document.body ? document.body.getElementsByTagName('*') : [];
  for (var i = 0; i < all.length && causes.length < limits.nodes; i++) {
    var el = all[i];
    if (!sticksOut(el) || contained(el)) continue;
    var style = getComputedStyle(el);
    if (style.position === 'fixed' || style.visibility === 'hidden') continue;
    // The outermost element that sticks out: its parent stays within the viewport.
    var parent = el.parentElement;
    if (parent && parent !== document.body && sticksOut(parent) && !contained(parent)) continue;
    var box = el.getBoundingClientRect();
    causes.push({target: selector(el), html: start(el),
                 right: Math.round(box.right + window.scrollX), width: Math.round(box.width),
                 exempt: !!(el.matches(EXEMPT) || el.closest(EXEMPT) || el.querySelector(
                   'table:not([role=presentation]), pre, canvas, map'))});
  }
  causes.sort(function (a, b) { return b.right - a.right; });
}
return {scrolls: width > viewport + 1, width: width, viewport: viewport, causes: causes};
