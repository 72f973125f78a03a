import { defineRule } from '../types.js';
import { at, where } from '../helpers.js';

/** A kubelet flag that kubelet rejects (`unknown flag`) from a given minor on. */
interface RemovedFlag {
  name: string;
  /** First Kubernetes minor whose kubelet refuses to start with it. */
  removedIn: number;
  /** What to use instead. */
  instead: string;
}

/**
 * Removed kubelet flags; kubelet exits with "unknown flag" on any of these.
 * Sources: the CHANGELOG of each minor (Urgent Upgrade Notes) and the PRs
 * named in the comments; flags that are only deprecated are not listed.
 */
export const REMOVED_KUBELET_FLAGS: readonly RemovedFlag[] = [
  { name: 'enable-cadvisor-json-endpoints', removedIn: 21, instead: '/stats/summary and /metrics/cadvisor' },
  { name: 'chaos-chance', removedIn: 22, instead: 'nothing (it was a test flag)' },
  { name: 'experimental-bootstrap-kubeconfig', removedIn: 23, instead: '--bootstrap-kubeconfig' },
  { name: 'seccomp-profile-root', removedIn: 23, instead: 'nothing: profiles live in <root-dir>/seccomp' },
  // dockershim's removal (kubernetes#106907) took these; CNI is configured in the runtime since.
  { name: 'experimental-dockershim-root-directory', removedIn: 24, instead: 'nothing (dockershim was removed)' },
  { name: 'docker-endpoint', removedIn: 24, instead: '--container-runtime-endpoint' },
  { name: 'image-pull-progress-deadline', removedIn: 24, instead: "the runtime's image pull timeout" },
  { name: 'network-plugin', removedIn: 24, instead: 'nothing: the runtime configures CNI' },
  { name: 'cni-conf-dir', removedIn: 24, instead: "containerd's cni conf_dir" },
  { name: 'cni-bin-dir', removedIn: 24, instead: "containerd's cni bin_dirs" },
  { name: 'cni-cache-dir', removedIn: 24, instead: 'nothing: the runtime owns CNI state' },
  { name: 'network-plugin-mtu', removedIn: 24, instead: 'the CNI plugin configuration' },
  { name: 'non-masquerade-cidr', removedIn: 24, instead: 'ip-masq-agent or the CNI plugin' },
  { name: 'experimental-check-node-capabilities-before-mount', removedIn: 24, instead: 'CSI drivers' },
  { name: 'really-crash-for-testing', removedIn: 24, instead: 'nothing (it was a test flag)' },
  { name: 'dynamic-config-dir', removedIn: 24, instead: '--config (and --config-dir)' },
  { name: 'experimental-kernel-memcg-notification', removedIn: 25, instead: '--kernel-memcg-notification' },
  // The legacy klog flags went in 1.26 (kubernetes#112120); only -v and --vmodule remain.
  ...[
    'log-dir',
    'log-file',
    'log-file-max-size',
    'logtostderr',
    'alsologtostderr',
    'one-output',
    'stderrthreshold',
    'skip-headers',
    'skip-log-headers',
    'add-dir-header',
    'log-backtrace-at',
  ].map((name) => ({ name, removedIn: 26, instead: 'journald (kubelet logs to stderr); only -v and --vmodule remain' })),
  { name: 'container-runtime', removedIn: 27, instead: 'nothing: remote is the only runtime; keep --container-runtime-endpoint' },
  { name: 'master-service-namespace', removedIn: 27, instead: 'nothing' },
  { name: 'azure-container-registry-config', removedIn: 30, instead: '--image-credential-provider-config and --image-credential-provider-bin-dir' },
  { name: 'keep-terminated-pod-volumes', removedIn: 31, instead: 'nothing' },
  { name: 'iptables-masquerade-bit', removedIn: 31, instead: 'nothing' },
  { name: 'iptables-drop-bit', removedIn: 31, instead: 'nothing' },
  { name: 'register-schedulable', removedIn: 34, instead: '--register-with-taints' },
  { name: 'cloud-config', removedIn: 34, instead: 'an external cloud-controller-manager' },
  { name: 'pod-infra-container-image', removedIn: 35, instead: "the runtime's sandbox image (containerd's sandbox image setting)" },
];

export default defineRule({
  id: 'kubelet/no-removed-flags',
  title: 'kubelet is given no flag the target Kubernetes version removed',
  severity: 'error',
  mode: 'static',
  rationale:
    'kubelet refuses to start with "unknown flag" when KUBELET_EXTRA_ARGS, kubeadm-flags.env or a drop-in still passes a flag its version removed; the join then times out waiting for kubelet.',
  remediation:
    'Remove the flag from /etc/default/kubelet (or /etc/sysconfig/kubelet), kubeadm-flags.env or the kubelet drop-in, and configure its replacement instead.',
  references: [
    'https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/',
    'https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/README.md',
  ],
  check: ({ model, targets }) =>
    model.kubelet.flags.flatMap((flag) => {
      const removed = REMOVED_KUBELET_FLAGS.find((r) => r.name === flag.name);
      if (!removed || targets.kubernetesMinor < removed.removedIn) return [];
      return [
        {
          message: `--${flag.name} is passed to kubelet through ${flag.via} (${where(flag.source)}), but kubelet removed it in 1.${removed.removedIn} and the target is ${targets.kubernetesVersion}; use ${removed.instead}.`,
          evidence: { ...at(flag.source), observed: `--${flag.name}`, expected: `no --${flag.name}` },
        },
      ];
    }),
});
