import { testRule } from '../../helpers/rule-tester.js';

const APISERVER = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n';

testRule('kubelet/no-leftover-manifests', {
  quiet: [
    { name: 'no manifests directory', files: { '/etc/hostname': 'n\n' } },
    { name: 'an empty directory (the kubelet package creates it)', files: { '/etc/kubernetes/manifests': { dir: true } } },
    { name: 'hidden files are not static Pods', files: { '/etc/kubernetes/manifests/.keep': '' } },
    {
      name: 'ignored by the name kubespray passes on every worker join',
      files: { '/etc/kubernetes/manifests/kube-apiserver.yaml': APISERVER },
      options: { ignore: ['DirAvailable--etc-kubernetes-manifests'] },
      status: 'waived',
      ignoredBy: 'DirAvailable--etc-kubernetes-manifests',
    },
  ],
  firing: [
    {
      name: 'a kube-apiserver.yaml left from another cluster',
      files: { '/etc/kubernetes/manifests/kube-apiserver.yaml': APISERVER, '/etc/kubernetes/manifests/haproxy.yaml': 'kind: Pod\n' },
      violations: [
        {
          message: /^\/etc\/kubernetes\/manifests\/haproxy\.yaml is a static Pod manifest, which kubelet starts as soon as it runs/,
          evidence: { file: '/etc/kubernetes/manifests/haproxy.yaml' },
          alias: 'DirAvailable--etc-kubernetes-manifests',
        },
        { message: /kube-apiserver\.yaml is a static Pod manifest/, alias: 'DirAvailable--etc-kubernetes-manifests' },
      ],
    },
    {
      name: "a control-plane join: kubeadm's own FileAvailable names for its four manifests",
      files: { '/etc/kubernetes/manifests/etcd.yaml': 'kind: Pod\n', '/etc/kubernetes/manifests/keepalived.yaml': 'kind: Pod\n' },
      checklist: { joinRole: 'control-plane' },
      options: { ignore: ['FileAvailable--etc-kubernetes-manifests-etcd.yaml'] },
      violations: [
        { message: /etcd\.yaml/, alias: 'FileAvailable--etc-kubernetes-manifests-etcd.yaml', ignoredBy: 'FileAvailable--etc-kubernetes-manifests-etcd.yaml' },
        { message: /keepalived\.yaml/, alias: 'DirAvailable--etc-kubernetes-manifests' },
      ],
    },
  ],
});
