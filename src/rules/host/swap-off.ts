import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule, type Violation } from '../types.js';

export default defineRule({
  id: 'host/swap-off',
  title: 'Swap is off now and stays off after a reboot',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('host/swap-off'),
  rationale:
    'kubelet fails to start with swap on unless it is explicitly configured for swap (failSwapOn: false and a swap behaviour); kubeadm only warns, so the join times out later. Swap left in /etc/fstab comes back at the next boot.',
  remediation:
    'Run swapoff -a and remove or comment out the swap entries in /etc/fstab (or set host.swapAllowed in the checklist when kubelet is configured for swap).',
  references: [
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/#swap-configuration',
    'https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory',
  ],
  applies: ({ checklist }) => (checklist.host.swapAllowed ? 'the checklist allows swap (host.swapAllowed)' : undefined),
  check: ({ model }) => {
    const { active, fstab } = model.host.swap;
    const out: Violation[] = (active ?? []).map((a) => ({
      message: `swap is active on ${a.filename} (${a.type}) according to /proc/swaps.`,
      evidence: { file: '/proc/swaps', observed: a.filename, expected: 'no active swap' },
      // kubeadm's Swap check reads /proc/swaps only; the fstab entries below are not its finding.
      alias: 'Swap',
    }));
    for (const s of fstab.filter((x) => !x.noauto)) {
      out.push({
        message: `${s.file}:${s.line} enables swap on ${s.spec} at boot.`,
        evidence: { file: s.file, line: s.line, observed: s.spec, expected: 'no swap entry (or noauto)' },
      });
    }
    return out;
  },
});
