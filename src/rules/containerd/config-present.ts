import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/config-present",
  title: "containerd has a configuration file",
  severity: 'warning',
  mode: 'static',
  rationale:
    "Without /etc/containerd/config.toml containerd runs its built-in defaults, which differ between releases (sandbox image, SystemdCgroup, registry directory); the node then depends on whichever containerd version is installed.",
  remediation:
    "Write /etc/containerd/config.toml (start from containerd config default) and set the values the checklist expects.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md",
  ],
});
