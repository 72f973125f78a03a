import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';

const CRI = 'plugins."io.containerd.grpc.v1.cri"';
const runc = (options: string): string => `version = 2\n[${CRI}.containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"\n  [${CRI}.containerd.runtimes.runc.options]\n${options}`;

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
      name: 'a non-runc runtime that is not the default is not runc',
      files: { [CONFIG]: `${V2_GOOD}  [${CRI}.containerd.runtimes.kata]\n    runtime_type = "io.containerd.kata.v2"\n` },
    },
  ],
  firing: [
    {
      name: 'runc on cgroupfs, kubelet on systemd (Calico restarts incident)',
      files: { [CONFIG]: runc('    SystemdCgroup = false\n'), '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncgroupDriver: systemd\n' },
      violations: [{ message: /^runtime "runc" has SystemdCgroup = false \(\/etc\/containerd\/config\.toml:5\), but kubelet's cgroupDriver \(\/var\/lib\/kubelet\/config\.yaml:2\) is systemd; runc and kubelet must use the same cgroup driver\.$/, evidence: { line: 5, observed: false, expected: true } }],
    },
    {
      name: 'the generated default: no SystemdCgroup option at all',
      files: { [CONFIG]: 'version = 2\n' },
      violations: [{ message: /runtime "runc" has no SystemdCgroup option, so false \(the runtime is the built-in one of containerd 1\.7\), but the checklist's cgroup driver is systemd/ }],
    },
    {
      name: 'a typo is not SystemdCgroup (known-keys names it), and a second runc runtime disagrees',
      files: { [CONFIG]: `${runc('    SystemCgroup = true\n')}  [${CRI}.containerd.runtimes.runc-gpu]\n    runtime_type = "io.containerd.runc.v2"\n    [${CRI}.containerd.runtimes.runc-gpu.options]\n      SystemdCgroup = true\n` },
      violations: [{ message: /runtime "runc" has no SystemdCgroup option, so false \(the runtime is declared at \/etc\/containerd\/config\.toml:2\)/ }],
    },
    {
      name: 'a string is not a boolean',
      files: { [CONFIG]: runc('    SystemdCgroup = "true"\n') },
      violations: [{ message: /SystemdCgroup of runtime "runc" is "true" \(\/etc\/containerd\/config\.toml:5\), not a boolean/ }],
    },
    {
      name: 'cgroupfs target, systemd runc',
      files: { [CONFIG]: V2_GOOD },
      checklist: { cgroupDriver: 'cgroupfs' },
      violations: [{ message: /has SystemdCgroup = true .* but the checklist's cgroup driver is cgroupfs/ }],
    },
  ],
});
