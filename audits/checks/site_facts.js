// Facts about the page for the site checks (audits/site_checks): the links of its main
// navigation in order, whether it offers a search function, its links to a sitemap page
// and its help links with the part of the page they are in. Arguments: {search, sitemap, help}
// word lists (lower case).
var words = arguments[0];
var has = function (text, list) {
  text = (text || '').toLowerCase();
  return list.some(function (w) { return text.indexOf(w) >= 0; });
};
var visible = function (el) {
  var box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
};
var clean = function (href) { return href.split('#')[0]; };
var region = function (el) {
  var part = el.closest('header, [role=banner], nav, [role=navigation], main, [role=main], ' +
                        'aside, [role=complementary], footer, [role=contentinfo]');
  if (!part) return 'body';
  var role = part.getAttribute('role');
  return {header: 'header', banner: 'header', nav: 'nav', navigation: 'nav', main: 'main',
          aside: 'aside', complementary: 'aside', footer: 'footer', contentinfo: 'footer'}[
    role || part.localName] || part.localName;
};
var navs = Array.prototype.filter.call(document.querySelectorAll('nav, [role=navigation]'),
  function (n) { return !n.closest('main, [role=main], footer, [role=contentinfo]') && visible(n); });
// The main navigation: the one with the most links outside main and footer.
navs.sort(function (a, b) { return b.querySelectorAll('a[href]').length - a.querySelectorAll('a[href]').length; });
var nav = navs[0] ? Array.prototype.map.call(navs[0].querySelectorAll('a[href]'), function (a) {
  return [clean(a.href), (a.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80)];
}) : null;
var search = !!document.querySelector('[role=search], input[type=search]') ||
  Array.prototype.some.call(document.forms, function (f) {
    var method = (f.getAttribute('method') || 'get').toLowerCase();
    return method === 'get' && (has(f.getAttribute('action'), words.search) ||
      Array.prototype.some.call(f.elements, function (e) {
        return has(e.name, words.search) || e.name === 'q' || has(e.placeholder, words.search);
      }));
  });
var links = Array.prototype.slice.call(document.querySelectorAll('a[href]'));
var sitemap = links.filter(function (a) {
  return has(a.textContent, words.sitemap) || has(a.getAttribute('href'), words.sitemap);
}).map(function (a) { return clean(a.href); }).slice(0, 5);
var order = 0, help = [];
links.forEach(function (a) {
  order++;
  if (help.length < 5 && (has(a.textContent, words.help) || has(a.getAttribute('href'), words.help))) {
    help.push({href: clean(a.href), text: (a.textContent || '').trim().slice(0, 80),
               region: region(a), position: order});
  }
});
return {nav: nav, search: search, sitemap: sitemap, help: help, links: links.length};
