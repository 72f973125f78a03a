import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/runtime-type",
  title: "The default runtime uses the runc v2 shim",
  severity: 'error',
  mode: 'static',
  rationale:
    "io.containerd.runtime.v1.linux and io.containerd.runc.v1 were removed in containerd 2.0, and an empty or unknown runtime_type makes every pod fail to start.",
  remediation:
    "Set runtime_type = \"io.containerd.runc.v2\" for the default runtime (or a type the checklist allows).",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/cri/config.md",
    "https://github.com/containerd/containerd/blob/main/RELEASES.md#deprecated-config-properties",
  ],
});
