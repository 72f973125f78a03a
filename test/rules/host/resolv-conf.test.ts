import { testRule } from '../../helpers/rule-tester.js';

testRule('host/resolv-conf', {
  quiet: [
    {
      name: 'two nameservers, one search domain',
      files: { '/etc/resolv.conf': '# generated\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch corp.example\noptions ndots:2\n' },
    },
    {
      name: 'systemd-resolved stub before the join (kubeadm sets resolvConf at join)',
      files: {
        '/etc/resolv.conf': { link: '../run/systemd/resolve/stub-resolv.conf' },
        '/run/systemd/resolve/stub-resolv.conf': 'nameserver 127.0.0.53\noptions edns0 trust-ad\n',
      },
    },
    {
      name: 'stub, with kubelet pointed at the real file',
      files: {
        '/etc/resolv.conf': 'nameserver 127.0.0.53\n',
        '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\nresolvConf: /run/systemd/resolve/resolv.conf\n',
      },
    },
  ],
  firing: [
    {
      name: 'four nameservers and seven search domains',
      files: { '/etc/resolv.conf': 'nameserver 1.1.1.1\nnameserver 8.8.8.8\nnameserver 9.9.9.9\nnameserver 10.0.0.2\nsearch a b c d e f g\n' },
      violations: [
        { message: /lists 4 nameservers; glibc and kubelet use only the first 3/, evidence: { file: '/etc/resolv.conf', path: 'nameservers' } },
        { message: /lists 7 search domains; pods get at most 6/, evidence: { path: 'search' } },
      ],
    },
    {
      name: 'stub, with kubelet explicitly on /etc/resolv.conf',
      files: {
        '/etc/resolv.conf': { link: '/run/systemd/resolve/stub-resolv.conf' },
        '/run/systemd/resolve/stub-resolv.conf': 'nameserver 127.0.0.53\n',
        '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\nresolvConf: /etc/resolv.conf\n',
      },
      violations: [
        { message: /kubelet's resolvConf is "\/etc\/resolv\.conf"; pods would get 127\.0\.0\.53/, evidence: { file: '/var/lib/kubelet/config.yaml', line: 2 } },
      ],
    },
    { name: 'no nameserver', files: { '/etc/resolv.conf': 'search corp.example\n' }, violations: [{ message: /lists no nameserver/ }] },
    { name: 'no resolv.conf', files: { '/etc/hostname': 'n\n' }, violations: [{ message: /\/etc\/resolv\.conf does not exist/ }] },
    {
      name: 'stub with kubelet still reading /etc/resolv.conf',
      files: { '/etc/resolv.conf': 'nameserver 127.0.0.53\n', '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncgroupDriver: systemd\n' },
      violations: [
        {
          message: /systemd-resolved's stub, but kubelet's resolvConf is unset/,
          evidence: { file: '/var/lib/kubelet/config.yaml', expected: '/run/systemd/resolve/resolv.conf' },
        },
      ],
    },
  ],
});
