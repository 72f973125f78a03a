import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { parseCidr } from '../../parsers/ip.js';
import { defineRule, type Violation } from '../types.js';

const KEY = 'net.ipv6.conf.default.forwarding';
const ALL = 'net.ipv6.conf.all.forwarding';
const PROC = '/proc/sys/net/ipv6/conf/default/forwarding';

/** Whether the checklist describes an IPv6 or dual-stack cluster. */
function ipv6Cluster(cluster: { podSubnet?: string; serviceSubnet?: string; controlPlaneEndpoint?: string }): string | null {
  const cidrs = [cluster.podSubnet, cluster.serviceSubnet]
    .flatMap((v) => (v ?? '').split(','))
    .map((c) => c.trim())
    .filter(Boolean);
  const v6 = cidrs.find((c) => parseCidr(c)?.v4 === false);
  if (v6) return `the cluster subnet ${v6}`;
  const endpoint = cluster.controlPlaneEndpoint ?? '';
  return endpoint.startsWith('[') ? `the control-plane endpoint ${endpoint}` : null;
}

export default defineRule({
  id: 'host/ipv6-forward',
  title: 'IPv6 forwarding is on now and persisted for an IPv6 or dual-stack cluster',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('host/ipv6-forward'),
  rationale:
    'Pods of an IPv6 or dual-stack cluster are routed through the node; with net.ipv6.conf.default.forwarding = 0 their IPv6 traffic stops at the node. kubeadm checks the live value only when the discovery endpoint is an IPv6 address, and a value set only at runtime is lost at the next reboot.',
  remediation:
    'Put net.ipv6.conf.all.forwarding = 1 and net.ipv6.conf.default.forwarding = 1 in a file under /etc/sysctl.d/ and apply it with sysctl --system.',
  references: [
    'https://kubernetes.io/docs/concepts/services-networking/dual-stack/#prerequisites',
    'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/preflight/checks_linux.go',
  ],
  applies: ({ checklist }) => (ipv6Cluster(checklist.cluster) ? undefined : 'The checklist describes an IPv4-only cluster (no IPv6 subnet or endpoint)'),
  check: ({ model, checklist }) => {
    const why = ipv6Cluster(checklist.cluster)!;
    const out: Violation[] = [];
    const live = model.host.sysctl.live[KEY];
    if (model.host.procAvailable && live !== '1') {
      out.push({
        message: live === null ? `${PROC} does not exist, so the kernel has no IPv6 forwarding for ${why}.` : `${PROC} is ${live}; ${why} needs 1.`,
        evidence: { file: PROC, observed: live, expected: '1' },
        alias: 'FileContent--proc-sys-net-ipv6-conf-default-forwarding',
      });
    }
    // Setting conf.all.forwarding also sets conf.default (the kernel's addrconf_fixup_forwarding).
    const persisted = [model.host.sysctl.persisted[KEY], model.host.sysctl.persisted[ALL]].filter((p) => p !== undefined);
    if (persisted.length === 0) {
      out.push({
        message: `${KEY} is not set in /etc/sysctl.conf or any sysctl.d file, so it is 0 after a reboot.`,
        evidence: { path: KEY, observed: null, expected: '1' },
      });
    } else if (!persisted.some((p) => p.value === '1')) {
      const p = persisted[0]!;
      out.push({
        message: `${p.file}:${p.line} sets IPv6 forwarding to ${p.value} for boot; expected 1.`,
        evidence: { file: p.file, line: p.line, observed: p.value, expected: '1' },
      });
    }
    return out;
  },
});
