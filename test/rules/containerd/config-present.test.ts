import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V3_GOOD } from '../../helpers/containerd.js';

testRule('containerd/config-present', {
  quiet: [
    { name: 'a configuration file', files: { [CONFIG]: V3_GOOD } },
    { name: 'an empty one (containerd reads it as version 1)', files: { [CONFIG]: '' } },
  ],
  firing: [
    {
      name: 'no configuration: built-in defaults of the assumed release',
      files: { '/etc/hostname': 'n\n' },
      violations: [{ message: /^\/etc\/containerd\/config\.toml does not exist, so containerd runs the built-in defaults of containerd 1\.7 \(sandbox image registry\.k8s\.io\/pause:3\.8, SystemdCgroup false\)\.$/ }],
    },
    {
      name: 'no configuration on a checklist that names containerd 2.3',
      files: { '/etc/hostname': 'n\n' },
      checklist: { containerdVersion: '2.3.1' },
      violations: [{ message: /built-in defaults of containerd 2\.3\.1 \(sandbox image registry\.k8s\.io\/pause:3\.10\.2/ }],
    },
  ],
});
