import { testRule } from '../../helpers/rule-tester.js';

const LOADED = 'br_netfilter 32768 0 - Live 0x0000000000000000\nbridge 311296 1 br_netfilter, Live 0x0000000000000000\n';

testRule('host/br-netfilter', {
  quiet: [
    {
      name: 'loaded, persisted, bridged traffic through iptables',
      files: {
        '/proc/modules': LOADED,
        '/proc/sys/net/bridge/bridge-nf-call-iptables': '1\n',
        '/etc/modules-load.d/k8s.conf': 'overlay\nbr_netfilter\n',
      },
    },
    {
      name: 'built into the kernel (only /sys/module), persisted in /etc/modules',
      files: {
        '/sys/module/br_netfilter/initstate': 'live\n',
        '/proc/modules': 'overlay 1 0 - Live 0x0\n',
        '/proc/sys/net/bridge/bridge-nf-call-iptables': '1',
        '/etc/modules': '# /etc/modules\nbr_netfilter\n',
      },
    },
    { name: 'an image: persisted only', files: { '/usr/lib/modules-load.d/k8s.conf': '# for kube-proxy\nbr_netfilter\n' } },
  ],
  firing: [
    {
      name: 'loaded, but /proc/sys has no bridge-nf-call-iptables',
      files: { '/proc/modules': LOADED, '/proc/sys/kernel/hostname': 'n', '/etc/modules-load.d/k8s.conf': 'br_netfilter\n' },
      violations: [{ message: /bridge-nf-call-iptables is missing; expected 1/ }],
    },
    {
      name: 'a trailing comment makes the whole line the module name',
      files: { '/etc/modules-load.d/k8s.conf': 'br_netfilter # for kube-proxy\n' },
      violations: [
        { message: /k8s\.conf:1 names the module "br_netfilter # for kube-proxy"; systemd-modules-load reads the whole line/, evidence: { line: 1 } },
      ],
    },
    {
      name: 'not loaded and not persisted',
      files: { '/proc/modules': 'overlay 151552 0 - Live 0x0\n', '/proc/sys/kernel/hostname': 'n' },
      violations: [{ message: /br_netfilter is not loaded/ }, { message: /not listed in any modules-load\.d file/ }],
    },
    {
      name: 'loaded but bridge-nf-call-iptables 0 now and at boot',
      files: {
        '/proc/modules': LOADED,
        '/proc/sys/net/bridge/bridge-nf-call-iptables': '0\n',
        '/etc/modules-load.d/k8s.conf': 'br_netfilter\n',
        '/etc/sysctl.d/50-bridge.conf': 'net.bridge.bridge-nf-call-iptables = 0\n',
      },
      severity: 'warning',
      violations: [
        { message: /bridge-nf-call-iptables is 0; expected 1/ },
        { message: /\/etc\/sysctl\.d\/50-bridge\.conf:1 sets net\.bridge\.bridge-nf-call-iptables = 0/ },
      ],
    },
  ],
});
