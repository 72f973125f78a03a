import { testRule } from '../../helpers/rule-tester.js';

testRule('crictl/config-present', {
  quiet: [
    { name: 'file present', files: { '/etc/crictl.yaml': 'runtime-endpoint: unix:///run/containerd/containerd.sock\n' } },
    { name: 'present but empty (crictl then uses defaults; other rules judge it)', files: { '/etc/crictl.yaml': '' } },
  ],
  firing: [
    {
      name: 'no /etc/crictl.yaml',
      files: { '/etc/hostname': 'node1\n' },
      violations: [{ message: /\/etc\/crictl\.yaml does not exist/, evidence: { file: '/etc/crictl.yaml', observed: 'missing' } }],
    },
  ],
});
