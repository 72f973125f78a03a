import { EXECUTABLE, type NodeFiles } from '../../helpers/node-root.js';
import { testRule } from '../../helpers/rule-tester.js';

// What kubeadm looks up on join, by release (cmd/kubeadm/app/preflight/checks_linux.go at each tag).
const V1_33 = ['mount', 'losetup', 'cp'];
const V1_32 = ['ip', 'iptables', 'mount', 'nsenter', 'ethtool', 'tc', 'touch'];
const V1_30 = ['crictl', 'conntrack', 'ip', 'iptables', 'mount', 'nsenter', 'ebtables', 'ethtool', 'socat', 'tc', 'touch'];
const binaries = (names: string[], dir = '/usr/sbin'): NodeFiles => Object.fromEntries(names.map((n) => [`${dir}/${n}`, EXECUTABLE]));
const without = (list: string[], ...names: string[]): string[] => list.filter((b) => !names.includes(b));

testRule('host/required-binaries', {
  quiet: [
    { name: 'everything 1.36 looks up is in /usr/sbin', files: binaries(V1_33) },
    {
      name: 'an nftables-only host without ip, iptables or nsenter passes 1.33 (kubernetes#129131, #129450)',
      files: binaries(V1_33),
      checklist: { kubernetesVersion: '1.33' },
    },
    { name: 'everything 1.30 looks up', files: binaries(V1_30), checklist: { kubernetesVersion: '1.30' } },
    { name: '1.32 no longer looks for crictl, conntrack, socat or ebtables', files: binaries(V1_32), checklist: { kubernetesVersion: '1.32' } },
    {
      name: 'merged /usr: /sbin is a symlink to usr/sbin, cp in /usr/local/bin',
      files: { ...binaries(without(V1_33, 'cp')), '/sbin': { link: 'usr/sbin' }, '/usr/local/bin/cp': EXECUTABLE },
    },
    {
      name: 'an absolute symlink resolves inside the root',
      files: { ...binaries(without(V1_33, 'mount')), '/bin/mount': { link: '/usr/lib/util-linux/mount' }, '/usr/lib/util-linux/mount': EXECUTABLE },
    },
    {
      name: 'missing optional binaries ignored by their kubeadm names stay in the report',
      files: binaries(without(V1_30, 'socat', 'ebtables')),
      checklist: { kubernetesVersion: '1.30' },
      options: { ignore: ['FileExisting-socat,fileexisting-ebtables'] },
      status: 'waived',
    },
  ],
  firing: [
    {
      name: 'losetup and cp are required from 1.33 (kubernetes#129450, #130045)',
      files: binaries(['mount']),
      checklist: { kubernetesVersion: '1.33' },
      violations: [
        {
          message: /^losetup is not an executable file in \/usr\/local\/sbin:.*; kubeadm 1\.33 refuses to join without it\.$/,
          severity: 'error',
          alias: 'FileExisting-losetup',
        },
        { message: /^cp is not/, severity: 'error', alias: 'FileExisting-cp' },
      ],
    },
    {
      name: '1.32: iptables missing (error) and tc missing (warning)',
      files: binaries(without(V1_32, 'iptables', 'tc')),
      checklist: { kubernetesVersion: '1.32' },
      severity: 'error',
      violations: [
        { message: /^iptables is not .*kubeadm 1\.32 refuses to join/, severity: 'error', alias: 'FileExisting-iptables' },
        { message: /^tc is not .*kubeadm 1\.32 warns without it/, severity: 'warning', alias: 'FileExisting-tc' },
      ],
    },
    {
      name: 'crictl: an error up to 1.30, a warning in 1.31 (kubernetes#125212)',
      files: binaries(without(V1_30, 'crictl')),
      checklist: { kubernetesVersion: '1.31' },
      severity: 'warning',
      violations: [{ message: /^crictl is not/, severity: 'warning', alias: 'FileExisting-crictl' }],
    },
    {
      name: 'conntrack is still required on join up to 1.31',
      files: binaries(without(V1_30, 'conntrack')),
      checklist: { kubernetesVersion: '1.27' },
      violations: [{ message: /^conntrack is not/, severity: 'error' }],
    },
    {
      name: 'a version newer than the table uses the newest known release',
      files: binaries(['mount', 'cp']),
      checklist: { kubernetesVersion: '1.37', sandboxImage: 'registry.k8s.io/pause:3.10.2' },
      violations: [{ message: /^losetup is not .*kubeadm 1\.37/ }],
    },
    {
      name: 'one ignored name demotes only its own finding',
      files: binaries(['mount']),
      options: { ignore: ['FileExisting-losetup'] },
      violations: [{ message: /^losetup is not/, ignoredBy: 'FileExisting-losetup' }, { message: /^cp is not/ }],
    },
    {
      name: 'a file without execute bits does not count, and a dangling symlink neither',
      files: { ...binaries(['cp']), '/usr/bin/mount': { content: '', mode: 0o644 }, '/usr/bin/losetup': { link: '/nonexistent/losetup' } },
      violations: [{ message: /^mount is not/ }, { message: /^losetup is not/ }],
    },
    {
      name: 'a symlink pointing outside the root is read inside the root, where nothing is',
      files: { ...binaries(['mount', 'losetup']), '/usr/sbin/cp': { link: '../../../../../../../../usr/bin/env' } },
      violations: [{ message: /^cp is not/ }],
    },
  ],
});
