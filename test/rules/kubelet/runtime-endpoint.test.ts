import { testRule } from '../../helpers/rule-tester.js';

testRule('kubelet/runtime-endpoint', {
  quiet: [
    {
      name: 'kubeadm-flags.env on the /var/run path',
      files: { '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n' },
    },
    {
      name: 'config.yaml and instance-config.yaml',
      files: {
        '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///run/containerd/containerd.sock\n',
        '/var/lib/kubelet/instance-config.yaml': 'containerRuntimeEndpoint: /run/containerd/containerd.sock\n',
      },
    },
    { name: 'nothing configured before the join', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /criSocket/ },
  ],
  firing: [
    {
      name: 'a stale CRI-O endpoint in KUBELET_EXTRA_ARGS, passed as a separate word',
      files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--container-runtime-endpoint unix:///var/run/crio/crio.sock\n' },
      violations: [
        {
          message: /kubelet's runtime endpoint is "unix:\/\/\/var\/run\/crio\/crio\.sock" \(\/etc\/default\/kubelet:1\)/,
          evidence: { file: '/etc/default/kubelet', line: 1, path: 'KUBELET_EXTRA_ARGS' },
        },
      ],
    },
    {
      name: 'config.yaml pointing at cri-dockerd',
      files: { '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\n\ncontainerRuntimeEndpoint: unix:///var/run/cri-dockerd.sock\n' },
      violations: [{ message: /cri-dockerd\.sock/, evidence: { file: '/var/lib/kubelet/config.yaml', line: 3, path: 'containerRuntimeEndpoint' } }],
    },
  ],
});
