import { testRule } from '../../helpers/rule-tester.js';

testRule('kubelet/no-previous-join', {
  quiet: [
    { name: 'fresh node', files: { '/etc/kubernetes/manifests/.keep': '' } },
    { name: 'an unrelated kubeconfig', files: { '/etc/kubernetes/admin.conf': 'x' } },
    {
      name: 'all three ignored by their kubeadm names (any case)',
      files: { '/etc/kubernetes/kubelet.conf': 'x', '/etc/kubernetes/bootstrap-kubelet.conf': 'x', '/etc/kubernetes/pki/ca.crt': 'x' },
      options: {
        ignore: [
          'FileAvailable--etc-kubernetes-kubelet.conf',
          'fileavailable--etc-kubernetes-bootstrap-kubelet.conf',
          'FileAvailable--etc-kubernetes-pki-ca.crt',
        ],
      },
      status: 'waived',
      reason:
        /Ignored by FileAvailable--etc-kubernetes-bootstrap-kubelet\.conf, FileAvailable--etc-kubernetes-kubelet\.conf, FileAvailable--etc-kubernetes-pki-ca\.crt\.$/,
    },
    {
      name: 'a control-plane join brings its own CA, so kubeadm does not check it',
      files: { '/etc/kubernetes/pki/ca.crt': 'x' },
      checklist: { joinRole: 'control-plane' },
    },
  ],
  firing: [
    {
      name: 'joined before',
      files: { '/etc/kubernetes/kubelet.conf': 'apiVersion: v1\n', '/etc/kubernetes/pki/ca.crt': '-----BEGIN CERTIFICATE-----\n' },
      violations: [
        {
          message: /^\/etc\/kubernetes\/kubelet\.conf already exists/,
          evidence: { file: '/etc/kubernetes/kubelet.conf' },
          alias: 'FileAvailable--etc-kubernetes-kubelet.conf',
        },
        { message: /^\/etc\/kubernetes\/pki\/ca\.crt already exists/, alias: 'FileAvailable--etc-kubernetes-pki-ca.crt' },
      ],
    },
    {
      name: 'one kubeadm name ignored, the other file still reported',
      files: { '/etc/kubernetes/kubelet.conf': 'x', '/etc/kubernetes/bootstrap-kubelet.conf': 'x' },
      options: { ignore: ['FileAvailable--etc-kubernetes-kubelet.conf'] },
      violations: [
        { message: /^\/etc\/kubernetes\/kubelet\.conf already exists/, ignoredBy: 'FileAvailable--etc-kubernetes-kubelet.conf' },
        { message: /bootstrap-kubelet\.conf already exists/ },
      ],
    },
    {
      name: 'a worker join (the default) checks the CA',
      files: { '/etc/kubernetes/pki/ca.crt': 'x' },
      checklist: { joinRole: 'worker' },
      violations: [{ message: /ca\.crt already exists/, alias: 'FileAvailable--etc-kubernetes-pki-ca.crt' }],
    },
  ],
});
