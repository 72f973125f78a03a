import { testRule } from '../../helpers/rule-tester.js';

const CONTAINERD = { '/var/run': { link: '../run' }, '/run/containerd/containerd.sock': { socket: true } } as const;
const CRIO = { '/run/crio/crio.sock': { socket: true } } as const;

testRule('host/single-cri-socket', {
  quiet: [
    { name: 'an image: no sockets at all', files: { '/etc/hostname': 'n\n' } },
    { name: 'only containerd', files: { ...CONTAINERD } },
    { name: 'a regular file where a socket would be is no socket', files: { ...CONTAINERD, '/run/crio/crio.sock': 'x' } },
    { name: 'two runtimes, and the checklist names one', files: { ...CONTAINERD, ...CRIO }, checklist: { criSocket: 'unix:///run/crio/crio.sock' } },
    {
      name: "two runtimes, and kubelet's configuration names one",
      files: {
        ...CONTAINERD,
        ...CRIO,
        '/var/lib/kubelet/config.yaml':
          'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///run/containerd/containerd.sock\n',
      },
    },
  ],
  firing: [
    {
      name: 'containerd and CRI-O, nothing names one',
      files: { ...CONTAINERD, ...CRIO },
      violations: [
        {
          message:
            /^2 CRI sockets exist \(containerd at \/var\/run\/containerd\/containerd\.sock, CRI-O at \/var\/run\/crio\/crio\.sock\) and nothing names one, so kubeadm join refuses to choose/,
          evidence: { observed: ['/var/run/containerd/containerd.sock', '/var/run/crio/crio.sock'] },
        },
      ],
    },
    {
      name: 'cri-dockerd left beside containerd; the default checklist does not name a socket',
      files: { ...CONTAINERD, '/run/cri-dockerd.sock': { socket: true } },
      checklist: { proxy: { policy: 'none' } },
      violations: [{ message: /cri-dockerd at \/var\/run\/cri-dockerd\.sock/ }],
    },
  ],
});
