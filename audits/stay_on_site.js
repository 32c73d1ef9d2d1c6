// Runs before any script of every document: a top-level page on another host than the
// site's (a redirect, a script or a link that led away) is stopped before its scripts run
// (what Chromium's preload scanner asked for in the same instant may still arrive).
// nachtwacht audits only the site's own pages: audits/axe_run.js records such a page as
// not audited.
(() => {
  const site = SITE_HOSTS;
  const host = location.hostname.toLowerCase();
  const onSite = site.some((name) => host === name || host.endsWith("." + name));
  if (window.top === window && /^https?:$/.test(location.protocol) && !onSite) {
    window.stop();
  }
})();
