import { EXECUTABLE, type NodeFiles } from '../../helpers/node-root.js';
import { testRule } from '../../helpers/rule-tester.js';

const ALL = ['ip', 'iptables', 'mount', 'nsenter', 'ebtables', 'ethtool', 'socat', 'tc', 'touch', 'conntrack', 'crictl'];
const binaries = (names: string[], dir = '/usr/sbin'): NodeFiles => Object.fromEntries(names.map((n) => [`${dir}/${n}`, EXECUTABLE]));

testRule('host/required-binaries', {
  quiet: [
    { name: 'all present in /usr/sbin', files: binaries(ALL) },
    {
      name: 'merged /usr: /sbin is a symlink to usr/sbin, crictl in /usr/local/bin',
      files: { ...binaries(ALL.filter((b) => b !== 'crictl')), '/sbin': { link: 'usr/sbin' }, '/usr/local/bin/crictl': EXECUTABLE },
    },
    {
      name: 'an absolute symlink resolves inside the root',
      files: { ...binaries(ALL.filter((b) => b !== 'ip')), '/bin/ip': { link: '/usr/lib/iproute2/ip' }, '/usr/lib/iproute2/ip': EXECUTABLE },
    },
    {
      name: 'missing optional binaries ignored by their kubeadm names',
      files: binaries(ALL.filter((b) => b !== 'socat' && b !== 'ebtables')),
      options: { ignore: ['FileExisting-socat,FileExisting-ebtables'] },
      status: 'skipped',
    },
  ],
  firing: [
    {
      name: 'iptables missing (error) and socat missing (warning)',
      files: binaries(ALL.filter((b) => b !== 'iptables' && b !== 'socat')),
      severity: 'error',
      violations: [
        { message: /^iptables is not an executable file in \/usr\/local\/sbin:/, severity: 'error', alias: 'FileExisting-iptables' },
        { message: /^socat is not an executable file/, severity: 'warning', alias: 'FileExisting-socat' },
      ],
    },
    {
      name: 'only optional binaries missing: the result is a warning',
      files: binaries(ALL.filter((b) => b !== 'conntrack')),
      severity: 'warning',
      violations: [{ message: /^conntrack is not/, severity: 'warning' }],
    },
    {
      name: 'a file without execute bits does not count, and a dangling symlink neither',
      files: { ...binaries(ALL.filter((b) => b !== 'mount' && b !== 'nsenter')), '/usr/bin/mount': { content: '', mode: 0o644 }, '/usr/bin/nsenter': { link: '/nonexistent/nsenter' } },
      violations: [{ message: /^mount is not/ }, { message: /^nsenter is not/ }],
    },
    {
      name: 'a symlink pointing outside the root is read inside the root, where nothing is',
      files: { ...binaries(ALL.filter((b) => b !== 'tc')), '/usr/sbin/tc': { link: '../../../../../../../../usr/bin/env' } },
      violations: [{ message: /^tc is not/ }],
    },
  ],
});
