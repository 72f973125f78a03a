import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/config-parses",
  title: "containerd's configuration and every import are valid TOML",
  severity: 'error',
  mode: 'static',
  rationale:
    "containerd refuses to start when its main file or any import is not valid TOML, so the node has no container runtime at all.",
  remediation:
    "Fix the TOML syntax at the reported line and column, then check the file with containerd config dump.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md",
    "https://toml.io/en/v1.0.0",
  ],
});
