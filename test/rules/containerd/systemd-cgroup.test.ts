import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';

const CRI = 'plugins."io.containerd.grpc.v1.cri"';
const runc = (options: string): string =>
  `version = 2\n[${CRI}.containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"\n  [${CRI}.containerd.runtimes.runc.options]\n${options}`;

testRule('containerd/systemd-cgroup', {
  quiet: [
    { name: 'SystemdCgroup true, systemd target', files: { [CONFIG]: V2_GOOD } },
    { name: 'containerd 2.x', files: { [CONFIG]: V3_GOOD } },
    { name: 'go-toml also reads the all-lower-case key', files: { [CONFIG]: runc('    systemdcgroup = true\n') } },
    { name: 'cgroupfs everywhere', files: { [CONFIG]: runc('    SystemdCgroup = false\n') }, checklist: { cgroupDriver: 'cgroupfs' } },
    {
      name: "kubelet's own cgroupDriver wins over the checklist",
      files: { [CONFIG]: runc('    SystemdCgroup = false\n'), '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncgroupDriver: cgroupfs\n' },
    },
    {
      name: '--cgroup-driver in KUBELET_EXTRA_ARGS beats the config file (the flag is what kubelet runs with)',
      files: {
        ...PACKAGED_UNITS,
        [CONFIG]: V2_GOOD,
        '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncgroupDriver: cgroupfs\n',
        '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS="--node-ip=10.0.0.5 --cgroup-driver=systemd"\n',
      },
    },
    {
      name: 'a non-runc runtime that is not the default is not runc',
      files: { [CONFIG]: `${V2_GOOD}  [${CRI}.containerd.runtimes.kata]\n    runtime_type = "io.containerd.kata.v2"\n` },
    },
  ],
  firing: [
    {
      name: '--cgroup-driver=cgroupfs in KUBELET_EXTRA_ARGS (/etc/default/kubelet) against SystemdCgroup = true',
      files: { ...PACKAGED_UNITS, [CONFIG]: V2_GOOD, '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n' },
      violations: [
        {
          message:
            /^runtime "runc" has SystemdCgroup = true \(\/etc\/containerd\/config\.toml:\d+\), but kubelet's --cgroup-driver \(\/etc\/default\/kubelet:1\) is cgroupfs; runc and kubelet must use the same cgroup driver\.$/,
          evidence: { file: CONFIG, observed: true, expected: false },
          fix: /^Set SystemdCgroup = false in the options of runtime "runc" \(\/etc\/containerd\/config\.toml\) to match the cgroupfs driver set by kubelet's --cgroup-driver \(\/etc\/default\/kubelet:1\), then restart containerd\.$/,
        },
      ],
    },
    {
      name: 'runc on cgroupfs, kubelet on systemd (Calico restarts incident)',
      files: { [CONFIG]: runc('    SystemdCgroup = false\n'), '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncgroupDriver: systemd\n' },
      violations: [
        {
          message:
            /^runtime "runc" has SystemdCgroup = false \(\/etc\/containerd\/config\.toml:5\), but kubelet's cgroupDriver \(\/var\/lib\/kubelet\/config\.yaml:2\) is systemd; runc and kubelet must use the same cgroup driver\.$/,
          evidence: { line: 5, observed: false, expected: true },
          fix: /^Set SystemdCgroup = true in the options of runtime "runc" \(\/etc\/containerd\/config\.toml\) to match the systemd driver set by kubelet's cgroupDriver/,
        },
      ],
    },
    {
      name: 'the generated default: no SystemdCgroup option at all',
      files: { [CONFIG]: 'version = 2\n' },
      violations: [
        {
          message:
            /runtime "runc" has no SystemdCgroup option, so false \(the runtime is the built-in one of containerd 1\.7\), but the checklist's cgroup driver is systemd/,
          fix: /^Set SystemdCgroup = true in the options of runtime "runc" to match the systemd driver set by the checklist, then restart containerd\.$/,
        },
      ],
    },
    {
      name: 'a typo is not SystemdCgroup (known-keys names it), and a second runc runtime disagrees',
      files: {
        [CONFIG]: `${runc('    SystemCgroup = true\n')}  [${CRI}.containerd.runtimes.runc-gpu]\n    runtime_type = "io.containerd.runc.v2"\n    [${CRI}.containerd.runtimes.runc-gpu.options]\n      SystemdCgroup = true\n`,
      },
      violations: [{ message: /runtime "runc" has no SystemdCgroup option, so false \(the runtime is declared at \/etc\/containerd\/config\.toml:2\)/ }],
    },
    {
      name: 'containerd 1.x: an import replaces the CRI table and drops the runc runtime (the import is named, and fixed)',
      files: {
        [CONFIG]: `${runc('    SystemdCgroup = true\n')}imports = ["/etc/containerd/conf.d/registry.toml"]\n`
          .replace('version = 2\n', 'version = 2\nimports = ["/etc/containerd/conf.d/registry.toml"]\n')
          .replace(/imports = .*\n$/, ''),
        '/etc/containerd/conf.d/registry.toml': `[${CRI}.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
      },
      violations: [
        {
          message:
            /^runtime "runc" has no SystemdCgroup option, so false \(the runtime is built-in default of containerd 1\.7: the \[plugins\."io\.containerd\.grpc\.v1\.cri"\] table of \/etc\/containerd\/conf\.d\/registry\.toml:1 replaces the whole table, dropping runc set at \/etc\/containerd\/config\.toml:\d+\)/,
          evidence: { file: '/etc/containerd/conf.d/registry.toml', line: 1 },
          fix: /^Write the value in \/etc\/containerd\/conf\.d\/registry\.toml too/,
        },
      ],
    },
    {
      name: 'a string is not a boolean',
      files: { [CONFIG]: runc('    SystemdCgroup = "true"\n') },
      violations: [
        {
          message: /SystemdCgroup of runtime "runc" is "true" \(\/etc\/containerd\/config\.toml:5\), not a boolean/,
          fix: /^Set SystemdCgroup = true in the options of runtime "runc" \(\/etc\/containerd\/config\.toml\)/,
        },
      ],
    },
    {
      name: 'cgroupfs target, systemd runc',
      files: { [CONFIG]: V2_GOOD },
      checklist: { cgroupDriver: 'cgroupfs' },
      violations: [
        {
          message: /has SystemdCgroup = true .* but the checklist's cgroup driver is cgroupfs/,
          fix: /^Set SystemdCgroup = false in the options of runtime "runc" \(\/etc\/containerd\/config\.toml\) to match the cgroupfs driver set by the checklist, then restart containerd\.$/,
        },
      ],
    },
  ],
});
