import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';

export default defineRule({
  id: 'systemd/kubelet-enabled',
  title: 'kubelet.service is enabled',
  severity: 'warning',
  mode: 'static',
  aliases: kubeadmNamesOf('systemd/kubelet-enabled'),
  rationale:
    'kubeadm join starts kubelet but does not enable it: a kubelet.service without a wants link of its WantedBy target does not come back after a reboot, and the node goes NotReady. kubeadm only warns about it (Service-Kubelet).',
  remediation: 'Run systemctl enable kubelet.service (it may stay stopped until the join starts it).',
  references: [
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/#installing-kubeadm-kubelet-and-kubectl',
    'https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#is-enabled%20UNIT%E2%80%A6',
  ],
  applies: ({ model }) => (model.join.kubeletService.state === 'not-found' ? 'kubelet.service is not installed (systemd/kubelet-unit reports it)' : undefined),
  check: ({ model }) => {
    const { state, installTargets, fragment } = model.join.kubeletService;
    if (state !== 'disabled') return [];
    const targets = installTargets.length > 0 ? installTargets.join(', ') : 'its [Install] targets';
    return [
      {
        message: `kubelet.service (${fragment}) is not enabled: no link in the .wants directory of ${targets} under /etc/systemd/system, so kubelet does not start after a reboot.`,
        evidence: { file: fragment!, path: '[Install]', observed: 'disabled', expected: 'enabled' },
        alias: 'Service-Kubelet',
      },
    ];
  },
});
