import { testRule } from '../../helpers/rule-tester.js';
import { dpkgStatus } from '../../helpers/dpkg.js';

const STATUS = '/var/lib/dpkg/status';
/** ctr version as containerd 1.7.20 answers it (the live probe of --online). */
const ctrVersion = (server: string) => ({
  'ctr-version': {
    argv: ['ctr', 'version'],
    exitCode: 0,
    stdout: `Client:\n  Version:  ${server}\n  Revision: x\n  Go version: go1.22\n\nServer:\n  Version:  ${server}\n  Revision: x\n  UUID: 0\n`,
    stderr: '',
  },
});

testRule('host/component-versions', {
  quiet: [
    {
      name: 'pkgs.k8s.io 1.37 packages and containerd.io 2.3 (the target comes from kubeadm)',
      files: { [STATUS]: dpkgStatus(['kubeadm', '1.37.1-1.1'], ['kubelet', '1.37.1-1.1'], ['containerd.io', '2.3.1-1~debian.12~bookworm']) },
    },
    {
      name: 'a kubelet three minors older than the control plane is within the skew',
      files: { [STATUS]: dpkgStatus(['kubeadm', '1.36.0-1.1'], ['kubelet', '1.33.5-1.1'], ['containerd', '2.2.0~ds1-1']) },
      checklist: { kubernetesVersion: '1.36' },
    },
    {
      name: 'a containerd family newer than any the table lists for the target',
      files: { [STATUS]: dpkgStatus(['containerd.io', '2.1.4-1']) },
      checklist: { kubernetesVersion: '1.28' },
    },
    {
      name: "the checklist's containerdVersion without packages",
      files: { '/etc/containerd/config.toml': 'version = 3\n' },
      checklist: { kubernetesVersion: '1.36', containerdVersion: '2.2' },
    },
    {
      name: 'removed packages (config-files) count as not installed',
      files: { [STATUS]: dpkgStatus(['kubeadm', '1.20.0-00', 'config-files'], ['containerd', '1.4.13~ds1-1', 'config-files']) },
      status: 'not-applicable',
      reason: /no kubeadm, kubelet or containerd package is installed/,
    },
    {
      name: 'a containerd version only inferred from the config is not judged',
      files: { '/etc/containerd/config.toml': 'version = 3\n' },
      status: 'not-applicable',
      reason: /no containerd version is known/,
    },
    {
      name: 'an rpm node: the database is binary and not read',
      files: { '/var/lib/rpm/rpmdb.sqlite': 'SQLite format 3\u0000' },
      status: 'not-applicable',
      reason: /rpm database \(\/var\/lib\/rpm\/rpmdb\.sqlite\) is binary and not read/,
    },
  ],
  firing: [
    {
      name: 'dpkg names kubeadm 1.32 and containerd 1.6 (Debian 12): containerd 1.6.20 is below what 1.32 is tested with',
      files: { [STATUS]: dpkgStatus(['kubeadm', '1.32.3-1.1'], ['kubelet', '1.32.3-1.1'], ['containerd', '1.6.20~ds1-1+deb12u3']) },
      severity: 'warning',
      violations: [
        {
          message:
            /^containerd 1\.6\.20 \(the installed containerd package \(1\.6\.20~ds1-1\+deb12u3, \/var\/lib\/dpkg\/status:\d+\)\) is not among the releases containerd recommends for Kubernetes 1\.32: 2\.1\.0\+, 2\.0\.1\+, 1\.7\.24\+, 1\.6\.36\+\.$/,
          evidence: { file: STATUS, observed: '1.6.20' },
          severity: 'warning',
        },
      ],
    },
    {
      name: 'kubeadm 1.32 on a node the checklist targets at 1.34',
      files: { [STATUS]: dpkgStatus(['kubeadm', '1.32.3-1.1'], ['kubelet', '1.34.1-1.1']) },
      checklist: { kubernetesVersion: '1.34' },
      violations: [
        {
          message:
            /^kubeadm 1\.32\.3-1\.1 \(\/var\/lib\/dpkg\/status:\d+\) is not the target Kubernetes 1\.34 \(the checklist's kubernetesVersion\); the kubeadm that joins/,
          evidence: { file: STATUS, expected: 'kubeadm 1.34.x' },
        },
      ],
    },
    {
      name: 'a kubelet newer than the control plane',
      files: { [STATUS]: dpkgStatus(['kubelet', '1.36.2-1.1']) },
      options: { kubernetesVersion: '1.35' },
      violations: [
        {
          message: /kubelet 1\.36\.2-1\.1 .* is newer than the target Kubernetes 1\.35 \(--kubernetes-version\)/,
          alias: 'KubeletVersion',
          evidence: { expected: 'kubelet 1.32 to 1.35' },
        },
      ],
    },
    {
      name: 'a kubelet four minors older',
      files: { [STATUS]: dpkgStatus(['kubeadm', '1.36.0-1.1'], ['kubelet', '1.32.0-1.1']) },
      violations: [
        {
          message: /kubelet 1\.32\.0-1\.1 .* is more than 3 minor versions older than the target Kubernetes 1\.36 \(the installed kubeadm package/,
          alias: 'KubeletVersion',
        },
      ],
    },
    {
      name: 'containerd 1.7.28 on Kubernetes 1.35 lacks RuntimeConfig',
      files: { [STATUS]: dpkgStatus(['containerd.io', '1.7.28-1']) },
      checklist: { kubernetesVersion: '1.35' },
      severity: 'warning',
      violations: [
        {
          message:
            /containerd 1\.7\.28 .* lacks the CRI RuntimeConfig call, so kubelet 1\.35 cannot ask it for the cgroup driver and kubeadm warns \(ContainerRuntimeVersion\)/,
          alias: 'ContainerRuntimeVersion',
          severity: 'warning',
          evidence: { expected: 'containerd 2.0 or later' },
        },
      ],
    },
    {
      name: 'containerd 1.5 serves no CRI v1',
      files: { [STATUS]: dpkgStatus(['containerd', '1.5.9-0ubuntu3']) },
      checklist: { kubernetesVersion: '1.30' },
      severity: 'error',
      violations: [
        { message: /containerd 1\.5\.9 .* does not serve CRI v1, the only CRI kubelet 1\.30 speaks/, evidence: { expected: 'containerd 1.6 or later' } },
      ],
    },
    {
      name: 'the running containerd (--online) on a node without packages, target newer than the newest known',
      files: { '/etc/hostname': 'n\n' },
      commands: ctrVersion('1.7.20'),
      options: { kubernetesVersion: '1.38' },
      severity: 'warning',
      violations: [
        {
          message:
            /containerd 1\.7\.20 \(the running containerd \(ctr version: 1\.7\.20\)\) is not among the releases containerd recommends for Kubernetes 1\.36, the newest it lists \(the target is 1\.38\): 2\.3\.0\+, 2\.2\.0\+\./,
          evidence: { observed: '1.7.20' },
        },
        { message: /lacks the CRI RuntimeConfig call/, alias: 'ContainerRuntimeVersion' },
      ],
    },
    {
      name: 'an old target judged against the oldest row; a patch below the one listed',
      files: { [STATUS]: dpkgStatus(['containerd', '1.6.10-0ubuntu1']) },
      checklist: { kubernetesVersion: '1.26', sandboxImage: 'registry.k8s.io/pause:3.9' },
      severity: 'warning',
      violations: [
        {
          message:
            /containerd 1\.6\.10 .* is not among the releases containerd recommends for Kubernetes 1\.27, the oldest it lists \(the target is 1\.26\): 1\.7\.0\+, 1\.6\.15\+\./,
        },
      ],
    },
  ],
});
