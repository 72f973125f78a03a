/**
 * `preflight fleet --format html`: one self-contained page for a fleet. A
 * matrix of nodes × rules coloured by outcome, each cell linking to its
 * findings and their fixes, the settings where nodes differ, sorting and
 * filters. No network: the data, the style and the script are in the page,
 * and its Content-Security-Policy allows nothing else. Pure.
 */
import type { Report } from '../engine/types.js';
import type { FleetSettings } from './fleet.js';

/** One node of the page: its label (the snapshot file or root given) and its report. */
export interface FleetNode {
  label: string;
  report: Report;
}

/**
 * Outcome letters, worst first: E/W/I a failed rule of that severity, V waived
 * or ignored, P passed, N not applicable, S skipped. Every node is judged with
 * the same checklist, so every node has a result for every rule.
 */
const OUTCOMES = ['E', 'W', 'I', 'V', 'P', 'N', 'S'] as const;
type Outcome = (typeof OUTCOMES)[number];

function outcomeOf(r: Report['results'][number]): Outcome {
  if (r.status === 'fail') return r.severity === 'error' ? 'E' : r.severity === 'warning' ? 'W' : 'I';
  return ({ waived: 'V', pass: 'P', 'not-applicable': 'N', skipped: 'S' } as const)[r.status];
}

/** The page's data: compact, so 500 nodes stay a small page (one letter per cell, findings only where a rule did not pass). */
interface PageData {
  rules: { id: string; title: string }[];
  nodes: { label: string; ready: boolean; blocking: number; cells: string; findings: Record<number, { m: string; f: string; w?: string }[]> }[];
  outliers: Record<string, { setting: string; value: string; majority: string; count: number }[]>;
  split: { setting: string; values: [string, string][] }[];
}

const show = (v: { value: string; source?: string } | null): string =>
  v === null || v.value === 'null' ? 'not set' : v.source === undefined ? v.value : `${v.value} (from ${v.source})`;

function pageData(fleet: FleetSettings, nodes: readonly FleetNode[]): PageData {
  // Reports list their results sorted by id; with one checklist, the same rules in the same order on every node.
  const rules = nodes[0]!.report.results.map((r) => ({ id: r.id, title: r.title }));
  return {
    rules,
    nodes: nodes.map(({ label, report }) => {
      const findings: PageData['nodes'][number]['findings'] = {};
      report.results.forEach((r, i) => {
        if (r.status === 'pass') return;
        const violations = r.violations.length > 0 ? r.violations : [{ message: r.message, evidence: r.evidence, fix: undefined }];
        findings[i] = violations.map((v) => ({
          m: v.message,
          f: r.status === 'fail' || r.status === 'waived' ? (v.fix ?? r.remediation) : '',
          ...(v.evidence.file ? { w: v.evidence.line ? `${v.evidence.file}:${v.evidence.line}` : v.evidence.file } : {}),
        }));
      });
      return { label, ready: report.summary.ready, blocking: report.summary.blocking, cells: report.results.map(outcomeOf).join(''), findings };
    }),
    outliers: Object.fromEntries(
      Object.entries(fleet.outliers).map(([node, list]) => [
        node,
        list.map((o) => ({
          setting: o.setting,
          value: show(o.value),
          majority: o.majority.value === null || o.majority.value === 'null' ? 'not set' : o.majority.value,
          count: o.majority.count,
        })),
      ]),
    ),
    split: fleet.split.map((s) => ({ setting: s.setting, values: Object.entries(s.values).map(([node, v]) => [node, show(v)]) })),
  };
}

/** JSON safe inside a <script> element: no `</script>` or `<!--` can end it early. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1b1b}
h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.4em 0 .4em}
.controls{display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center;margin:.6em 0}
.matrix{border-collapse:collapse;font-size:12px}
.matrix th,.matrix td{border:1px solid #ddd;padding:0}
.matrix thead th{position:sticky;top:0;background:#f6f6f6;cursor:pointer;white-space:nowrap}
.matrix thead th.rule{writing-mode:vertical-rl;transform:rotate(180deg);padding:.3em .1em;font-weight:normal;max-height:16em}
.matrix td.node{padding:.1em .5em;white-space:nowrap;max-width:28em;overflow:hidden;text-overflow:ellipsis}
.matrix td.count{text-align:right;padding:0 .5em}
.c{display:block;width:16px;height:16px;text-decoration:none}
.E{background:#d93025}.W{background:#f29900}.I{background:#8ab4f8}.V{background:#b39ddb}.P{background:#81c995}.N{background:#eee}.S{background:#f8f8f8}
.legend label{margin-right:.9em}.legend span{display:inline-block;width:12px;height:12px;vertical-align:middle;margin:0 .3em}
#finding{position:fixed;z-index:10;right:1em;bottom:1em;max-width:52em;max-height:45vh;overflow:auto;border:1px solid #bbb;border-radius:4px;padding:.6em 1em;background:#fff;box-shadow:0 2px 10px rgba(0,0,0,.2)}
#finding .close{float:right;text-decoration:none;font-size:1.2em}
#finding:empty{display:none}
#finding .fix{color:#0b57d0}
table.settings{border-collapse:collapse}table.settings td,table.settings th{border:1px solid #ddd;padding:.2em .6em;text-align:left;vertical-align:top}
code{font-family:ui-monospace,monospace}
`;

const SCRIPT = `
const D = JSON.parse(document.getElementById('fleet-data').textContent);
const NAMES = {E:'error',W:'warning',I:'info',V:'waived or ignored',P:'passed',N:'not applicable',S:'skipped'};
const RANK = 'EWIVPNS';
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'})[c]);
let order = D.nodes.map((_, i) => i);
let sortKey = 'blocking', sortDir = -1;
function visibleStatuses() { return new Set([...document.querySelectorAll('input[name=status]:checked')].map((e) => e.value)); }
function render() {
  const t0 = performance.now();
  const show = visibleStatuses();
  const text = document.getElementById('node-filter').value.toLowerCase();
  const readiness = document.getElementById('readiness').value;
  const rows = [];
  for (const i of order) {
    const n = D.nodes[i];
    if (text && !n.label.toLowerCase().includes(text)) continue;
    if (readiness === 'ready' && !n.ready) continue;
    if (readiness === 'not-ready' && n.ready) continue;
    let cells = '';
    for (let j = 0; j < n.cells.length; j++) {
      const o = n.cells[j];
      cells += show.has(o) ? '<td><a class="c ' + o + '" href="#n' + i + 'r' + j + '" title="' + esc(D.rules[j].id + ': ' + NAMES[o]) + '"></a></td>' : '<td></td>';
    }
    rows.push('<tr data-node="' + i + '"><td class="node" title="' + esc(n.label) + '">' + esc(n.label) + '</td><td class="count">' + (n.ready ? 'ready' : n.blocking) + '</td>' + cells + '</tr>');
  }
  document.getElementById('rows').innerHTML = rows.join('');
  document.getElementById('shown').textContent = rows.length + ' of ' + D.nodes.length + ' nodes shown';
  document.body.dataset.renderMs = String(Math.round(performance.now() - t0));
}
function sortBy(key) {
  sortDir = key === sortKey ? -sortDir : key === 'node' ? 1 : -1;
  sortKey = key;
  const val = (i) => key === 'node' ? D.nodes[i].label : key === 'blocking' ? (D.nodes[i].ready ? -1 : D.nodes[i].blocking) : -RANK.indexOf(D.nodes[i].cells[key]);
  order.sort((a, b) => { const x = val(a), y = val(b); return (x < y ? -1 : x > y ? 1 : a - b) * (x === y ? 1 : sortDir); });
  render();
}
function showFinding() {
  const m = /^#n(\\d+)r(\\d+)$/.exec(location.hash);
  const box = document.getElementById('finding');
  if (!m) { box.innerHTML = ''; return; }
  const n = D.nodes[+m[1]], rule = D.rules[+m[2]];
  if (!n || !rule) { box.innerHTML = ''; return; }
  const o = n.cells[+m[2]];
  const items = (n.findings[m[2]] || []).map((f) => '<li><span class="msg">' + esc(f.m) + '</span>' + (f.w ? ' <code>' + esc(f.w) + '</code>' : '') + (f.f ? '<br><span class="fix">fix: ' + esc(f.f) + '</span>' : '') + '</li>').join('');
  box.innerHTML = '<a class="close" href="#" title="close">×</a><strong>' + esc(n.label) + '</strong> · <code>' + esc(rule.id) + '</code> · ' + esc(NAMES[o]) + '<div>' + esc(rule.title) + '</div>' + (items ? '<ul>' + items + '</ul>' : '');
}
const head = document.getElementById('head');
head.innerHTML = '<th data-sort="node">Node</th><th data-sort="blocking">Blocking</th>' + D.rules.map((r, j) => '<th class="rule" data-sort="' + j + '" title="' + esc(r.title) + '">' + esc(r.id) + '</th>').join('');
head.addEventListener('click', (e) => { const th = e.target.closest('th'); if (th) sortBy(th.dataset.sort); });
for (const el of document.querySelectorAll('.controls input, .controls select')) el.addEventListener('input', render);
window.addEventListener('hashchange', showFinding);
sortKey = ''; sortBy('blocking');
showFinding();
document.body.dataset.readyMs = String(Math.round(performance.now()));
document.body.dataset.rendered = 'true';
`;

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function settingsSection(data: PageData): string {
  const parts: string[] = ['<h2 id="settings">Settings where nodes differ</h2>'];
  const outlying = Object.entries(data.outliers);
  if (outlying.length === 0 && data.split.length === 0) parts.push('<p>Every compared setting has the same value on all nodes.</p>');
  if (outlying.length > 0) {
    // One row per setting and value: a fleet of 500 with one stale drop-in on 143 nodes is one row, not 143.
    const groups = new Map<string, { setting: string; value: string; majority: string; count: number; nodes: string[] }>();
    for (const [node, list] of outlying)
      for (const o of list) {
        const key = JSON.stringify([o.setting, o.value, o.majority]);
        const g = groups.get(key) ?? { ...o, nodes: [] };
        g.nodes.push(node);
        groups.set(key, g);
      }
    parts.push('<table class="settings" id="outliers"><tr><th>Setting</th><th>Value on these nodes</th><th>Nodes</th><th>Most nodes</th></tr>');
    for (const g of groups.values()) {
      const names = g.nodes.map(esc);
      const nodes =
        names.length <= 10
          ? names.join('<br>')
          : `${names.slice(0, 10).join('<br>')}<details><summary>and ${names.length - 10} more</summary>${names.slice(10).join('<br>')}</details>`;
      parts.push(
        `<tr><td>${esc(g.setting)}</td><td><code>${esc(g.value)}</code></td><td>${nodes}</td><td><code>${esc(g.majority)}</code> (${g.count} of ${data.nodes.length})</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  if (data.split.length > 0) {
    parts.push('<h3>Not the same on all nodes, with no majority</h3><table class="settings" id="split"><tr><th>Setting</th><th>Values</th></tr>');
    for (const s of data.split)
      parts.push(`<tr><td>${esc(s.setting)}</td><td>${s.values.map(([node, v]) => `${esc(node)}: <code>${esc(v)}</code>`).join('<br>')}</td></tr>`);
    parts.push('</table>');
  }
  return parts.join('\n');
}

/** The fleet as one HTML page (UTF-8). Every text from the nodes is escaped; nothing is fetched. */
export function formatFleetHtml(fleet: FleetSettings, nodes: readonly FleetNode[]): string {
  const data = pageData(fleet, nodes);
  const ready = data.nodes.filter((n) => n.ready).length;
  const legend = OUTCOMES.map(
    (o) =>
      `<label><input type="checkbox" name="status" value="${o}"${o === 'P' || o === 'N' || o === 'S' ? '' : ' checked'}><span class="${o}"></span>${
        { E: 'error', W: 'warning', I: 'info', V: 'waived', P: 'passed', N: 'not applicable', S: 'skipped' }[o]
      }</label>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>kube-preflight fleet: ${data.nodes.length} nodes</title>
<style>${STYLE}</style>
</head>
<body>
<h1>kube-preflight fleet: ${data.nodes.length} nodes, ${ready} ready, ${data.nodes.length - ready} not ready</h1>
<p>Each cell is a rule on a node; select a cell for its findings and fixes. Sort by a column header.</p>
${settingsSection(data)}
<h2>Rules by node</h2>
<div class="controls">
<label>Node <input id="node-filter" type="search" placeholder="name contains"></label>
<label>Show <select id="readiness"><option value="all">all nodes</option><option value="not-ready">not ready</option><option value="ready">ready</option></select></label>
<span class="legend">${legend}</span>
<span id="shown"></span>
</div>
<div id="finding"></div>
<table class="matrix"><thead><tr id="head"></tr></thead><tbody id="rows"></tbody></table>
<script id="fleet-data" type="application/json">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
