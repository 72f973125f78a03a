import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';

/** kubespray's kubelet.service and kubelet.env (roles/kubernetes/node/templates), rendered: --config names another file. */
const KUBESPRAY_UNIT =
  '[Service]\nEnvironmentFile=-/etc/kubernetes/kubelet.env\nExecStart=/usr/local/bin/kubelet \\\n\t\t$KUBE_LOGTOSTDERR \\\n\t\t$KUBE_LOG_LEVEL \\\n\t\t$KUBELET_ARGS \\\n\t\t$KUBELET_CLOUDPROVIDER\nRestart=always\n';
const KUBESPRAY_ENV =
  'KUBE_LOG_LEVEL="--v=2"\nKUBELET_ARGS="--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf \\\n--config=/etc/kubernetes/kubelet-config.yaml \\\n--kubeconfig=/etc/kubernetes/kubelet.conf \\\n--runtime-cgroups=/system.slice/containerd.service \\\n "\nKUBELET_CLOUDPROVIDER=""\n';
const kubespray = (config: string) => ({
  '/etc/systemd/system/kubelet.service': KUBESPRAY_UNIT,
  '/etc/kubernetes/kubelet.env': KUBESPRAY_ENV,
  '/etc/kubernetes/kubelet-config.yaml': config,
});

testRule('kubelet/runtime-endpoint', {
  quiet: [
    {
      name: 'kubeadm-flags.env on the /var/run path',
      files: {
        '/var/lib/kubelet/kubeadm-flags.env':
          'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n',
      },
    },
    {
      name: 'config.yaml and instance-config.yaml',
      files: {
        '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///run/containerd/containerd.sock\n',
        '/var/lib/kubelet/instance-config.yaml': 'containerRuntimeEndpoint: /run/containerd/containerd.sock\n',
      },
    },
    {
      name: 'nothing configured before the join',
      files: { '/etc/hostname': 'n\n' },
      status: 'not-applicable',
      reason: /kubelet's --config is kubeadm's \/var\/lib\/kubelet\/config\.yaml, which kubeadm writes at join from its criSocket/,
    },
    {
      name: "kubespray: the file --config names sets the endpoint (written 'containerRuntimeEndpoint : …')",
      files: kubespray(
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\ncontainerRuntimeEndpoint : unix:///var/run/containerd/containerd.sock\n',
      ),
    },
    {
      name: "another --config that sets no endpoint: kubelet's own default is containerd's socket",
      files: kubespray('apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n'),
    },
  ],
  firing: [
    {
      name: "kubespray's config names the containerd socket, but containerd.service serves another (--address)",
      files: {
        ...kubespray('kind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///var/run/containerd/containerd.sock\n'),
        '/etc/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd --address /run/k8s/containerd.sock\n',
      },
      violations: [
        {
          message:
            /^kubelet's runtime endpoint is "unix:\/\/\/var\/run\/containerd\/containerd\.sock" \(\/etc\/kubernetes\/kubelet-config\.yaml:2\); containerd serves unix:\/\/\/run\/k8s\/containerd\.sock \(\/etc\/systemd\/system\/containerd\.service:2\)\.$/,
          evidence: { file: '/etc/kubernetes/kubelet-config.yaml', line: 2, path: 'containerRuntimeEndpoint' },
        },
      ],
    },
    {
      name: "nothing sets an endpoint and --config is not kubeadm's: kubelet's default is compared",
      files: {
        ...kubespray('kind: KubeletConfiguration\n'),
        '/etc/containerd/config.toml': 'version = 2\n[grpc]\n  address = "/run/containerd/k8s.sock"\n',
      },
      violations: [
        {
          message:
            /kubelet's runtime endpoint is "unix:\/\/\/run\/containerd\/containerd\.sock" \(kubelet's default, as nothing sets containerRuntimeEndpoint \(its --config is \/etc\/kubernetes\/kubelet-config\.yaml, which kubeadm does not write\)\); containerd serves unix:\/\/\/run\/containerd\/k8s\.sock \(\/etc\/containerd\/config\.toml:3\)\./,
        },
      ],
    },
    {
      name: 'a --config-dir drop-in overrides the config file (EKS nodeadm layout, JSON)',
      files: {
        ...PACKAGED_UNITS,
        '/etc/systemd/system/kubelet.service.d/20-nodeadm.conf':
          '[Service]\nEnvironment="KUBELET_CONFIG_ARGS=--config=/etc/kubernetes/kubelet/config.json --config-dir=/etc/kubernetes/kubelet/config.json.d"\n',
        '/etc/kubernetes/kubelet/config.json':
          '{\n  "apiVersion": "kubelet.config.k8s.io/v1beta1",\n  "kind": "KubeletConfiguration",\n  "containerRuntimeEndpoint": "unix:///run/containerd/containerd.sock"\n}\n',
        '/etc/kubernetes/kubelet/config.json.d/00-nodeadm.conf':
          '{\n  "apiVersion": "kubelet.config.k8s.io/v1beta1",\n  "kind": "KubeletConfiguration",\n  "containerRuntimeEndpoint": "unix:///run/crio/crio.sock"\n}\n',
      },
      violations: [
        {
          message: /"unix:\/\/\/run\/crio\/crio\.sock" \(\/etc\/kubernetes\/kubelet\/config\.json\.d\/00-nodeadm\.conf:4\)/,
          evidence: { file: '/etc/kubernetes/kubelet/config.json.d/00-nodeadm.conf', line: 4 },
        },
      ],
    },
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
