import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V3_GOOD } from '../../helpers/containerd.js';
import { CONTAINERD_UNIT } from '../../helpers/units.js';

testRule('containerd/config-present', {
  quiet: [
    { name: 'a configuration file', files: { [CONFIG]: V3_GOOD } },
    { name: 'an empty one (containerd reads it as version 1)', files: { [CONFIG]: '' } },
  ],
  firing: [
    {
      name: 'no configuration: built-in defaults of the assumed release',
      files: { '/etc/hostname': 'n\n' },
      violations: [
        {
          message:
            /^\/etc\/containerd\/config\.toml does not exist, so containerd runs the built-in defaults of containerd 1\.7 \(sandbox image registry\.k8s\.io\/pause:3\.8, SystemdCgroup false\)\.$/,
        },
      ],
    },
    {
      name: 'no configuration on a checklist that names containerd 2.3',
      files: { '/etc/hostname': 'n\n' },
      checklist: { containerdVersion: '2.3.1' },
      violations: [{ message: /built-in defaults of containerd 2\.3\.1 \(sandbox image registry\.k8s\.io\/pause:3\.10\.2/ }],
    },
    {
      name: 'containerd.service names a file that is not there',
      files: {
        [CONFIG]: V3_GOOD,
        '/usr/lib/systemd/system/containerd.service': CONTAINERD_UNIT,
        '/etc/systemd/system/containerd.service.d/10-config.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/containerd --config /etc/containerd/node.toml\n',
      },
      violations: [
        {
          message:
            /^\/etc\/containerd\/node\.toml does not exist \(containerd\.service starts containerd with --config \/etc\/containerd\/node\.toml at \/etc\/systemd\/system\/containerd\.service\.d\/10-config\.conf:3\), so containerd runs the built-in defaults/,
          evidence: { file: '/etc/containerd/node.toml', observed: 'missing' },
        },
      ],
    },
  ],
});
