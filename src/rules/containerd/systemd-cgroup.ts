import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/systemd-cgroup",
  title: "runc's cgroup driver matches kubelet's",
  severity: 'error',
  mode: 'static',
  rationale:
    "When runc's SystemdCgroup does not match kubelet's cgroupDriver, pods fail to start (\"expected cgroupsPath to be of format slice:prefix:name\") or restart periodically with no clear error.",
  remediation:
    "Set SystemdCgroup = true (for the systemd driver) in the options of the default runtime and of every runc runtime, then restart containerd.",
  references: [
    "https://kubernetes.io/docs/setup/production-environment/container-runtimes/#containerd-systemd",
    "https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/configure-cgroup-driver/",
  ],
});
