import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD } from '../../helpers/containerd.js';

testRule('containerd/no-legacy-systemd-cgroup', {
  quiet: [
    { name: 'absent', files: { [CONFIG]: V2_GOOD } },
    {
      name: 'false, as the 1.x generated default writes it',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  systemd_cgroup = false\n' },
    },
  ],
  firing: [
    {
      name: 'containerd 1.x: the CRI plugin fails to load',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  systemd_cgroup = true\n' },
      severity: 'error',
      violations: [
        {
          message: /systemd_cgroup = true at \/etc\/containerd\/config\.toml:3 makes the CRI plugin of containerd 1\.7 fail to load/,
          severity: 'error',
          fix: /^Remove systemd_cgroup from \/etc\/containerd\/config\.toml:3 and set SystemdCgroup = true \(kubelet's cgroup driver is systemd\) in the runc runtime options instead, then restart containerd\.$/,
        },
      ],
    },
    {
      name: 'containerd 2.x: ignored, and it sets nothing',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  systemd_cgroup = true\n' },
      checklist: { containerdVersion: '2.1', cgroupDriver: 'cgroupfs' },
      severity: 'warning',
      violations: [
        {
          message: /systemd_cgroup = true at \/etc\/containerd\/config\.toml:3 is not an option of containerd 2\.1, which ignores it/,
          severity: 'warning',
          fix: /set SystemdCgroup = false \(kubelet's cgroup driver is cgroupfs\)/,
        },
      ],
    },
    {
      name: "the fix follows kubelet's own cgroupDriver over the checklist's",
      files: {
        [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  systemd_cgroup = true\n',
        '/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\ncgroupDriver: cgroupfs\n',
      },
      severity: 'error',
      violations: [
        { message: /makes the CRI plugin of containerd 1\.7 fail to load/, fix: /set SystemdCgroup = false \(kubelet's cgroup driver is cgroupfs\)/ },
      ],
    },
  ],
});
