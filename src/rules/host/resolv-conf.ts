import { defineRule, type Violation } from '../types.js';
import { q } from '../helpers.js';

const RESOLVED_REAL = '/run/systemd/resolve/resolv.conf';

export default defineRule({
  id: 'host/resolv-conf',
  title: 'resolv.conf gives pods usable DNS settings',
  severity: 'warning',
  mode: 'static',
  rationale:
    "kubelet copies the node's resolv.conf into pods: more than 3 nameservers or 6 search domains are cut off with warnings, and systemd-resolved's stub (127.0.0.53) points pods at their own loopback, which breaks DNS and makes CoreDNS loop.",
  remediation:
    "Keep 1-3 nameservers and at most 6 search domains in /etc/resolv.conf; with systemd-resolved, set kubelet's resolvConf to /run/systemd/resolve/resolv.conf.",
  references: [
    'https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/#known-issues',
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/troubleshooting-kubeadm/#coredns-pods-have-crashloopbackoff-or-error-state',
  ],
  target: '/host/resolvConf',
  schema: {
    type: 'object',
    if: { properties: { file: { type: 'object', properties: { state: { const: 'ok' } } } } },
    then: {
      properties: {
        nameservers: { type: 'array', minItems: 1, maxItems: 3 },
        search: { type: 'array', maxItems: 6 },
      },
    },
  },
  describe: (error, value) => {
    const v = value as { nameservers: string[]; search: string[] };
    const observed = error.instancePath === '/search' ? v.search : v.nameservers;
    const message =
      error.instancePath === '/search'
        ? `/etc/resolv.conf lists ${v.search.length} search domains; pods get at most 6.`
        : v.nameservers.length === 0
          ? '/etc/resolv.conf lists no nameserver.'
          : `/etc/resolv.conf lists ${v.nameservers.length} nameservers; glibc and kubelet use only the first 3.`;
    return { message, evidence: { file: '/etc/resolv.conf', path: error.instancePath.slice(1), observed } };
  },
  check: ({ model }) => {
    const { resolvConf } = model.host;
    const out: Violation[] = [];
    if (resolvConf.file.state === 'missing') {
      out.push({ message: '/etc/resolv.conf does not exist.', evidence: { file: '/etc/resolv.conf', observed: 'missing' } });
    }
    const kubeletResolv = model.kubelet.resolvConf;
    if (resolvConf.resolvedStub && model.kubelet.config.state === 'ok' && kubeletResolv?.value !== RESOLVED_REAL) {
      out.push({
        message: `/etc/resolv.conf is systemd-resolved's stub, but kubelet's resolvConf is ${kubeletResolv ? q(kubeletResolv.value) : 'unset (/etc/resolv.conf)'}; pods would get 127.0.0.53.`,
        evidence: {
          file: kubeletResolv?.source.file ?? model.kubelet.config.path,
          line: kubeletResolv?.source.line,
          path: 'resolvConf',
          observed: kubeletResolv?.value ?? null,
          expected: RESOLVED_REAL,
        },
      });
    }
    return out;
  },
});
