import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { acceptedNames, resolveIgnore } from '../../src/engine/ignore.js';
import type { Report } from '../../src/engine/types.js';
import { buildModel } from '../../src/model/build.js';
import { KUBEADM_JOIN_CHECKS, KUBEADM_MINORS, kubeadmJoinChecks, kubeadmLevel, kubeadmMinor, kubeadmName } from '../../src/model/kubeadm.js';
import { RULES } from '../../src/rules/index.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';
import { validateReport } from '../helpers/report-schema.js';

const HEADER = 'Filename\tType\tSize\tUsed\tPriority\n';
// A node without ip, iptables and nsenter, with swap on, a leftover kubelet.conf and a CA.
const NODE: NodeFiles = {
  '/etc/hostname': 'node-1\n',
  '/proc/swaps': `${HEADER}/swapfile file 1 0 -2\n`,
  '/etc/fstab': '/swapfile none swap sw 0 0\n',
  '/etc/kubernetes/kubelet.conf': 'x',
  '/etc/kubernetes/pki/ca.crt': 'x',
  '/usr/bin/mount': { content: '', mode: 0o755 },
};

const checklist = (extra: Record<string, unknown> = {}) => loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...extra });
const result = (r: Report, id: string) => r.results.find((x) => x.id === id)!;

t.test('names: rule ids, domains and kubeadm names of any release, any case; anything else is a usage error', async (t) => {
  const plan = resolveIgnore(['HOST/SWAP-OFF,crictl', 'fileexisting-NSENTER', 'DirAvailable--etc-kubernetes-manifests'], RULES);
  t.equal(plan.rules.get('host/swap-off'), 'host/swap-off');
  t.equal(plan.rules.get('crictl/config-present'), 'crictl');
  t.same([...plan.kubeadm.values()], ['FileExisting-nsenter', 'DirAvailable--etc-kubernetes-manifests']);
  t.throws(() => resolveIgnore(['FileExisting-nsentr'], RULES), {
    code: 'usage',
    message: /--ignore FileExisting-nsentr: unknown rule id, domain or kubeadm check name \(did you mean FileExisting-nsenter\?\)/,
  });
  t.throws(() => resolveIgnore(['nothing-of-the-kind-at-all'], RULES), { code: 'usage', message: /unknown rule id, domain or kubeadm check name; / });
  t.throws(() => resolveIgnore(['All'], RULES), { code: 'usage', message: /--ignore all is not accepted/ });
  const custom = [...RULES, { ...RULES[0]!, id: 'acme/x', aliases: ['AcmeCheck'] }];
  t.same([...resolveIgnore(['acmecheck'], custom).kubeadm.values()], ['AcmeCheck'], "an alias a rule declares is accepted even when kubeadm's table lacks it");
  t.ok(acceptedNames(RULES).includes('IsPrivilegedUser'));
});

t.test('every name of the table, for every supported minor, exits 0 or 1 and shows the ignored findings', async (t) => {
  const root = writeNode(t.testdir(), NODE);
  const model = buildModel(collectSnapshot({ root }));
  const names = [...new Set(KUBEADM_JOIN_CHECKS.map((c) => c.name))];
  for (const minor of KUBEADM_MINORS) {
    const prepared = await checklist({ kubernetesVersion: `1.${minor}`, sandboxImage: 'registry.k8s.io/pause:3.10' });
    const report = evaluate(model, prepared, { ignore: names, date: '2026-06-01' });
    t.ok([0, 1].includes(report.summary.exitCode), `1.${minor}: exit ${report.summary.exitCode}`);
    t.ok(validateReport(report), `1.${minor}: the report is valid ${JSON.stringify(validateReport.errors)}`);
    t.match(result(report, 'host/swap-off'), { status: 'fail', violations: [{ ignoredBy: 'Swap' }, { message: /fstab/ }] }, "the fstab entry is not kubeadm's");
    t.match(result(report, 'kubelet/no-previous-join'), {
      status: 'waived',
      violations: [{ ignoredBy: 'FileAvailable--etc-kubernetes-kubelet.conf' }, { ignoredBy: 'FileAvailable--etc-kubernetes-pki-ca.crt' }],
    });
    for (const name of report.kubeadm!.ignorePreflightErrors)
      t.not(kubeadmLevel(name, minor, 'worker'), null, `1.${minor}: kubeadm runs ${name} on a worker join`);
  }
});

t.test('kubeadm.ignorePreflightErrors: exactly the names valid for the version and join that this run ignored or waived', async (t) => {
  const model = buildModel(collectSnapshot({ root: writeNode(t.testdir(), NODE) }));
  const run = async (extra: Record<string, unknown>, ignore: string[] = []) => evaluate(model, await checklist(extra), { ignore, date: '2026-06-01' }).kubeadm!;
  t.same(
    await run({}, ['fileexisting-nsenter', 'IsPrivilegedUser', 'Mem']),
    { version: '1.37', ignorePreflightErrors: ['IsPrivilegedUser'] },
    'nsenter is not checked by 1.37 and Mem only on control-plane joins',
  );
  t.same(await run({ kubernetesVersion: '1.32' }, ['FileExisting-nsenter']), { version: '1.32', ignorePreflightErrors: ['FileExisting-nsenter'] });
  t.same((await run({}, ['host/swap-off'])).ignorePreflightErrors, ['Swap'], 'a rule id passes the kubeadm names of the findings it demoted');
  t.same(
    (await run({}, ['kubelet'])).ignorePreflightErrors,
    ['FileAvailable--etc-kubernetes-kubelet.conf', 'FileAvailable--etc-kubernetes-pki-ca.crt'],
    'so does a domain',
  );
  t.same(
    (await run({ joinRole: 'control-plane' }, ['kubelet', 'Mem'])).ignorePreflightErrors,
    ['FileAvailable--etc-kubernetes-kubelet.conf', 'Mem'],
    'a control-plane join: no CA check, but Mem',
  );
  t.same(
    (await run({ waivers: [{ rule: 'host/swap-off', reason: 'trial', expires: '2026-12-31' }] })).ignorePreflightErrors,
    ['Swap'],
    'a waived rule passes its names too',
  );
  t.same(
    (await run({ severity: { 'Service-Kubelet': 'off', Hostname: 'info' } })).ignorePreflightErrors,
    ['Service-Kubelet'],
    'severity off by kubeadm name, not a milder severity',
  );
  t.same((await run({ waivers: [{ rule: 'swap', reason: 'r', expires: '2026-01-01' }] })).ignorePreflightErrors, [], 'an expired waiver passes nothing');
  t.same(
    (await run({ kubernetesVersion: '1.26', sandboxImage: 'registry.k8s.io/pause:3.9' }, ['FileExisting-crictl'])).ignorePreflightErrors,
    ['FileExisting-crictl'],
    'an older minor uses the oldest known table',
  );
});

t.test('checklist severities and waivers by kubeadm name apply to the findings of that check', async (t) => {
  const model = buildModel(collectSnapshot({ root: writeNode(t.testdir(), NODE) }));
  const r1 = evaluate(model, await checklist({ severity: { swap: 'info' } }), { date: '2026-06-01' });
  t.match(result(r1, 'host/swap-off').violations, [{ severity: 'info', alias: 'Swap' }, { severity: 'error' }]);
  const waiver = { rule: 'FileAvailable--etc-kubernetes-pki-ca.crt', reason: 'CA pre-provisioned, CHG-9', expires: '2026-06-30' };
  const r2 = evaluate(model, await checklist({ waivers: [waiver] }), { date: '2026-06-01' });
  t.match(result(r2, 'kubelet/no-previous-join'), {
    status: 'fail',
    waiver: { reason: waiver.reason, expired: false },
    violations: [{ alias: 'FileAvailable--etc-kubernetes-kubelet.conf' }, { ignoredBy: 'FileAvailable--etc-kubernetes-pki-ca.crt' }],
  });
  const r3 = evaluate(
    model,
    await checklist({
      waivers: [{ ...waiver, rule: 'Swap' }],
      severity: { 'FileAvailable--etc-kubernetes-kubelet.conf': 'off', 'FileAvailable--etc-kubernetes-pki-ca.crt': 'off' },
    }),
    { date: '2026-07-01' },
  );
  t.match(result(r3, 'host/swap-off'), { status: 'fail', message: /The waiver for Swap expired on 2026-06-30\./ });
  t.match(result(r3, 'kubelet/no-previous-join'), {
    status: 'waived',
    ignored: ['FileAvailable--etc-kubernetes-kubelet.conf', 'FileAvailable--etc-kubernetes-pki-ca.crt'],
  });
  const r4 = evaluate(model, await checklist({ waivers: [{ ...waiver, rule: 'Swap', hosts: ['node-2'] }] }), { date: '2026-06-01' });
  t.equal(result(r4, 'host/swap-off').violations[0]!.ignoredBy, undefined, 'a waiver for other hosts does not apply');
});

t.test('the table: kubeadm names, levels per minor and join role', async (t) => {
  t.equal(kubeadmName('swap'), 'Swap');
  t.equal(kubeadmName('dirAvailable--etc-kubernetes-manifests'), 'DirAvailable--etc-kubernetes-manifests');
  t.equal(kubeadmName('NoSuch'), null);
  t.equal(kubeadmLevel('FileExisting-crictl', 30, 'worker'), 'error');
  t.equal(kubeadmLevel('FileExisting-crictl', 31, 'worker'), 'warning');
  t.equal(kubeadmLevel('FileExisting-crictl', 32, 'worker'), null);
  t.equal(kubeadmLevel('ContainerRuntimeVersion', 34, 'worker'), null);
  t.equal(kubeadmLevel('ContainerRuntimeVersion', 35, 'worker'), 'warning');
  t.equal(kubeadmLevel('FileAvailable--etc-kubernetes-pki-ca.crt', 36, 'control-plane'), null);
  t.equal(kubeadmLevel('NoSuch', 36, 'worker'), null);
  t.equal(kubeadmMinor(26), 27);
  t.equal(kubeadmMinor(40), 37);
  t.equal(kubeadmMinor(Number.NaN), 37);
  t.ok(kubeadmJoinChecks(36, 'control-plane').some((c) => c.name === 'ImagePull'));
  t.notOk(kubeadmJoinChecks(36, 'worker').some((c) => c.name === 'ImagePull'));
});
