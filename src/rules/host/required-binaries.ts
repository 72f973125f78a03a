import { REQUIRED_BINARIES, STANDARD_PATH } from '../../model/host.js';
import { defineRule } from '../types.js';

export default defineRule({
  id: 'host/required-binaries',
  title: 'The binaries kubeadm and kubelet need are on PATH',
  severity: 'error',
  mode: 'static',
  aliases: REQUIRED_BINARIES.map((b) => `FileExisting-${b.name}`),
  rationale:
    'kubeadm refuses to join without ip, iptables, mount and nsenter, and kubelet and kube-proxy call ebtables, ethtool, socat, tc, touch, conntrack and crictl at run time (port-forward, conntrack cleanup, image and container inspection).',
  remediation:
    'Install the missing packages (iproute2, iptables, mount/util-linux, socat, ebtables, ethtool, conntrack, cri-tools) so the binaries are in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin or /bin.',
  references: ['https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/preflight/checks.go'],
  check: ({ model }) =>
    model.host.binaries
      .filter((b) => b.path === null)
      .map((b) => ({
        message: `${b.name} is not an executable file in ${STANDARD_PATH.join(':')}.`,
        evidence: { path: 'PATH', observed: null, expected: b.name },
        severity: b.level,
        alias: `FileExisting-${b.name}`,
      })),
});
