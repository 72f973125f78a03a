import { testRule } from '../../helpers/rule-tester.js';

const DUAL = { cluster: { podSubnet: '10.244.0.0/16,fd00:10:244::/56', serviceSubnet: '10.96.0.0/12,fd00:10:96::/112' } };
const PROC = '/proc/sys/net/ipv6/conf/default/forwarding';
const PERSISTED = { '/etc/sysctl.d/99-k8s.conf': 'net.ipv6.conf.default.forwarding = 1\n' };

testRule('host/ipv6-forward', {
  quiet: [
    { name: 'an IPv4 cluster', files: { [PROC]: '0\n' }, status: 'not-applicable', reason: /IPv4-only/ },
    { name: 'dual-stack, on now and persisted', files: { [PROC]: '1\n', ...PERSISTED }, checklist: DUAL },
    {
      name: 'conf.all.forwarding persisted also sets default',
      files: { [PROC]: '1\n', '/etc/sysctl.conf': 'net.ipv6.conf.all.forwarding=1\n' },
      checklist: DUAL,
    },
    { name: 'an image without /proc, persisted', files: PERSISTED, checklist: { cluster: { podSubnet: 'fd00::/56' } } },
    { name: 'an IPv6 control-plane endpoint', files: { [PROC]: '1\n', ...PERSISTED }, checklist: { cluster: { controlPlaneEndpoint: '[fd00::10]:6443' } } },
  ],
  firing: [
    {
      name: 'dual-stack with forwarding off and not persisted',
      files: { [PROC]: '0\n' },
      checklist: DUAL,
      violations: [
        {
          message: /^\/proc\/sys\/net\/ipv6\/conf\/default\/forwarding is 0; the cluster subnet fd00:10:244::\/56 needs 1\.$/,
          alias: 'FileContent--proc-sys-net-ipv6-conf-default-forwarding',
        },
        { message: /is not set in \/etc\/sysctl\.conf or any sysctl\.d file/ },
      ],
    },
    {
      name: 'no IPv6 in the kernel, and persisted as 0',
      files: { '/proc/sys/net/ipv4/ip_forward': '1\n', '/etc/sysctl.d/10-ipv6.conf': 'net/ipv6/conf/default/forwarding = 0\n' },
      checklist: { cluster: { serviceSubnet: 'fd00:10:96::/112' } },
      violations: [
        { message: /does not exist, so the kernel has no IPv6 forwarding for the cluster subnet/ },
        { message: /^\/etc\/sysctl\.d\/10-ipv6\.conf:1 sets IPv6 forwarding to 0 for boot/ },
      ],
    },
  ],
});
