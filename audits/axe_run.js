// Runs axe-core on the current page and returns a compact result to selenium.
//
// Arguments: "regions", "start" or "wait", axe options, CSS selectors to exclude,
// limits {elements, html, nodes, slice (ms), site (the allowed hosts)}, and the plan for
// template regions (or null): {groups: {local: [rule ids], geo: [rule ids]}, keys: the keys
// "regions" gave, reuse: {region index: {local: stored, geo: stored}}}.
// A top-level page on another host is not audited: it answers {offsite: its URL}.
// "regions" answers the page's template regions with their keys (regions.js).
// "start" begins the audit; both answer with the result, or with {pending: true}
// after `slice` ms, so that selenium is never blocked for long: a page that
// navigates away mid-audit answers the next "wait" with {gone: true} instead
// of leaving selenium waiting for the script timeout.
//
// With a plan, a region whose version was audited before is excluded from the runs of
// the rules of its group, and its stored results are put in their place (the selectors
// computed in this page); the rules of no group run over the whole page. New regions'
// results come back in `regions` for the next pages.
//
// Passes come back as a count per rule: "resultTypes" keeps axe from computing
// selectors for every passing element, and the reporter counts them before
// axe trims them to one.
var callback = arguments[arguments.length - 1];
var command = arguments[0], options = arguments[1], exclude = arguments[2], limits = arguments[3];
var plan = arguments[4] || null;
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
      count: counts ? counts[rule.id] : rule.nodes.length + (rule.beyond || 0),
      nodes: counts ? [] : rule.nodes.slice(0, limits.nodes).map(function (node) {
        return {target: target(node.target), html: trim(node.html),
                failureSummary: node.failureSummary || '', impact: node.impact};
      })
    };
  });
};
var KINDS = ['violations', 'incomplete'];
var IMPACTS = ['minor', 'moderate', 'serious', 'critical'];
var worse = function (a, b) {
  return IMPACTS.indexOf(b) > IMPACTS.indexOf(a) ? b : a;
};
var worst = function (nodes) {
  return nodes.reduce(function (found, node) { return worse(found, node.impact); }, null);
};
var byId = function (list, id) {
  return list.filter(function (rule) { return rule.id === id; })[0];
};

// What one region holds of this run's results, for the rules of `only`: per rule the
// elements (as paths under the region) of each kind, their count and worst impact, the
// passing elements counted.
var harvest = function (results, elements, passes, region, only, into) {
  var meta = function (rule) {
    return {tags: rule.tags, description: rule.description, help: rule.help, helpUrl: rule.helpUrl};
  };
  var entry = function (rule) {
    into[rule.id] = into[rule.id] || {meta: meta(rule)};
    return into[rule.id];
  };
  KINDS.forEach(function (kind) {
    results[kind].forEach(function (rule) {
      if (only.indexOf(rule.id) < 0) return;
      var found = [];
      rule.nodes.forEach(function (node, i) {
        var el = elements[kind][rule.id][i];
        if (el && region.contains(el)) found.push({node: node, element: el});
      });
      if (!found.length) return;
      entry(rule)[kind] = {
        count: found.length, impact: worst(found.map(function (f) { return f.node; })),
        nodes: found.slice(0, limits.nodes).map(function (f) {
          return {path: nachtwachtRegions.path(region, f.element), html: trim(f.node.html),
                  failureSummary: f.node.failureSummary || '', impact: f.node.impact};
        })
      };
    });
  });
  results.passes.forEach(function (rule) {
    if (only.indexOf(rule.id) < 0) return;
    var count = (passes[rule.id] || []).filter(function (el) {
      return el && region.contains(el);
    }).length;
    if (count) entry(rule).passes = count;
  });
};

// Put a region's stored results into this run's results, in document order.
var transplant = function (results, elements, counts, region, stored) {
  Object.keys(stored).forEach(function (id) {
    var part = stored[id];
    var rule = function (kind) {
      var found = byId(results[kind], id);
      if (!found) {
        found = {id: id, impact: null, tags: part.meta.tags, description: part.meta.description,
                 help: part.meta.help, helpUrl: part.meta.helpUrl, nodes: []};
        results[kind].push(found);
        elements[kind][id] = [];
      }
      return found;
    };
    KINDS.forEach(function (kind) {
      if (!part[kind]) return;
      var into = rule(kind);
      var pairs = into.nodes.map(function (node, i) { return [node, elements[kind][id][i]]; });
      part[kind].nodes.forEach(function (node) {
        var el = nachtwachtRegions.at(region, node.path);
        pairs.push([{target: [axe.utils.getSelector(el)], html: node.html,
                     failureSummary: node.failureSummary, impact: node.impact}, el]);
      });
      pairs.sort(function (a, b) {
        return a[1] === b[1] ? 0 : a[1].compareDocumentPosition(b[1]) & 4 ? -1 : 1;
      });
      into.nodes = pairs.map(function (pair) { return pair[0]; });
      elements[kind][id] = pairs.map(function (pair) { return pair[1]; });
      into.beyond = (into.beyond || 0) + part[kind].count - part[kind].nodes.length;
      into.worst = worse(into.worst === undefined ? worst(into.nodes) : into.worst, part[kind].impact);
    });
    if (part.passes) {
      rule('passes');
      counts[id] = (counts[id] || 0) + part.passes;
    }
    results.inapplicable = results.inapplicable.filter(function (r) { return r.id !== id; });
  });
  return Object.keys(stored);
};

// axe's impact of a rule taken over from a region: the worst of its violations, else of its
// incomplete elements; passes carry the same.
var settle = function (results, ids) {
  ids.forEach(function (id) {
    var impact = null;
    KINDS.slice().reverse().forEach(function (kind) {
      var rule = byId(results[kind], id);
      if (rule && rule.nodes.length) {
        impact = rule.worst !== undefined ? rule.worst : worst(rule.nodes);
      }
    });
    ['violations', 'incomplete', 'passes'].forEach(function (kind) {
      var rule = byId(results[kind], id);
      if (rule) rule.impact = impact;
    });
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

// Which regions' stored results are taken over, and which regions are new, per group.
var survey = function () {
  var found = {reuse: {}, fresh: {}};
  if (!plan) return found;
  var names = Object.keys(plan.groups);
  names.forEach(function (group) { found.reuse[group] = []; found.fresh[group] = []; });
  nachtwachtRegions.again().forEach(function (region, i) {
    var known = (plan.reuse || {})[i] || {}, before = (plan.keys || [])[i] || {};
    names.forEach(function (group) {
      var key = region[group];
      if (!key) return;
      var item = {index: i, element: region.element, key: key, group: group,
                  apart: region.apart};
      // target-size's stored results hold when no target from outside is near, or when
      // every element of the region passed on its own size (not on its distance to others).
      var holds = group !== 'spacing' || (known[group] && (known[group].free ||
                                                           (known[group].apart && region.apart)));
      if (known[group] && before[group] === key && holds) {
        item.stored = known[group].rules;
        found.reuse[group].push(item);
      } else {
        found.fresh[group].push(item);
      }
    });
  });
  return found;
};

// The rules of each group that axe's own metadata lets run on a part of the page: no
// page-level rule and no rule with a check that combines elements afterwards.
var groups = function () {
  var ids = {}, found = {};
  axe._audit.rules.forEach(function (rule) {
    var checks = [].concat(rule.any, rule.all, rule.none).map(function (c) {
      return axe._audit.checks[c.id || c];
    });
    ids[rule.id] = !rule.pageLevel && checks.every(function (c) { return c && !c.after; });
  });
  Object.keys((plan && plan.groups) || {}).forEach(function (group) {
    found[group] = plan.groups[group].filter(function (id) { return ids[id]; });
  });
  return found;
};

// One axe run per set of excluded regions (groups that take over the same regions share
// one), then every other rule over the whole page: the page as today when nothing is
// taken over.
var runs = function (regions, rulesOf) {
  var list = [], taken = [], bySet = {};
  Object.keys(regions.reuse).forEach(function (group) {
    var items = regions.reuse[group];
    if (!items.length) return;
    var set = items.map(function (item) { return item.index; }).join();
    if (!bySet[set]) {
      bySet[set] = {only: [], reused: []};
      list.push(bySet[set]);
    }
    bySet[set].only = bySet[set].only.concat(rulesOf[group]);
    bySet[set].reused = bySet[set].reused.concat(items);
    taken = taken.concat(rulesOf[group]);
  });
  var all = axe.getRules().map(function (rule) { return rule.ruleId; });
  list.push({only: taken.length ? all.filter(function (id) { return taken.indexOf(id) < 0; }) : null,
             reused: []});
  return list;
};

var optionsFor = function (run) {
  if (!run.only) return options;
  var own = {}, rulesOption = {};
  Object.keys(options).forEach(function (key) { own[key] = options[key]; });
  Object.keys(options.rules || {}).forEach(function (id) { rulesOption[id] = options.rules[id]; });
  axe.getRules().forEach(function (rule) {
    if (run.only.indexOf(rule.ruleId) < 0) rulesOption[rule.ruleId] = {enabled: false};
  });
  own.rules = rulesOption;
  return own;
};

var contextFor = function (run) {
  var parts = exclude.map(function (s) { return [s]; });
  run.reused.forEach(function (item) {
    if (parts.indexOf(item.element) < 0) parts.push(item.element);
  });
  return parts.length ? {exclude: parts} : document;
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
      var aggregate = axe.utils.aggregateResult(raw);
      var passes = {}, found = {violations: {}, incomplete: {}, passes: {}};
      ['violations', 'incomplete', 'passes'].forEach(function (kind) {
        aggregate[kind].forEach(function (rule) {
          found[kind][rule.id] = rule.nodes.map(function (n) { return n.node && n.node.element; });
        });
      });
      aggregate.passes.forEach(function (rule) {
        passes[rule.id] = rule.nodes.length;
      });
      found.sized = [];  // elements that target-size did not pass on their own size
      ['violations', 'incomplete', 'passes'].forEach(function (kind) {
        aggregate[kind].forEach(function (rule) {
          if (rule.id !== 'target-size') return;
          rule.nodes.forEach(function (n) {
            var own = (n.any || []).some(function (c) { return c.id === 'target-size' && c.result === true; });
            if (!own && n.node) found.sized.push(n.node.element);
          });
        });
      });
      axe.getReporter('v1')(raw, opts, function (results) {
        results.passCounts = passes;
        var run = window.__nachtwachtRun;
        if (run && run.process) {
          run.process(results, found);  // while axe still knows the page's selectors
        }
        resolve(results);
      }, reject);
    });
  }
  var audit = {result: null, waiter: null};
  var finish = function (result) {
    window.__nachtwachtRun = null;
    audit.result = result;
    if (audit.waiter) {
      audit.waiter(result);
    }
  };
  var regions = survey(), rulesOf = groups();
  var fresh = [];
  Object.keys(regions.fresh).forEach(function (group) { fresh = fresh.concat(regions.fresh[group]); });
  var harvested = fresh.map(function (item) {
    return {index: item.index, group: item.group, key: item.key, rules: {},
            apart: item.apart, free: true};
  });
  var total = {violations: [], incomplete: [], passes: [], passCounts: {}, inapplicable: []};
  var reused = 0;
  var each = runs(regions, rulesOf).map(function (run) {
    run.process = function (results, found) {
      fresh.forEach(function (item, i) {
        var only = rulesOf[item.group].filter(function (id) {
          return !run.only || run.only.indexOf(id) >= 0;
        });
        harvest(results, found, found.passes, item.element, only, harvested[i].rules);
        if (only.indexOf('target-size') >= 0 && found.sized.some(function (el) {
          return item.element.contains(el);
        })) {
          harvested[i].free = false;
        }
      });
      var touched = [];
      run.reused.forEach(function (item) {
        touched = touched.concat(transplant(results, found, results.passCounts, item.element,
                                            item.stored));
      });
      settle(results, touched);
      reused += run.reused.length;
    };
    return run;
  });
  var url = null, version = null;
  var step = function (index) {
    if (index === each.length) {
      finish({url: url, version: version, violations: rules(total.violations),
              incomplete: rules(total.incomplete), passes: rules(total.passes, total.passCounts),
              inapplicable: total.inapplicable, regions: harvested, reused: reused});
      return;
    }
    var run = each[index];
    window.__nachtwachtRun = run;
    axe.run(contextFor(run), optionsFor(run)).then(function (r) {
      url = url || r.url;
      version = version || r.testEngine.version;
      ['violations', 'incomplete', 'passes'].forEach(function (kind) {
        total[kind] = total[kind].concat(r[kind]);
      });
      Object.keys(r.passCounts).forEach(function (id) { total.passCounts[id] = r.passCounts[id]; });
      total.inapplicable = total.inapplicable.concat(r.inapplicable.map(function (rule) { return rule.id; }));
      step(index + 1);
    }, function (error) {
      finish({failed: message(error)});
    });
  };
  step(0);
  return audit;
};

try {
  var audit = window.__nachtwachtAudit;
  if (command === 'regions') {
    answer({regions: onSite() && document.getElementsByTagName('*').length <= limits.elements ?
      nachtwachtRegions.survey().map(function (r) {
        return {local: r.local, geo: r.geo, spacing: r.spacing};
      }) : []});
  } else {
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
  }
} catch (error) {
  answer({failed: message(error)});
}
