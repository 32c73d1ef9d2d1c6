// Runs before any script of every page the audit browser loads: notes the NAME of every
// cookie a script sets through document.cookie, and the address of that script (from the
// call stack), so that a cookie on the site's own domain set by a third party's script can
// be told apart from the site's own. Values are never kept.
(() => {
  const property = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  if (!property || !property.set || window.__nachtwachtCookies) { return; }
  const seen = [];
  Object.defineProperty(window, "__nachtwachtCookies", { value: seen, enumerable: false });
  const script = () => {
    const lines = String(new Error().stack || "").split("\n").slice(2);
    for (const line of lines) {
      const found = line.match(/(https?:\/\/[^\s()]+?):\d+:\d+\)?\s*$/);
      if (found) { return found[1]; }
    }
    return (document.currentScript && document.currentScript.src) || null;
  };
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    enumerable: property.enumerable,
    get() { return property.get.call(this); },
    set(value) {
      if (seen.length < 500) {
        seen.push([String(value).split(";")[0].split("=")[0].trim(), script()]);
      }
      property.set.call(this, value);
    },
  });
})();
