import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule, type Violation } from '../types.js';

const KEY = 'net.ipv4.ip_forward';

export default defineRule({
  id: 'host/ip-forward',
  title: 'IPv4 forwarding is on now and persisted for boot',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('host/ip-forward'),
  rationale:
    'Pod traffic is routed through the node; with net.ipv4.ip_forward = 0 pods cannot reach services or other nodes. A value set only at runtime is lost at the next reboot.',
  remediation: 'Put net.ipv4.ip_forward = 1 in a file under /etc/sysctl.d/ (e.g. /etc/sysctl.d/99-kubernetes.conf) and apply it with sysctl --system.',
  references: ['https://kubernetes.io/docs/setup/production-environment/container-runtimes/#prerequisite-ipv4-forwarding-optional'],
  check: ({ model }) => {
    const out: Violation[] = [];
    const live = model.host.sysctl.live[KEY];
    if (model.host.procAvailable && live !== '1') {
      out.push({
        message: live === null ? '/proc/sys/net/ipv4/ip_forward does not exist.' : `/proc/sys/net/ipv4/ip_forward is ${live}; expected 1.`,
        evidence: { file: '/proc/sys/net/ipv4/ip_forward', observed: live, expected: '1' },
        // kubeadm reads /proc only; what is persisted for boot is not its finding.
        alias: 'FileContent--proc-sys-net-ipv4-ip_forward',
      });
    }
    const persisted = model.host.sysctl.persisted[KEY];
    if (!persisted) {
      out.push({
        message: `${KEY} is not set in /etc/sysctl.conf or any sysctl.d file, so it is 0 after a reboot.`,
        evidence: { path: KEY, observed: null, expected: '1' },
      });
    } else if (persisted.value !== '1') {
      out.push({
        message: `${persisted.file}:${persisted.line} sets ${KEY} = ${persisted.value} for boot; expected 1.`,
        evidence: { file: persisted.file, line: persisted.line, path: KEY, observed: persisted.value, expected: '1' },
      });
    }
    return out;
  },
});
