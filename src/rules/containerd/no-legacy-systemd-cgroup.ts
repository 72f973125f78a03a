import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/no-legacy-systemd-cgroup",
  title: "The legacy CRI-level systemd_cgroup option is not set",
  severity: 'error',
  mode: 'static',
  rationale:
    "systemd_cgroup = true at the CRI level only works with the removed v1 runtime; on containerd 1.3 and later the CRI plugin fails to load with it.",
  remediation:
    "Remove systemd_cgroup from the CRI section and set SystemdCgroup = true in the runc runtime options instead.",
  references: [
    "https://github.com/containerd/containerd/blob/main/RELEASES.md#deprecated-config-properties",
  ],
});
