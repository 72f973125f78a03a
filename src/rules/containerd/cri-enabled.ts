import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/cri-enabled",
  title: "containerd serves the CRI",
  severity: 'error',
  mode: 'static',
  rationale:
    "kubelet talks to containerd only through the CRI plugin; Docker's containerd.io package ships disabled_plugins = [\"cri\"], and kubelet then fails with \"unknown service runtime.v1.RuntimeService\".",
  remediation:
    "Remove cri (and any io.containerd.grpc.v1.cri or io.containerd.cri.v1.* id) from disabled_plugins in the config and every import, then restart containerd.",
  references: [
    "https://kubernetes.io/docs/setup/production-environment/container-runtimes/#containerd",
    "https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md",
  ],
});
