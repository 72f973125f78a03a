import { testRule } from '../../helpers/rule-tester.js';

const HEADER = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';

testRule('host/swap-off', {
  quiet: [
    {
      name: 'no active swap, fstab without swap',
      files: { '/proc/swaps': HEADER, '/etc/fstab': 'UUID=abc / ext4 errors=remount-ro 0 1\n# /swapfile none swap sw 0 0\n' },
    },
    { name: 'swap entry marked noauto', files: { '/proc/swaps': HEADER, '/etc/fstab': '/dev/sdb1 none swap sw,noauto 0 0\n' } },
    { name: 'an image without /proc and without fstab', files: { '/etc/hostname': 'n\n' } },
    {
      name: 'swap allowed by the checklist',
      files: { '/proc/swaps': `${HEADER}/swapfile file 1024 0 -2\n` },
      checklist: { host: { swapAllowed: true } },
      status: 'not-applicable',
      reason: /allows swap/,
    },
    {
      name: 'the rule id demotes both findings, which stay in the report',
      files: { '/proc/swaps': `${HEADER}/swapfile file 1024 0 -2\n`, '/etc/fstab': '/dev/sdb2 none swap sw 0 0\n' },
      options: { ignore: ['host/swap-off'] },
      status: 'waived',
      ignoredBy: 'host/swap-off',
      reason: /\(and 1 more\)\. Ignored by host\/swap-off\.$/,
    },
    {
      name: 'its domain demotes it too',
      files: { '/proc/swaps': `${HEADER}/swapfile file 1024 0 -2\n` },
      options: { ignore: ['HOST'] },
      status: 'waived',
      ignoredBy: 'host',
    },
  ],
  firing: [
    {
      name: 'active swap file and a swap partition in fstab',
      files: {
        '/proc/swaps': `${HEADER}/swapfile                                file\t\t2097148\t\t0\t\t-2\n`,
        '/etc/fstab': 'UUID=a / ext4 defaults 0 1\n/dev/sdb2 none swap sw 0 0\n',
      },
      violations: [
        { message: /swap is active on \/swapfile \(file\)/, evidence: { file: '/proc/swaps' }, alias: 'Swap' },
        { message: /\/etc\/fstab:2 enables swap on \/dev\/sdb2 at boot/, evidence: { file: '/etc/fstab', line: 2 } },
      ],
    },
    {
      name: "--ignore Swap demotes kubeadm's /proc/swaps finding, not the fstab entry",
      files: { '/proc/swaps': `${HEADER}/swapfile file 1024 0 -2\n`, '/etc/fstab': '/dev/sdb2 none swap sw 0 0\n' },
      options: { ignore: ['swap'] },
      severity: 'error',
      violations: [{ message: /swap is active on \/swapfile/, ignoredBy: 'Swap' }, { message: /\/etc\/fstab:1 enables swap/ }],
    },
    {
      name: 'swapped off, but it comes back at boot (kubeadm#3017)',
      files: { '/proc/swaps': HEADER, '/etc/fstab': '/swap.img\tnone\tswap\tsw\t0\t0\n' },
      violations: [{ message: /\/etc\/fstab:1 enables swap on \/swap\.img/ }],
    },
  ],
});
