// Runs axe-core on the current page and returns a compact result to selenium.
//
// Arguments: "start" or "wait", axe options, CSS selectors to exclude,
// limits {elements, html, nodes, slice (ms), site (the allowed hosts)}.
// A top-level page on another host is not audited: it answers {offsite: its URL}.
// "start" begins the audit; both answer with the result, or with {pending: true}
// after `slice` ms, so that selenium is never blocked for long: a page that
// navigates away mid-audit answers the next "wait" with {gone: true} instead
// of leaving selenium waiting for the script timeout.
//
// Passes come back as a count per rule: "resultTypes" keeps axe from computing
// selectors for every passing element, and the reporter counts them before
// axe trims them to one.
var callback = arguments[arguments.length - 1];
var command = arguments[0], options = arguments[1], exclude = arguments[2], limits = arguments[3];
var answered = false;
var answer = function (result) {
  if (!answered) {
    answered = true;
    callback(result);
  }
};

var trim = function (text) {
  text = text || '';
  return text.length > limits.html ? text.slice(0, limits.html - 1) + '\u2026' : text;
};
// A target is a list of selectors, one per frame; a part inside shadow DOM is a list too.
var target = function (parts) {
  return parts.map(function (part) {
    return Array.isArray(part) ? part.join(' >>> ') : part;
  }).join(' >>> ');
};
// Rules with their elements; passes (counted) without them.
var rules = function (list, counts) {
  return list.map(function (rule) {
    return {
      id: rule.id, impact: rule.impact, tags: rule.tags, description: rule.description,
      help: rule.help, helpUrl: rule.helpUrl,
      count: counts ? counts[rule.id] : rule.nodes.length,
      nodes: counts ? [] : rule.nodes.slice(0, limits.nodes).map(function (node) {
        return {target: target(node.target), html: trim(node.html),
                failureSummary: node.failureSummary || '', impact: node.impact};
      })
    };
  });
};
var message = function (error) {
  return String((error && error.message) || error);
};

var onSite = function () {
  var host = location.hostname.toLowerCase();
  return !limits.site.length || limits.site.some(function (name) {
    return host === name || host.slice(-name.length - 1) === '.' + name;
  });
};

var start = function () {
  if (!onSite()) {
    return {result: {offsite: location.href}};
  }
  var elements = document.getElementsByTagName('*').length;
  if (elements > limits.elements) {
    return {result: {huge: elements}};
  }
  if (typeof window.axe !== 'object' || typeof window.axe.run !== 'function') {
    return {result: {missing: true}};
  }
  if (!axe.hasReporter('nachtwacht')) {
    axe.addReporter('nachtwacht', function (raw, opts, resolve, reject) {
      var passes = {};
      axe.utils.aggregateResult(raw).passes.forEach(function (rule) {
        passes[rule.id] = rule.nodes.length;
      });
      axe.getReporter('v1')(raw, opts, function (results) {
        results.passCounts = passes;
        resolve(results);
      }, reject);
    });
  }
  var audit = {result: null, waiter: null};
  var finish = function (result) {
    audit.result = result;
    if (audit.waiter) {
      audit.waiter(result);
    }
  };
  var context = exclude.length ? {exclude: exclude.map(function (s) { return [s]; })} : document;
  axe.run(context, options).then(function (r) {
    finish({url: r.url, version: r.testEngine.version, violations: rules(r.violations),
            incomplete: rules(r.incomplete), passes: rules(r.passes, r.passCounts),
            inapplicable: r.inapplicable.map(function (rule) { return rule.id; })});
  }, function (error) {
    finish({failed: message(error)});
  });
  return audit;
};

try {
  var audit = window.__nachtwachtAudit;
  if (command === 'start') {
    audit = window.__nachtwachtAudit = start();
  }
  if (!audit) {
    answer({gone: true});
  } else if (audit.result) {
    answer(audit.result);
  } else {
    var timer = setTimeout(function () { answer({pending: true}); }, limits.slice);
    audit.waiter = function (result) {
      clearTimeout(timer);
      answer(result);
    };
  }
} catch (error) {
  answer({failed: message(error)});
}
