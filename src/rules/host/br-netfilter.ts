import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule, type Violation } from '../types.js';

const KEY = 'net.bridge.bridge-nf-call-iptables';

export default defineRule({
  id: 'host/br-netfilter',
  title: 'br_netfilter is loaded and persisted, and bridged traffic passes iptables',
  severity: 'warning',
  mode: 'static',
  aliases: kubeadmNamesOf('host/br-netfilter'),
  rationale:
    'Without br_netfilter and net.bridge.bridge-nf-call-iptables = 1, traffic between pods on the same bridge bypasses iptables, so kube-proxy service rules and network policies silently do not apply. kubeadm checked the live value up to 1.29 (kubernetes#123464 removed it).',
  remediation:
    'Add br_netfilter to /etc/modules-load.d/k8s.conf, load it with modprobe br_netfilter, and set net.bridge.bridge-nf-call-iptables = 1 in /etc/sysctl.d/.',
  references: ['https://kubernetes.io/docs/setup/production-environment/container-runtimes/#forwarding-ipv4-and-letting-iptables-see-bridged-traffic'],
  check: ({ model }) => {
    const { modules, sysctl, procAvailable } = model.host;
    const out: Violation[] = [];
    const loaded = modules.loaded?.includes('br_netfilter');
    if (modules.loaded !== null && !loaded) {
      out.push({
        message: 'br_netfilter is not loaded (not in /proc/modules or /sys/module).',
        evidence: { file: '/proc/modules', observed: 'not loaded', expected: 'br_netfilter loaded' },
      });
    }
    if (!modules.persisted.some((m) => m.name === 'br_netfilter')) {
      // A trailing comment is not a comment to systemd-modules-load: the whole line is the name.
      const nearMiss = modules.persisted.find((m) => m.name.split(/\s/)[0] === 'br_netfilter');
      out.push(
        nearMiss
          ? {
              message: `${nearMiss.file}:${nearMiss.line} names the module "${nearMiss.name}"; systemd-modules-load reads the whole line as the name, so br_netfilter is not loaded after a reboot.`,
              evidence: { file: nearMiss.file, line: nearMiss.line, observed: nearMiss.name, expected: 'br_netfilter' },
            }
          : {
              message: 'br_netfilter is not listed in any modules-load.d file or /etc/modules, so it is not loaded after a reboot.',
              evidence: { path: 'modules-load.d', observed: null, expected: 'br_netfilter' },
            },
      );
    }
    const live = sysctl.live[KEY];
    if (procAvailable && loaded && live !== '1') {
      out.push({
        message: `/proc/sys/net/bridge/bridge-nf-call-iptables is ${live ?? 'missing'}; expected 1.`,
        evidence: { file: '/proc/sys/net/bridge/bridge-nf-call-iptables', observed: live, expected: '1' },
        alias: 'FileContent--proc-sys-net-bridge-bridge-nf-call-iptables',
      });
    }
    const persisted = sysctl.persisted[KEY];
    if (persisted && persisted.value !== '1') {
      out.push({
        message: `${persisted.file}:${persisted.line} sets ${KEY} = ${persisted.value} for boot; expected 1.`,
        evidence: { file: persisted.file, line: persisted.line, path: KEY, observed: persisted.value, expected: '1' },
      });
    }
    return out;
  },
});
