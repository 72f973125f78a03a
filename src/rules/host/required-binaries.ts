import { STANDARD_PATH } from '../../model/host.js';
import { kubeadmLevel, kubeadmMinor, kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';

export default defineRule({
  id: 'host/required-binaries',
  title: 'The binaries kubeadm join of the target version requires are on PATH',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('host/required-binaries'),
  rationale:
    'kubeadm join looks these binaries up on PATH and refuses to join without the mandatory ones (an error) or warns about the others. The list depends on the release: 1.33 requires mount, losetup and cp and no longer ip, iptables or nsenter; crictl was an error up to 1.30 and a warning in 1.31. The binaries and their level per version are in docs/kubeadm-checks.md.',
  remediation:
    'Install the missing packages (util-linux for mount, losetup and nsenter, coreutils for cp and touch, iproute2, iptables, conntrack, cri-tools, socat, ebtables, ethtool) so the binaries are in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin or /bin.',
  references: [
    'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/preflight/checks_linux.go',
    'https://github.com/kubernetes/kubernetes/pull/129131',
    'https://github.com/kubernetes/kubernetes/pull/129450',
  ],
  check: ({ model, targets, checklist }) => {
    const minor = kubeadmMinor(targets.kubernetesMinor);
    const role = checklist.joinRole ?? 'worker';
    return model.host.binaries.flatMap((b) => {
      const level = kubeadmLevel(`FileExisting-${b.name}`, minor, role);
      if (b.path !== null || level === null) return [];
      return [
        {
          message: `${b.name} is not an executable file in ${STANDARD_PATH.join(':')}; kubeadm 1.${minor} ${level === 'error' ? 'refuses to join' : 'warns'} without it.`,
          evidence: { path: 'PATH', observed: null, expected: b.name },
          severity: level,
          alias: `FileExisting-${b.name}`,
        },
      ];
    });
  },
});
