import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { parseContainerdVersion } from '../../model/containerd/semantics.js';
import type { InstalledPackage } from '../../model/types.js';
import { kubernetesMinor } from '../../checklist/targets.js';
import { defineRule, type RuleContext, type Violation } from '../types.js';
import { at, where } from '../helpers.js';

/**
 * The containerd releases containerd recommends for each Kubernetes minor:
 * the "Kubernetes Support" table of containerd's RELEASES.md (1.32-1.36 at
 * containerd main 301026e58, 2026; 1.27-1.31 from the same table in earlier
 * revisions). Family → first recommended patch.
 */
export const CONTAINERD_FOR_KUBERNETES: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  27: { '1.7': 0, '1.6': 15 },
  28: { '1.7': 0, '1.6': 15 },
  29: { '1.7': 11, '1.6': 27 },
  30: { '2.1': 0, '2.0': 0, '1.7': 13, '1.6': 28 },
  31: { '2.1': 0, '2.0': 0, '1.7': 20, '1.6': 34 },
  32: { '2.1': 0, '2.0': 1, '1.7': 24, '1.6': 36 },
  33: { '2.1': 0, '2.0': 4, '1.7': 24, '1.6': 36 },
  34: { '2.1': 3, '2.0': 6, '1.7': 28, '1.6': 39 },
  35: { '2.2': 0, '2.1': 5, '1.7': 28 },
  36: { '2.3': 0, '2.2': 0 },
};

const ROWS = Object.keys(CONTAINERD_FOR_KUBERNETES).map(Number);
const OLDEST_ROW = Math.min(...ROWS);
const NEWEST_ROW = Math.max(...ROWS);

/**
 * kubelet 1.26 and later speak only CRI v1, which containerd serves from 1.6
 * (RELEASES.md: "v1.6.15+, v1.7.0+ | 1.26+"; 1.5 and older are listed for
 * v1alpha2 only up to Kubernetes 1.25): an older containerd leaves kubelet
 * without a runtime.
 */
const CRI_V1_CONTAINERD = { major: 1, minor: 6 };

/**
 * kubeadm's ContainerRuntimeVersion check (kubernetes#134906, Kubernetes
 * 1.35; its message moved to 1.37 by #136898) warns when the runtime lacks the
 * CRI RuntimeConfig call, which containerd has from 2.0 (containerd#8722; the
 * 1.7 backport, containerd#11346, was not merged). kubelet then still takes
 * its cgroup driver from its own configuration; later kubelets refuse to start
 * (#135923 makes it a kubeadm error for 1.38).
 */
const RUNTIME_CONFIG_FROM_KUBERNETES = 35;

/**
 * kubeadm's version skew policy (create-cluster-kubeadm, "Version skew
 * policy"): the kubeadm that joins must be the cluster's version, and a
 * kubelet may be up to three minors older than the control plane but never
 * newer (kubeadm's KubeletVersionCheck: MinimumKubeletVersion is kubeadm's
 * minor minus 3, and "the kubelet version is higher than the control plane
 * version").
 */
const KUBELET_MAX_SKEW = 3;

const cmp = (a: { major: number; minor: number }, b: { major: number; minor: number }): number => a.major - b.major || a.minor - b.minor;

/** A package's minor and where it is recorded, for messages. */
function describe(p: InstalledPackage): string {
  return `${p.name} ${p.version} (${where(p.source)})`;
}

function kubernetesPackages(ctx: RuleContext): Violation[] {
  const { installed } = ctx.model.packages;
  const target = ctx.targets.kubernetes;
  const out: Violation[] = [];
  const kubeadm = installed.kubeadm;
  const kubeadmMinor = kubeadm?.release ? kubernetesMinor(kubeadm.release) : NaN;
  if (kubeadm && kubeadmMinor !== target.minor) {
    out.push({
      message: `${describe(kubeadm)} is not the target Kubernetes ${target.version} (${target.basis}); the kubeadm that joins a node must be the cluster's version.`,
      evidence: { ...at(kubeadm.source), observed: kubeadm.version, expected: `kubeadm ${target.version}.x` },
    });
  }
  const kubelet = installed.kubelet;
  const kubeletMinor = kubelet?.release ? kubernetesMinor(kubelet.release) : NaN;
  if (kubelet && kubeletMinor > target.minor) {
    out.push({
      message: `${describe(kubelet)} is newer than the target Kubernetes ${target.version} (${target.basis}); a kubelet must not be newer than the control plane.`,
      evidence: { ...at(kubelet.source), observed: kubelet.version, expected: `kubelet 1.${target.minor - KUBELET_MAX_SKEW} to ${target.version}` },
      alias: 'KubeletVersion',
    });
  } else if (kubelet && kubeletMinor < target.minor - KUBELET_MAX_SKEW) {
    out.push({
      message: `${describe(kubelet)} is more than ${KUBELET_MAX_SKEW} minor versions older than the target Kubernetes ${target.version} (${target.basis}), which kubeadm refuses ("lower than kubeadm can support").`,
      evidence: { ...at(kubelet.source), observed: kubelet.version, expected: `kubelet 1.${target.minor - KUBELET_MAX_SKEW} to ${target.version}` },
      alias: 'KubeletVersion',
    });
  }
  return out;
}

/** containerd's version as the model knows it, when something on the node (or the checklist) says which it is. */
function knownContainerd(ctx: RuleContext): { version: string; major: 1 | 2; minor: number; patch: number | null; where: string } | null {
  const s = ctx.model.containerd.semantics;
  if (s.source === 'default' || s.source === 'config') return null;
  return { version: s.version, ...parseContainerdVersion(s.version)!, where: s.basis };
}

function containerdVersion(ctx: RuleContext): Violation[] {
  const c = knownContainerd(ctx);
  if (!c) return [];
  const target = ctx.targets.kubernetes;
  const out: Violation[] = [];
  const { installed } = ctx.model.packages;
  const pkg = ctx.model.containerd.semantics.source === 'node-package' ? (installed['containerd.io'] ?? installed.containerd) : undefined;
  const evidence = { ...(pkg ? at(pkg.source) : {}), observed: c.version };
  if (cmp(c, CRI_V1_CONTAINERD) < 0) {
    out.push({
      message: `containerd ${c.version} (${c.where}) does not serve CRI v1, the only CRI kubelet ${target.version} speaks; containerd 1.6 or later is required.`,
      evidence: { ...evidence, expected: 'containerd 1.6 or later' },
    });
    return out;
  }
  const rowMinor = Math.min(Math.max(target.minor, OLDEST_ROW), NEWEST_ROW);
  const row = CONTAINERD_FOR_KUBERNETES[rowMinor]!;
  const rowName = `1.${rowMinor}`;
  const family = `${c.major}.${c.minor}`;
  // Each row lists the newest family first, as containerd's table does.
  const newest = parseContainerdVersion(Object.keys(row)[0]!)!;
  const first = row[family];
  const recommended = Object.entries(row)
    .map(([f, p]) => `${f}.${p}+`)
    .join(', ');
  const basis =
    rowName === target.version
      ? `for Kubernetes ${target.version}`
      : `for Kubernetes ${rowName}, the ${rowMinor === NEWEST_ROW ? 'newest' : 'oldest'} it lists (the target is ${target.version})`;
  if (first === undefined ? cmp(c, newest) < 0 : c.patch !== null && c.patch < first) {
    out.push({
      message: `containerd ${c.version} (${c.where}) is not among the releases containerd recommends ${basis}: ${recommended}.`,
      evidence: { ...evidence, expected: recommended },
      severity: 'warning',
    });
  }
  if (target.minor >= RUNTIME_CONFIG_FROM_KUBERNETES && c.major < 2) {
    out.push({
      message: `containerd ${c.version} (${c.where}) lacks the CRI RuntimeConfig call, so kubelet ${target.version} cannot ask it for the cgroup driver and kubeadm warns (ContainerRuntimeVersion); later kubelets refuse to start without it.`,
      evidence: { ...evidence, expected: 'containerd 2.0 or later' },
      severity: 'warning',
      alias: 'ContainerRuntimeVersion',
    });
  }
  return out;
}

export default defineRule({
  id: 'host/component-versions',
  title: 'The installed kubelet, kubeadm and containerd suit the target Kubernetes version',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('host/component-versions'),
  rationale:
    'kubeadm joins only with its own version of the cluster, a kubelet newer than the control plane or more than three minors older is outside the supported skew, and kubelet needs a containerd that speaks its CRI (and, from 1.35, answers RuntimeConfig); a mismatch fails the join or leaves a node that breaks at the next upgrade.',
  remediation:
    "Install the kubeadm and kubelet packages of the cluster's Kubernetes minor, and a containerd that containerd's release notes recommend for it (2.x for Kubernetes 1.35 and later); or set --kubernetes-version or the checklist's kubernetesVersion if the target is another.",
  references: [
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/create-cluster-kubeadm/#version-skew-policy',
    'https://kubernetes.io/releases/version-skew-policy/',
    'https://github.com/containerd/containerd/blob/main/RELEASES.md#kubernetes-support',
  ],
  applies: (ctx) => {
    const { installed, database, rpmDatabases } = ctx.model.packages;
    if (installed.kubeadm || installed.kubelet || knownContainerd(ctx)) return undefined;
    if (database === 'rpm')
      return `the rpm database (${rpmDatabases.join(', ')}) is binary and not read, so no installed version is known; set the checklist's containerdVersion to check containerd`;
    return 'no kubeadm, kubelet or containerd package is installed in the package database, and no containerd version is known';
  },
  check: (ctx) => [...kubernetesPackages(ctx), ...containerdVersion(ctx)],
});
