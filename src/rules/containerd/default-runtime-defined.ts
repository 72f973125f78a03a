import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/default-runtime-defined",
  title: "The default runtime names a defined runtime",
  severity: 'error',
  mode: 'static',
  rationale:
    "When default_runtime_name names no runtime in runtimes, the CRI plugin fails to load and containerd runs without CRI.",
  remediation:
    "Define [..runtimes.<name>] for the default runtime or set default_runtime_name to a defined runtime (runc).",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/cri/config.md",
  ],
});
