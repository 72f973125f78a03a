/**
 * kubeadm's join preflight, per Kubernetes minor, as data.
 *
 * Source: kubernetes/kubernetes cmd/kubeadm/app/preflight/{checks.go,checks_linux.go,checks_unix.go}
 * and cmd/kubeadm/app/cmd/phases/join/preflight.go at each release, with the PRs
 * that changed the list (named beside each row). A worker join runs
 * `JoinNodeChecks` (two FileAvailable checks, `addCommonChecks`, the CA file for
 * workers, and HTTPProxy plus the forwarding checks when the discovery endpoint
 * is an IP literal); a control-plane join runs the same and then
 * `RunInitNodeChecks(isSecondaryControlPlane=true)` and `RunPullImagesCheck`.
 * kubeadm passes no Kubernetes version to `addCommonChecks` on join, so checks
 * gated on a version (conntrack since 1.32) never run there.
 */

/** The Kubernetes minors this release knows kubeadm's checks for. */
export const KUBEADM_MINORS: readonly number[] = Object.freeze([27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37]);

/** Which kind of join a node is prepared for (checklist `joinRole`). */
export type JoinRole = 'worker' | 'control-plane';

/** How kubeadm reports a failed check: errors stop the join, warnings do not. */
export type KubeadmLevel = 'error' | 'warning';

/** One kubeadm preflight check a join runs, with the minors and roles it runs for. */
export interface KubeadmCheck {
  /** The name kubeadm prints (`[ERROR Name]`) and `--ignore-preflight-errors` takes. */
  name: string;
  /** Its level per minor; a minor that is absent does not run the check. */
  levels: Readonly<Record<number, KubeadmLevel>>;
  /** The joins that run it. */
  roles: readonly JoinRole[];
  /** When it runs at all, if not always. */
  when?: string;
  /** The rules that cover it; empty when kube-preflight has none (say why in `note`). */
  rules: readonly string[];
  /** What the rules do not cover, or why there is no rule. */
  note?: string;
  /** Where the facts come from. */
  source: string;
}

/** A name kubeadm emitted before 1.27 that operators still pass; accepted, never forwarded. */
export interface HistoricalKubeadmName {
  name: string;
  rules: readonly string[];
  note: string;
}

const BOTH: readonly JoinRole[] = ['worker', 'control-plane'];
const CONTROL_PLANE: readonly JoinRole[] = ['control-plane'];

/** The same level for the minors `from`..`to` (inclusive). */
function levels(from: number, to: number, level: KubeadmLevel, more: Record<number, KubeadmLevel> = {}): Readonly<Record<number, KubeadmLevel>> {
  const out: Record<number, KubeadmLevel> = {};
  for (const minor of KUBEADM_MINORS) if (minor >= from && minor <= to) out[minor] = level;
  return Object.freeze({ ...out, ...more });
}

const ALL = (level: KubeadmLevel): Readonly<Record<number, KubeadmLevel>> => levels(27, 37, level);
const CHECKS_LINUX = 'checks_linux.go addExecChecks';

/** A binary kubeadm looks up on PATH (`InPathCheck`, named `FileExisting-<binary>`). */
function binary(name: string, lv: Readonly<Record<number, KubeadmLevel>>, source: string, note?: string): KubeadmCheck {
  return {
    name: `FileExisting-${name}`,
    levels: lv,
    roles: BOTH,
    rules: ['host/required-binaries'],
    source: `${CHECKS_LINUX}; ${source}`,
    ...(note ? { note } : {}),
  };
}

/** Every check `kubeadm join` runs on Linux in 1.27–1.37, in the order kubeadm runs them. */
export const KUBEADM_JOIN_CHECKS: readonly KubeadmCheck[] = Object.freeze([
  {
    name: 'IsPrivilegedUser',
    levels: ALL('error'),
    roles: BOTH,
    rules: [],
    note: 'Who runs kubeadm is not a property of the node; run kubeadm join as root.',
    source: 'cmd/kubeadm/app/cmd/join.go (RunRootCheckOnly); checks_unix.go',
  },
  {
    name: 'FileAvailable--etc-kubernetes-kubelet.conf',
    levels: ALL('error'),
    roles: BOTH,
    rules: ['kubelet/no-previous-join'],
    source: 'checks.go JoinNodeChecks',
  },
  {
    name: 'FileAvailable--etc-kubernetes-bootstrap-kubelet.conf',
    levels: ALL('error'),
    roles: BOTH,
    rules: ['kubelet/no-previous-join'],
    source: 'checks.go JoinNodeChecks',
  },
  {
    name: 'CRI',
    levels: ALL('error'),
    roles: BOTH,
    when: 'kubeadm could connect to the CRI socket',
    rules: ['runtime/cri-ready'],
    note: 'Live: only the RuntimeReady condition counts. Through crictl up to 1.30, the CRI client from 1.31 (kubernetes#124685).',
    source: 'checks.go addCommonChecks (ContainerRuntimeCheck)',
  },
  {
    name: 'ContainerRuntimeVersion',
    levels: levels(35, 37, 'warning'),
    roles: BOTH,
    rules: ['host/component-versions'],
    note: 'Warns when the runtime lacks the CRI RuntimeConfig call (KEP-4033).',
    source: 'kubernetes#134906 (1.35)',
  },
  {
    name: 'Swap',
    levels: ALL('warning'),
    roles: BOTH,
    rules: ['host/swap-off'],
    note: 'kubeadm reads /proc/swaps only; swap in /etc/fstab is not its check.',
    source: 'checks.go SwapCheck; a warning since kubernetes#104854 (1.22)',
  },
  binary('crictl', levels(27, 30, 'error', { 31: 'warning' }), 'a warning in 1.31 (kubernetes#125212), not checked from 1.32 (kubernetes#126596)'),
  binary('conntrack', levels(27, 31, 'error'), 'gated on the Kubernetes version from 1.32 (kubernetes#126952), which join does not pass'),
  binary('ip', levels(27, 32, 'error'), 'removed in 1.33 (kubernetes#129131)'),
  binary('iptables', levels(27, 32, 'error'), 'removed in 1.33 (kubernetes#129131)'),
  binary('mount', ALL('error'), 'every release'),
  binary('nsenter', levels(27, 32, 'error'), 'removed in 1.33 (kubernetes#129450)'),
  binary(
    'ebtables',
    levels(27, 31, 'warning'),
    'removed in 1.32 (kubernetes#127151)',
    'Also removed from later 1.28–1.31 patch releases (kubernetes#127413–#127416).',
  ),
  binary('ethtool', levels(27, 32, 'warning'), 'removed in 1.33 (kubernetes#129131)'),
  binary(
    'socat',
    levels(27, 31, 'warning'),
    'removed in 1.32 (kubernetes#127151)',
    'Also removed from later 1.28–1.31 patch releases (kubernetes#127413–#127416).',
  ),
  binary('tc', levels(27, 32, 'warning'), 'removed in 1.33 (kubernetes#129131)'),
  binary('touch', levels(27, 32, 'warning'), 'removed in 1.33 (kubernetes#129317)'),
  binary('losetup', levels(33, 37, 'error'), 'added in 1.33 (kubernetes#129450)'),
  binary('cp', levels(33, 37, 'error'), 'added in 1.33 (kubernetes#130045)'),
  {
    name: 'SystemVerification',
    levels: ALL('error'),
    roles: BOTH,
    rules: ['host/kernel-config', 'host/cgroup-v2'],
    note: "k8s.io/system-validators' kernel, OS and cgroup validators; the cgroup controllers themselves are not checked offline.",
    source: 'checks.go SystemVerificationCheck; checks_linux.go addOSValidator',
  },
  {
    name: 'Hostname',
    levels: ALL('warning'),
    roles: BOTH,
    rules: ['host/hostname'],
    note: 'kubeadm also looks the name up in DNS, which needs the live node.',
    source: 'checks.go HostnameCheck',
  },
  { name: 'KubeletVersion', levels: ALL('error'), roles: BOTH, rules: ['host/component-versions'], source: 'checks.go KubeletVersionCheck' },
  {
    name: 'Service-Kubelet',
    levels: ALL('warning'),
    roles: BOTH,
    rules: ['systemd/kubelet-unit', 'systemd/kubelet-enabled'],
    source: 'checks.go ServiceCheck (CheckIfActive false)',
  },
  { name: 'Port-10250', levels: ALL('error'), roles: BOTH, rules: ['runtime/port-10250-free'], source: 'checks.go addCommonChecks (PortOpenCheck)' },
  {
    name: 'FileAvailable--etc-kubernetes-pki-ca.crt',
    levels: ALL('error'),
    roles: ['worker'],
    rules: ['kubelet/no-previous-join'],
    source: 'checks.go JoinNodeChecks (cfg.ControlPlane == nil)',
  },
  {
    name: 'HTTPProxy',
    levels: ALL('warning'),
    roles: BOTH,
    when: 'bootstrap-token discovery (worker); the advertise address (control plane)',
    rules: [],
    note: "It judges kubeadm's own shell environment, not the node's configuration; systemd/no-proxy-coverage judges containerd's and kubelet's.",
    source: 'checks.go JoinNodeChecks, InitNodeChecks',
  },
  {
    name: 'FileContent--proc-sys-net-ipv4-ip_forward',
    levels: ALL('error'),
    roles: BOTH,
    when: 'the discovery endpoint is an IPv4 address',
    rules: ['host/ip-forward'],
    source: 'checks_linux.go addIPv4Checks',
  },
  {
    name: 'FileContent--proc-sys-net-ipv6-conf-default-forwarding',
    levels: ALL('error'),
    roles: BOTH,
    when: 'the discovery endpoint is an IPv6 address',
    rules: ['host/ipv6-forward'],
    source: 'checks_linux.go addIPv6Checks',
  },
  {
    name: 'FileContent--proc-sys-net-bridge-bridge-nf-call-iptables',
    levels: levels(27, 29, 'error'),
    roles: BOTH,
    when: 'the discovery endpoint is an IPv4 address',
    rules: ['host/br-netfilter'],
    source: 'checks_linux.go addIPv4Checks; removed in 1.30 (kubernetes#123464)',
  },
  {
    name: 'FileContent--proc-sys-net-bridge-bridge-nf-call-ip6tables',
    levels: levels(27, 29, 'error'),
    roles: BOTH,
    when: 'the discovery endpoint is an IPv6 address',
    rules: [],
    note: 'host/br-netfilter checks the IPv4 setting only.',
    source: 'checks_linux.go addIPv6Checks; removed in 1.30 (kubernetes#123464)',
  },
  {
    name: 'NumCPU',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    rules: [],
    note: 'Hardware, not configuration: at least 2 CPUs.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'Mem',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    rules: [],
    note: 'Hardware, not configuration: at least 1700 MB.',
    source: 'checks_linux.go MemCheck',
  },
  {
    name: 'KubernetesVersion',
    levels: ALL('warning'),
    roles: CONTROL_PLANE,
    rules: [],
    note: "Compares kubeadm's own version with the cluster's.",
    source: 'checks.go KubernetesVersionCheck',
  },
  {
    name: 'Firewalld',
    levels: ALL('warning'),
    roles: CONTROL_PLANE,
    rules: [],
    note: 'Live: whether firewalld is active.',
    source: 'checks.go FirewalldCheck',
  },
  {
    name: 'Port-6443',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    when: 'the default API server port',
    rules: [],
    note: 'Live: control-plane ports are not probed.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'Port-10259',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    rules: [],
    note: 'Live: control-plane ports are not probed.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'Port-10257',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    rules: [],
    note: 'Live: control-plane ports are not probed.',
    source: 'checks.go InitNodeChecks',
  },
  ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((pod): KubeadmCheck => ({
    name: `FileAvailable--etc-kubernetes-manifests-${pod}.yaml`,
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    rules: ['kubelet/no-leftover-manifests'],
    source: 'checks.go InitNodeChecks',
  })),
  {
    name: 'HTTPProxyCIDR',
    levels: ALL('warning'),
    roles: CONTROL_PLANE,
    rules: [],
    note: "It judges kubeadm's own shell environment.",
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'Port-2379',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    when: 'local etcd',
    rules: [],
    note: 'Live: etcd ports are not probed.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'Port-2380',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    when: 'local etcd',
    rules: [],
    note: 'Live: etcd ports are not probed.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'DirAvailable--var-lib-etcd',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    when: 'local etcd',
    rules: [],
    note: 'The etcd data directory is not read.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'ExternalEtcdVersion',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    when: 'external etcd',
    rules: [],
    note: 'Needs the etcd endpoints.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'ExternalEtcdClientCertificates',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    when: 'external etcd without --certificate-key',
    rules: [],
    note: 'Needs the etcd client certificate paths.',
    source: 'checks.go InitNodeChecks',
  },
  {
    name: 'ImagePull',
    levels: ALL('error'),
    roles: CONTROL_PLANE,
    rules: [],
    note: "Pulls the control-plane images (runtime/critical-images-pullable pulls the checklist's images with --pull).",
    source: 'checks.go RunPullImagesCheck',
  },
] satisfies KubeadmCheck[]);

/** Names no supported kubeadm emits on join any more, which operators still pass (kubespray does on every worker join). */
export const HISTORICAL_KUBEADM_NAMES: readonly HistoricalKubeadmName[] = Object.freeze([
  {
    name: 'DirAvailable--etc-kubernetes-manifests',
    rules: ['kubelet/no-leftover-manifests'],
    note: 'Not checked on worker joins since 1.23 (kubernetes#104942); a control-plane join checks the four manifest files instead.',
  },
]);

const BY_NAME = new Map<string, KubeadmCheck | HistoricalKubeadmName>(
  [...KUBEADM_JOIN_CHECKS, ...HISTORICAL_KUBEADM_NAMES].map((c) => [c.name.toLowerCase(), c]),
);

/** The canonical spelling of a kubeadm check name of any supported release (case-insensitive), or null. */
export function kubeadmName(name: string): string | null {
  return BY_NAME.get(name.toLowerCase())?.name ?? null;
}

/** The checks `kubeadm join` runs for a minor and join role, in kubeadm's order. */
export function kubeadmJoinChecks(minor: number, role: JoinRole): KubeadmCheck[] {
  return KUBEADM_JOIN_CHECKS.filter((c) => c.levels[minor] !== undefined && c.roles.includes(role));
}

/** How kubeadm of a minor reports a check on a join of this role, or null when it does not run it. */
export function kubeadmLevel(name: string, minor: number, role: JoinRole): KubeadmLevel | null {
  const check = KUBEADM_JOIN_CHECKS.find((c) => c.name.toLowerCase() === name.toLowerCase());
  return check && check.roles.includes(role) ? (check.levels[minor] ?? null) : null;
}

/** The kubeadm names a rule covers, in table order (a rule's aliases). */
export function kubeadmNamesOf(ruleId: string): string[] {
  return [...KUBEADM_JOIN_CHECKS, ...HISTORICAL_KUBEADM_NAMES].filter((c) => c.rules.includes(ruleId)).map((c) => c.name);
}

/** The minor whose table applies: the target itself, or the nearest known one. */
export function kubeadmMinor(minor: number): number {
  const first = KUBEADM_MINORS[0]!;
  const last = KUBEADM_MINORS[KUBEADM_MINORS.length - 1]!;
  return Number.isFinite(minor) ? Math.min(Math.max(minor, first), last) : last;
}

/** Every binary any supported kubeadm looks up on join, for the collector. */
export const KUBEADM_BINARIES: readonly string[] = Object.freeze(
  KUBEADM_JOIN_CHECKS.filter((c) => c.name.startsWith('FileExisting-')).map((c) => c.name.slice('FileExisting-'.length)),
);
