// Shared template regions (header, menu, footer …) of the loaded page, for auditing each
// distinct version once (docs/checks/template-once.md). Evaluated inside axe_run.js.
//
// A region is an outermost header, footer, nav, aside or element with a landmark role
// outside <main>. Its keys are hashes of everything axe-core's region-local rules read
// about it: its HTML, the tag, attributes and computed style of its ancestors, the
// computed style of each of its elements (and their ::before/::after), its inner layout;
// the geometry key adds its place on the screen, for the rules that look at rectangles
// (contrast, target size). A key is null when the region is not self-contained: an IDREF
// crosses its border, it holds frames or shadow DOM, a modal dialog is open, an ancestor
// clips it; the geometry keys also when an element from outside overlaps it. ``apart``
// says that no target from outside is within 24 px of it (target-size's spacing).
var nachtwachtRegions = (function () {
  var SELECTOR = 'header, footer, nav, aside, [role=banner], [role=contentinfo], ' +
    '[role=navigation], [role=complementary], [role=search]';
  var IDREFS = ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns',
    'aria-activedescendant', 'aria-details', 'aria-errormessage', 'aria-flowto', 'for',
    'headers', 'list', 'form', 'popovertarget', 'commandfor', 'interestfor', 'itemref',
    'anchor'];
  var IDREF_SELECTOR = IDREFS.map(function (name) { return '[' + name + ']'; }).join(',') +
    ',[usemap]';
  var TARGETS = 'a[href], area[href], button, input, select, textarea, summary, details, ' +
    '[tabindex], [contenteditable], [role], audio[controls], video[controls], iframe, embed, object';
  var SPACING = 24; // target-size's minimum offset (px)
  // The computed style properties axe-core reads (tests/test_template_audit.py holds this
  // list against its source); layout shows in the rectangles.
  var STYLE = ['-ms-transform', '-webkit-mask', '-webkit-mask-border', '-webkit-mask-image',
    '-webkit-overflow-scrolling', '-webkit-text-fill-color', '-webkit-text-stroke-color',
    '-webkit-text-stroke-width', '-webkit-transform', 'background-color', 'background-image',
    'background-clip', 'background-size', 'background-position', 'background-repeat',
    'border-bottom-color', 'border-bottom-style', 'border-bottom-width', 'border-top-color',
    'border-top-style', 'border-top-width', 'clip', 'clip-path', 'color', 'contain', 'content',
    'content-visibility', 'direction', 'display', 'filter', 'float', 'font-family', 'font-size',
    'font-style', 'font-weight', 'height', 'isolation', 'letter-spacing', 'line-height', 'mask',
    'mask-border', 'mask-image', 'mix-blend-mode', 'opacity', 'outline-color', 'outline-style',
    'outline-width', 'overflow', 'overflow-x', 'overflow-y', 'padding-bottom', 'padding-left',
    'padding-right', 'padding-top', 'perspective', 'pointer-events', 'position', 'rotate',
    'scale', 'text-decoration', 'text-decoration-color', 'text-decoration-line',
    'text-decoration-style', 'text-indent', 'text-shadow', 'transform', 'transform-style',
    'translate', 'visibility', 'white-space', 'width', 'will-change', 'word-spacing', 'z-index'];

  // 128 bits from four multiplicative hashes, fed piece by piece.
  var Hash = function () { this.h = [0x811c9dc5, 0x9747b28c, 0x85ebca6b, 0xc2b2ae35]; };
  var PRIMES = [16777619, 2654435761, 2246822507, 3266489909];
  Hash.prototype.add = function (value) {
    var text = String(value), h = this.h;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      h[0] = Math.imul(h[0] ^ c, PRIMES[0]); h[1] = Math.imul(h[1] ^ c, PRIMES[1]);
      h[2] = Math.imul(h[2] ^ c, PRIMES[2]); h[3] = Math.imul(h[3] ^ c, PRIMES[3]);
    }
    for (var j = 0; j < 4; j++) {
      h[j] = Math.imul(h[j] ^ (0x1f + text.length), PRIMES[j]);  // a separator with the length
    }
    return this;
  };
  Hash.prototype.digest = function () {
    return this.h.map(function (value) {
      value = Math.imul(value ^ (value >>> 16), 2246822507);
      value = Math.imul(value ^ (value >>> 13), 3266489909);
      return ('0000000' + ((value ^ (value >>> 16)) >>> 0).toString(16)).slice(-8);
    }).join('');
  };

  var round = function (n) { return Math.round(n * 64) / 64; };
  // A style is hashed once per survey and then named by its number: menus repeat them.
  var styles = new Map();
  var style = function (hash, el, pseudo, ancestor) {
    var s = window.getComputedStyle(el, pseudo || null);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) {
      return;
    }
    var values = [pseudo || '', ancestor ? 'a' : ''];
    for (var i = 0; i < STYLE.length; i++) {
      // An ancestor's size follows the page's content; whether it holds the region is kept.
      if (!ancestor || (STYLE[i] !== 'width' && STYLE[i] !== 'height')) {
        values.push(s.getPropertyValue(STYLE[i]));
      }
    }
    var text = values.join('|');
    var known = styles.get(text);
    if (!known) {
      known = new Hash().add(text).digest();
      styles.set(text, known);
    }
    hash.add(known);
  };
  var attributes = function (hash, el) {
    hash.add(el.localName);
    for (var i = 0; i < el.attributes.length; i++) {
      hash.add(el.attributes[i].name).add(el.attributes[i].value);
    }
  };
  var union = function (rects) {
    var box = null;
    rects.forEach(function (r) {
      if (!r.width && !r.height) return;
      box = box ? {left: Math.min(box.left, r.left), top: Math.min(box.top, r.top),
                   right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom)}
        : {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    });
    return box;
  };
  var meets = function (r, box, margin) {
    return (r.width || r.height) && r.left < box.right + margin && r.right > box.left - margin &&
      r.top < box.bottom + margin && r.bottom > box.top - margin;
  };
  var tokens = function (el) {
    var found = [];
    IDREFS.forEach(function (name) {
      var value = el.getAttribute(name);
      if (value) found = found.concat(value.trim().split(/\s+/));
    });
    var map = el.getAttribute('usemap');
    if (map) found.push('#map:' + map.replace(/^#/, ''));
    return found;
  };

  // The candidates, in document order.
  var find = function () {
    if (!document.body) return [];
    return Array.prototype.filter.call(document.body.querySelectorAll(SELECTOR), function (el) {
      if (el.closest('main, [role=main]')) return false;
      for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (p.matches(SELECTOR)) return false;
      }
      return true;
    });
  };

  // Whether IDREFs stay inside the region, both ways.
  var closed = function (region, inside, all) {
    var ids = {}, names = {};
    inside.forEach(function (el) {
      if (el.id) ids[el.id] = true;
      if (el.localName === 'map' && el.getAttribute('name')) names['#map:' + el.getAttribute('name')] = true;
    });
    var ok = inside.every(function (el) {
      return tokens(el).every(function (token) {
        if (token.indexOf('#map:') === 0) return !!names[token];
        var target = document.getElementById(token);
        return !target || region.contains(target);
      });
    });
    return ok && Array.prototype.every.call(document.querySelectorAll(IDREF_SELECTOR), function (el) {
      return region.contains(el) || tokens(el).every(function (token) {
        return !ids[token] && !names[token];
      });
    }) && all.every(function (el) {
      return !el.id || !ids[el.id] || region.contains(el);  // an id of the region used twice
    });
  };

  var rects = new Map();
  var rect = function (el) {
    var found = rects.get(el);
    if (!found) {
      found = el.getBoundingClientRect();
      rects.set(el, found);
    }
    return found;
  };

  var keys = function (region, all) {
    var inside = [region].concat(Array.prototype.slice.call(region.getElementsByTagName('*')));
    if (region.querySelector('iframe, frame, object, embed, slot, portal, fencedframe') ||
        inside.some(function (el) { return el.shadowRoot; }) ||
        document.querySelector('dialog[open]') || !closed(region, inside, all)) {
      return {local: null, geo: null, spacing: null};
    }
    var boxes = inside.map(rect);
    var box = union(boxes);
    var local = new Hash().add('region 1').add(document.compatMode).add(document.contentType);
    local.add(region.outerHTML);
    var ancestors = [];
    for (var p = region.parentElement; p; p = p.parentElement) ancestors.push(p);
    var clipped = false;
    ancestors.forEach(function (el) {
      attributes(local, el);
      style(local, el, null, true);
      var r = rect(el);
      var contains = !box || (r.left <= box.left && r.top <= box.top && r.right >= box.right &&
                              r.bottom >= box.bottom);
      local.add(contains);
      var s = window.getComputedStyle(el);
      if (!contains && (s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.clipPath !== 'none' ||
                        s.clip !== 'auto' || s.contain !== 'none')) {
        clipped = true;
      }
      local.add(el.parentElement ? Array.prototype.indexOf.call(el.parentElement.children, el) : 0);
    });
    if (clipped) return {local: null, geo: null, spacing: null};
    local.add(Array.prototype.indexOf.call(region.parentElement.children, region));
    var origin = box || {left: 0, top: 0};
    inside.forEach(function (el, i) {
      style(local, el);
      style(local, el, '::before');
      style(local, el, '::after');
      var r = boxes[i];
      local.add([round(r.left - origin.left), round(r.top - origin.top), round(r.width),
                 round(r.height), el.getClientRects().length, r.bottom < 0, r.right <= 0].join());
    });
    local = local.digest();
    var geo = new Hash().add(local).add([window.innerWidth, window.innerHeight, window.scrollX,
      window.scrollY, window.devicePixelRatio, document.documentElement.scrollWidth,
      document.documentElement.clientWidth, document.documentElement.clientHeight].join());
    inside.forEach(function (el, i) {
      var r = boxes[i];
      geo.add([round(r.left), round(r.top), el.scrollWidth, el.scrollHeight, el.clientWidth,
               el.clientHeight].join());
    });
    var outside = all.filter(function (el, i) {
      return !region.contains(el) && !el.contains(region);
    });
    var alone = !box || outside.every(function (el) { return !meets(rect(el), box, 0); });
    var apart = !box || outside.every(function (el) {
      return !meets(rect(el), box, SPACING) || !el.matches(TARGETS);
    });
    geo = alone ? geo.digest() : null;
    return {local: local, geo: geo, spacing: geo && geo + 's', apart: apart};
  };

  var survey = function () {
    rects = new Map();
    styles = new Map();
    var all = Array.prototype.slice.call(document.body ? document.body.getElementsByTagName('*') : []);
    return find().map(function (region) {
      var found = keys(region, all);
      found.element = region;
      return found;
    });
  };

  return {
    // Each candidate region with its keys; watched, so that the next call knows whether
    // anything could have changed them since (the DOM, fonts, an animation).
    survey: function () {
      var watch = window.__nachtwachtWatch;
      if (watch) watch.observer.disconnect();
      var found = survey();
      watch = window.__nachtwachtWatch = {found: found, changed: false};
      watch.observer = new MutationObserver(function () { watch.changed = true; });
      watch.observer.observe(document, {attributes: true, childList: true, subtree: true,
                                        characterData: true});
      if (document.fonts) {
        document.fonts.addEventListener('loadingdone', function () { watch.changed = true; });
      }
      return found;
    },
    // The regions of the last survey when nothing changed since, else a new survey.
    again: function () {
      var watch = window.__nachtwachtWatch;
      var moving = document.getAnimations && document.getAnimations().some(function (a) {
        return a.playState === 'running';
      });
      if (watch && !watch.changed && !watch.observer.takeRecords().length && !moving &&
          (!document.fonts || document.fonts.status === 'loaded')) {
        return watch.found;
      }
      return survey();
    },
    // The element at ``path`` (child indexes) under ``region``, and the path of ``el``.
    at: function (region, path) {
      var el = region;
      for (var i = 0; el && i < path.length; i++) el = el.children[path[i]];
      return el;
    },
    path: function (region, el) {
      var path = [];
      for (; el && el !== region; el = el.parentElement) {
        path.unshift(Array.prototype.indexOf.call(el.parentElement.children, el));
      }
      return path;
    }
  };
})();
