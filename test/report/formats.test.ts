import t from 'tap';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Report } from '../../src/engine/types.js';
import { buildModel } from '../../src/model/build.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { formatJson } from '../../src/report/json.js';
import { formatText } from '../../src/report/text.js';
import { formatJunit, xmlEscape } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { writeNode } from '../helpers/node-root.js';
import { validateReport } from '../helpers/report-schema.js';

async function sampleReport(dir: string, strict = false): Promise<Report> {
  const root = writeNode(dir, {
    '/etc/hostname': 'node-1\n',
    '/etc/crictl.yaml': 'runtime-endpoint: "unix:///var/run/crio/crio.sock"\n',
    '/proc/swaps': 'Filename Type Size Used Priority\n/swapfile file 1 0 -2\n',
    '/etc/fstab': '/swapfile none swap sw 0 0\n',
    '/etc/kubernetes/kubelet.conf': 'x',
    '/etc/resolv.conf': 'nameserver 10.0.0.2\n',
  });
  const prepared = await loadChecklist({
    apiVersion: 'kube-preflight/v1',
    kind: 'Checklist',
    kubernetesVersion: '1.35',
    waivers: [
      { rule: 'host/swap-off', reason: 'NodeSwap trial <CHG-1> & "quotes"', expires: '2026-12-31' },
      { rule: 'kubelet/no-previous-join', reason: 'old ticket', expires: '2026-01-31' },
    ],
  });
  const report = evaluate(buildModel(collectSnapshot({ root })), prepared, { date: '2026-06-01', strict, ignore: ['FileExisting-socat'] });
  report.timing = { startedAt: '2026-06-01T10:00:00.000Z', durationMs: 12 };
  return report;
}

t.test('JSON: valid against schemas/report.schema.json, deterministic', async (t) => {
  const report = await sampleReport(t.testdir());
  const json = formatJson(report);
  const wire = JSON.parse(json) as unknown;
  t.ok(validateReport(wire), JSON.stringify(validateReport.errors));
  t.ok(json.endsWith('}\n'));
  t.match(wire, { schemaVersion: 1, kind: 'PreflightReport', tool: { name: 'kube-preflight' }, node: { hostname: 'node-1' }, checklist: { kubernetesVersion: '1.35' } });
  const again = await sampleReport(t.testdir());
  const strip = (r: Report): unknown => ({ ...r, node: { ...r.node, root: '' }, timing: undefined });
  t.same(strip(again), strip(report), 'same node content, same report apart from the root and timing');
  t.notOk(validateReport({ ...(wire as object), results: [{ id: 'x' }] }), 'the schema rejects a malformed result');
});

t.test('text: kubeadm-like lines grouped by severity, fix under each rule, one summary', async (t) => {
  const text = formatText(await sampleReport(t.testdir()));
  const lines = text.trimEnd().split('\n');
  t.match(lines[0], /^\[preflight\] Checked .* \(node-1\) against checklist object \(Kubernetes 1\.35\): \d+ rules\.$/);
  const errorAt = lines.findIndex((l) => l.startsWith('[ERROR '));
  const warningAt = lines.findIndex((l) => l.startsWith('[WARNING '));
  t.ok(errorAt > 0 && warningAt > errorAt, 'errors come before warnings');
  t.match(text, /\[ERROR crictl\/endpoints-match-runtime\]: runtime-endpoint in \/etc\/crictl\.yaml is "unix:\/\/\/var\/run\/crio\/crio\.sock"/);
  t.match(text, /\n\tfix: Set runtime-endpoint and image-endpoint/);
  t.match(text, /\[ERROR kubelet\/no-previous-join\]: \/etc\/kubernetes\/kubelet\.conf already exists.*\n\twaiver expired 2026-01-31: old ticket\n\tfix: /);
  t.match(text, /\[WAIVED host\/swap-off\]: swap is active on \/swapfile \(file\) according to \/proc\/swaps \(and 1 more\)\.\n/);
  t.match(text, /\[WAIVED host\/swap-off\]: .*\n\twaived until 2026-12-31: NodeSwap trial <CHG-1> & "quotes"/);
  t.match(lines.at(-1), /^\[preflight\] The node is NOT ready to join: \d+ errors?, \d+ warnings? \(not blocking without --strict\), 0 info; 1 waived, \d+ passed, \d+ not applicable, \d+ skipped\.$/);
  t.notMatch(text, /\u001b\[/, 'no colour unless asked');
  t.notMatch(text, /\[PASS /, 'passes only with verbose');
  const verbose = formatText(await sampleReport(t.testdir()), { verbose: true, color: true });
  t.match(verbose, /\u001b\[32m\[PASS host\/hostname\]\u001b\[0m: The node name kubeadm derives/);
  t.match(verbose, /\[N\/A runtime\/cri-ready\]/);
  t.match(verbose, /\u001b\[31m\[ERROR /);
  t.match(verbose, /\u001b\[1;31mThe node is NOT ready to join/);
  const strict = formatText(await sampleReport(t.testdir(), true));
  t.notMatch(strict, /not blocking without --strict/);
  t.match(strict.split('\n')[0], /, strict:/);
});

t.test('text: a ready node, and a verbose line with evidence', async (t) => {
  const report = await sampleReport(t.testdir());
  const ready: Report = {
    ...report,
    settings: { ...report.settings, online: true },
    summary: { ...report.summary, ready: true, exitCode: 0, blocking: 0, failed: { error: 0, warning: 0, info: 1 } },
    results: report.results.filter((r) => r.status !== 'fail').concat([{ ...report.results.find((r) => r.id === 'host/hostname')!, id: 'acme/info', status: 'fail', severity: 'info', violations: [{ message: 'FYI.', severity: 'info', evidence: {} }] }]),
  };
  const text = formatText(ready, { color: true, verbose: true });
  t.match(text, /\u001b\[36m\[INFO acme\/info\]\u001b\[0m: FYI\./);
  t.match(text, /, online: /);
  t.match(text, /\u001b\[32mThe node is ready to join\u001b\[0m: 0 errors, 0 warnings, 1 info;/);
  const withEvidence = formatText({ ...ready, results: [{ ...ready.results[0]!, status: 'not-applicable', evidence: { file: '/etc/x', line: 3 } }] }, { verbose: true });
  t.match(withEvidence, /\(\/etc\/x:3\)/);
  const fileOnly = formatText({ ...ready, results: [{ ...ready.results[0]!, status: 'pass', evidence: { file: '/etc/x' } }] }, { verbose: true });
  t.match(fileOnly, /\(\/etc\/x\)\n/);
});

t.test('JUnit: one suite per domain, failures and skips, escaped', async (t) => {
  const report = await sampleReport(t.testdir());
  const xml = formatJunit(report);
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="kube-preflight" tests="\d+" failures="\d+" errors="0" skipped="\d+">/);
  t.match(xml, /<testsuite name="crictl" tests="3" failures="1" errors="0" skipped="0">/);
  t.match(xml, /<testcase classname="crictl" name="crictl\/endpoints-match-runtime">\n {6}<failure type="error" message="runtime-endpoint in \/etc\/crictl\.yaml is &quot;unix/);
  t.match(xml, /\[error\] runtime-endpoint .* \(\/etc\/crictl\.yaml:1\)\nfix: Set runtime-endpoint/);
  t.match(xml, /<skipped message="waived until 2026-12-31: NodeSwap trial &lt;CHG-1&gt; &amp; &quot;quotes&quot;"\/>/);
  t.match(xml, /<skipped message="not-applicable: Live check/);
  t.match(xml, /<testcase classname="host" name="host\/hostname"><\/testcase>/);
  t.notMatch(xml, /time=/, 'no timing, so runs compare equal');
  t.equal(xmlEscape("a\u0000b\u0008c'd\u{1F600}"), 'abc&apos;d\u{1F600}', 'characters XML cannot carry are dropped');
  const withFile: Report = { ...report, results: [{ ...report.results.find((r) => r.status === 'fail')!, violations: [{ message: 'm.', severity: 'error', evidence: { file: '/f' } }] }] };
  t.match(formatJunit(withFile), /m\. \(\/f\)\n/);
});

t.test('SARIF 2.1.0: rules, results with locations, waived findings suppressed', async (t) => {
  const report = await sampleReport(t.testdir());
  const sarif = JSON.parse(formatSarif(report));
  t.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  t.equal(run.tool.driver.name, 'kube-preflight');
  t.equal(run.tool.driver.rules.length, report.results.length);
  t.match(run.tool.driver.rules.find((r: { id: string }) => r.id === 'host/swap-off'), {
    name: 'hostSwapOff',
    shortDescription: { text: 'Swap is off now and stays off after a reboot' },
    help: { text: /swapoff -a/ },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['host', 'static'], kubeadmAliases: ['Swap'] },
  });
  t.match(run.originalUriBaseIds.NODEROOT.uri, /^file:\/\/\/.*\/$/);
  const crictl = run.results.find((r: { ruleId: string }) => r.ruleId === 'crictl/endpoints-match-runtime');
  t.match(crictl, { level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'etc/crictl.yaml', uriBaseId: 'NODEROOT' }, region: { startLine: 1, startColumn: 1 } } }] });
  t.equal(run.tool.driver.rules[crictl.ruleIndex].id, crictl.ruleId);
  const waived = run.results.filter((r: { ruleId: string }) => r.ruleId === 'host/swap-off');
  t.equal(waived.length, 2, 'one result per violation');
  t.match(waived[0], { suppressions: [{ kind: 'external', status: 'accepted', justification: 'NodeSwap trial <CHG-1> & "quotes" (until 2026-12-31)' }] });
  t.notOk(run.results.some((r: { ruleId: string }) => r.ruleId === 'host/hostname'), 'passing rules have no results');
  const warning = run.results.find((r: { level: string }) => r.level === 'warning');
  t.ok(warning, 'warnings map to SARIF warning');
  const info: Report = { ...report, node: { ...report.node, root: '/' }, results: [{ ...report.results[0]!, status: 'fail', severity: 'info', violations: [{ message: 'm.', severity: 'info', evidence: { file: '/a b', line: 2 } }], references: [] }] };
  const infoRun = JSON.parse(formatSarif(info)).runs[0];
  t.match(infoRun.results[0], { level: 'note', locations: [{ physicalLocation: { artifactLocation: { uri: 'a%20b' }, region: { startLine: 2 } } }] });
  t.equal(infoRun.originalUriBaseIds.NODEROOT.uri, 'file:///');
  t.notOk('helpUri' in infoRun.tool.driver.rules[0]);
  const noFile: Report = { ...info, results: [{ ...info.results[0]!, violations: [{ message: 'm.', severity: 'info', evidence: {} }] }] };
  t.same(JSON.parse(formatSarif(noFile)).runs[0].results[0].locations, []);
});

t.test('text header without a hostname', async (t) => {
  const report = await sampleReport(t.testdir());
  t.match(formatText({ ...report, node: { ...report.node, hostname: null, root: '/mnt/image' } }), /^\[preflight\] Checked \/mnt\/image against /);
  t.match(formatText(report), /\n\[preflight\] containerd rules follow containerd \d\.\d+ \((the checklist's containerdVersion|inferred from|assumed)/, 'the header says which containerd release the rules followed');
});

t.test('ignored findings stay visible in every format, marked with the name that ignored them, and never block', async (t) => {
  const root = writeNode(t.testdir(), {
    '/etc/hostname': 'node-1\n',
    '/proc/swaps': 'Filename Type Size Used Priority\n/swapfile file 1 0 -2\n',
    '/etc/fstab': '/swapfile none swap sw 0 0\n',
    '/etc/kubernetes/kubelet.conf': 'x',
  });
  const prepared = await loadChecklist();
  const report = evaluate(buildModel(collectSnapshot({ root })), prepared, { date: '2026-06-01', ignore: ['Swap', 'kubelet/no-previous-join'], only: ['host/swap-off', 'kubelet/no-previous-join'] });
  t.ok(validateReport(JSON.parse(formatJson(report))), JSON.stringify(validateReport.errors));
  t.same(report.kubeadm, { version: '1.36', ignorePreflightErrors: ['FileAvailable--etc-kubernetes-kubelet.conf', 'Swap'] });
  const text = formatText(report);
  t.match(text, /\[IGNORED host\/swap-off\]: swap is active on \/swapfile \(file\) according to \/proc\/swaps\. \(error, ignored by Swap\)/);
  t.match(text, /\[ERROR host\/swap-off\]: \/etc\/fstab:1 enables swap/, 'the fstab finding is not kubeadm\'s and still blocks');
  t.match(text, /\[IGNORED kubelet\/no-previous-join\]: \/etc\/kubernetes\/kubelet\.conf already exists.* \(error, ignored by kubelet\/no-previous-join\)/);
  t.equal(report.summary.blocking, 1);
  const junit = formatJunit(report);
  t.match(junit, /\[ignored by Swap, error\] swap is active/);
  t.match(junit, /<skipped message="ignored by kubelet\/no-previous-join: \/etc\/kubernetes\/kubelet\.conf already exists/);
  const sarif = JSON.parse(formatSarif(report)) as { runs: { results: { ruleId: string; message: { text: string }; suppressions?: { justification: string }[] }[] }[] };
  const results = sarif.runs[0]!.results;
  t.match(results.find((r) => /\/proc\/swaps/.test(r.message.text)), { suppressions: [{ justification: 'ignored by Swap' }] });
  t.notOk(results.find((r) => /fstab/.test(r.message.text))!.suppressions, 'the fstab finding is not suppressed');
  t.match(results.find((r) => r.ruleId === 'kubelet/no-previous-join'), { suppressions: [{ justification: 'ignored by kubelet/no-previous-join' }] });
});
