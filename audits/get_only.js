// Runs before any script of every page (and frame) the audit browser loads: the audited
// page's own scripts may not send data to the site. nachtwacht sends only GET and HEAD.
(() => {
  const allowed = (method) => !method || /^(GET|HEAD)$/i.test(String(method));
  const refuse = (method) => new TypeError(`nachtwacht: ${method} niet verstuurd`);
  const fetch = window.fetch;
  if (fetch) {
    window.fetch = function (input, init) {
      const method = (init && init.method) || (input && input.method) || "GET";
      return allowed(method) ? fetch.apply(this, arguments) : Promise.reject(refuse(method));
    };
  }
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method) {
    this.nachtwachtRefused = !allowed(method);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.nachtwachtRefused) { return undefined; }
    return send.apply(this, arguments);
  };
  if (navigator.sendBeacon) { navigator.sendBeacon = () => false; }
  HTMLFormElement.prototype.submit = function () {};
  HTMLFormElement.prototype.requestSubmit = function () {};
  window.addEventListener("submit", (event) => event.preventDefault(), true);
})();
