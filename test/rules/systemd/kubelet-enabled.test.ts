import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';

const WANTS = '/etc/systemd/system/multi-user.target.wants/kubelet.service';

testRule('systemd/kubelet-enabled', {
  quiet: [
    { name: 'enabled: the wants link of multi-user.target', files: { ...PACKAGED_UNITS, [WANTS]: { link: '/usr/lib/systemd/system/kubelet.service' } } },
    {
      name: 'enabled for this boot only (/run)',
      files: { ...PACKAGED_UNITS, '/run/systemd/system/multi-user.target.wants/kubelet.service': { link: '/usr/lib/systemd/system/kubelet.service' } },
    },
    {
      name: 'a static unit without [Install] cannot be enabled',
      files: { ...PACKAGED_UNITS, '/usr/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet\n' },
    },
    {
      name: 'not installed: systemd/kubelet-unit reports it',
      files: { '/etc/hostname': 'n\n' },
      status: 'not-applicable',
      reason: /kubelet\.service is not installed/,
    },
    { name: 'ignored as kubeadm names it', files: PACKAGED_UNITS, options: { ignore: ['Service-Kubelet'] }, status: 'waived', ignoredBy: 'Service-Kubelet' },
  ],
  firing: [
    {
      name: 'installed but not enabled',
      files: PACKAGED_UNITS,
      violations: [
        {
          message:
            /^kubelet\.service \(\/usr\/lib\/systemd\/system\/kubelet\.service\) is not enabled: no link in the \.wants directory of multi-user\.target under \/etc\/systemd\/system/,
          evidence: { file: '/usr/lib/systemd/system/kubelet.service', observed: 'disabled' },
          alias: 'Service-Kubelet',
          severity: 'warning',
        },
      ],
    },
    {
      name: 'a link in another directory than .wants does not enable it',
      files: { ...PACKAGED_UNITS, '/etc/systemd/system/multi-user.target.d/kubelet.service': { link: '/usr/lib/systemd/system/kubelet.service' } },
      violations: [{ message: /is not enabled/ }],
    },
    {
      name: 'an [Install] section with only Also= is installable, with no targets of its own',
      files: {
        ...PACKAGED_UNITS,
        '/usr/lib/systemd/system/kubelet.service': '[Service]\nExecStart=/usr/bin/kubelet\n[Install]\nAlso=containerd.service\nWantedBy=\n',
      },
      violations: [{ message: /of its \[Install\] targets/ }],
    },
  ],
});
