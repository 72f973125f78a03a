import t from 'tap';
import { writeFileSync } from 'node:fs';
import { HISTORICAL_KUBEADM_NAMES, KUBEADM_JOIN_CHECKS, KUBEADM_MINORS } from '../../src/model/kubeadm.js';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';

// A worker with the usual leftovers: swap, a kubelet.conf, a stale static Pod, and no losetup or cp.
const NODE = {
  '/etc/hostname': 'worker-1\n',
  '/proc/swaps': 'Filename Type Size Used Priority\n/swapfile file 1 0 -2\n',
  '/etc/kubernetes/kubelet.conf': 'x',
  '/etc/kubernetes/manifests/kube-apiserver.yaml': 'kind: Pod\n',
  '/usr/bin/mount': { content: '', mode: 0o755 },
};

t.test('--ignore with every name of the table, for every minor: exit 0 or 1, never 2, and the ignored findings are reported', async (t) => {
  const root = writeNode(t.testdir(), NODE);
  const names = [...KUBEADM_JOIN_CHECKS, ...HISTORICAL_KUBEADM_NAMES].map((c) => c.name);
  for (const minor of KUBEADM_MINORS) {
    const checklist = `${root}/../checklist-${minor}.yaml`;
    writeFileSync(checklist, `apiVersion: kube-preflight/v1\nkind: Checklist\nkubernetesVersion: "1.${minor}"\nsandboxImage: registry.k8s.io/pause:3.10\n`);
    const run = await runCli(['--root', root, '--checklist', checklist, '--format', 'json', '--ignore', names.join(',')]);
    t.ok(run.code === 0 || run.code === 1, `1.${minor}: exit ${run.code} ${run.stderr}`);
    const report = JSON.parse(run.stdout) as {
      results: { id: string; status: string; violations: { ignoredBy?: string; message: string }[] }[];
      kubeadm: { version: string; ignorePreflightErrors: string[] };
    };
    const swap = report.results.find((r) => r.id === 'host/swap-off')!;
    t.match(
      swap,
      { status: 'waived', violations: [{ ignoredBy: 'Swap', message: /\/proc\/swaps/ }] },
      `1.${minor}: the swap finding is reported, ignored by Swap`,
    );
    t.match(
      report.results.find((r) => r.id === 'kubelet/no-leftover-manifests'),
      { status: 'waived', violations: [{ ignoredBy: 'DirAvailable--etc-kubernetes-manifests' }] },
    );
    t.equal(report.kubeadm.version, `1.${minor}`);
    t.ok(report.kubeadm.ignorePreflightErrors.includes('Swap'));
    t.notOk(report.kubeadm.ignorePreflightErrors.includes('DirAvailable--etc-kubernetes-manifests'), 'a name kubeadm no longer emits is not forwarded');
    t.equal(
      report.kubeadm.ignorePreflightErrors.includes('FileExisting-nsenter'),
      minor <= 32,
      `1.${minor}: FileExisting-nsenter forwarded only where kubeadm checks nsenter`,
    );
  }
});

t.test('a name that is none of rule id, domain or kubeadm check is a usage error with a hint', async (t) => {
  const root = writeNode(t.testdir(), NODE);
  const run = await runCli(['--root', root, '--ignore', 'DirAvailable--etc-kubernetes-manifest']);
  t.equal(run.code, 2);
  t.match(
    run.stderr,
    /--ignore DirAvailable--etc-kubernetes-manifest: unknown rule id, domain or kubeadm check name \(did you mean DirAvailable--etc-kubernetes-manifests\?\)/,
  );
  t.equal(run.stderr.trim().split('\n').length, 1, 'one line');
});

t.test('text output shows the ignored findings as kubeadm shows ignored errors', async (t) => {
  const root = writeNode(t.testdir(), NODE);
  const run = await runCli(['--root', root, '--verbose', '--ignore', 'swap,FileAvailable--etc-kubernetes-kubelet.conf']);
  run.stdout = run.stdout.replace(/\n +/g, ' ');
  t.match(run.stdout, /\[IGNORED host\/swap-off\]: swap is active on \/swapfile .*\(error, ignored by Swap\)/);
  t.match(run.stdout, /\[IGNORED kubelet\/no-previous-join\]: \/etc\/kubernetes\/kubelet\.conf already exists/);
});
