/**
 * Nodes built from configurations as their projects publish them
 * (test/fixtures/published, provenance in its SOURCES.md), with faults
 * planted one at a time. Each base node must report exactly the findings
 * listed for it (each judged true against the component's own behaviour);
 * each planted fault must be caught by the rule named, at the file named;
 * each quiet variant must leave the rules named passing.
 *
 * Plain data, so the same cases measure any version of the checker
 * (scripts/measure-published.ts).
 */

/** Files over a base: text, or null to remove the base's file. */
export type Overlay = Record<string, string | null>;

/** A change to one of the base's files: the first occurrence of `find` replaced. */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

export interface Base {
  name: string;
  description: string;
  /** Checklist keys (a site's standard for these nodes). */
  checklist?: Record<string, unknown>;
  /** Rules that fail on the published configuration, and why each finding is true. */
  findings: Record<string, string>;
}

export interface Fault {
  base: string;
  name: string;
  files: Overlay;
  edits?: Edit[];
  checklist?: Record<string, unknown>;
  /** The rule that must fail, and the file its violation must name. */
  rule: string;
  file?: string;
  message?: RegExp;
}

export interface QuietVariant {
  base: string;
  name: string;
  files: Overlay;
  edits?: Edit[];
  checklist?: Record<string, unknown>;
  /** Rules that must not fail on this variant. */
  quiet: string[];
}

const KUBELET_ENV = '/etc/kubernetes/kubelet.env';

export const BASES: Base[] = [
  {
    name: 'kubeadm-debian',
    description: 'Debian 12: pkgs.k8s.io kubeadm/kubelet 1.32, Debian containerd 1.6.20 with the Kubernetes docs edits',
    findings: {
      'host/component-versions': "containerd 1.6.20 is below 1.6.36, the oldest 1.6 containerd's RELEASES.md lists for Kubernetes 1.32 (warning)",
    },
  },
  {
    name: 'kubespray',
    description: 'kubespray role templates rendered with their defaults (containerd 2.3.4, Kubernetes 1.34), a proxy for containerd only',
    checklist: {
      kubernetesVersion: '1.34',
      containerdVersion: '2.3.4',
      proxy: { policy: 'allowed' },
      cluster: { podSubnet: '10.233.64.0/18', serviceSubnet: '10.233.0.0/18', controlPlaneEndpoint: 'cp.corp.example:6443', dnsDomain: 'cluster.local' },
      systemd: { allowedDropIns: { 'containerd.service': ['http-proxy.conf'] } },
    },
    findings: {
      'containerd/config-version':
        'kubespray writes [grpc] max message sizes into its version 4 file, where containerd 2.3 no longer reads [grpc] (serviceMigrate runs only for files below version 4): the sizes have no effect',
      'systemd/shell-env-divergence':
        "containerd pulls through kubespray's proxy while a login shell has none, so curl and crictl pull take different paths (info: an explanation, not a fault)",
    },
  },
  {
    name: 'eks-al2023',
    description: 'EKS AL2023 nodeadm: kubelet.service with NODEADM_KUBELET_ARGS, config.json and a config.json.d drop-in, the containerd 2.x template',
    checklist: {
      kubernetesVersion: '1.33',
      sandboxImage: 'localhost/kubernetes/pause',
      systemd: { allowedDropIns: { 'containerd.service': ['00-runtime-slice.conf'] } },
    },
    findings: {},
  },
  {
    name: 'kind',
    description: "kind's node image files (containerd 2.3.4 with a version 2 config, the kubeadm drop-in, 11-kind.conf)",
    checklist: {
      kubernetesVersion: '1.34',
      containerdVersion: '2.3.4',
      systemd: { allowedDropIns: { 'kubelet.service': ['10-kubeadm.conf', '11-kind.conf'] } },
    },
    findings: {
      'containerd/config-version': 'containerd 2.3 migrates a version 2 file on every start (warning)',
      'containerd/known-keys':
        "kind's tolerate_missing_hugepages_controller is not a key any containerd release decodes (tolerate_missing_hugetlb_controller is)",
      'containerd/sandbox-image':
        "the base image pins pause:3.10 (kind's node-image build rewrites it per Kubernetes version); kubeadm's default for 1.34 is 3.10.1",
    },
  },
  {
    name: 'flatcar',
    description:
      "Flatcar sysext-bakery: containerd started with --config ${CONTAINERD_CONFIG} (/usr/share/containerd/config.toml), the kubernetes sysext's kubeadm drop-in",
    checklist: { kubernetesVersion: '1.34' },
    findings: {},
  },
  {
    name: 'image-builder',
    description: 'image-builder (Cluster API) templates rendered for containerd 2.1.4 and Kubernetes 1.33',
    checklist: {
      kubernetesVersion: '1.33',
      containerdVersion: '2.1.4',
      systemd: { allowedDropIns: { 'kubelet.service': ['10-kubeadm.conf', '11-resource-sizing.conf'] } },
    },
    findings: {},
  },
];

const V2_CRI = 'plugins."io.containerd.grpc.v1.cri"';

export const FAULTS: Fault[] = [
  // kubeadm on Debian
  {
    base: 'kubeadm-debian',
    name: '--cgroup-driver=cgroupfs in KUBELET_EXTRA_ARGS',
    files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n' },
    rule: 'containerd/systemd-cgroup',
    file: '/etc/containerd/config.toml',
    message: /kubelet's --cgroup-driver \(\/etc\/default\/kubelet:1\) is cgroupfs/,
  },
  {
    base: 'kubeadm-debian',
    name: 'SystemdCgroup = false (the generated default left as is)',
    files: { '/etc/containerd/config.toml': 'version = 2\n' },
    rule: 'containerd/systemd-cgroup',
  },
  {
    base: 'kubeadm-debian',
    name: 'a dockershim-era flag in KUBELET_EXTRA_ARGS',
    files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS="--network-plugin=cni --node-ip=10.0.0.5"\n' },
    rule: 'kubelet/no-removed-flags',
    file: '/etc/default/kubelet',
  },
  {
    base: 'kubeadm-debian',
    name: 'kubeadm 1.32 installed, the cluster at 1.34',
    files: {},
    checklist: { kubernetesVersion: '1.34', sandboxImage: 'registry.k8s.io/pause:3.10' },
    rule: 'host/component-versions',
    file: '/var/lib/dpkg/status',
    message: /kubeadm 1\.32\.3-1\.1/,
  },
  {
    base: 'kubeadm-debian',
    name: 'containerd started with --config on another file, which lacks SystemdCgroup',
    files: {
      '/etc/systemd/system/containerd.service.d/10-k8s.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/containerd --config /etc/containerd/k8s.toml\n',
      '/etc/containerd/k8s.toml': `version = 2\n[${V2_CRI}]\n  sandbox_image = "registry.k8s.io/pause:3.10"\n`,
    },
    checklist: { systemd: { allowedDropIns: { 'containerd.service': ['10-k8s.conf'] } } },
    rule: 'containerd/systemd-cgroup',
  },
  {
    base: 'kubeadm-debian',
    name: 'the stale containerd proxy drop-in (incident)',
    files: {
      '/etc/systemd/system/containerd.service.d/http-proxy.conf':
        '[Service]\nEnvironment="HTTP_PROXY=http://10.0.0.1:7897"\nEnvironment="HTTPS_PROXY=http://10.0.0.1:7897"\n',
    },
    rule: 'systemd/proxy-policy',
  },
  {
    base: 'kubeadm-debian',
    name: 'a kubelet drop-in that adds a second ExecStart= without the reset',
    files: { '/etc/systemd/system/kubelet.service.d/20-extra.conf': '[Service]\nExecStart=/usr/bin/kubelet --v=4\n' },
    checklist: { systemd: { allowedDropIns: { 'kubelet.service': ['10-kubeadm.conf', '20-extra.conf'] } } },
    rule: 'systemd/kubelet-unit',
    file: '/etc/systemd/system/kubelet.service.d/20-extra.conf',
  },
  {
    base: 'kubeadm-debian',
    name: 'the sandbox image on k8s.gcr.io',
    files: {
      '/etc/containerd/config.toml': `version = 2\n[${V2_CRI}]\n  sandbox_image = "k8s.gcr.io/pause:3.6"\n  [${V2_CRI}.containerd.runtimes.runc]\n    runtime_type = "io.containerd.runc.v2"\n    [${V2_CRI}.containerd.runtimes.runc.options]\n      SystemdCgroup = true\n`,
    },
    rule: 'containerd/sandbox-image',
  },
  // kubespray
  {
    base: 'kubespray',
    name: "cgroupfs in the kubelet config that kubelet.env's --config names",
    files: {},
    edits: [{ file: '/etc/kubernetes/kubelet-config.yaml', find: 'cgroupDriver: systemd', replace: 'cgroupDriver: cgroupfs' }],
    rule: 'containerd/systemd-cgroup',
    message: /kubelet's cgroupDriver \(\/etc\/kubernetes\/kubelet-config\.yaml:\d+\) is cgroupfs/,
  },
  {
    base: 'kubespray',
    name: 'a CRI-O endpoint in the kubelet config file',
    files: {},
    edits: [{ file: '/etc/kubernetes/kubelet-config.yaml', find: 'unix:///var/run/containerd/containerd.sock', replace: 'unix:///var/run/crio/crio.sock' }],
    rule: 'kubelet/runtime-endpoint',
    file: '/etc/kubernetes/kubelet-config.yaml',
  },
  {
    base: 'kubespray',
    name: 'an internal registry missing from no_proxy',
    files: {},
    checklist: { registries: { internal: ['harbor.corp.example'] } },
    rule: 'systemd/no-proxy-coverage',
    message: /add harbor\.corp\.example to NO_PROXY/,
  },
  {
    base: 'kubespray',
    name: 'skip_verify on the docker.io mirror',
    files: {
      '/etc/containerd/certs.d/docker.io/hosts.toml':
        'server = "https://docker.io"\n[host."https://registry-1.docker.io"]\n  capabilities = ["pull","resolve"]\n  skip_verify = true\n  override_path = false\n',
    },
    rule: 'containerd/registry-tls-verify',
    file: '/etc/containerd/certs.d/docker.io/hosts.toml',
    message: /hosts\.toml:4/,
  },
  {
    base: 'kubespray',
    name: 'a plain http:// mirror',
    files: {
      '/etc/containerd/certs.d/docker.io/hosts.toml':
        'server = "https://docker.io"\n[host."http://mirror.corp.example:5000"]\n  capabilities = ["pull","resolve"]\n',
    },
    rule: 'containerd/registry-tls-verify',
    message: /plain http:\/\//,
  },
  {
    base: 'kubespray',
    name: 'a removed flag in KUBELET_ARGS of kubelet.env',
    files: {},
    edits: [
      {
        file: KUBELET_ENV,
        find: '--runtime-cgroups=/system.slice/containerd.service',
        replace: '--runtime-cgroups=/system.slice/containerd.service --cloud-config=/etc/kubernetes/cloud_config',
      },
    ],
    rule: 'kubelet/no-removed-flags',
    file: KUBELET_ENV,
  },
  // EKS AL2023
  {
    base: 'eks-al2023',
    name: 'a config.json.d drop-in switches the cgroup driver',
    files: {
      '/etc/kubernetes/kubelet/config.json.d/40-nodeadm.conf':
        '{\n    "kind": "KubeletConfiguration",\n    "apiVersion": "kubelet.config.k8s.io/v1beta1",\n    "cgroupDriver": "cgroupfs"\n}\n',
    },
    rule: 'containerd/systemd-cgroup',
    message: /40-nodeadm\.conf:4/,
  },
  {
    base: 'eks-al2023',
    name: 'config.json names another runtime endpoint',
    files: {},
    edits: [{ file: '/etc/kubernetes/kubelet/config.json', find: 'unix:///run/containerd/containerd.sock', replace: 'unix:///run/cri-dockerd.sock' }],
    rule: 'kubelet/runtime-endpoint',
    file: '/etc/kubernetes/kubelet/config.json',
  },
  {
    base: 'eks-al2023',
    name: "a proxy through the manager's DefaultEnvironment (nodeadm's environment config) that does not exempt the API server",
    files: {
      '/etc/systemd/system.conf.d/environment.conf':
        '[Manager]\nDefaultEnvironment="HTTPS_PROXY=https://example-proxy:8080"\nDefaultEnvironment="HTTP_PROXY=http://example-proxy:8080"\nDefaultEnvironment="NO_PROXY=localhost,127.0.0.1,169.254.169.254"\n',
    },
    checklist: { proxy: { policy: 'allowed' }, cluster: { controlPlaneEndpoint: 'ABCDEF.gr7.us-west-2.eks.amazonaws.com:443' } },
    rule: 'systemd/no-proxy-coverage',
    message: /^kubelet\.service would send https:\/\/ABCDEF\.gr7\.us-west-2\.eks\.amazonaws\.com:443/,
  },
  {
    base: 'eks-al2023',
    name: 'the pinned sandbox image removed',
    files: {},
    edits: [
      {
        file: '/etc/containerd/config.toml',
        find: '[plugins.\'io.containerd.cri.v1.images\'.pinned_images]\nsandbox = "localhost/kubernetes/pause"\n',
        replace: '',
      },
    ],
    rule: 'containerd/sandbox-image',
  },
  // kind
  {
    base: 'kind',
    name: 'runc on cgroupfs',
    files: {},
    edits: [{ file: '/etc/containerd/config.toml', find: 'SystemdCgroup = true', replace: 'SystemdCgroup = false' }],
    rule: 'containerd/systemd-cgroup',
  },
  {
    base: 'kind',
    name: 'a default runtime that is not defined',
    files: {},
    edits: [{ file: '/etc/containerd/config.toml', find: 'default_runtime_name = "runc"', replace: 'default_runtime_name = "crun"' }],
    rule: 'containerd/default-runtime-defined',
  },
  {
    base: 'kind',
    name: 'the CRI disabled',
    files: {},
    edits: [{ file: '/etc/containerd/config.toml', find: 'version = 2\n', replace: 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n' }],
    rule: 'containerd/cri-enabled',
  },
  {
    base: 'kind',
    name: 'KUBELET_EXTRA_ARGS points kubelet at CRI-O',
    files: {
      '/etc/default/kubelet':
        'KUBELET_EXTRA_ARGS=--runtime-cgroups=/system.slice/containerd.service --container-runtime-endpoint=unix:///var/run/crio/crio.sock\n',
    },
    rule: 'kubelet/runtime-endpoint',
    file: '/etc/default/kubelet',
  },
  // Flatcar
  {
    base: 'flatcar',
    name: "the sysext's cgroupfs config selected with a drop-in, as Flatcar documents",
    files: {
      '/etc/systemd/system/containerd.service.d/10-cgroupfs.conf': '[Service]\nEnvironment=CONTAINERD_CONFIG=/usr/share/containerd/config-cgroupfs.toml\n',
    },
    checklist: { systemd: { allowedDropIns: { 'containerd.service': ['10-cgroupfs.conf'] } } },
    rule: 'containerd/systemd-cgroup',
    file: '/usr/share/containerd/config-cgroupfs.toml',
  },
  {
    base: 'flatcar',
    name: '--cgroup-driver=cgroupfs in /etc/sysconfig/kubelet',
    files: { '/etc/sysconfig/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n' },
    rule: 'containerd/systemd-cgroup',
    message: /\/etc\/sysconfig\/kubelet:1/,
  },
  {
    base: 'flatcar',
    name: 'a stale CRI-O endpoint in kubeadm-flags.env',
    files: { '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/crio/crio.sock"\n' },
    rule: 'kubelet/runtime-endpoint',
    file: '/var/lib/kubelet/kubeadm-flags.env',
  },
  // image-builder
  {
    base: 'image-builder',
    name: 'a conf.d import written for containerd 2.3 (version 4) on containerd 2.3',
    files: { '/etc/containerd/conf.d/10-runtime.toml': 'version = 4\n' },
    checklist: { containerdVersion: '2.3.1' },
    rule: 'containerd/config-version',
    file: '/etc/containerd/conf.d/10-runtime.toml',
    message: /higher than version 3 of the root configuration/,
  },
  {
    base: 'image-builder',
    name: 'a conf.d import with a plain http:// mirror',
    files: {
      '/etc/containerd/certs.d/docker.io/hosts.toml':
        'server = "https://registry-1.docker.io"\n[host."http://10.0.0.9:5000"]\n  capabilities = ["pull", "resolve"]\n',
    },
    rule: 'containerd/registry-tls-verify',
  },
  {
    base: 'image-builder',
    name: "containerd's proxy drop-in without the internal registry",
    files: {
      '/etc/systemd/system/containerd.service.d/http-proxy.conf':
        '[Service]\nEnvironment="HTTP_PROXY=http://proxy:3128"\nEnvironment="HTTPS_PROXY=http://proxy:3128"\nEnvironment="NO_PROXY=localhost,127.0.0.1,10.96.0.0/12,.svc,.cluster.local"\n',
    },
    checklist: {
      proxy: { policy: 'allowed' },
      registries: { internal: ['registry.corp.example'] },
      systemd: { allowedDropIns: { 'containerd.service': ['http-proxy.conf'] } },
    },
    rule: 'systemd/no-proxy-coverage',
    message: /add registry\.corp\.example to NO_PROXY/,
  },
  {
    base: 'image-builder',
    name: 'KUBELET_EXTRA_ARGS in /etc/default/kubelet (read last) switches the cgroup driver',
    files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n' },
    rule: 'containerd/systemd-cgroup',
  },
];

export const QUIET: QuietVariant[] = [
  {
    base: 'kubeadm-debian',
    name: '--cgroup-driver=systemd in KUBELET_EXTRA_ARGS matches runc',
    files: { '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=systemd\n' },
    quiet: ['containerd/systemd-cgroup', 'kubelet/no-removed-flags'],
  },
  {
    base: 'kubeadm-debian',
    name: 'dpkg names kubeadm 1.32, so the target is 1.32 (pause 3.10)',
    files: {},
    quiet: ['containerd/sandbox-image', 'kubelet/no-removed-flags'],
  },
  { base: 'kubespray', name: "kubespray's proxy for containerd alone", files: {}, quiet: ['systemd/proxy-consistency', 'systemd/proxy-policy'] },
  {
    base: 'kubespray',
    name: "kubespray's kubelet config: runtime endpoint, cgroup driver and resolvConf from the --config file",
    files: {},
    quiet: ['kubelet/runtime-endpoint', 'containerd/systemd-cgroup', 'host/resolv-conf'],
  },
  {
    base: 'eks-al2023',
    name: "nodeadm's config.json and drop-in",
    files: {},
    quiet: ['containerd/systemd-cgroup', 'kubelet/runtime-endpoint', 'containerd/known-keys'],
  },
  {
    base: 'kind',
    name: "kind's version 2 file read as containerd 2.3 reads it",
    files: {},
    quiet: ['containerd/cri-enabled', 'containerd/systemd-cgroup', 'containerd/runtime-type'],
  },
  {
    base: 'flatcar',
    name: "containerd's --config ${CONTAINERD_CONFIG} file, not /etc/containerd/config.toml",
    files: {},
    quiet: ['containerd/config-present', 'containerd/systemd-cgroup', 'containerd/sandbox-image'],
  },
  {
    base: 'image-builder',
    name: '/etc/sysconfig/kubelet says cgroupfs, /etc/default/kubelet (read after it) says systemd: systemd wins',
    files: {
      '/etc/sysconfig/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n',
      '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=systemd\n',
    },
    quiet: ['containerd/systemd-cgroup'],
  },
  {
    base: 'image-builder',
    name: 'a version 2 file with 2.x plugin ids and no containerdVersion is read as 2.x',
    files: {},
    edits: [{ file: '/etc/containerd/config.toml', find: 'version = 3', replace: 'version = 2' }],
    checklist: { containerdVersion: null },
    quiet: ['containerd/systemd-cgroup', 'containerd/sandbox-image', 'containerd/cri-enabled'],
  },
];
