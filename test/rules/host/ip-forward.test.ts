import { testRule } from '../../helpers/rule-tester.js';

testRule('host/ip-forward', {
  quiet: [
    {
      name: 'on and persisted in sysctl.d',
      files: { '/proc/sys/net/ipv4/ip_forward': '1\n', '/etc/sysctl.d/99-kubernetes.conf': 'net.ipv4.ip_forward = 1\n' },
    },
    {
      name: 'persisted in /etc/sysctl.conf with slashes, an image without /proc',
      files: { '/etc/sysctl.conf': '# forwarding\nnet/ipv4/ip_forward=1\n' },
    },
    {
      name: 'a later file wins: /usr/lib says 0, /etc says 1',
      files: {
        '/usr/lib/sysctl.d/50-default.conf': 'net.ipv4.ip_forward = 0\n',
        '/etc/sysctl.d/99-k8s.conf': '-net.ipv4.ip_forward = 1\n',
        '/proc/sys/net/ipv4/ip_forward': '1',
      },
    },
  ],
  firing: [
    {
      name: 'off now and never persisted',
      files: { '/proc/sys/net/ipv4/ip_forward': '0\n' },
      violations: [
        { message: /\/proc\/sys\/net\/ipv4\/ip_forward is 0; expected 1/, evidence: { observed: '0' } },
        { message: /not set in \/etc\/sysctl\.conf or any sysctl\.d file/ },
      ],
    },
    {
      name: 'on now, but a sysctl.d file turns it off at boot',
      files: { '/proc/sys/net/ipv4/ip_forward': '1\n', '/etc/sysctl.d/10-hardening.conf': 'net.ipv4.ip_forward = 0\n' },
      violations: [
        { message: /\/etc\/sysctl\.d\/10-hardening\.conf:1 sets net\.ipv4\.ip_forward = 0/, evidence: { file: '/etc/sysctl.d/10-hardening.conf', line: 1 } },
      ],
    },
    {
      name: 'the /etc file is masked by /dev/null, so /usr/lib value 0 applies',
      files: {
        '/proc/sys/net/ipv4/ip_forward': '1',
        '/usr/lib/sysctl.d/99-k8s.conf': 'net.ipv4.ip_forward = 0\n',
        '/etc/sysctl.d/99-k8s.conf': { link: '/dev/null' },
      },
      violations: [{ message: /not set in \/etc\/sysctl\.conf or any sysctl\.d file/ }],
    },
    {
      name: '/proc/sys present but without ip_forward (no IPv4 stack)',
      files: { '/proc/sys/kernel/hostname': 'n\n', '/etc/sysctl.d/k.conf': 'net.ipv4.ip_forward=1\n' },
      violations: [{ message: /\/proc\/sys\/net\/ipv4\/ip_forward does not exist/ }],
    },
  ],
});
