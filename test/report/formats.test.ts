import t from 'tap';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Report } from '../../src/engine/types.js';
import { buildModel } from '../../src/model/build.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { formatJson } from '../../src/report/json.js';
import { formatText, wrapLine } from '../../src/report/text.js';
import { groupCauses } from '../../src/engine/causes.js';
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
  t.match(wire, {
    schemaVersion: 1,
    kind: 'PreflightReport',
    tool: { name: 'kube-preflight' },
    node: { hostname: 'node-1' },
    checklist: { kubernetesVersion: '1.35' },
  });
  const again = await sampleReport(t.testdir());
  const strip = (r: Report): unknown => ({ ...r, node: { ...r.node, root: '' }, timing: undefined });
  t.same(strip(again), strip(report), 'same node content, same report apart from the root and timing');
  t.notOk(validateReport({ ...(wire as object), results: [{ id: 'x' }] }), 'the schema rejects a malformed result');
});

t.test('text: causes first, worst first, each with its findings and one fix; one summary that counts them', async (t) => {
  const report = await sampleReport(t.testdir());
  // Unwrapped for the patterns; the default width is checked below.
  const text = formatText(report, { width: Infinity });
  const lines = text.trimEnd().split('\n');
  t.match(lines[0], /^\[preflight\] Checked .* \(node-1\) against checklist object \(Kubernetes 1\.35\): \d+ rules\.$/);
  const errorAt = lines.findIndex((l) => l.startsWith('[ERROR] '));
  const warningAt = lines.findIndex((l) => l.startsWith('[WARNING] '));
  t.ok(errorAt > 0 && warningAt > errorAt, 'error causes come before warning causes');
  t.match(
    text,
    /\n\[ERROR\] \/etc\/crictl\.yaml:1: 1 finding\n {2}\[ERROR crictl\/endpoints-match-runtime\]: runtime-endpoint in this file is "unix:\/\/\/var\/run\/crio\/crio\.sock"/,
  );
  t.match(text, /\n {2}fix: Set runtime-endpoint and image-endpoint/);
  t.match(text, /\[ERROR kubelet\/no-previous-join\]: this file already exists.*\n {4}waiver expired 2026-01-31: old ticket\n {2}fix: /);
  t.match(
    text,
    /\n\[WAIVED\] \/proc\/swaps: 1 finding\n {2}\[WAIVED host\/swap-off\]: swap is active on \/swapfile \(file\) according to this file\. \(kubeadm Swap\)\n {4}waived until 2026-12-31: NodeSwap trial <CHG-1> & "quotes"\n/,
  );
  t.match(text, /\n\[preflight\] To ignore a finding for a run: --ignore <rule id or kubeadm name>; to accept it until a date: a waiver/);
  const summary = lines.at(-1)!;
  const errors = Number(/\((\d+) errors?/.exec(summary)![1]);
  const wrapped = formatText(report).trimEnd().split('\n');
  t.equal(wrapped.filter((l) => /^ *\[ERROR [a-z]/.test(l)).length, errors, 'the summary counts the [ERROR lines');
  t.match(
    summary,
    /^\[preflight\] The node is NOT ready to join: \d+ rules failed with \d+ findings \(\d+ errors?, \d+ warnings? \(not blocking without --strict\), 0 info\) from \d+ causes; 0 ignored, 2 waived; \d+ rules passed, \d+ not applicable, \d+ skipped\.$/,
  );
  for (const line of wrapped) t.ok(line.length <= 100 || !line.trim().includes(' '), `within 100 columns, or one word: ${line}`);
  t.notMatch(text, /\u001b\[/, 'no colour unless asked');
  t.notMatch(text, /\[PASS /, 'passes only with verbose');
  const verbose = formatText(await sampleReport(t.testdir()), { verbose: true, color: true, width: 1000 });
  t.match(verbose, /\u001b\[32m\[PASS host\/hostname\]\u001b\[0m: The node name kubeadm derives/);
  t.match(verbose, /\[N\/A runtime\/cri-ready\]/);
  t.match(
    verbose,
    /\u001b\[31m\[ERROR crictl\/endpoints-match-runtime\]\u001b\[0m: runtime-endpoint in \/etc\/crictl\.yaml is "unix:\/\/\/var\/run\/crio\/crio\.sock"/,
  );
  t.match(verbose, /\n {4}\u001b\[2mfix:\u001b\[0m Set runtime-endpoint and image-endpoint/);
  t.match(
    verbose,
    /\[ERROR kubelet\/no-previous-join\]\u001b\[0m: \/etc\/kubernetes\/kubelet\.conf already exists.*\n {4}\u001b\[35mwaiver expired 2026-01-31: old ticket\u001b\[0m\n/,
  );
  t.match(
    verbose,
    /\[WAIVED host\/swap-off\]\u001b\[0m: swap is active on \/swapfile \(file\) according to \/proc\/swaps\. \(kubeadm Swap\)\n.*\n {4}waived until 2026-12-31: NodeSwap trial <CHG-1> & "quotes"/,
  );
  t.match(verbose, /\u001b\[1;31mThe node is NOT ready to join\u001b\[0m: /);
  t.notMatch(verbose, /\n\[(ERROR|WARNING)\] /, 'verbose lists rules, not causes');
  const strict = formatText(await sampleReport(t.testdir(), true));
  t.notMatch(strict, /not blocking without --strict/);
  t.match(strict.replace(/\n +/g, ' ').split('\n')[0], /, strict:/);
});

t.test('text: a ready node, and a verbose line with evidence', async (t) => {
  const report = await sampleReport(t.testdir());
  const ready: Report = {
    ...report,
    settings: { ...report.settings, online: true },
    summary: { ...report.summary, ready: true, exitCode: 0, blocking: 0, failed: { error: 0, warning: 0, info: 1 } },
    results: report.results
      .filter((r) => r.status !== 'fail')
      .concat([
        {
          ...report.results.find((r) => r.id === 'host/hostname')!,
          id: 'acme/info',
          status: 'fail',
          severity: 'info',
          violations: [{ message: 'FYI.', severity: 'info', evidence: {} }],
        },
      ]),
  };
  const text = formatText(ready, { color: true, verbose: true, width: Infinity });
  t.match(text, /\u001b\[36m\[INFO acme\/info\]\u001b\[0m: FYI\./);
  t.match(text, /, online: /);
  t.match(text, /\u001b\[32mThe node is ready to join\u001b\[0m: \d+ rules? failed with 1 finding \(0 errors, 0 warnings, 1 info\) from/);
  const withEvidence = formatText(
    { ...ready, results: [{ ...ready.results[0]!, status: 'not-applicable', evidence: { file: '/etc/x', line: 3 } }] },
    { verbose: true },
  );
  t.match(withEvidence, /\(\/etc\/x:3\)/);
  t.notMatch(withEvidence, /To ignore a finding/, 'no finding, no advice on ignoring one');
  const fileOnly = formatText({ ...ready, results: [{ ...ready.results[0]!, status: 'pass', evidence: { file: '/etc/x' } }] }, { verbose: true });
  t.match(fileOnly, /\(\/etc\/x\)\n/);
  const noCauses = formatText({ ...ready, causes: undefined });
  t.notMatch(noCauses, /\[INFO/, 'a report from before causes lists none by default');
});

t.test('text: wrapping at word boundaries, colour outside the width', async (t) => {
  t.same(wrapLine('aaa bbb ccc', 7, '  '), ['aaa bbb', '  ccc']);
  t.same(wrapLine('  aaa bbb', 6, '    '), ['  aaa', '    bbb'], 'leading spaces are kept');
  t.same(
    wrapLine('x https://a.very.long/url/that/does/not/fit y', 10, '  '),
    ['x', '  https://a.very.long/url/that/does/not/fit', '  y'],
    'a long word keeps its own line',
  );
  const report = await sampleReport(t.testdir());
  const narrow = formatText(report, { width: 60, color: true });
  for (const line of narrow.trimEnd().split('\n'))
    t.ok(line.replace(/\u001b\[[0-9;]*m/g, '').length <= 60 || !/ /.test(line.trim()), `within 60 columns: ${line}`);
  t.equal(
    formatText(report, { width: Infinity }).trimEnd().split('\n').at(-1)!.startsWith('[preflight] The node is NOT ready'),
    true,
    'unbounded: one line each',
  );
});

t.test('text: a cause with no file, and causes of ignored findings only', async (t) => {
  const report = await sampleReport(t.testdir());
  const fail = report.results.find((r) => r.id === 'crictl/endpoints-match-runtime')!;
  const results = [
    { ...fail, violations: [{ message: 'No file here.', severity: 'error' as const, evidence: {} }] },
    {
      ...fail,
      id: 'crictl/z',
      status: 'waived' as const,
      violations: [{ message: 'Ignored.', severity: 'warning' as const, evidence: { file: '/etc/z' }, ignoredBy: 'crictl/z' }],
    },
  ];
  const text = formatText({ ...report, results, causes: groupCauses(results) });
  t.match(
    text,
    /\n\[ERROR\] crictl\/endpoints-match-runtime \(no single file\): 1 finding\n {2}\[ERROR crictl\/endpoints-match-runtime\]: No file here\.\n {2}fix: Set runtime-endpoint/,
  );
  t.match(text, /\n\[IGNORED\] \/etc\/z: 1 finding\n {2}\[IGNORED crictl\/z\]: Ignored\. \(warning, ignored by crictl\/z\)\n/);
  t.match(text, /from 1 cause; 1 ignored, 0 waived;/);
});

t.test('JUnit: one suite per domain, failures and skips, escaped', async (t) => {
  const report = await sampleReport(t.testdir());
  const xml = formatJunit(report);
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="kube-preflight" tests="\d+" failures="\d+" errors="0" skipped="\d+">/);
  t.match(xml, /<testsuite name="crictl" tests="3" failures="1" errors="0" skipped="0">/);
  t.match(
    xml,
    /<testcase classname="crictl" name="crictl\/endpoints-match-runtime">\n {6}<failure type="error" message="runtime-endpoint in \/etc\/crictl\.yaml is &quot;unix/,
  );
  t.match(xml, /\[error\] runtime-endpoint .* \(\/etc\/crictl\.yaml:1\)\nfix: Set runtime-endpoint/);
  t.match(xml, /<skipped message="waived until 2026-12-31: NodeSwap trial &lt;CHG-1&gt; &amp; &quot;quotes&quot;"\/>/);
  t.match(xml, /<skipped message="not-applicable: Live check/);
  t.match(xml, /<testcase classname="host" name="host\/hostname"><\/testcase>/);
  t.notMatch(xml, /time=/, 'no timing, so runs compare equal');
  t.equal(xmlEscape("a\u0000b\u0008c'd\u{1F600}"), 'abc&apos;d\u{1F600}', 'characters XML cannot carry are dropped');
  const withFile: Report = {
    ...report,
    results: [{ ...report.results.find((r) => r.status === 'fail')!, violations: [{ message: 'm.', severity: 'error', evidence: { file: '/f' } }] }],
  };
  t.match(formatJunit(withFile), /m\. \(\/f\)\nfix: /);
  const ownFix: Report = {
    ...report,
    results: [{ ...withFile.results[0]!, severity: 'error', violations: [{ message: 'm.', severity: 'error', evidence: {}, fix: 'Do this one thing.' }] }],
  };
  t.match(formatJunit(ownFix), /\[error\] m\.\nfix: Do this one thing\.<\/failure>/, "a violation's own fix replaces the rule's remediation");
});

t.test('JUnit: only what blocks the join fails; a ready node has no failure', async (t) => {
  const report = await sampleReport(t.testdir());
  const fail = (r: Report['results'][number], severity: 'warning' | 'info', id: string): Report['results'][number] => ({
    ...r,
    id,
    domain: 'acme',
    status: 'fail',
    severity,
    message: `${severity} found.`,
    violations: [{ message: `${severity} found.`, severity, evidence: { file: '/etc/x', line: 2 } }],
  });
  const base = report.results.find((r) => r.status === 'pass')!;
  const ready: Report = {
    ...report,
    summary: { ...report.summary, ready: true, exitCode: 0, blocking: 0 },
    results: [base, fail(base, 'warning', 'acme/warn'), fail(base, 'info', 'acme/info')],
  };
  const xml = formatJunit(ready);
  t.notMatch(xml, /<failure/, 'a ready node has no <failure>');
  t.match(xml, /<testsuites name="kube-preflight" tests="3" failures="0" errors="0" skipped="0">/);
  t.match(
    xml,
    /<testcase classname="acme" name="acme\/warn">\n {6}<system-out>\[warning\] warning found\. \(\/etc\/x:2\)\nfix: [^<]+<\/system-out>\n {4}<\/testcase>/,
    'a warning is reported in system-out',
  );
  t.match(xml, /<testcase classname="acme" name="acme\/info">\n {6}<system-out>\[info\] info found\./, 'info is reported in system-out');
  const strict = formatJunit({ ...ready, settings: { ...ready.settings, strict: true } });
  t.match(strict, /<testsuites name="kube-preflight" tests="3" failures="1" errors="0" skipped="0">/, 'under --strict a warning blocks');
  t.match(strict, /<testcase classname="acme" name="acme\/warn">\n {6}<failure type="warning" message="warning found\.">/);
  t.match(strict, /name="acme\/info">\n {6}<system-out>/, 'info never blocks');
});

t.test('SARIF 2.1.0: rules, results with locations, waived findings suppressed', async (t) => {
  const report = await sampleReport(t.testdir());
  const sarif = JSON.parse(formatSarif(report));
  t.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  t.equal(run.tool.driver.name, 'kube-preflight');
  t.equal(run.tool.driver.rules.length, report.results.length);
  t.match(
    run.tool.driver.rules.find((r: { id: string }) => r.id === 'host/swap-off'),
    {
      name: 'hostSwapOff',
      shortDescription: { text: 'Swap is off now and stays off after a reboot' },
      help: { text: /swapoff -a/ },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['host', 'static'], kubeadmAliases: ['Swap'] },
    },
  );
  t.match(run.originalUriBaseIds.NODEROOT.uri, /^file:\/\/\/.*\/$/);
  const crictl = run.results.find((r: { ruleId: string }) => r.ruleId === 'crictl/endpoints-match-runtime');
  t.match(crictl, {
    level: 'error',
    locations: [{ physicalLocation: { artifactLocation: { uri: 'etc/crictl.yaml', uriBaseId: 'NODEROOT' }, region: { startLine: 1, startColumn: 1 } } }],
  });
  t.equal(run.tool.driver.rules[crictl.ruleIndex].id, crictl.ruleId);
  const waived = run.results.filter((r: { ruleId: string }) => r.ruleId === 'host/swap-off');
  t.equal(waived.length, 2, 'one result per violation');
  t.match(waived[0], { suppressions: [{ kind: 'external', status: 'accepted', justification: 'NodeSwap trial <CHG-1> & "quotes" (until 2026-12-31)' }] });
  t.notOk(
    run.results.some((r: { ruleId: string }) => r.ruleId === 'host/hostname'),
    'passing rules have no results',
  );
  const warning = run.results.find((r: { level: string }) => r.level === 'warning');
  t.ok(warning, 'warnings map to SARIF warning');
  const info: Report = {
    ...report,
    node: { ...report.node, root: '/' },
    results: [
      {
        ...report.results[0]!,
        status: 'fail',
        severity: 'info',
        violations: [{ message: 'm.', severity: 'info', evidence: { file: '/a b', line: 2 } }],
        references: [],
      },
    ],
  };
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
  t.match(
    formatText(report),
    /\n\[preflight\] containerd rules follow containerd \d\.\d+ \((the checklist's containerdVersion|inferred from|assumed)/,
    'the header says which containerd release the rules followed',
  );
});

t.test('ignored findings stay visible in every format, marked with the name that ignored them, and never block', async (t) => {
  const root = writeNode(t.testdir(), {
    '/etc/hostname': 'node-1\n',
    '/proc/swaps': 'Filename Type Size Used Priority\n/swapfile file 1 0 -2\n',
    '/etc/fstab': '/swapfile none swap sw 0 0\n',
    '/etc/kubernetes/kubelet.conf': 'x',
  });
  const prepared = await loadChecklist();
  const report = evaluate(buildModel(collectSnapshot({ root })), prepared, {
    date: '2026-06-01',
    ignore: ['Swap', 'kubelet/no-previous-join'],
    only: ['host/swap-off', 'kubelet/no-previous-join'],
  });
  t.ok(validateReport(JSON.parse(formatJson(report))), JSON.stringify(validateReport.errors));
  t.same(report.kubeadm, { version: '1.37', ignorePreflightErrors: ['FileAvailable--etc-kubernetes-kubelet.conf', 'Swap'] });
  const text = formatText(report, { verbose: true, width: Infinity });
  t.match(text, /\[IGNORED host\/swap-off\]: swap is active on \/swapfile \(file\) according to \/proc\/swaps\. \(kubeadm Swap\) \(error, ignored by Swap\)/);
  const causes = formatText(report, { width: Infinity });
  t.match(causes, /\n\[ERROR\] \/etc\/fstab:1: 1 finding\n {2}\[ERROR host\/swap-off\]: line 1 enables swap/, 'causes: what blocks comes first');
  t.match(
    causes,
    /\n\[IGNORED\] \/proc\/swaps: 1 finding\n {2}\[IGNORED host\/swap-off\]: swap is active on \/swapfile \(file\) according to this file\. \(kubeadm Swap\) \(error, ignored by Swap\)\n {2}fix: /,
  );
  t.match(causes, /1 rule failed with 1 finding \(1 error, 0 warnings, 0 info\) from 1 cause; 2 ignored, 0 waived;/);
  t.match(text, /\[ERROR host\/swap-off\]: \/etc\/fstab:1 enables swap/, "the fstab finding is not kubeadm's and still blocks");
  t.match(text, /\[IGNORED kubelet\/no-previous-join\]: \/etc\/kubernetes\/kubelet\.conf already exists.* \(error, ignored by kubelet\/no-previous-join\)/);
  t.equal(report.summary.blocking, 1);
  const junit = formatJunit(report);
  t.match(junit, /\[ignored by Swap, error\] swap is active/);
  t.match(junit, /<skipped message="ignored by kubelet\/no-previous-join: \/etc\/kubernetes\/kubelet\.conf already exists/);
  const sarif = JSON.parse(formatSarif(report)) as {
    runs: { results: { ruleId: string; message: { text: string }; suppressions?: { justification: string }[] }[] }[];
  };
  const results = sarif.runs[0]!.results;
  t.match(
    results.find((r) => /\/proc\/swaps/.test(r.message.text)),
    { suppressions: [{ justification: 'ignored by Swap' }] },
  );
  t.notOk(results.find((r) => /fstab/.test(r.message.text))!.suppressions, 'the fstab finding is not suppressed');
  t.match(
    results.find((r) => r.ruleId === 'kubelet/no-previous-join'),
    { suppressions: [{ justification: 'ignored by kubelet/no-previous-join' }] },
  );
});
