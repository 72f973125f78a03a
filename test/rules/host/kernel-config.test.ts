import { testRule } from '../../helpers/rule-tester.js';

const REL = '6.8.0-45-generic';
const OPTIONS = [
  'NAMESPACES',
  'NET_NS',
  'PID_NS',
  'IPC_NS',
  'UTS_NS',
  'CGROUPS',
  'CGROUP_BPF',
  'CGROUP_CPUACCT',
  'CGROUP_DEVICE',
  'CGROUP_FREEZER',
  'CGROUP_PIDS',
  'CGROUP_SCHED',
  'CPUSETS',
  'MEMCG',
  'INET',
  'EXT4_FS',
  'PROC_FS',
  'NETFILTER_XT_TARGET_REDIRECT',
  'NETFILTER_XT_MATCH_COMMENT',
  'FAIR_GROUP_SCHED',
];
const config = (without: string[] = [], extra = ''): string =>
  `#\n# Automatically generated file; DO NOT EDIT.\n${OPTIONS.filter((o) => !without.includes(o))
    .map((o) => `CONFIG_${o}=${o === 'NETFILTER_XT_MATCH_COMMENT' ? 'm' : 'y'}`)
    .join('\n')}\n${extra}`;
const LIVE = { '/proc/sys/kernel/osrelease': `${REL}\n`, '/sys/fs/cgroup/cgroup.controllers': 'cpu memory\n' };

testRule('host/kernel-config', {
  quiet: [
    { name: 'a distribution kernel with its /boot config', files: { ...LIVE, [`/boot/config-${REL}`]: config() } },
    {
      name: 'an image: the one kernel under /lib/modules, its config there',
      files: { '/lib': { link: 'usr/lib' }, [`/usr/lib/modules/${REL}/config`]: config(), [`/usr/lib/modules/${REL}/kernel/kernel/.keep`]: '' },
    },
    {
      name: 'the redirect target under its older alias',
      files: { ...LIVE, [`/boot/config-${REL}`]: config(['NETFILTER_XT_TARGET_REDIRECT'], 'CONFIG_IP_NF_TARGET_REDIRECT=m\n') },
    },
    {
      name: 'cgroup v2 from 1.35 (system-validators v1.12.1): the cgroup v1 controllers are not required',
      files: { ...LIVE, [`/boot/config-${REL}`]: config(['CGROUP_CPUACCT', 'CGROUP_DEVICE', 'CGROUP_FREEZER']) },
    },
    { name: 'the release cannot be known', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /kernel release is unknown/ },
    {
      name: 'ignored by SystemVerification',
      files: { ...LIVE },
      options: { ignore: ['SystemVerification'] },
      status: 'waived',
      ignoredBy: 'SystemVerification',
    },
  ],
  firing: [
    {
      name: 'no configuration anywhere: what kubeadm fails on',
      files: { ...LIVE },
      violations: [
        {
          message:
            /^none of \/proc\/config\.gz, \/boot\/config-6\.8\.0-45-generic, .* holds the kernel configuration, so kubeadm's SystemVerification fails\.$/,
          alias: 'SystemVerification',
          severity: 'error',
        },
      ],
    },
    {
      name: 'no file, but the configs module kubeadm would load',
      files: { ...LIVE, [`/lib/modules/${REL}/kernel/kernel/configs.ko.zst`]: 'x' },
      severity: 'warning',
      violations: [
        { message: /kubeadm would load the configs module \(\/lib\/modules\/6\.8\.0-45-generic\/kernel\/kernel\/configs\.ko\.zst\)/, severity: 'warning' },
      ],
    },
    {
      name: 'a candidate that is not a file is passed over, and said',
      files: { ...LIVE, '/proc/config.gz': { dir: true } },
      violations: [{ message: /\(\/proc\/config\.gz: is a directory, not a file\)/ }],
    },
    {
      name: 'options missing or disabled on cgroup v1 with 1.35',
      files: {
        '/proc/sys/kernel/osrelease': `${REL}\n`,
        '/sys/fs/cgroup/.keep': '',
        [`/boot/config-${REL}`]: config(['MEMCG', 'CGROUP_FREEZER'], 'CONFIG_MEMCG=n\n'),
      },
      violations: [
        {
          message: /^\/boot\/config-6\.8\.0-45-generic lacks kernel options kubeadm 1\.37 requires: CONFIG_MEMCG =n, CONFIG_CGROUP_FREEZER not set\.$/,
          evidence: { observed: ['CONFIG_MEMCG', 'CONFIG_CGROUP_FREEZER'] },
        },
      ],
    },
    {
      name: 'a 4.x kernel: an error for 1.33 (system-validators v1.10.0)',
      files: { '/proc/sys/kernel/osrelease': '4.18.0-553.el8_10.x86_64\n', '/boot/config-4.18.0-553.el8_10.x86_64': config() },
      checklist: { kubernetesVersion: '1.33' },
      violations: [
        {
          message:
            /^the kernel release 4\.18\.0-553\.el8_10\.x86_64 \(\/proc\/sys\/kernel\/osrelease\) is older than kubeadm 1\.33 supports \(5\.4, 5\.10, 5\.15 or 6\.x and newer, system-validators v1\.10\.0\)\.$/,
          severity: 'error',
        },
      ],
    },
    {
      name: 'the same kernel is a warning from 1.34, and 1.32 asks for CGROUP_BPF',
      files: { '/proc/sys/kernel/osrelease': '4.18.0-553.el8_10.x86_64\n', '/boot/config-4.18.0-553.el8_10.x86_64': config(['CGROUP_BPF']) },
      checklist: { kubernetesVersion: '1.34' },
      violations: [
        { message: /is older than kubeadm 1\.34 supports/, severity: 'warning' },
        { message: /CONFIG_CGROUP_BPF not set/, severity: 'error' },
      ],
    },
    {
      name: '1.30 (system-validators v1.8.0) accepts a 3.10 kernel but wants CGROUP_PIDS',
      files: { '/proc/sys/kernel/osrelease': '3.9.0\n', '/usr/src/linux/.config': config(['CGROUP_PIDS', 'CGROUP_BPF']) },
      checklist: { kubernetesVersion: '1.30' },
      violations: [
        { message: /older than kubeadm 1\.30 supports \(3\.10 or newer/ },
        { message: /^\/usr\/src\/linux\/\.config lacks .*CONFIG_CGROUP_PIDS not set\.$/ },
      ],
    },
  ],
});
