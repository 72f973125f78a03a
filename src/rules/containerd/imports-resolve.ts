import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/imports-resolve",
  title: "Every import containerd is told to load exists",
  severity: 'error',
  mode: 'static',
  rationale:
    "containerd refuses to start when a non-glob entry of imports does not exist.",
  remediation:
    "Create the imported file or remove it from imports (a glob that matches nothing is fine).",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md",
  ],
});
