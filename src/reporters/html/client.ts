/**
 * The report's script, inlined in the page: renders the searchable, sortable, paged tables from the JSON
 * data embedded once in the page (see data.ts). Only one page of rows is in the DOM at a time, so 10,000
 * components filter and sort at once. Plain ES2020, no library; it must never contain a closing script
 * tag or an HTML comment opener (checked by the tests). Column definitions are keyed by the ids the data
 * lists in `columns`: a new column is one more definition here.
 */
import { UNSAFE_IN_TEXT } from '../../core/unsafe-text.js';

export const CLIENT_SCRIPT = String.raw`(function () {
'use strict';
var source = document.getElementById('report-data');
if (!source) return;
var data = JSON.parse(source.textContent);
var S = data.strings;
var UNPRINTABLE = new RegExp(${JSON.stringify(UNSAFE_IN_TEXT.source)}, 'g');
var ENTITY = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
var CATEGORY_LABEL = {};
var CATEGORY_ORDER = {};
data.categories.forEach(function (c, i) { CATEGORY_LABEL[c.id] = c.label; CATEGORY_ORDER[c.id] = i; });
var HEALTH_LABEL = {};
var HEALTH_ORDER = {};
(data.healthClasses || []).forEach(function (h, i) { HEALTH_LABEL[h.id] = h.label; HEALTH_ORDER[h.id] = i; });
var NEEDS_PLAN_B = ['EOL', 'ABANDONED', 'AT_RISK'];
var CONFIDENCES = ['authoritative', 'curated', 'inferred', 'suggested'];
var PLANB_STATUS = { options: 'a way out', 'none-found': 'none found', 'not-needed': 'not needed' };
var MAPPING_LABEL = {
  spdx: 'already SPDX', corrected: 'corrected to SPDX', alias: 'alias table', organisation: 'organisation mapping',
  'license-file': 'license file text', curation: 'curation'
};

function esc(value) {
  return String(value).replace(UNPRINTABLE, '?').replace(/[&<>"']/g, function (c) { return ENTITY[c]; });
}
function fmt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
function plural(n, one, many) { return fmt(n) + ' ' + (n === 1 ? one : many || one + 's'); }
function link(href, text) {
  return href ? '<a href="' + esc(href) + '" rel="noopener noreferrer">' + esc(text) + '</a>' : esc(text);
}
function code(text) { return '<code>' + esc(text) + '</code>'; }
function badge(category) {
  return '<span class="cat cat-' + esc(category) + '">' + esc(CATEGORY_LABEL[category] || category) + '</span>';
}
// The value a table above holds for the key, else the fallback (never a property inherited from Object).
function lookup(map, key, fallback) { return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : fallback; }
function healthBadge(h, title) {
  return '<span class="health health-' + esc(h) + '"' + (title ? ' title="' + esc(title) + '"' : '') + '>' +
    esc(lookup(HEALTH_LABEL, h, h)) + '</span>';
}
function tag(text) { return '<span class="tag">' + esc(text) + '</span>'; }
function severity(s, text) { return '<span class="sev-' + esc(s) + '">' + esc(text || s) + '</span>'; }
function dl(term, value) { return '<dt>' + esc(term) + '</dt><dd>' + value + '</dd>'; }
function compareText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
// Digits compared as numbers, the rest as text: 1.10.0 after 1.9.0.
function compareNatural(a, b) {
  var x = String(a).match(/\d+|\D+/g) || [];
  var y = String(b).match(/\d+|\D+/g) || [];
  for (var i = 0; i < x.length && i < y.length; i++) {
    if (x[i] === y[i]) continue;
    var nx = /^\d/.test(x[i]);
    var ny = /^\d/.test(y[i]);
    if (nx && ny && Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
    return compareText(x[i], y[i]);
  }
  return x.length - y.length;
}
function compareKeys(a, b) { return typeof a === 'number' && typeof b === 'number' ? a - b : compareText(a, b); }

var projectById = new Map();
data.projects.forEach(function (p) { projectById.set(p.id, p); });
var subjectByName = new Map();
data.subjects.forEach(function (s) { subjectByName.set(s.name, s); });
function fileLink(projectId, file, line) {
  var project = projectById.get(projectId);
  return subjectFileLink(project && data.subjects[project.subject], file, line);
}
// A subject-relative file, linked at the commit read for a GitHub subject.
function subjectFileLink(subject, file, line, column) {
  var text = file + (line ? ':' + line + (column ? ':' + column : '') : '');
  if (!subject || !subject.blob || file.charAt(0) === '/' || file.split('/').indexOf('..') >= 0) return esc(text);
  return link(subject.blob + file.split('/').map(encodeURIComponent).join('/') + (line ? '#L' + line : ''), text);
}

// ----------------------------------------------------------------------------------------------
// A paged table: filters, search, sort by column, expandable rows. Only the current page is in the DOM.

function createTable(config) {
  var root = document.getElementById(config.id + '-app');
  if (!root) return;
  var rows = config.rows;
  var columns = config.columns;
  var id = function (suffix) { return config.id + '-' + suffix; };
  var texts = rows.map(function (r) { return config.text(r).toLowerCase(); });
  var state = { query: '', filters: {}, sort: config.sort, page: 0, size: 50, expanded: new Set(), view: [] };
  var span = columns.length + (config.detail ? 1 : 0);

  var html = '<div class="controls" role="search" aria-label="' + esc('Filter the ' + config.noun) + '">' +
    '<div class="control"><label for="' + id('search') + '">Search</label><input type="search" id="' + id('search') +
    '" autocomplete="off" spellcheck="false" placeholder="' + esc(config.placeholder) + '"></div>';
  config.filters.forEach(function (f) {
    html += '<div class="control"><label for="' + id('filter-' + f.id) + '">' + esc(f.label) + '</label><select id="' +
      id('filter-' + f.id) + '" data-filter="' + esc(f.id) + '"><option value="">All</option>' +
      f.options.map(function (o) { return '<option value="' + esc(o[0]) + '">' + esc(o[1]) + '</option>'; }).join('') +
      '</select></div>';
  });
  html += '<div class="control"><label for="' + id('size') + '">Rows per page</label><select id="' + id('size') + '">' +
    [25, 50, 100, 250].map(function (n) { return '<option' + (n === state.size ? ' selected' : '') + '>' + n + '</option>'; }).join('') +
    '</select></div></div>' +
    '<p class="status" id="' + id('status') + '" role="status" aria-live="polite"></p>' +
    '<div class="table-scroll"><table id="' + id('table') + '"><caption>' + esc(config.caption) + '</caption><thead><tr>' +
    (config.detail ? '<th scope="col"><span class="visually-hidden">Details</span></th>' : '') +
    columns.map(function (c, i) {
      var label = c.sortable === false ? esc(c.label)
        : '<button type="button" class="sort" data-sort="' + i + '">' + esc(c.label) + '</button>';
      return '<th scope="col" data-column="' + esc(c.id) + '"' + (c.num ? ' class="num"' : '') + '>' + label + '</th>';
    }).join('') +
    '</tr></thead><tbody></tbody></table></div>' +
    '<nav class="pager" aria-label="' + esc(config.noun + ' pages') + '">' +
    '<button type="button" data-page="first">First</button><button type="button" data-page="previous">Previous</button>' +
    '<span id="' + id('page') + '"></span>' +
    '<button type="button" data-page="next">Next</button><button type="button" data-page="last">Last</button></nav>';
  root.innerHTML = html;

  var table = document.getElementById(id('table'));
  var tbody = table.tBodies[0];
  var status = document.getElementById(id('status'));
  var pageLabel = document.getElementById(id('page'));
  var headers = table.tHead.rows[0].querySelectorAll('th[data-column]');
  var pager = root.querySelector('.pager');
  var keys = [];

  function sortKeys(index) {
    if (!keys[index]) keys[index] = rows.map(columns[index].key);
    return keys[index];
  }

  function apply() {
    var terms = state.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var active = config.filters.filter(function (f) { return state.filters[f.id]; });
    var view = [];
    for (var i = 0; i < rows.length; i++) {
      var ok = true;
      for (var t = 0; ok && t < terms.length; t++) ok = texts[i].indexOf(terms[t]) >= 0;
      for (var f = 0; ok && f < active.length; f++) ok = active[f].test(rows[i], state.filters[active[f].id]);
      if (ok) view.push(i);
    }
    if (state.sort) {
      var column = columns[state.sort[0]];
      var k = sortKeys(state.sort[0]);
      var dir = state.sort[1];
      var cmp = column.compare || compareKeys;
      view.sort(function (a, b) { return dir * cmp(k[a], k[b]) || a - b; });
    }
    state.view = view;
    state.page = Math.min(state.page, Math.max(0, Math.ceil(view.length / state.size) - 1));
    render();
  }

  function render(focus) {
    var start = state.page * state.size;
    var slice = state.view.slice(start, start + state.size);
    var out = '';
    slice.forEach(function (i) {
      var r = rows[i];
      var open = state.expanded.has(i);
      out += '<tr' + (open ? ' class="open"' : '') + '>';
      if (config.detail) {
        out += '<td class="expand-cell"><button type="button" class="expand" data-expand="' + i + '" aria-expanded="' + open +
          '"' + (open ? ' aria-controls="' + id('detail-' + i) + '"' : '') + '><span class="visually-hidden">' +
          esc('Details of ' + config.label(r)) + '</span></button></td>';
      }
      columns.forEach(function (c) {
        var cls = c.num ? ' class="num"' : '';
        out += c.rowHeader ? '<th scope="row"' + cls + '>' + c.cell(r) + '</th>' : '<td' + cls + '>' + c.cell(r) + '</td>';
      });
      out += '</tr>';
      if (open) out += '<tr class="detail" id="' + id('detail-' + i) + '"><td colspan="' + span + '">' + config.detail(r) + '</td></tr>';
    });
    if (!slice.length) out = '<tr><td colspan="' + span + '">No ' + esc(config.noun) + ' match.</td></tr>';
    tbody.innerHTML = out;
    var total = rows.length;
    var shown = state.view.length;
    var range = shown ? fmt(start + 1) + '\u2013' + fmt(start + slice.length) : '0';
    status.innerHTML = (shown === total
      ? '<span id="' + id('count') + '">' + fmt(shown) + '</span> ' + esc(config.noun)
      : '<span id="' + id('count') + '">' + fmt(shown) + '</span> of ' + fmt(total) + ' ' + esc(config.noun) + ' match') +
      (shown > slice.length ? ', showing ' + range : '');
    var pages = Math.max(1, Math.ceil(shown / state.size));
    pageLabel.textContent = 'Page ' + fmt(state.page + 1) + ' of ' + fmt(pages);
    pager.querySelector('[data-page=first]').disabled = state.page === 0;
    pager.querySelector('[data-page=previous]').disabled = state.page === 0;
    pager.querySelector('[data-page=next]').disabled = state.page >= pages - 1;
    pager.querySelector('[data-page=last]').disabled = state.page >= pages - 1;
    for (var h = 0; h < headers.length; h++) {
      if (state.sort && state.sort[0] === h) headers[h].setAttribute('aria-sort', state.sort[1] > 0 ? 'ascending' : 'descending');
      else headers[h].removeAttribute('aria-sort');
    }
    if (focus !== undefined) {
      var button = tbody.querySelector('[data-expand="' + focus + '"]');
      if (button) button.focus();
    }
  }

  root.querySelector('#' + id('search')).addEventListener('input', function (event) {
    state.query = event.target.value;
    state.page = 0;
    apply();
  });
  root.querySelectorAll('select[data-filter]').forEach(function (select) {
    select.addEventListener('change', function () {
      state.filters[select.getAttribute('data-filter')] = select.value;
      state.page = 0;
      apply();
    });
  });
  root.querySelector('#' + id('size')).addEventListener('change', function (event) {
    state.size = Number(event.target.value);
    state.page = 0;
    apply();
  });
  table.tHead.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-sort]');
    if (!button) return;
    var index = Number(button.getAttribute('data-sort'));
    var first = columns[index].firstDirection || 1;
    state.sort = state.sort && state.sort[0] === index ? [index, -state.sort[1]] : [index, first];
    state.page = 0;
    apply();
  });
  tbody.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-expand]');
    if (!button) return;
    var i = Number(button.getAttribute('data-expand'));
    if (state.expanded.has(i)) state.expanded.delete(i); else state.expanded.add(i);
    render(i);
  });
  pager.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-page]');
    if (!button) return;
    var pages = Math.max(1, Math.ceil(state.view.length / state.size));
    var move = button.getAttribute('data-page');
    state.page = move === 'first' ? 0 : move === 'last' ? pages - 1
      : Math.min(pages - 1, Math.max(0, state.page + (move === 'next' ? 1 : -1)));
    render();
  });
  apply();
}

// The distinct values with their counts, in text order or by rank.
function options(values, label, rank) {
  var counts = new Map();
  values.forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
  var order = rank ? function (a, b) { return rank(a) - rank(b) || compareText(a, b); } : compareText;
  return Array.from(counts.keys()).sort(order).map(function (v) {
    return [v, (label ? label(v) : v) + ' (' + fmt(counts.get(v)) + ')'];
  });
}
function flat(lists) { return lists.reduce(function (all, l) { return all.concat(l); }, []); }

// ----------------------------------------------------------------------------------------------
// Components

function evidence(l) {
  return link(l.evidenceHref === undefined ? undefined : S[l.evidenceHref], S[l.evidence]);
}
function licenseCell(l) {
  return l.expression ? code(l.expression) : '<span class="muted">none</span>';
}
function usageRows(r) {
  return r.usages.map(function (u) {
    var project = S[u[0]];
    var declared = u[5] !== null ? fileLink(project, S[u[5]], u[6]) : fileLink(project, S[u[1]]);
    return '<tr><th scope="row">' + esc(project) + '</th><td>' + declared + (u[7] !== null ? '<br><span class="muted">' +
      esc('requested ' + S[u[7]]) + '</span>' : '') + '</td><td>' + esc(S[u[2]]) + '<br>' + (u[3] ? 'direct' : 'transitive') +
      '</td><td class="path">' + u[4].map(function (s) { return esc(S[s]); }).join(' \u203a ') + '</td></tr>';
  }).join('');
}
function componentDetail(r) {
  var l = r.license;
  var h = '<div class="detail-grid"><section><h3>License</h3><dl>';
  h += dl('Concluded', l.expression ? code(l.expression) : '<em>none</em>');
  h += dl('Category', badge(l.category) + (l.status === 'unknown' ? ' <span class="muted">(not concluded)</span>' : ''));
  h += dl('Declared', l.declared.length ? l.declared.map(function (d, k) {
    var m = l.mappings && l.mappings[k];
    return code(d) + (m ? ' <span class="muted">' + esc('\u2192 ' + (MAPPING_LABEL[m] || m)) + '</span>' : '');
  }).join('<br>') : '<em>nothing declared</em>');
  if (l.unmapped) h += dl('Unmapped', l.unmapped.map(code).join('<br>'));
  if (l.source) h += dl('Decided by', esc(l.source));
  if (l.evidence !== undefined) h += dl('Evidence', evidence(l));
  if (l.curated) h += dl('Curation', esc(l.curated) + (l.previous ? esc(' (was ' + l.previous + ')') : ''));
  if (l.reason) h += dl('Why', esc(l.reason));
  h += '</dl></section><section><h3>Source</h3><dl>';
  h += dl('purl', code(r.purl));
  h += dl('Kind', esc(r.sourceKind) + (r.mavenType ? esc(', Maven type ' + r.mavenType) : '') + (r.locked ? '' : ', not locked'));
  if (r.repositoryHref) h += dl('Repository', link(r.repositoryHref, r.repositoryHref));
  if (r.homepageHref) h += dl('Homepage', link(r.homepageHref, r.homepageHref));
  if (r.resolvedHref || r.resolved) h += dl('Resolved', link(r.resolvedHref, r.resolvedHref || r.resolved));
  if (r.latest) h += dl('Latest', esc(r.latest));
  if (r.deprecated !== undefined) h += dl('Deprecated', esc(r.deprecated || 'yes'));
  if (r.registryMissing) h += dl('Registry', esc(r.registryMissing));
  if (r.policy) h += dl('Policy', esc(r.policy.verdict + ': ' + r.policy.rule));
  h += '</dl></section>' + healthDetail(r) + '<section class="wide"><h3>' + esc('Used by ' + plural(r.projects, 'project') + ' (' +
    plural(r.usages.length, 'usage') + ')') + '</h3><div class="table-scroll"><table class="usages"><caption class="visually-hidden">' +
    esc('Usages of ' + r.name + ' ' + r.version) + '</caption><thead><tr><th scope="col">Project</th><th scope="col">Declared in</th>' +
    '<th scope="col">Scopes</th><th scope="col">Dependency path</th></tr></thead><tbody>' + usageRows(r) + '</tbody></table></div></section></div>';
  return h;
}

function healthRank(h) { return lookup(HEALTH_ORDER, h, 98); }
function reasonsText(health) {
  return health.reasons.map(function (x) { return S[x[0]] + ': ' + S[x[1]]; }).join('\n');
}
// The first way out: the best option that is not a survival plan.
function wayOut(planB) {
  if (!planB) return undefined;
  for (var i = 0; i < planB.options.length; i++) if (planB.options[i].kind !== 'survive') return planB.options[i];
  return undefined;
}
function optionTarget(o) { return o.target !== undefined ? o.target : o.label !== undefined ? S[o.label] : ''; }
function statusText(status) { return lookup(PLANB_STATUS, status, status); }
function planBCell(r) {
  var o = wayOut(r.planB);
  if (!o) return r.planB ? '<span class="muted">' + esc(statusText(r.planB.status)) + '</span>' : '';
  return (o.target !== undefined ? code(o.target) : esc(optionTarget(o))) + ' <span class="muted">(' + esc(o.confidence) + ')</span>' +
    (o.flags ? ' ' + o.flags.map(tag).join(' ') : '');
}
function planBKey(r) {
  var o = wayOut(r.planB);
  if (o) {
    var rank = CONFIDENCES.indexOf(o.confidence);
    return (rank < 0 ? 4 : rank) + ' ' + optionTarget(o).toLowerCase();
  }
  return !r.planB ? '7' : r.planB.status === 'none-found' ? '5' : '6';
}
function optionItem(o) {
  var what = o.target !== undefined ? code(o.target) : o.label !== undefined ? esc(S[o.label]) : '';
  var facts = ['from ' + esc(S[o.source])];
  if (o.evidence !== undefined) facts.push('evidence: ' + link(o.evidenceHref === undefined ? undefined : S[o.evidenceHref], S[o.evidence]));
  if (o.effort) facts.push(esc('effort ' + o.effort));
  if (o.targetLicense) facts.push('license ' + code(o.targetLicense));
  if (o.flags) facts.push(o.flags.map(tag).join(' '));
  return '<li><strong>' + esc(o.kind) + '</strong> ' + what + ' <span class="muted">(' + esc(o.confidence) + ')</span><br>' +
    '<span class="muted">' + facts.join(' \u00b7 ') + '</span></li>';
}
function healthDetail(r) {
  var h = r.health;
  var out = '';
  if (h) {
    var e = h.exposure;
    out += '<section><h3>Health</h3><dl>';
    out += dl('Class', healthBadge(h.class));
    out += dl('Why', h.reasons.length ? '<ul class="reasons">' + h.reasons.map(function (x) {
      return '<li>' + code(S[x[0]]) + ' ' + esc(S[x[1]]) + '</li>';
    }).join('') + '</ul>' : '<em>no reason recorded</em>');
    out += dl('Exposure', esc(plural(e[0], 'project') + ', ' + fmt(e[1]) + ' directly, ' + fmt(e[2]) + ' at run time' +
      (e[3] ? '; only to build and test' : '')));
    out += dl('Plan-B priority', esc(fmt(h.priority)));
    out += '</dl></section>';
  }
  var p = r.planB;
  if (p) {
    out += '<section class="wide"><h3>Plan B</h3>';
    out += p.status === 'not-needed' && !p.options.length ? '<p>Not needed: the component is not at risk and nothing is known to replace it.</p>'
      : p.status === 'none-found' ? '<p>No way out found: only survival plans.</p>' : '';
    if (p.options.length) out += '<ol class="options">' + p.options.map(optionItem).join('') + '</ol>';
    out += '</section>';
  }
  return out;
}

var COMPONENT_COLUMNS = {
  component: { label: 'Component', rowHeader: true, key: function (r) { return r.name.toLowerCase(); },
    cell: function (r) { return link(r.repositoryHref || r.homepageHref, r.name); } },
  version: { label: 'Version', key: function (r) { return r.version; }, compare: compareNatural,
    cell: function (r) { return esc(r.version) + (r.locked ? '' : ' <span class="tag">range</span>'); } },
  ecosystem: { label: 'Ecosystem', key: function (r) { return r.ecosystem; }, cell: function (r) { return esc(r.ecosystem); } },
  license: { label: 'License', key: function (r) { return (r.license.expression || '\uffff').toLowerCase(); },
    cell: function (r) { return licenseCell(r.license); } },
  category: { label: 'Category', key: function (r) { return CATEGORY_ORDER[r.license.category]; },
    cell: function (r) { return badge(r.license.category); } },
  scopes: { label: 'Scopes', key: function (r) { return r.scopes.join(', '); }, cell: function (r) { return esc(r.scopes.join(', ')); } },
  direct: { label: 'Direct', key: function (r) { return r.direct ? 0 : 1; },
    cell: function (r) { return r.direct ? 'direct' : 'transitive'; } },
  usedBy: { label: 'Used by', num: true, firstDirection: -1, key: function (r) { return r.projects; },
    cell: function (r) { return fmt(r.projects); } },
  health: { label: 'Health', key: function (r) { return r.health ? healthRank(r.health.class) : 99; },
    cell: function (r) { return r.health ? healthBadge(r.health.class, reasonsText(r.health)) : ''; } },
  planB: { label: 'Plan B', key: planBKey, cell: planBCell },
  policy: { label: 'Policy', key: function (r) { return r.policy ? r.policy.verdict : '\uffff'; },
    cell: function (r) { return r.policy ? severity(r.policy.severity, r.policy.verdict) : ''; } }
};

function componentsTable() {
  var rows = data.components;
  var projectIndex = new Map();
  S.forEach(function (s, i) { if (projectById.has(s)) projectIndex.set(s, i); });
  var filters = [
    { id: 'category', label: 'License category', options: options(rows.map(function (r) { return r.license.category; }),
      function (c) { return CATEGORY_LABEL[c] || c; }),
      test: function (r, v) { return r.license.category === v; } },
    { id: 'ecosystem', label: 'Ecosystem', options: options(rows.map(function (r) { return r.ecosystem; })),
      test: function (r, v) { return r.ecosystem === v; } },
    { id: 'scope', label: 'Scope', options: options(flat(rows.map(function (r) { return r.scopes; }))),
      test: function (r, v) { return r.scopes.indexOf(v) >= 0; } },
    { id: 'direct', label: 'Direct', options: [['direct', 'direct'], ['transitive', 'transitive']],
      test: function (r, v) { return r.direct === (v === 'direct'); } },
    { id: 'project', label: 'Project', options: data.projects.map(function (p) { return [p.id, p.id]; }),
      test: function (r, v) {
        var p = projectIndex.get(v);
        return r.usages.some(function (u) { return u[0] === p; });
      } }
  ];
  if (data.columns.indexOf('health') >= 0) {
    var needing = rows.filter(function (r) { return r.health && NEEDS_PLAN_B.indexOf(r.health.class) >= 0; }).length;
    filters.push({ id: 'health', label: 'Health',
      options: [['needs-plan-b', 'Needs a plan B (' + fmt(needing) + ')']].concat(options(rows.filter(function (r) { return r.health; })
        .map(function (r) { return r.health.class; }), function (h) { return lookup(HEALTH_LABEL, h, h); }, healthRank)),
      test: function (r, v) {
        return !!r.health && (v === 'needs-plan-b' ? NEEDS_PLAN_B.indexOf(r.health.class) >= 0 : r.health.class === v);
      } });
    filters.push({ id: 'planb', label: 'Plan B', options: options(rows.filter(function (r) { return r.planB; })
      .map(function (r) { return r.planB.status; }), statusText, function (s) { return ['options', 'none-found', 'not-needed'].indexOf(s); }),
      test: function (r, v) { return !!r.planB && r.planB.status === v; } });
  }
  if (data.columns.indexOf('policy') >= 0) {
    filters.push({ id: 'policy', label: 'Policy', options: options(rows.filter(function (r) { return r.policy; })
      .map(function (r) { return r.policy.verdict; })), test: function (r, v) { return !!r.policy && r.policy.verdict === v; } });
  }
  createTable({
    id: 'components', noun: 'components', rows: rows,
    caption: 'Components: open a row for its license evidence, source and every usage',
    placeholder: 'name, version, purl or license',
    columns: data.columns.map(function (c) { var d = COMPONENT_COLUMNS[c]; d.id = c; return d; }),
    sort: [0, 1], filters: filters,
    text: function (r) { return [r.name, r.version, r.purl, r.license.expression || ''].concat(r.license.declared).join('\n'); },
    label: function (r) { return r.name + ' ' + r.version; },
    detail: componentDetail
  });
}

// ----------------------------------------------------------------------------------------------
// Projects

function projectDetail(p) {
  var subject = data.subjects[p.subject];
  var h = '<div class="detail-grid"><section><h3>Project</h3><dl>';
  h += dl('Id', code(p.id));
  h += dl('Subject', subject ? link(subject.href, subject.name) + ' <span class="muted">' + esc(subject.location) + '</span>' : '');
  h += dl('Folder', p.folderHref ? link(p.folderHref, p.path) : esc(p.path));
  h += dl('Manifests', p.manifests.map(function (m) { return fileLink(p.id, m); }).join('<br>'));
  h += dl('Locked', p.locked ? 'yes' : 'no: no lockfile covers it, its dependencies are ranges');
  if (p.workspaceRoot) h += dl('Workspace of', esc(p.workspaceRoot));
  if (p.publishes) h += dl('Publishes', p.publishes.map(code).join('<br>'));
  h += '</dl></section><section><h3>License</h3><dl>';
  var l = p.license;
  if (!l) h += dl('License', '<em>none found</em>');
  else {
    h += dl('Concluded', l.expression ? code(l.expression) + ' ' + badge(l.category) : '<em>none</em>');
    h += dl('Declared', l.declared.length ? l.declared.map(code).join('<br>') : '<em>nothing declared</em>');
    if (l.evidence !== undefined) h += dl('Evidence', evidence(l));
    if (l.detected.length) h += dl('Detected', l.detected.map(function (d) {
      return code(d.expression) + ' in ' + fileLink(p.id, d.file) + ' <span class="muted">' + Math.round(d.confidence * 100) + '%</span>';
    }).join('<br>'));
    if (l.github) h += dl('GitHub says', code(l.github));
    if (l.conflict) h += dl('Conflict', esc(l.conflict));
    if (l.reason) h += dl('Why', esc(l.reason));
  }
  return h + '</dl></section></div>';
}

function projectsTable() {
  var rows = data.projects;
  createTable({
    id: 'projects', noun: 'projects', rows: rows,
    caption: 'First-party projects: open a row for its manifests and license evidence',
    placeholder: 'id, name or license',
    columns: [
      { id: 'project', label: 'Project', rowHeader: true, key: function (p) { return (p.name || p.id).toLowerCase(); },
        cell: function (p) {
          return esc(p.name ? p.name + (p.version ? ' ' + p.version : '') : p.path) + '<span class="id">' + esc(p.id) + '</span>';
        } },
      { id: 'ecosystem', label: 'Ecosystem', key: function (p) { return p.ecosystem; }, cell: function (p) { return esc(p.ecosystem); } },
      { id: 'license', label: 'License', key: function (p) { return p.license && p.license.expression ? p.license.expression.toLowerCase() : '\uffff'; },
        cell: function (p) {
          return p.license ? licenseCell(p.license) + ' ' + badge(p.license.category) + (p.license.conflict ? ' <span class="tag">conflict</span>' : '')
            : '<span class="muted">none</span>';
        } },
      { id: 'components', label: 'Components', num: true, firstDirection: -1, key: function (p) { return p.components; },
        cell: function (p) { return fmt(p.components); } },
      { id: 'direct', label: 'Direct deps', num: true, firstDirection: -1, key: function (p) { return p.direct; },
        cell: function (p) { return fmt(p.direct); } },
      { id: 'unknown', label: 'Unknown licenses', num: true, firstDirection: -1, key: function (p) { return p.unknown; },
        cell: function (p) { return fmt(p.unknown); } },
      { id: 'locked', label: 'Locked', key: function (p) { return p.locked ? 0 : 1; }, cell: function (p) { return p.locked ? 'yes' : 'no'; } },
      { id: 'repository', label: 'Repository', sortable: false, key: function () { return ''; },
        cell: function (p) {
          return p.folderHref ? '<a href="' + esc(p.folderHref) + '" rel="noopener noreferrer">repository<span class="visually-hidden"> ' +
            esc('of ' + p.id) + '</span></a>' : '';
        } }
    ].filter(function (c) { return c.id !== 'repository' || rows.some(function (p) { return p.folderHref; }); }),
    sort: [0, 1],
    filters: [
      { id: 'ecosystem', label: 'Ecosystem', options: options(rows.map(function (p) { return p.ecosystem; })),
        test: function (p, v) { return p.ecosystem === v; } },
      { id: 'subject', label: 'Subject', options: options(rows.map(function (p) { return data.subjects[p.subject] ? data.subjects[p.subject].name : ''; })),
        test: function (p, v) { return !!data.subjects[p.subject] && data.subjects[p.subject].name === v; } }
    ],
    text: function (p) { return [p.id, p.name || '', p.version || '', p.license && p.license.expression || ''].join('\n'); },
    label: function (p) { return p.id; },
    detail: projectDetail
  });
}

// ----------------------------------------------------------------------------------------------
// Problems and policy violations

function problemsTable() {
  var rows = data.problems;
  createTable({
    id: 'problems', noun: 'problems', rows: rows,
    caption: 'Everything that could not be read, parsed or resolved',
    placeholder: 'code, file or message',
    columns: [
      { id: 'severity', label: 'Severity', key: function (p) { return ['error', 'warning', 'info'].indexOf(p.severity); },
        cell: function (p) { return severity(p.severity); } },
      { id: 'code', label: 'Code', rowHeader: true, key: function (p) { return p.code; }, cell: function (p) { return code(p.code); } },
      { id: 'where', label: 'Where', key: function (p) { return (p.subject || '') + ' ' + (p.file || ''); },
        cell: function (p) {
          var where = p.file ? subjectFileLink(subjectByName.get(p.subject), p.file, p.line, p.column) : '';
          return (p.subject ? esc(p.subject) + '<br>' : '') + '<span class="path">' + where + '</span>';
        } },
      { id: 'message', label: 'Message', key: function (p) { return p.message; },
        cell: function (p) { return esc(p.message) + (p.hint ? '<br><span class="muted">' + esc(p.hint) + '</span>' : ''); } }
    ],
    sort: [0, 1],
    filters: [
      { id: 'severity', label: 'Severity', options: options(rows.map(function (p) { return p.severity; })),
        test: function (p, v) { return p.severity === v; } },
      { id: 'code', label: 'Code', options: options(rows.map(function (p) { return p.code; })),
        test: function (p, v) { return p.code === v; } }
    ],
    text: function (p) { return [p.code, p.message, p.subject || '', p.file || ''].join('\n'); },
    label: function (p) { return p.code; }
  });
}

function violationDetail(v) {
  var h = '<div class="detail-grid"><section><h3>License</h3><dl>';
  h += dl('Concluded', v.license ? code(v.license) + (v.category ? ' ' + badge(v.category) : '') : '<em>none</em>');
  h += dl('Declared', v.declared.length ? v.declared.map(code).join('<br>') : '<em>nothing declared</em>');
  h += dl('At fault', v.offending.map(code).join(', '));
  if (v.evidence) h += dl('Evidence', esc(v.evidence));
  h += dl('Rule', esc(v.rule));
  if (v.expiredWaiver) h += dl('Waiver', esc(v.expiredWaiver));
  h += '</dl></section><section><h3>To waive it</h3><pre>' + esc(v.waiverSnippet) + '</pre></section>';
  h += '<section class="wide"><h3>Brought in by</h3><div class="table-scroll"><table class="usages"><caption class="visually-hidden">' +
    esc('Usages of ' + v.name + ' ' + v.version) + '</caption><thead><tr><th scope="col">Project</th><th scope="col">Declared in</th>' +
    '<th scope="col">Scopes</th><th scope="col">Dependency path</th></tr></thead><tbody>' +
    v.usages.map(function (u) {
      return '<tr><th scope="row">' + esc(u.project) + '</th><td>' +
        (u.declaredAt ? fileLink(u.project, u.declaredAt.file, u.declaredAt.line) : fileLink(u.project, u.manifest)) + '</td><td>' +
        esc(u.scopes.join(', ')) + '<br>' + (u.direct ? 'direct' : 'transitive') + '</td><td class="path">' +
        u.path.map(esc).join(' \u203a ') + '</td></tr>';
    }).join('') + '</tbody></table></div></section></div>';
  return h;
}

function violationsTable() {
  var rows = data.violations;
  if (!rows) return;
  createTable({
    id: 'violations', noun: 'violations', rows: rows,
    caption: 'Policy violations: open a row for the dependency paths and a waiver to paste',
    placeholder: 'component, license or rule',
    columns: [
      { id: 'severity', label: 'Severity', key: function (v) { return (v.preexisting ? 2 : 0) + (v.severity === 'error' ? 0 : 1); },
        cell: function (v) { return severity(v.severity) + (v.preexisting ? ' <span class="tag">already there</span>' : ''); } },
      { id: 'component', label: 'Component', rowHeader: true, key: function (v) { return v.name.toLowerCase(); },
        cell: function (v) { return esc(v.name + ' ' + v.version); } },
      { id: 'license', label: 'License', key: function (v) { return (v.license || '\uffff').toLowerCase(); },
        cell: function (v) { return v.license ? code(v.license) : '<span class="muted">none</span>'; } },
      { id: 'verdict', label: 'Verdict', key: function (v) { return v.verdict; }, cell: function (v) { return esc(v.verdict); } },
      { id: 'rule', label: 'Rule', key: function (v) { return v.rule; }, cell: function (v) { return esc(v.rule); } },
      { id: 'projects', label: 'Projects', num: true, firstDirection: -1,
        key: function (v) { return new Set(v.usages.map(function (u) { return u.project; })).size; },
        cell: function (v) { return fmt(new Set(v.usages.map(function (u) { return u.project; })).size); } }
    ],
    sort: [0, 1],
    filters: [
      { id: 'severity', label: 'Severity', options: options(rows.map(function (v) { return v.severity; })),
        test: function (v, x) { return v.severity === x; } },
      { id: 'verdict', label: 'Verdict', options: options(rows.map(function (v) { return v.verdict; })),
        test: function (v, x) { return v.verdict === x; } }
    ],
    text: function (v) { return [v.name, v.version, v.purl, v.license || '', v.rule].join('\n'); },
    label: function (v) { return v.name + ' ' + v.version; },
    detail: violationDetail
  });
}

componentsTable();
projectsTable();
problemsTable();
violationsTable();
document.documentElement.setAttribute('data-ready', 'true');
})();
`;
