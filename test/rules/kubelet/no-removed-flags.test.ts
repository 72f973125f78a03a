import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const DROPIN = '/etc/systemd/system/kubelet.service.d/20-legacy.conf';

testRule('kubelet/no-removed-flags', {
  quiet: [
    {
      name: '--pod-infra-container-image is still accepted by kubelet 1.34',
      files: { '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.10.1"\n' },
      checklist: { kubernetesVersion: '1.34' },
    },
    { name: 'current flags only', files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS="--node-ip=10.0.0.5 --v=2"\n' } },
    { name: 'no kubelet argument files', files: { '/etc/hostname': 'n\n' } },
    {
      name: 'kubelet.service passes no KUBELET_EXTRA_ARGS, so /etc/default/kubelet does not reach kubelet',
      files: {
        ...PACKAGED_UNITS,
        [DROPIN]: service('ExecStart=', 'ExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS $UNSET_VARIABLE'),
        '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--network-plugin=cni\n',
      },
    },
    {
      name: 'a commented-out stale flag and an exported variable systemd ignores',
      files: { '/etc/default/kubelet': '# KUBELET_EXTRA_ARGS=--network-plugin=cni\nexport KUBELET_EXTRA_ARGS=--network-plugin=cni\n' },
    },
  ],
  firing: [
    {
      name: 'dockershim-era flags and a removed pause flag on 1.36',
      checklist: { kubernetesVersion: '1.36' },
      files: {
        '/var/lib/kubelet/kubeadm-flags.env':
          'KUBELET_KUBEADM_ARGS="--container-runtime=remote --container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n',
        '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--network-plugin=cni --pod_infra_container_image registry.k8s.io/pause:3.9\n',
      },
      violations: [
        {
          message:
            /--container-runtime is passed to kubelet through KUBELET_KUBEADM_ARGS \(\/var\/lib\/kubelet\/kubeadm-flags\.env:1\), but kubelet removed it in 1\.27/,
          evidence: { file: '/var/lib/kubelet/kubeadm-flags.env', line: 1 },
        },
        { message: /--network-plugin .* removed it in 1\.24 and the target is 1\.36/ },
        { message: /--pod-infra-container-image .* removed it in 1\.35/ },
      ],
    },
    {
      name: 'kubelet.service: a drop-in ExecStart= word, a braced variable, and the file its EnvironmentFile= names',
      files: {
        ...PACKAGED_UNITS,
        [DROPIN]: service(
          'Environment="KUBELET_NETWORK_ARGS=--network-plugin=cni --cni-bin-dir=/opt/cni/bin"',
          'EnvironmentFile=/etc/kubelet.env',
          'ExecStart=',
          'ExecStart=/usr/bin/kubelet --container-runtime remote ${KUBELET_NETWORK_ARGS} $KUBELET_EXTRA_ARGS',
        ),
        '/etc/kubelet.env': '# site overrides\nKUBELET_EXTRA_ARGS="--pod-infra-container-image=registry.k8s.io/pause:3.9 --v=2"\n',
      },
      violations: [
        {
          message: /--container-runtime is passed to kubelet through ExecStart \(\/etc\/systemd\/system\/kubelet\.service\.d\/20-legacy\.conf:5\)/,
          evidence: { file: DROPIN, line: 5, path: 'ExecStart' },
        },
        {
          message: /--network-plugin is passed to kubelet through KUBELET_NETWORK_ARGS \(\/etc\/systemd\/system\/kubelet\.service\.d\/20-legacy\.conf:2\)/,
          evidence: { file: DROPIN, line: 2 },
        },
        {
          message: /--pod-infra-container-image is passed to kubelet through KUBELET_EXTRA_ARGS \(\/etc\/kubelet\.env:2\)/,
          evidence: { file: '/etc/kubelet.env', line: 2, path: 'KUBELET_EXTRA_ARGS' },
        },
      ],
    },
    {
      name: 'kubelet.service with the packaged drop-in reads kubeadm-flags.env',
      files: { ...PACKAGED_UNITS, '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--container-runtime=remote"\n' },
      violations: [{ message: /through KUBELET_KUBEADM_ARGS \(\/var\/lib\/kubelet\/kubeadm-flags\.env:1\)/ }],
    },
    {
      name: 'legacy klog flags from 1.26 on',
      files: { '/etc/sysconfig/kubelet': 'KUBELET_EXTRA_ARGS="--logtostderr=false --log-dir=/var/log/kubelet"\n' },
      checklist: { kubernetesVersion: '1.26', sandboxImage: 'registry.k8s.io/pause:3.9' },
      violations: [{ message: /--logtostderr/ }, { message: /--log-dir/ }],
    },
  ],
});
