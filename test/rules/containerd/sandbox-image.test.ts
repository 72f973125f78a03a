import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';

testRule('containerd/sandbox-image', {
  quiet: [
    { name: 'version 3 pinned image', files: { [CONFIG]: V3_GOOD } },
    { name: 'version 2 sandbox_image', files: { [CONFIG]: V2_GOOD } },
    { name: 'the built-in default of containerd 2.3 for Kubernetes 1.36', files: { [CONFIG]: 'version = 4\n' } },
    {
      name: 'an internal mirror the checklist names',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "harbor.example.net/k8s/pause:3.10"\n' },
      checklist: { sandboxImage: 'harbor.example.net/k8s/pause:3.10' },
    },
    {
      name: 'containerd 2.x migrates a version 2 sandbox_image',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.10.2"\n' },
      checklist: { containerdVersion: '2.1' },
    },
  ],
  firing: [
    {
      name: 'the frozen k8s.gcr.io (private Harbor incident)',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "k8s.gcr.io/pause:3.2"\n' },
      violations: [
        {
          message:
            /^the sandbox image is "k8s\.gcr\.io\/pause:3\.2" \(\/etc\/containerd\/config\.toml:3\); expected "registry\.k8s\.io\/pause:3\.10\.2" \(kubeadm's default for Kubernetes 1\.37\), and the pause image is older than the one kubeadm uses\.$/,
          evidence: { line: 3 },
          severity: 'warning',
        },
        { message: /is on k8s\.gcr\.io, which the Kubernetes project froze in 2023/, severity: 'error' },
      ],
    },
    {
      name: 'the built-in default of containerd 1.7 is not the pause image of Kubernetes 1.33',
      files: { [CONFIG]: 'version = 2\n' },
      checklist: { kubernetesVersion: '1.33' },
      severity: 'warning',
      violations: [
        {
          message: /the sandbox image is "registry\.k8s\.io\/pause:3\.8" \(built-in default of containerd 1\.7\); expected "registry\.k8s\.io\/pause:3\.10"/,
          severity: 'warning',
        },
      ],
    },
    {
      name: 'a newer pause than kubeadm uses passes with a note',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.10.1"\n' },
      checklist: { kubernetesVersion: '1.33' },
      severity: 'info',
      violations: [
        {
          message: /expected "registry\.k8s\.io\/pause:3\.10" \(kubeadm's default for Kubernetes 1\.33\); a newer or mirrored pause image works/,
          severity: 'info',
        },
      ],
    },
    {
      name: 'the same pause from a mirror is a note too',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "harbor.example.net/k8s/pause:3.10"\n' },
      checklist: { kubernetesVersion: '1.33' },
      violations: [{ message: /a newer or mirrored pause image works/, severity: 'info' }],
    },
    {
      name: 'a checklist that names an image wants exactly it, even when newer',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.10.1"\n' },
      checklist: { kubernetesVersion: '1.33', sandboxImage: 'registry.k8s.io/pause:3.10' },
      violations: [{ message: /expected "registry\.k8s\.io\/pause:3\.10" \(the checklist\)\.$/, severity: 'error' }],
    },
    {
      name: 'not a pause image at all',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "example.net/sandbox:latest"\n' },
      violations: [{ message: /expected "registry\.k8s\.io\/pause:3\.10\.2"/, severity: 'error' }],
    },
    {
      name: 'a 1.x import replaces the CRI table and erases the main file sandbox image',
      files: {
        [CONFIG]:
          'version = 2\nimports = ["/etc/containerd/conf.d/registry.toml"]\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.10.2"\n',
        '/etc/containerd/conf.d/registry.toml': '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
      },
      violations: [
        {
          message:
            /the sandbox image is "registry\.k8s\.io\/pause:3\.8" \(built-in default of containerd 1\.7: the \[plugins\."io\.containerd\.grpc\.v1\.cri"\] table of \/etc\/containerd\/conf\.d\/registry\.toml:1 replaces the whole table, dropping sandbox_image set at \/etc\/containerd\/config\.toml:4\)/,
          evidence: { file: '/etc/containerd/conf.d/registry.toml', line: 1 },
          fix: /^Write the value in \/etc\/containerd\/conf\.d\/registry\.toml too/,
        },
      ],
    },
  ],
});
