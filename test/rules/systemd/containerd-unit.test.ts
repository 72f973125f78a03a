import { testRule } from '../../helpers/rule-tester.js';
import { CONTAINERD_UNIT, PACKAGED_UNITS } from '../../helpers/units.js';

testRule('systemd/containerd-unit', {
  quiet: [
    { name: 'the packaged unit', files: PACKAGED_UNITS },
    {
      name: 'a full copy in /etc hides a broken vendor file',
      files: { ...PACKAGED_UNITS, '/etc/systemd/system/containerd.service': CONTAINERD_UNIT, '/usr/lib/systemd/system/containerd.service': '[Service\n' },
    },
  ],
  firing: [
    {
      name: 'no containerd.service anywhere',
      files: { '/etc/hostname': 'n\n' },
      violations: [
        {
          message:
            /^containerd\.service is in none of systemd's unit directories \(\/etc\/systemd\/system\.control, .*\/usr\/lib\/systemd\/system, .*\), so systemd cannot start it/,
          evidence: { path: '/systemd/units/containerd.service/loadState', observed: 'not-found', expected: 'loaded' },
        },
      ],
    },
    {
      name: 'masked by a symlink to /dev/null in /etc',
      files: { ...PACKAGED_UNITS, '/etc/systemd/system/containerd.service': { link: '/dev/null' } },
      violations: [
        {
          message: /masked by \/etc\/systemd\/system\/containerd\.service \(a symlink to \/dev\/null or an empty file\)/,
          evidence: { file: '/etc/systemd/system/containerd.service', observed: 'masked' },
        },
      ],
    },
    {
      name: 'a unit file systemd refuses to load',
      files: { '/etc/systemd/system/containerd.service': '[Unit]\nDescription=containerd\n[Service\nExecStart=/usr/bin/containerd\n' },
      violations: [
        {
          message:
            /containerd\.service does not load: invalid section header "\[Service"; systemd stops reading the file here \(\/etc\/systemd\/system\/containerd\.service:3\)/,
          evidence: { file: '/etc/systemd/system/containerd.service', line: 3 },
        },
      ],
    },
  ],
});
